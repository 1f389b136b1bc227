"""Hostile input to the explorer's "Comparer" and "Créer un périmètre" views: links whose lists hold anything, and
a perimeter's name made of markup, TOML or control characters. Shown as text, saved as text, never run."""

import html
import tomllib

import pytest

from app_pages.shared.ui import URL_NOTICE_ICON
from pipelines import paths
from pipelines.ingest import perimeters
from pipelines.read.compare import compare
from pipelines.report import compare as worded
from pipelines.report.zoom_charts import to_plotly
from tests.conftest import marts
from tests.hostile.test_urls import HOSTILE
from tests.pages.test_compare_view import explorer, notices, param
from tests.read.test_compare import compared_world  # noqa: F401 (the fixture every test here uses)

pytestmark = pytest.mark.usefixtures("compared_world")
MARKUP = '<img src=x onerror=alert(1)>**gras** [lien](javascript:alert(1)) $x$ :material/warning: =1+1'
# A name that would end its TOML string and open a table of its own if written unescaped.
TOML = 'a"b\\c"\n[pirate]\nnom = "x"\ncommunes = ["35238"]\x00\x1b[2J'


# Those of tests/hostile/test_urls.py that a list could hold (the others are numbers gone wrong).
IN_A_LIST = ("script", "superscript-2", "ten-thousand-digits", "null", "percent-null", "spaces")


@pytest.mark.parametrize("value", [HOSTILE[name] for name in IN_A_LIST], ids=IN_A_LIST)
@pytest.mark.parametrize("parameter", ["comparer", "perimetre"])
def test_a_hostile_list_in_a_link_is_named_inert(parameter, value):
    view = "comparer" if parameter == "comparer" else "perimetre"
    test = explorer({"vue": view, parameter: f"bassin:5314,{value}"})
    assert not test.exception, [e.message for e in test.exception]
    said = [w.value for w in test.warning if w.icon == URL_NOTICE_ICON]  # as Streamlit receives them
    for notice in said:
        assert len(notice) < 600 and "<script>" not in notice
    if value.strip("\x00 "):  # a blank part is no territory: nothing to name
        assert said


def test_a_huge_list_in_a_link_is_cut_and_said():
    test = explorer({"vue": "comparer", "comparer": "bassin:5314," * 5000})
    assert not test.exception
    assert any("Lien trop long" in notice for notice in notices(test))
    assert param(test, "comparer") == "bassin:5314"


def test_a_perimeter_named_with_markup_is_shown_and_saved_as_text():
    test = explorer({"vue": "perimetre", "perimetre": "commune:35238,commune:35236", "nom": MARKUP})
    test.button(key="perimeter-save").click().run()
    assert not test.exception
    said = test.success[0].value
    assert "<img" not in said and "](javascript" not in said and ":material/" not in said
    assert MARKUP in html.unescape(said)  # read as written
    code = perimeters.code_for(MARKUP)
    compared = explorer({"vue": "comparer", "comparer": f"liste:{code},bassin:5314"})
    assert not compared.exception and not notices(compared)
    caption = next(c.value for c in compared.caption if "Liste de communes" in html.unescape(c.value))
    assert "<img" not in caption and MARKUP in html.unescape(caption)
    shown = next(m.value for m in compared.markdown if "compare-table" in m.value)  # the HTML table's header
    assert "<img" not in shown and MARKUP in html.unescape(shown)
    # The charts' series are named after it: plotly draws them as text. (Read after the page, which has moved to
    # the rebuilt marts: DuckDB shares one database per path within a process.)
    con = marts(paths.MARTS_DB)
    data = compare(con, [("liste", code), ("bassin_bmo", "5314")])
    con.close()
    assert data.places[0]["name"] == MARKUP
    names = [trace.name for trace in to_plotly(worded.employment_chart(data, "ensemble")).data]
    assert not any("<img" in name for name in names) and any("&lt;img" in name for name in names)
    names = [trace.name for trace in worded.figure(worded.employment_chart(data, "ensemble")).data]
    assert not any("<img" in name for name in names) and any("&lt;img" in name for name in names)


def test_a_name_cannot_write_toml_of_its_own():
    done = perimeters.save(TOML, ["35238"], ["commune:35238"])
    saved = tomllib.loads(paths.PERIMETERS.read_text(encoding="utf-8"))
    assert list(saved) == [done.code]  # no [pirate] table
    assert saved[done.code]["nom"] == perimeters.clean_name(TOML) \
        == 'a"b\\c" [pirate] nom = "x" communes = ["35238"][2J'
    con = marts(paths.MARTS_DB)
    names = con.execute("select territory_name from dim_territory where territory_type = 'liste' "
                        "and territory_code = ?", [done.code]).fetchall()
    con.close()
    assert names == [(saved[done.code]["nom"],)]
