"""Territory names that look like plotly template fields stay text in the ranking's hovers (issue 12 review)."""

from pipelines.report import ranking as report
from tests.report.test_ranking_report import made

HOSTILE = "%{x} <b>%{customdata}</b> %{y:.2f}"


def test_a_name_holding_template_fields_is_data_not_template():
    figure = report.distribution(made([10, 30, 20], names=["A", HOSTILE, "C"]), chosen="35001")
    for trace in figure.data:
        assert "%{x}" not in (trace.hovertemplate or ""), trace.name
        assert trace.hovertemplate in (None, "%{text}<extra></extra>", "%{customdata}<extra></extra>",
                                       "%{y}<extra></extra>"), trace.hovertemplate
    own = figure.data[-1]
    assert list(own.customdata) == ["%{x} &lt;b&gt;%{customdata}&lt;/b&gt; %{y:.2f} : 30"]
