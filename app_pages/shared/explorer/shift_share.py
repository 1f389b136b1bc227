"""Explorer view "Évolution de l'emploi": shift-share (Insee's structurel-résiduel) of salaried employment between
two years, per NAF A38 section. URL: ?debut=YYYY&fin=YYYY, ?reference=fr|reg|dep|pairs (and ?pairs=CODE,CODE)."""

import streamlit as st

from app_pages.shared import pairs, ui
from app_pages.shared.explorer.specialisation import REFERENCES, employment_missing, with_reference
from pipelines.read import specialisation as read
from pipelines.report import specialisation as report
from pipelines.report.safe_text import markdown_text


def shift_share(place, start=None, end=None, reference="fr", peers=()) -> read.ShiftShare:
    """pipelines.read.specialisation.shift_share, cached until the marts change (LookupError as it raises)."""
    return ui.marts_read(read.shift_share, *place, start, end, reference=reference, peers=tuple(peers))


def wanted_year(name: str, years: list[int], default: int, what: str) -> int:
    asked = ui.url_param(name)
    year = ui.url_number(asked, min(years), max(years))
    if year in years:
        return year
    if asked:
        ui.url_notice(f"{markdown_text(what)} « {ui.shown_text(asked)} » sans emploi salarié chargé ; affichée à "
                      f"la place : {markdown_text(default)}.")
    return default


def render(place: tuple[str, str]) -> None:
    reference = ui.wanted_option("reference", REFERENCES, "fr", "Référence")
    reference = st.segmented_control("Référence", list(REFERENCES), default=reference, format_func=REFERENCES.get,
                                     key="shift-reference") or reference
    peers = tuple(pairs.wanted_pairs(place)) if reference == "pairs" else ()
    if employment_missing(place, "son évolution ne peut pas être décomposée"):
        return
    found = with_reference(lambda reference, peers: shift_share(place, reference=reference, peers=peers), reference,
                           peers)
    if found is None:
        return
    result, reference, peers = found
    st.query_params["reference"] = reference
    years = result.years
    start = wanted_year("debut", years[:-1], result.start_year, "Année de début")
    end = wanted_year("fin", [year for year in years if year > start], result.end_year, "Année de fin")
    start_slot, end_slot = st.columns(2)
    start = start_slot.selectbox("De", years[:-1], index=years.index(start), key="shift-start")
    later = [year for year in years if year > start]
    end = end_slot.selectbox("À", later, index=later.index(end) if end in later else len(later) - 1,
                             key="shift-end")
    st.query_params["debut"], st.query_params["fin"] = str(start), str(end)
    if (start, end) != (result.start_year, result.end_year):
        result = shift_share(place, start, end, reference, peers)
    st.markdown(markdown_text(report.shift_sentence(result)))
    notes = report.shift_notes(result)
    title = report.shift_title(result)
    ui.chart_with_data(ui.shared_figure(lambda: report.shift_chart(result), result), report.shift_table(result),
                       f"evolution_emploi_{place[1]}_{start}_{end}", key="shift",
                       about=report.about(result, title, notes), shown=report.shift_shown(result), theme=None)
    for note in notes:
        st.caption(markdown_text(note))
    st.caption(markdown_text(report.source_line(result)))
