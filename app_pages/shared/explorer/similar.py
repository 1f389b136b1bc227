"""Explorer view "Territoires proches": the territories of the same level with the closest sector mix, and the
peer group made of them, which the user edits and which then stands beside the département, the région and
France here, in the overview and in the zoom. In the URL: ?taille=2 (size band), ?pairs=5313,5316 (the group)."""

import streamlit as st

from app_pages.shared import pairs, ui
from pipelines.frformat import display_name
from pipelines.report import figures
from pipelines.report import similar as words
from pipelines.report.safe_text import markdown_text
from pipelines.report.zoom_charts import PLOTLY_CONFIG

ANY_SIZE = "toutes"
SIZES = {ANY_SIZE: "toutes tailles"} | {factor: f"taille {band}" for factor, band in words.SIZE_BANDS.items()}
SHOWN = 10
FROM_URL = "similar-pairs-read"  # session flag: the URL's group is read once, at the session's first view


def _size_picker() -> float | None:
    """The size band of the URL (?taille=2), then of the picker; None for any size."""
    asked = ui.wanted_option("taille", SIZES, ANY_SIZE, "Bande de taille")
    options = list(SIZES)
    band = st.selectbox("Taille des territoires comparés", options, index=options.index(asked),
                        format_func=lambda code: SIZES[code].capitalize(), key="similar-size")
    if band == ANY_SIZE:
        if "taille" in st.query_params:
            del st.query_params["taille"]
        return None
    st.query_params["taille"] = band
    return float(band)


def _group_picker(place: tuple[str, str], suggested: list[str]) -> list[str]:
    """The peer group: the URL's when the session opens on a link that has one, else the proposed territories;
    edited with a multiselect (every territory of the level: some 1,250 EPCI at most), written back to the URL."""
    names = pairs.level_names(place[0])
    key = f"similar-pairs-{place[0]}-{place[1]}"
    if key not in st.session_state:
        from_url = pairs.PARAM in st.query_params and not st.session_state.get(FROM_URL)
        st.session_state[key] = pairs.wanted_pairs(place) if from_url else suggested
    st.session_state[FROM_URL] = True
    options = [code for code in names if code != place[1]]
    chosen = st.multiselect("Territoires du groupe de pairs", options, key=key,
                            format_func=lambda code: f"{names[code]} ({code})",
                            max_selections=pairs.MAX_PAIRS, placeholder="Choisir des territoires", select_all=False)
    st.button("Reprendre les territoires proposés", key="similar-pairs-reset",
              on_click=lambda: st.session_state.update({key: suggested}))
    pairs.set_pairs(chosen)
    return chosen


def _peer_detail(found) -> None:
    """The sections behind one peer's distance, in full (the table's cells are cut on a narrow screen)."""
    peers = {peer.code: peer for peer in found.peers}
    code = st.selectbox("Détail d'un territoire proche", list(peers), key="similar-detail",
                        format_func=lambda c: f"{peers[c].rank}. {display_name(peers[c].name or c)} ({c})")
    closest, apart = words.peer_detail(found, peers[code])
    for slot, heading, lines in zip(st.columns(2), ("Ce qui les rapproche", "Ce qui les distingue"),
                                    (closest, apart), strict=True):
        slot.markdown(f"**{markdown_text(heading)}**\n" + "\n".join(f"- {markdown_text(line)}"
                                                      for line in lines or ["aucune section"]))


def render(place: tuple[str, str]) -> None:
    st.info(f"**{words.LABEL}.** {words.CAVEAT}")
    if place[0] == "france":
        st.info("La France n'a pas de territoire de même niveau : choisissez une région, un département, un bassin, "
                "une zone d'emploi ou un EPCI.")
        return
    factor = _size_picker()
    found = pairs.similar(place, SHOWN, factor)
    if isinstance(found, str):
        st.info(f"{markdown_text(found)}.")
        return
    st.subheader(markdown_text(words.title(found)))
    st.caption(markdown_text(words.method_text(found)))
    st.markdown(markdown_text(words.scope_text(found)))
    table = words.peers_table(found)
    stem = f"territoires_proches_{figures.territory_spec(*place).replace(':', '-')}"
    if found.peers:
        # The sections of each peer are long: in the detail below and in the downloads, not in the screen's columns.
        st.dataframe(table.drop(columns=words.SECTION_COLUMNS), hide_index=True, width="stretch", key="similar-table")
        ui.table_downloads(table, stem, "similar", words.about(found))
        # The subheader above says what the chart is: no title of its own.
        figure = ui.style_figure(words.distance_figure(found), "", height=80 + 40 * len(found.peers))
        figure.update_layout(margin=dict(t=10))
        st.plotly_chart(figure, width="stretch", key="chart-similar", config=PLOTLY_CONFIG)
        _peer_detail(found)
    st.caption(markdown_text(words.source_line(found)))

    st.subheader("Groupe de pairs")
    chosen = _group_picker(place, [peer.code for peer in found.peers])
    if chosen:
        query = {"territoire": figures.territory_spec(*place), pairs.PARAM: ",".join(chosen)}
        overview, zoom = st.columns(2)
        overview.page_link("app_pages/overview.py", label="Vue d'ensemble avec ce groupe de pairs",
                           icon=":material/dashboard:", query_params=query)
        zoom.page_link("app_pages/zoom_secteur.py", label="Zoom secteur avec ce groupe de pairs",
                       icon=":material/center_focus_strong:", query_params=query)
    pairs.comparison_section(place, None, key="similar", codes=chosen)
