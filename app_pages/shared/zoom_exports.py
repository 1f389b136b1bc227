"""The export buttons of the Zoom secteur page: PNG of each chart, offline HTML pack, PDF of the slides.

The page calls render() where the buttons go, with the same zoom, charts and slides it shows (one code path:
`pipelines.report.export_html` and `pipelines.report.export_pdf` build the files). Files are built on demand, with a
progress indicator, then offered for download; a built file is kept for this view until its figures change.
"""

import hashlib
import json

import streamlit as st

from pipelines.report.export_html import zoom_pack
from pipelines.report.safe_text import markdown_text
from pipelines.report.zoom import file_stem

STATE_KEY = "zoom-exports"  # session state: {"html": (view_key, bytes), "pdf": (view_key, bytes)}
PNG_CAPTION = ("Images : l'icône appareil photo de chaque graphique (en haut à droite, au survol) télécharge une "
               "image PNG en 1920 × 1080, la résolution d'un vidéoprojecteur.")


def view_key(zoomed: dict, slides: list) -> str:
    """Identifies the figures of a view: a file built for it is offered again until they change (new marts)."""
    text = json.dumps([zoomed, [slide.link for slide in slides]], default=str, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _built(kind: str, key: str) -> bytes | None:
    kept = st.session_state.get(STATE_KEY, {}).get(kind)
    return kept[1] if kept and kept[0] == key else None


def _keep(kind: str, key: str, data: bytes) -> None:
    st.session_state.setdefault(STATE_KEY, {})[kind] = (key, data)  # one file per kind: the latest view


def build_html(zoomed: dict, charts: list, slides: list) -> bytes:
    with st.status("Préparation du pack HTML…", expanded=False) as status:
        data = zoom_pack(zoomed, charts, slides).encode("utf-8")
        status.update(label=f"Pack HTML prêt : {len(charts)} graphiques", state="complete")
    return data


def build_pdf(slides: list) -> bytes:
    # Imported on the first PDF asked for: matplotlib would add a second to the first view of every server start.
    from pipelines.report.export_pdf import slides_pdf

    bar = st.progress(0.0, text=f"Préparation du PDF : 0 / {len(slides)} pages")

    def progress(done: int, total: int) -> None:
        bar.progress(done / total, text=f"Préparation du PDF : page {done} / {total}")

    data = slides_pdf(slides, progress=progress)
    bar.empty()
    return data


def render(zoomed: dict, charts: list, slides: list) -> None:
    """Two downloads (offline HTML pack, PDF of the slides), each prepared on a click, and the PNG hint."""
    stem = file_stem(zoomed)
    key = view_key(zoomed, slides)
    html_column, pdf_column = st.columns(2)
    with html_column:
        html = _built("html", key)
        if html is None and st.button("Préparer le pack HTML hors ligne", key="prepare-html",
                                      icon=":material/public_off:",
                                      help="Un seul fichier HTML : chiffres clés, graphiques interactifs, données, "
                                           "à retenir ; s'ouvre sans connexion internet."):
            html = build_html(zoomed, charts, slides)
            _keep("html", key, html)
        if html is not None:
            st.download_button(f"Télécharger {markdown_text(stem)}.html", data=html, file_name=f"{stem}.html",
                               mime="text/html",
                               key="export-html", icon=":material/download:", on_click="ignore")
    with pdf_column:
        pdf = _built("pdf", key)
        if pdf is None and st.button(f"Préparer le PDF ({len(slides)} pages)", key="prepare-pdf",
                                     icon=":material/picture_as_pdf:",
                                     help="Les diapositives de l'atelier, A4 paysage, une par page."):
            pdf = build_pdf(slides)
            _keep("pdf", key, pdf)
        if pdf is not None:
            st.download_button(f"Télécharger {markdown_text(stem)}.pdf", data=pdf, file_name=f"{stem}.pdf",
                               mime="application/pdf", key="export-pdf", icon=":material/download:",
                               on_click="ignore")
    st.caption(PNG_CAPTION)
