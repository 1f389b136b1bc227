"""A ranked but incomplete value is never shown plain: map and distribution hovers, the median, the command line
(issue 12 review). Rankings made by hand (tests/report/test_ranking_report.made)."""

from dataclasses import replace

from pipelines.report import ranking as report
from tests.report.test_ranking_report import made


def incomplete_ranking():
    """Communes 35000..35002 valued 10, 30, 20; Commune 1 (30) incomplete: one incomplete among three ranked."""
    ranking = made([10, 30, 20])
    table = ranking.table.assign(incomplete=[False, True, False])
    return replace(ranking, table=table, incomplete=1)


def test_the_map_hover_marks_incomplete_values():
    shown = report.map_table(incomplete_ranking())
    assert list(shown["value_text"]) == ["10", "≈ 30 (incomplet)", "20"]


def test_the_distribution_hovers_mark_incomplete_values_and_the_median_says_it_includes_them():
    figure = report.distribution(incomplete_ranking(), chosen="35001")
    assert "Commune 1 (35001) : ≈ 30 (incomplet)" in list(figure.data[0].text)
    assert list(figure.data[-1].customdata) == ["Commune 1 : ≈ 30 (incomplet)"]
    assert figure.layout.annotations[0].text == "médiane : 20 (y compris 1 chiffre incomplet)"
    plain = report.distribution(made([10, 30, 20]), chosen="35001")
    assert plain.layout.annotations[0].text == "médiane : 20"


def test_the_command_line_ranking_has_the_remark_column():
    lines = report.ranking_lines(incomplete_ranking(), "ensemble", None, None)
    header = next(line for line in lines if line.startswith("Rang"))
    assert header.rstrip().endswith("Remarque")
    assert next(line for line in lines if "Commune 1" in line).rstrip().endswith("chiffre incomplet")
