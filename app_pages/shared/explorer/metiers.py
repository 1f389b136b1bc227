"""Explorer view "Métiers": one métier (BMO FAP code, ROME code, or a FAP family) across the territories of the
chosen territory's level: its projects, difficulty, seasonality and tension, ranked with the same machinery as the
"Classement" view (URL: metier = fap:B2X31, rome:F1703 or famille:B2X; indicateur, echelle, annee)."""

import streamlit as st

from app_pages.shared import ui
from app_pages.shared.explorer import ranking as ranking_view
from pipelines.frformat import lower_first
from pipelines.read import ranking as read_ranking
from pipelines.report import ranking as report
from pipelines.report import safe_text
from pipelines.report.figures import TERRITORY_LABELS

KINDS = {"fap": "Métier FAP", "famille": "Famille de métiers FAP", "rome": "Métier ROME"}


def _metiers() -> dict[str, str]:
    """spec -> label of every métier the marts can follow, FAP métiers first."""
    rows = ui.marts_read(read_ranking.metier_choices)
    order = {kind: number for number, kind in enumerate(KINDS)}
    rows.sort(key=lambda row: (order[row["spec"].partition(":")[0]], row["code"]))
    return {row["spec"]: f"{KINDS[row['spec'].partition(':')[0]]} {row['code']}"
                         + (f" : {row['label']}" if row["label"] else "") for row in rows}


def render(place: tuple[str, str]) -> None:
    level = place[0]
    if level not in read_ranking.LEVELS:
        st.info(ranking_view.RANKABLE)
        return
    metiers = _metiers()
    if not metiers:
        st.info("Aucun métier chargé : importez l'enquête BMO ou les indicateurs de tension.")
        return
    metier_slot, indicator_slot = st.columns(2)
    with metier_slot:
        wanted = ui.wanted_option("metier", metiers, next(iter(metiers)), "Métier")
        metier = st.selectbox("Métier", list(metiers), index=list(metiers).index(wanted), format_func=metiers.get,
                              key="metier-pick")
        st.query_params["metier"] = metier
    dimension, code = read_ranking.parse_sector(metier)
    if dimension == "rome":
        families = ui.marts_read(read_ranking.rome_families, code)
        if families:
            st.caption(safe_text.markdown_text(
                "Ce code ROME relève des métiers FAP 2009 : " + ", ".join(
                    f"{family['code']}" + (f" ({family['label']})" if family["label"] else "") for family in families)
                + " (table de correspondance Dares) ; l'enquête BMO les classe sous « Métier FAP »."))
    # Only the indicators with figures for this métier or family at this level (a FAP 2009 family of the tension
    # files has no BMO figure in a FAP 2021 survey year, and the reverse).
    indicators = {indicator: report.INDICATOR_LABELS[indicator]
                  for indicator in ui.marts_read(read_ranking.indicator_choices, level, dimension, metier)}
    if not indicators:
        st.info(safe_text.markdown_text(
                f"Pas de chiffre pour ce métier au niveau « {lower_first(TERRITORY_LABELS[level])} » : l'enquête BMO "
                "est publiée par bassin d'emploi (et sommée par département, région), les indicateurs de tension "
                "par bassin (code ROME) ou par département et région (FAP 2009)."))
        return
    with indicator_slot:
        wanted = ui.wanted_option("indicateur", indicators, next(iter(indicators)), "Indicateur")
        indicator = st.selectbox("Indicateur", list(indicators), index=list(indicators).index(wanted),
                                 format_func=indicators.get, key=f"metier-indicator-{dimension}-{level}")
        st.query_params["indicateur"] = indicator
    if dimension == "famille" and indicator in report.FAMILY_TENSION_NOTES:
        st.caption(report.FAMILY_TENSION_NOTES[indicator])
    ranking_view.show(place, indicator, metier, "metier")
