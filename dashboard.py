"""Zoom secteurs: entry point. Navigation and the frame shared by every page."""

import streamlit as st

from app_pages.shared import ui
from pipelines.read import marts
from pipelines.report.links import EXPLORER_URL_PATH, NOTE_URL_PATH, SOURCES_URL_PATH, ZOOM_URL_PATH

# An emoji, drawn by the browser: a ":material/…:" icon would make every page fetch its favicon from Google's
# font server, which a workshop room may not reach (tests/hostile/test_offline_room.py).
st.set_page_config(page_title="Zoom secteurs", page_icon="📊", layout="wide")

PAGES = [
    # The default page lives at the root URL: links are /?territoire=…&annee=…
    st.Page("app_pages/overview.py", title="Vue d'ensemble", icon=":material/dashboard:", default=True),
    st.Page("app_pages/zoom_secteur.py", title="Zoom secteur", icon=":material/center_focus_strong:",
            url_path=ZOOM_URL_PATH),
    st.Page("app_pages/explorer.py", title="Explorateur", icon=":material/travel_explore:",
            url_path=EXPLORER_URL_PATH),
    st.Page("app_pages/note.py", title="Note mensuelle", icon=":material/description:", url_path=NOTE_URL_PATH),
    st.Page("app_pages/sources.py", title="Sources", icon=":material/menu_book:", url_path=SOURCES_URL_PATH),
]

navigation = st.navigation(PAGES)
ui.french_frame()
st.sidebar.markdown("**Zoom secteurs** · marché du travail et secteurs en tension")
if marts.signature() is None:
    st.error("Les marts ne sont pas construits : lancez `make build` (ou `python -m pipelines build`).")
    st.stop()
navigation.run()
