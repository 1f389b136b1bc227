"""Hostile input to similar territories: odd peer groups and size bands in links, names full of markup, odd
command-line values. Every case answers in French, with a notice, never a traceback."""

import pytest
from streamlit.testing.v1 import AppTest

from app_pages.shared import pairs
from app_pages.shared.ui import URL_NOTICE_ICON
from pipelines import paths
from pipelines.__main__ import main
from pipelines.ingest import importer
from pipelines.warehouse import build
from tests.hostile.markup_files import PLACES, write_markup_files

HOSTILE_PAIRS = {
    "ten-thousand-characters": "5313," * 2_000, "script": "<script>alert(1)</script>,5313",
    "markdown": "[lien](javascript:alert(1)),**5313**", "arabic-indic": "٥٣١٣", "null": "\x00,5313",
    "commas": ",,,,", "spaces": " 5313 , 5316 ", "repeated": ",".join(["5313"] * 50),
}
PAGES = ("app_pages/explorer.py", "app_pages/overview.py", "app_pages/zoom_secteur.py")


def open_link(page: str, query: dict[str, str]) -> AppTest:
    test = AppTest.from_file(str(paths.ROOT / "dashboard.py"), default_timeout=60).run()
    test.switch_page(page)
    test.query_params.clear()
    for name, value in query.items():
        test.query_params[name] = value
    return test.run()


@pytest.mark.parametrize("page_file", PAGES)
@pytest.mark.parametrize("value", HOSTILE_PAIRS.values(), ids=HOSTILE_PAIRS.keys())
def test_a_hostile_peer_group_is_answered_with_a_notice(demo_marts, page_file, value):
    test = open_link(page_file, {"vue": "proches", "territoire": "bassin:5314", "pairs": value, "taille": value[:20]})
    assert not test.exception, [e.message for e in test.exception]
    for notice in (w.value for w in test.warning if w.icon == URL_NOTICE_ICON):
        assert len(notice) < 400 and "<script>" not in notice and "](javascript" not in notice
    if page_file == PAGES[0]:  # the group kept: known bassins only, each once
        kept = test.multiselect(key="similar-pairs-bassin_bmo-5314").value
        assert set(kept) <= {"5313", "5316"} and len(kept) == len(set(kept))


def test_a_group_larger_than_the_limit_is_cut_and_said(demo_marts, monkeypatch):
    monkeypatch.setattr(pairs, "MAX_PAIRS", 2)
    test = open_link(PAGES[0], {"vue": "proches", "territoire": "bassin:5314", "pairs": "5313,5316,5308,5317"})
    assert test.multiselect(key="similar-pairs-bassin_bmo-5314").value == ["5313", "5316"]
    assert any("seuls les 2 premiers sont gardés" in w.value for w in test.warning)


@pytest.fixture
def markup_marts(no_demo, tmp_path):
    for file in write_markup_files(tmp_path / "downloads"):
        importer.import_file(file)
    build.build(say=lambda message: None)
    return paths.MARTS_DB


def test_names_full_of_markup_are_shown_as_text(markup_marts, capsys):
    test = open_link(PAGES[0], {"vue": "proches", "territoire": "bassin:5316", "pairs": "5314"})
    assert not test.exception
    raw = "\n".join([m.value for m in test.markdown] + [s.value for s in test.subheader]
                    + [c.value for c in test.caption])
    assert "<img" not in raw and "<a href" not in raw
    peers = next(grid.value for grid in test.dataframe if "Rang" in grid.value.columns)
    assert any("<img src=x" in name.lower() for name in peers["Territoire"])  # a data grid shows text as it is
    test = open_link(PAGES[0], {"vue": "proches", "territoire": "ze:5315"})
    assert not test.exception
    assert PLACES["ze"] not in "\n".join(s.value for s in test.subheader)  # escaped in the title
    assert main(["similar", "--territory", "ze:5316", "--format", "text"]) == 0
    assert PLACES["ze"] in capsys.readouterr().out  # the terminal shows it as written, inert


@pytest.mark.parametrize("value", ["0", "-2", "nan", "inf", "1e400", "²", "2" * 400, "<b>2</b>"])
def test_a_hostile_size_band_on_the_command_line_is_refused(demo_marts, capsys, value):
    with pytest.raises(SystemExit) as stopped:
        main(["similar", "--territory", "ze:5315", "--taille", value])
    assert stopped.value.code == 2
    error = capsys.readouterr().err
    assert "argument --taille :" in error and "Traceback" not in error
