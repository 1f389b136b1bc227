"""Vue d'ensemble: the four sectors of a territory side by side, from the BMO survey."""

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from app_pages.shared import pairs, ui
from pipelines.frformat import fmt_count, fmt_int, lower_first
from pipelines.report import figures, glossary
from pipelines.report.conventions import APPRENTICE_BREAK, DEMO_PARTS, demo_labels
from pipelines.report.downloads import CONVENTIONS, cell, extraction_date, share_columns
from pipelines.report.safe_text import Markup, markdown_text, markup, plotly_text
from pipelines.report.zoom_charts import PLOTLY_CONFIG, wrap_label

st.title("Vue d'ensemble des secteurs en tension")

level_slot, territory_slot, year_slot = st.columns([1, 2, 1])
territory_type, territory_code = ui.territory_picker(level_slot, territory_slot)
years = ui.key_figures(territory_type, territory_code).years
year = ui.wanted_year(years)  # None where BMO is not published (a zone d'emploi, a list of communes)
if year:
    year = year_slot.selectbox("Année de l'enquête BMO", years, index=years.index(year), key="year")
    st.query_params["annee"] = str(year)
elif "annee" in st.query_params:
    del st.query_params["annee"]

data = ui.key_figures(territory_type, territory_code, year)
place = data.territory
ui.demo_banner(demo_labels(data.demo_parts), all_parts=len(DEMO_PARTS))

perimeter = figures.perimeter_label(place)
if place["commune_count"]:
    perimeter += f" · {figures.communes_label(place)}"
# Territory and source names come from files: escaped for markdown wherever they are shown (safe_text).
source_line = f"Source : {markdown_text(data.source)} {year} · {markdown_text(perimeter)}" if year \
    else markdown_text(perimeter)
st.caption(source_line)


def table_about(title: str) -> dict[str, str]:
    """The provenance of a BMO table of this page (the XLSX's "Source" sheet)."""
    return {"Titre": title, "Source": data.source, "Territoire": perimeter, "Période": str(year),
            "Extrait le": extraction_date(),
            "Conventions": CONVENTIONS}

if data.unavailable:
    st.info(markdown_text(data.unavailable))

sectors = {sector["sector_code"]: sector for sector in data.sectors}
reference = sectors.pop("ensemble")
sub_sectors = {s["parent_code"]: s for s in sectors.values() if s["parent_code"]}
main_sectors = [s for s in sectors.values() if not s["parent_code"]]


def projects(sector: dict) -> str:
    return fmt_int(sector["projects"], sector["secret_cells"])


def difficult(sector: dict) -> str:
    return figures.share_text(sector, "difficult")


def seasonal(sector: dict) -> str:
    return figures.share_text(sector, "seasonal")


def secret_notes(sector: dict) -> str:
    """'difficiles : 36 cellules secrètes sur 203 non comptées ; …' for the shares that are lower bounds."""
    return " ; ".join(f"{word} : {note}" for word, measure in (("difficiles", "difficult"), ("saisonniers", "seasonal"))
                      if (note := figures.share_secret_note(sector, measure)))


def change_delta(sector: dict) -> str | None:
    """Short enough for the metric badge; the full wording (or why there is no change) goes below it."""
    if sector["projects_change"] is None:
        return None
    return figures.change_over(sector["projects_change"])


def coverage(communes_with_data: int | None, basis: str = "communes") -> str:
    return figures.coverage_label(communes_with_data, data.territory["territory_communes"], basis)


# The texts of a card are markdown with HTML (the small grey notes): built with safe_text.markup, every value
# escaped (names come from files), and shown with ui.markdown_html.
def note(text: str) -> Markup:
    """The small grey source line under a figure of a card."""
    return markup("<span style='font-size:0.8rem;color:#666'>{}</span>", text)


def employment_text(sector: dict) -> Markup:
    """Salaried employment and establishments (URSSAF), or why they are not shown."""
    if sector["caveat_naf"]:
        return markup("**Emploi salarié** : non représentatif. {}", sector["caveat_naf"])
    if "employment" in data.not_loaded:
        return markup("**Emploi salarié** : {}", data.not_loaded["employment"])
    jobs = sector["employment"]
    if jobs is None:
        if not data.employment_year:  # no URSSAF file covers the territory at all
            return markup("**Emploi salarié** : n.d., aucun fichier Urssaf chargé pour ce territoire "
                          "(python -m pipelines fetch urssaf)")
        return markup("**Emploi salarié** : aucun établissement employeur du secteur dans les fichiers Urssaf chargés")
    if jobs["partial_coverage"]:  # a sum over part of the territory's communes is not the territory's figure
        return (markup("**Emploi salarié** : {} dans les fichiers Urssaf chargés, pas de total pour ce territoire "
                       "(sommes partielles : page Zoom secteur, bloc Emploi)  \n", jobs["partial_coverage"])
                + note(f"Urssaf, fin {jobs['year']}"))
    breaks = (f" ; rupture de série : {APPRENTICE_BREAK}"
              if jobs["apprentice_break_1y"] or jobs["apprentice_break_5y"] else "")
    return (markup("**{}** salariés fin {} ({}, {}{})  \n**{}** établissements employeurs ({}, {})  \n",
                   fmt_int(jobs["employees"]), jobs["year"], figures.change_over(jobs["employees_change_1y"]),
                   figures.change_over(jobs["employees_change_5y"], 5), breaks, fmt_int(jobs["establishments"]),
                   figures.change_over(jobs["establishments_change_1y"]),
                   figures.change_over(jobs["establishments_change_5y"], 5))
            + note(f"Urssaf · {coverage(jobs['communes_with_data'], jobs['basis'])}"))


def tension_text(sector: dict) -> Markup:
    """The tension level of the sector's métiers and its main driver (DARES / France Travail)."""
    if "tension" in data.not_loaded:
        return markup("**Tension** : {}", data.not_loaded["tension"])
    tension = sector["tension"]
    if tension is None or not tension["metiers"]:
        return markup("**Tension** : n.d. pour ce territoire")
    lens = ("métier ROME", "métiers ROME") if tension["metier_nomenclature"] == "rome" else \
        ("famille FAP", "familles FAP")
    # The ROME × bassin file also gives, for the sector's métiers, job seekers (ABC) and offers: yearly
    # averages published with decimals (their exact definition is not documented), rounded here.
    market = (markup("Dans ces métiers, en moyenne sur {} : {} demandeurs d'emploi (A, B, C) et {} offres enregistrées "
                     "(moyennes annuelles du fichier, arrondies)  \n", tension["year"],
                     fmt_int(tension["job_seekers_abc"]), fmt_int(tension["job_offers"]))
              if tension["job_seekers_abc"] else Markup())
    return (markup("**Tension** : {} · {} en tension sur {}  \nPrincipal facteur : {}  \n",
                   figures.level_of_five(tension["tension_level"]), fmt_count(tension["metiers_in_tension"], *lens),
                   fmt_int(tension["metiers"]), tension["main_driver_label"] or "n.d.")
            + market
            + note(f"{tension['source']}, {tension['year']} · niveau : moyenne des classes de 1 (peu tendu) à 5 "
                   "(très tendu) de ses métiers"))


def published(value, metiers_with: int, metiers: int, noun: str, ending: str) -> str:
    """'251 offres publiées pour 2 métiers sur 3': a sum over the métiers with a published figure says so."""
    def plural(count: int) -> str:
        return f"{fmt_int(count)} métier{'s' if count > 1 else ''}"

    if not metiers_with:
        return f"{noun} : n.d. (non publié{ending} pour {plural(metiers)})"
    return f"{fmt_int(value)} {noun} publié{ending} pour {plural(metiers_with)} sur {fmt_int(metiers)}"


def market_text(sector: dict) -> Markup:
    """Offers and job seekers in the sector's ROME métiers, last quarter (France Travail API, bassins only):
    each sum with the number of métiers it covers; the bassin and the quarter in the source line."""
    if "market" in data.not_loaded and place["type"] == "bassin_bmo":  # the API is read per bassin
        return markup("**Marché du travail** : {}", data.not_loaded["market"])
    market = sector["market"]
    if market is None or data.market_unavailable:
        return Markup()
    metiers = market["metiers"]
    return (markup("**Marché du travail** : {}  \n{}, {}  \n",
                   published(market["job_offers"], market["metiers_with_job_offers"], metiers, "offres", "es"),
                   published(market["job_seekers_a"], market["metiers_with_job_seekers_a"], metiers,
                             "demandeurs d'emploi A", "s"),
                   published(market["job_seekers_abc"], market["metiers_with_job_seekers_abc"], metiers,
                             "demandeurs A, B, C", "s"))
            + note(f"France Travail, API Marché du travail · {data.market_perimeter} · {data.market_period}"))


def hires_figure(row: dict) -> str:
    """'800, dont 1 cellule non publiée (non comparable sur un an : …)': a sum that skipped empty cells says so."""
    unpublished = figures.hires_unpublished_text(row)
    return (f"{fmt_int(row['hires_raw'])}{', ' + unpublished if unpublished else ''} "
            f"({figures.hires_change_text(row)})")


def hires_text(sector: dict) -> Markup:
    """Hires (DPAE) of the grand secteur matching the sector, as context: only building has one."""
    hires = data.hires
    matching = [row for row in (hires or {}).get("grand_secteurs", []) if row["sector_code"] == sector["sector_code"]]
    if not matching:
        return Markup()
    row = matching[0]
    return (markup("**Embauches** ({}, {}) : {}  \n", row["grand_secteur"], hires["quarter"], hires_figure(row))
            + note(" · ".join(part for part in (
                f"Urssaf DPAE · {hires['perimeter']['label']}",
                f"contexte{'' if hires['perimeter']['is_territory_itself'] else ' départemental'}",
                lower_first(hires["publication"])) if part)))


def bmo_card(sector: dict) -> None:
    """The BMO part of a sector's card: projects, change, difficult and seasonal shares."""
    st.metric("Projets de recrutement", projects(sector), change_delta(sector), delta_color="off", delta_arrow="off")
    if sector["projects_change"] is None:
        st.caption(figures.change_label(sector).capitalize())
    st.markdown(f"**{difficult(sector)}** jugés difficiles  \n**{seasonal(sector)}** saisonniers")
    if sector["sector_code"] in sub_sectors:
        sub = sub_sectors[sector["sector_code"]]
        st.markdown(f"{markdown_text(sub['label'].capitalize())} : {projects(sub)} projets, "
                    f"{difficult(sub)} difficiles")
    if secret_notes(sector):  # a share that is a lower bound says it, with its secret cells
        st.caption(f"« au moins » : {secret_notes(sector)}")
    elif sector["secret_cells"]:
        st.caption(f"{fmt_count(sector['secret_cells'], 'cellule secrète', 'cellules secrètes')} non comptée"
                   f"{'s' if sector['secret_cells'] > 1 else ''}")
    st.caption(f"BMO {year} · {markdown_text(perimeter)}")


columns = st.columns(len(main_sectors))
for column, sector in zip(columns, main_sectors, strict=True):
    with column.container(border=True):
        ui.markdown_html(markup("<span style='color:{};font-size:1.3rem;font-weight:700'>{}</span>",
                                sector["colour"], sector["label"]))
        if year:
            bmo_card(sector)
        ui.markdown_html(employment_text(sector))
        ui.markdown_html(tension_text(sector), help=glossary.tension_help())
        for extra in (market_text(sector), hires_text(sector)):
            if extra:
                ui.markdown_html(extra)

if year:
    st.markdown(f"**Tous secteurs** : {projects(reference)} projets de recrutement, {difficult(reference)} jugés "
                f"difficiles, {seasonal(reference)} saisonniers ; {figures.change_label(reference)}.")
if data.job_seekers and (latest := next(iter(data.job_seekers.values())))["partial_coverage"]:
    st.markdown(f"**Demandeurs d'emploi** (tous métiers, {markdown_text(latest['quarter'])}) : "
                f"{markdown_text(latest['partial_coverage'])} dans les fichiers Dares chargés, pas de total pour ce "
                "territoire.")
elif data.job_seekers:
    seekers = data.job_seekers
    st.markdown(f"**Demandeurs d'emploi** (tous métiers, {markdown_text(latest['quarter'])}) : " + " ; ".join(
        f"**{fmt_int(seekers[c]['job_seekers'])}** en catégorie{'s' if len(c) > 1 else ''} {', '.join(c)} "
        f"({figures.change_over(seekers[c]['change_1y'])})" for c in ("A", "ABC") if c in seekers) + ".")
    st.caption(f"Source : {markdown_text(data.job_seekers_source)} · {coverage(latest['communes_with_data'])} du "
               "territoire "
               "dans les fichiers chargés.")
elif "job_seekers" in data.not_loaded:
    st.markdown(f"**Demandeurs d'emploi** : {markdown_text(data.not_loaded['job_seekers'])}.")
if data.hires:
    hires = data.hires
    total = hires["total"]
    st.markdown(f"**Embauches** (DPAE, contrats de plus d'un mois, {markdown_text(hires['quarter'])}) · "
                f"{markdown_text(hires['perimeter']['label'])} : {markdown_text(hires_figure(total))}.")
    st.caption(f"Source : {markdown_text(hires['source'])} · {markdown_text(hires['note'])} "
               f"{markdown_text(hires['publication'])}")
elif "hires" in data.not_loaded:
    st.markdown(f"**Embauches** (DPAE) : {markdown_text(data.not_loaded['hires'])}.")
st.caption("Sommes des cellules publiées : les cellules sous secret statistique (« s ») ne sont pas comptées, "
           f"les totaux sont donc inférieurs aux totaux officiels ; {figures.SHARE_RULE}.")
# The peer group of the URL (?pairs=…, made in the explorer) beside the département, the région and France.
pairs.comparison_section((territory_type, territory_code), year, key="overview")
if not year:
    st.stop()  # the sections below are the BMO survey's

# --- Sector comparison ------------------------------------------------------------------------------
st.subheader("Difficultés de recrutement et saisonnalité par secteur")
compared = data.sectors
comparison = pd.DataFrame({
    "Secteur": [s["label"] for s in compared],
    "Projets de recrutement": [s["projects"] for s in compared],
    "Part jugée difficile": [s["difficult_share"] for s in compared],
    "Part saisonnière": [s["seasonal_share"] for s in compared],
})
comparison_table = pd.DataFrame({
    "Secteur": comparison["Secteur"],
    "Projets de recrutement": [cell(s["projects"], "count", bool(s["secret_cells"])) for s in compared],
    **share_columns(compared, "difficult", "Part jugée difficile"),
    **share_columns(compared, "seasonal", "Part saisonnière"),
})
comparison_title = f"Part des projets jugés difficiles et saisonniers, {year}"


def comparison_figure() -> go.Figure:
    figure = go.Figure()
    for name, colour, shown in (("Part jugée difficile", ui.PALETTE[1], difficult),
                                ("Part saisonnière", ui.PALETTE[0], seasonal)):
        figure.add_bar(
            y=[plotly_text(label) for label in comparison["Secteur"]], x=comparison[name] * 100, name=name,
            orientation="h", marker_color=colour,
            text=[shown(s) for s in compared], textposition="outside",
            hovertemplate="%{y} : %{x:.1f} %<extra>" + name + "</extra>",
        )
    figure.update_yaxes(autorange="reversed")
    figure.update_xaxes(title="% des projets de recrutement", range=[0, 110])
    return ui.style_figure(figure, comparison_title)


# Drawn once per marts version for the sessions that show the same sectors (ui.shared_figure).
ui.chart_with_data(ui.shared_figure(comparison_figure, compared, comparison_title), comparison_table,
                   f"secteurs_{place['code']}_{year}", key="sectors", about=table_about(comparison_title))
st.caption(source_line)

# --- Top métiers ------------------------------------------------------------------------------------
st.subheader("Métiers qui recrutent le plus")
labels = {s["sector_code"]: s["label"] for s in data.sectors}
chosen = st.selectbox("Secteur", list(labels), format_func=labels.get, key="top-sector")
top = next(s for s in data.sectors if s["sector_code"] == chosen)["top_metiers"]
if not top:
    st.info("Aucun métier de ce secteur n'a de projet publié sur ce territoire.")
else:
    table = pd.DataFrame({
        "Rang": [m["rank"] for m in top],
        "Métier": [m["metier_label"] for m in top],
        "Code FAP": [m["metier_code"] for m in top],
        "Projets": [projects(m) for m in top],
        "Jugés difficiles": [difficult(m) for m in top],
        "Saisonniers": [seasonal(m) for m in top],
    })
    drawn = [m for m in top if m["projects"] is not None]

    top_title = f"{labels[chosen]} : métiers les plus recherchés, {year}"

    def top_figure() -> go.Figure:
        bars = go.Figure(go.Bar(
            y=[wrap_label(m["metier_label"]) for m in drawn], x=[m["projects"] for m in drawn], orientation="h",
            marker_color=ui.PALETTE[0], text=[f"{projects(m)} · {difficult(m)} difficiles" for m in drawn],
            textposition="outside", cliponaxis=False, hovertemplate="%{y} : %{x} projets<extra></extra>",
        ))
        bars.update_yaxes(autorange="reversed")
        # room right of the longest bar for its label
        bars.update_xaxes(title="Projets de recrutement",
                          range=[0, 1.6 * max((m["projects"] for m in drawn), default=1)])
        return ui.style_figure(bars, top_title, height=120 + 50 * len(drawn))

    st.plotly_chart(ui.shared_figure(top_figure, drawn, top_title), width="stretch", key="chart-top",
                    config=PLOTLY_CONFIG)
    st.dataframe(table, hide_index=True, width="stretch")
    exported = pd.DataFrame({
        "Rang": [m["rank"] for m in top], "Code FAP": [m["metier_code"] for m in top],
        "Métier": [m["metier_label"] for m in top],
        "Projets de recrutement": [cell(m["projects"], "count", bool(m["secret_cells"])) for m in top],
        **share_columns(top, "difficult", "Part jugée difficile"),
        **share_columns(top, "seasonal", "Part saisonnière"),
        "Cellules secrètes": [m["secret_cells"] for m in top],
    })
    ui.table_downloads(exported, f"metiers_{chosen}_{place['code']}_{year}", "top", table_about(top_title))
    st.caption(source_line + " · « s » : secret statistique")
