"""Explorateur: the analysts' page. Rank every territory, map them, measure specialisation and change, find and
compare similar territories, follow one métier across territories.

The page only picks the view and the territory; each view is a module of app_pages/shared/explorer/ that reads
its numbers from `pipelines.read` and its words and charts from `pipelines.report`. Every choice lives in the
URL (?vue=classement&territoire=bassin:5314&…), so a link reopens the same view.
"""

import importlib

import streamlit as st

from app_pages.shared import ui
from app_pages.shared.explorer import DEFAULT_VIEW, KEPT_PARAMS, VIEWS
from pipelines.report.conventions import DEMO_PARTS, demo_labels

st.title("Explorateur des territoires")
url_view = ui.wanted_option("vue", {code: label for code, (label, _) in VIEWS.items()}, DEFAULT_VIEW, "Vue",
                             feminine=True)
view = st.segmented_control("Vue", list(VIEWS), default=url_view, format_func=lambda code: VIEWS[code][0],
                            key="explorer-view") or url_view
if view != url_view:
    for name in set(st.query_params) - KEPT_PARAMS:
        del st.query_params[name]
st.query_params["vue"] = view
level_slot, territory_slot = st.columns([1, 3])
place = ui.territory_picker(level_slot, territory_slot, key="explorer-territory", levels=ui.EXPLORER_LEVELS)
ui.demo_banner(demo_labels(ui.key_figures(*place).demo_parts), all_parts=len(DEMO_PARTS))
importlib.import_module(f"app_pages.shared.explorer.{VIEWS[view][1]}").render(place)
