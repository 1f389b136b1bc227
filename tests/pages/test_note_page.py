"""The Note mensuelle page (issue 13) with Streamlit's AppTest, on demo marts: this month's preview, the published
editions shown as frozen, the differences between two editions, a damaged archive."""

import base64
import json

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from pipelines import paths
from pipelines.publish import editions as publisher
from pipelines.read import editions as archive
from pipelines.read import marts
from pipelines.read.note import note_figures
from pipelines.report.conventions import DEMO_NOTICE
from pipelines.warehouse import build

SPEC = "epci:243500139"


def page(**query) -> AppTest:
    test = AppTest.from_file(str(paths.ROOT / "dashboard.py"), default_timeout=60)
    for key, value in {"territoire": SPEC, **query}.items():
        test.query_params[key] = value
    test.run()
    test.switch_page("app_pages/note.py").run()
    assert not test.exception
    return test


def shown_note(test: AppTest) -> str:
    """The document the page's frame shows (a data: URL: its own origin, never the app's)."""
    frames = test.get("iframe")
    assert len(frames) == 1
    head, _, data = frames[0].proto.src.partition(",")
    assert head == "data:text/html;charset=utf-8;base64" and not frames[0].proto.srcdoc
    return base64.b64decode(data).decode("utf-8")


def figures(month: str) -> dict:
    with marts.connect() as con:
        return note_figures(con, "epci", "243500139", month)


@pytest.fixture
def two_editions(demo_marts):
    """November and December published from the demo marts, then December revised (its unemployment rate)."""
    publisher.publish(figures("2026-11"), "2026-11")
    publisher.publish(figures("2026-12"), "2026-12")
    revised = figures("2026-12")
    rate = next(series for series in revised["series"] if series["id"] == "taux_chomage")["values"][SPEC]
    rate["value"] = round(rate["value"] + 0.4, 1)
    publisher.publish(revised, "2026-12")
    return archive.editions(SPEC)


def test_without_editions_the_page_previews_this_month_unpublished(demo_marts):
    test = page(mois="2026-12")
    assert test.query_params["vue"] == "apercu"
    info = " ".join(message.value for message in test.info)
    assert "décembre 2026" in info and "non publié" in info
    assert [block.value for block in test.code] == [f"python -m pipelines note --territoire {SPEC} --mois 2026-12"]
    assert any(DEMO_NOTICE in warning.value for warning in test.warning)
    note = shown_note(test)
    assert "Chiffres clés" in note and "Intercommunalité démo d&#x27;Ille-et-Vilaine" in note
    assert "Première note" in note  # nothing published yet: no earlier note to compare with
    assert {button.proto.label for button in test.get("download_button")} == \
        {"Télécharger l'aperçu (PDF)", "Télécharger l'aperçu (HTML)"}
    assert not paths.EDITIONS_DIR.exists()  # a preview publishes nothing


def is_month(text: str) -> bool:
    return len(text) == 7 and text[4] == "-" and text[:4].isdigit() and 1 <= int(text[5:]) <= 12


def test_a_month_the_link_garbles_is_said_and_replaced(demo_marts):
    test = page(vue="apercu", mois="2026-13")
    assert any("Mois « 2026-13 » illisible" in warning.value for warning in test.warning)
    assert is_month(test.query_params["mois"])


def test_the_newest_edition_is_shown_as_frozen_with_its_files(two_editions):
    newest = two_editions[-1]
    assert (newest.month, newest.revision) == ("2026-12", 2)
    test = page()
    # named as the command line names it: the month alone is its latest revision
    assert test.query_params["vue"] == "editions" and test.query_params["edition"] == "2026-12"
    assert shown_note(test) == (newest.folder / "note.html").read_text(encoding="utf-8")
    assert "3 éditions publiées pour ce territoire" in " ".join(caption.value for caption in test.caption)
    assert any(DEMO_NOTICE in warning.value for warning in test.warning)
    labels = {button.proto.label for button in test.get("download_button")}
    assert labels == {"Note (PDF)", "Note (HTML)", "Chiffres (JSON)", "Fichiers sources (JSON)"}


def test_a_link_reopens_an_older_edition_and_a_wrong_one_is_said(two_editions):
    november = two_editions[0]
    test = page(edition="2026-11")
    assert shown_note(test) == (november.folder / "note.html").read_text(encoding="utf-8")
    first_of_december = two_editions[1]
    assert shown_note(page(edition="2026-12r1")) == \
        (first_of_december.folder / "note.html").read_text(encoding="utf-8")
    test = page(edition="2031-01")
    assert any("Édition « 2031-01 » inconnue" in warning.value for warning in test.warning)
    assert test.query_params["edition"] == "2026-12"


def test_the_edition_is_frozen_against_later_builds(two_editions):
    before = (two_editions[-1].folder / "note.html").read_bytes()
    paths.MARTS_DB.unlink()
    build.build(say=lambda message: None)
    assert (two_editions[-1].folder / "note.html").read_bytes() == before
    assert shown_note(page()).encode("utf-8") == before


def test_two_editions_compared_name_the_revised_figure(two_editions):
    test = page(vue="comparer")
    assert not test.info or all("Aucune différence" not in message.value for message in test.info)
    table = test.dataframe[0].value
    assert isinstance(table, pd.DataFrame)
    rows = table.astype(str).agg(" | ".join, axis=1).tolist()
    revised = [row for row in rows if "Taux de chômage" in row]
    assert len(revised) == 1, rows
    assert "+0,4 point" in revised[0]
    meta = json.loads((two_editions[-1].folder / "edition.json").read_text(encoding="utf-8"))
    assert [row["series"] for row in meta["revised"]] == ["taux_chomage"]


def test_a_damaged_edition_is_named_and_the_others_still_listed(two_editions):
    (two_editions[0].folder / "figures.json").write_text("{tronqué", encoding="utf-8")
    test = page()
    assert any("2026-11" in warning.value and "figures.json" in warning.value for warning in test.warning)
    assert shown_note(test) == (two_editions[-1].folder / "note.html").read_text(encoding="utf-8")
    assert "2 éditions publiées" in " ".join(caption.value for caption in test.caption)
