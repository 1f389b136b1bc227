"""A FAP 2009 family's tension with hostile names: a family without a labelled file is named by its métiers' labels
(here the ROME labels of markup_files.py), which the views show as text, in the title, captions and chart."""

import pytest

from pipelines.ingest import importer
from pipelines.warehouse import build
from tests.hostile.markup_files import IMG, write_markup_files
from tests.hostile.test_ranking import RAW, shown
from tests.pages.test_explorer_ranking import explorer


@pytest.fixture
def hostile_marts(no_demo, tmp_path):
    importer.import_files(write_markup_files(tmp_path / "downloads"))
    build.build(say=lambda message: None)


@pytest.mark.parametrize("query", [
    # M2Z is named by M1805's label (an <img> tag) in the bassins, where its ROME code reaches it.
    {"vue": "metiers", "territoire": "bassin:5314", "metier": "famille:M2Z", "indicateur": "tension"},
    {"vue": "classement", "territoire": "bassin:5314", "indicateur": "tension", "secteur": "famille:M2Z",
     "echelle": "fr"},
])
def test_a_family_named_by_hostile_metier_labels_is_shown_as_text(hostile_marts, query):
    test = explorer(query)
    assert not test.exception
    title = test.subheader[0].value
    assert "famille de métiers FAP M2Z" in title and ("&lt;img" in title or "&#60;img" in title)
    text = shown(test).lower()
    assert not any(raw in text for raw in RAW), text
    pick = test.selectbox(key="metier-pick" if query["vue"] == "metiers" else "rank-sector-tension")
    assert any(IMG in option and "(FAP 2009)" in option for option in pick.options)  # plain text, as written
