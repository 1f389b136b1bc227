"""Explorer view "Spécialisation": location quotients of the four sectors and of the A38 sections (URSSAF) or FAP
families (BMO), against France, the région, the département or the peer group. URL: ?reference=fr|reg|dep|pairs,
?source=urssaf|bmo, ?annee=YYYY (and ?pairs=CODE,CODE for the peer group)."""

import streamlit as st

from app_pages.shared import pairs, ui
from pipelines.read import specialisation as read
from pipelines.report import specialisation as report
from pipelines.report.safe_text import markdown_text

SOURCES = {"urssaf": report.SOURCE_LABELS["urssaf"], "bmo": report.SOURCE_LABELS["bmo"]}
REFERENCES = {"fr": "France", "reg": "Région", "dep": "Département", "pairs": "Territoires pairs"}


def quotients(place, source, reference, peers=(), year=None) -> read.Specialisation:
    """pipelines.read.specialisation.location_quotients, cached until the marts change (LookupError as it raises)."""
    return ui.marts_read(read.location_quotients, *place, source=source, reference=reference, peers=tuple(peers),
                         year=year)


def employment_missing(place: tuple[str, str], what: str) -> bool:
    """Says so, and returns True, when no salaried employment (URSSAF) is loaded for the territory: what cannot be
    done (`what`) and what the loaded files cover, rather than an error or an empty chart."""
    held = ui.query("select count(*) as rows from fct_employment_by_territory_sector_year where territory_type = ? "
                    "and territory_code = ? and sector_code = 'ensemble' and employees is not null", place)
    if held["rows"].iloc[0]:
        return False
    communes = ui.query("""select distinct territory.dept_code
        from fct_employment_by_territory_sector_year as fact
        join dim_territory as territory using (territory_type, territory_code)
        where fact.territory_type = 'commune' and fact.sector_code = 'ensemble' and fact.employees is not null""", ())
    counted = ui.query("""select count(distinct territory_code) as communes from fct_employment_by_territory_sector_year
        where territory_type = 'commune' and sector_code = 'ensemble' and employees is not null""", ())
    name = pairs.level_names(place[0]).get(place[1], place[1]) if place[0] != "france" else "France"
    territory = read.Place("territoire", place[0], (place[1],), (name,))
    departements = sorted(code for code in communes["dept_code"] if isinstance(code, str))
    st.info(markdown_text(report.no_employment_text(territory, what, int(counted["communes"].iloc[0]), departements)))
    return True


def with_reference(compute, reference: str, peers: tuple[str, ...]):
    """compute(reference, peers) against the reference asked; one the territory cannot have (LookupError: no
    région, no peer group...) is said and replaced by France, in the URL too. Returns (result, reference, peers), or
    None once the reason nothing can be computed has been said."""
    try:
        return compute(reference, peers), reference, peers
    except LookupError as error:
        if reference == "fr":
            st.info(markdown_text(report.sentence(str(error))))
            return None
        ui.url_notice(f"{markdown_text(report.sentence(str(error)))} Référence affichée à la place : la France.")
    st.query_params["reference"] = "fr"
    try:
        return compute("fr", ()), "fr", ()
    except LookupError as error:
        st.info(markdown_text(report.sentence(str(error))))
        return None


def wanted(place: tuple[str, str]) -> tuple[str, str, tuple[str, ...]]:
    """Source and reference of the URL, checked against the territory; a choice it cannot have is said and replaced."""
    source = ui.wanted_option("source", SOURCES, "urssaf", "Source")
    source = st.segmented_control("Source", list(SOURCES), default=source, format_func=SOURCES.get,
                                  key="lq-source") or source
    if source == "bmo" and place[0] not in read.BMO_LEVELS:
        ui.url_notice("L'enquête BMO n'est publiée que par bassin, département, région et France : indices "
                      "calculés sur l'emploi salarié (Urssaf).")
        source = "urssaf"
    reference = ui.wanted_option("reference", REFERENCES, "fr", "Référence")
    reference = st.segmented_control("Référence", list(REFERENCES), default=reference, format_func=REFERENCES.get,
                                     key="lq-reference") or reference
    st.query_params["source"], st.query_params["reference"] = source, reference
    return source, reference, tuple(pairs.wanted_pairs(place)) if reference == "pairs" else ()


def render(place: tuple[str, str]) -> None:
    source, reference, peers = wanted(place)
    if source == "urssaf" and employment_missing(place, "pas d'indice de spécialisation sur l'emploi salarié" + (
            " ; les projets de recrutement le permettent : source « Projets de recrutement (BMO) »"
            if place[0] in read.BMO_LEVELS else "")):
        return
    found = with_reference(lambda reference, peers: quotients(place, source, reference, peers), reference, peers)
    if found is None:
        return
    result, reference, peers = found
    year = ui.url_number(ui.url_param("annee"), min(result.years), max(result.years))
    if ui.url_param("annee") and year not in result.years:
        ui.url_notice(f"Année « {ui.shown_text(ui.url_param('annee'))} » sans données ici ; affichée à la place : "
                      f"{markdown_text(result.year)}.")
    year = st.selectbox("Année", result.years, index=result.years.index(year if year in result.years else result.year),
                        key="lq-year")
    st.query_params["annee"] = str(year)
    if year != result.year:
        result = quotients(place, source, reference, peers, year)
    st.markdown(markdown_text(report.lq_sentence(result)))
    notes = report.specialisation_notes(result)
    for detail, rows in ((False, result.sectors), (True, result.details)):
        if detail and result.details_missing:  # no chart of zeros: say why there is no detail
            st.info(markdown_text(f"{report.DETAIL_HEADINGS[result.source]} : {result.details_missing}."))
            continue
        title = report.lq_title(result, detail)
        table = report.quotient_table(result, rows)
        ui.chart_with_data(ui.shared_figure(lambda rows=rows, title=title: report.quotient_chart(result, rows, title),
                                            result, detail),
                           table, f"specialisation_{'detail' if detail else 'secteurs'}_{place[1]}_{year}",
                           key=f"lq-{'detail' if detail else 'sectors'}", about=report.about(result, title, notes),
                           shown=report.quotient_shown(result, rows), csv=report.quotient_csv(table), theme=None)
    for note in notes:
        st.caption(markdown_text(note))
    st.caption(markdown_text(report.source_line(result, result.source)))
