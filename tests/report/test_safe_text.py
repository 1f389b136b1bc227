"""Text from a file is text wherever it goes (pipelines.report.safe_text): markdown, HTML, plotly, CSV, PDF."""

import html
import re

import pypdfium2
import pytest

from pipelines.report import safe_text
from pipelines.report.export_html import _figure
from pipelines.report.export_pdf import slides_pdf
from pipelines.report.safe_text import Markup, markdown_text, markup
from pipelines.report.slides import Slide
from pipelines.report.zoom_charts import Chart, Series, to_plotly

HOSTILE = ['Ille<iframe srcdoc="<script>parent.document.title=1337</script>"></iframe>',
           '<a href="https://example.org/x">clic</a>', "**gras** _penché_ ~barré~ `code`",
           "[lien](javascript:alert(1))", "![image](x)", "$x$ et $$y$$", ":red[rouge] :material/home: :smile:",
           "https://example.org www.example.org", "a@example.org", "| a | b |", "&lt;déjà échappé&gt;", "- liste",
           "+ liste", "= titre", "# titre", "12. liste", "    code", "> citation", "ligne\nautre ligne"]


@pytest.mark.parametrize("text", HOSTILE)
def test_markdown_text_leaves_no_markup_and_reads_as_written(text):
    escaped = markdown_text(text)
    # The reader sees the text as written (a line break becomes a space: it would start a block).
    assert html.unescape(escaped) == text.replace("\n", " ")
    bare = re.sub(r"&(#\d+|[a-z]+);", "", escaped)  # what the markdown parser reads as syntax
    assert not set(bare) & set("<>[]*_~`$|&\\@#\"\n"), escaped
    assert not re.match(r"\s|[+=-]|\d+[.)]", escaped) and "://" not in bare and "www." not in bare.lower()
    assert not re.search(r":[\w+/-]+:|:material/", bare)  # no :shortcode: (emoji, :material/icon:)


def test_icon_shortcodes_are_text():
    """Streamlit draws `:material/name:` as an icon: its colon is escaped (and `:material/` alone, which Streamlit
    rewrites before parsing)."""
    assert markdown_text("Maçon :material/dangerous: fin") == "Maçon &#58;material/dangerous: fin"
    assert markdown_text("a :material/ b") == "a &#58;material/ b"


def test_french_text_stays_readable():
    assert markdown_text("Bassin d'emploi BMO Rennes (5314) : 12,5 %") == "Bassin d'emploi BMO Rennes (5314) : 12,5 %"


def test_markup_escapes_values_and_keeps_markup():
    made = markup("<span style='color:{}'>**{}**</span>", "x'><b>", "<b>gras</b>")
    assert made == "<span style='color:x&#x27;&gt;&lt;b&gt;'>**&lt;b&gt;gras&lt;/b&gt;**</span>"
    assert markup("<p>{}</p>", made) == f"<p>{made}</p>"  # Markup is not escaped twice
    assert isinstance(made + "<i>", Markup) and (made + "<i>").endswith("&lt;i&gt;")
    assert ("<i>" + made).startswith("&lt;i&gt;")
    assert Markup().join(["<i>", markup("<b>{}</b>", 1)]) == "&lt;i&gt;<b>1</b>"
    assert safe_text.trusted(made) == str(made)
    with pytest.raises(TypeError):
        safe_text.trusted(f"<b>{'label'}</b>")  # a plain str never reaches unsafe_allow_html
    assert safe_text.css_name("radar-B1X31</style><script>") == "radar-B1X31stylescript"


def test_csv_cells_that_start_a_formula_are_quoted_numbers_stay():
    assert [safe_text.csv_cell(v) for v in ("=1+1", "+1", "-A", "@SUM(1)", "\t=1", "\r=1", "Maçons", -5, 2.5)] == \
        ["'=1+1", "'+1", "'-A", "'@SUM(1)", "'\t=1", "'\r=1", "Maçons", -5, 2.5]


def radar_of(names: list[str]) -> Chart:
    return Chart("radar", "Facteurs", "radar", "Facteur", "Classe", "class", ["a", "b", "c"],
                 [Series(name, [1, 2, 3], "#0072B2") for name in names], "Source : test")


def test_every_text_of_a_plotly_figure_is_escaped():
    line = to_plotly(Chart("emploi-comparaison", "Évolution", "line", "Année", "Indice", "index", [2023, 2024],
                           [Series("<b>Rennes</b>", [100, 101], "#000")], "Source : test"))
    assert line.data[0].name == "&lt;b&gt;Rennes&lt;/b&gt;" and "Rennes" not in line.data[0].hovertemplate
    menu = _figure(radar_of(['<a href="https://example.org">clic</a>', "<b>gras</b>"]))  # the pack's radar menu
    assert [button.label for button in menu.layout.updatemenus[0].buttons] == [
        '&lt;a href="https://example.org"&gt;clic&lt;/a&gt;', "&lt;b&gt;gras&lt;/b&gt;"]
    assert all("<" not in trace.name for trace in menu.data)


def test_the_pdf_draws_dollars_backslashes_and_carets_as_written():
    labels = ["$x$ et 5 $_$", "coût \\ 5 $ ^2 _a"]
    chart = Chart("metiers", "Métiers $_$", "barh", "Métier", "Projets", "count", labels,
                  [Series("Projets", [3, 2], "#0072B2", ["3 $", "2"])], "Source : $test$")
    slides = [Slide("chart", "Métiers $_$", "BTP · $x$", "Source : $test$", chart=chart),
              Slide("lines", "À retenir", "BTP · $x$", "Source : $test$", lines=["5 $_$ ^ \\ fin"])]
    document = pypdfium2.PdfDocument(slides_pdf(slides))
    text = " ".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    text = " ".join(text.split())
    for written in ("$x$ et 5 $_$", "coût \\ 5 $ ^2 _a", "Métiers $_$", "BTP · $x$", "5 $_$ ^ \\ fin"):
        assert written in text, written
