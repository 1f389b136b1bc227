"""The wording, table and chart of a ranking (pipelines.report.ranking), on rankings made here by hand."""

import io

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from openpyxl import load_workbook

from pipelines.read.ranking import INDICATORS, Ranking
from pipelines.report import downloads
from pipelines.report import ranking as report


def made(values: list, names: list[str] | None = None, unit: str = "count", secret=None) -> Ranking:
    """A ranking of len(values) communes, ranked as read.ranking ranks them (by hand, in this test's terms)."""
    series = pd.Series(values, dtype=float)
    ranks = series.rank(method="min", ascending=False).astype("Int64")
    ranked = series.notna().sum()
    percentile = (series.rank(method="min") - 1) / (ranked - 1) if ranked > 1 else series * np.nan
    table = pd.DataFrame({
        "territory_code": [f"{35000 + i}" for i in range(len(values))],
        "territory_name": names or [f"Commune {i}" for i in range(len(values))],
        "value": series, "rank": ranks, "tied": series.duplicated(keep=False) & series.notna(),
        "percentile": percentile, "secret": pd.Series(secret or [False] * len(values)) & series.isna(),
        "incomplete": False, "straddles": False, "is_demo": False})
    return Ranking("emploi", unit, "urssaf", "ensemble", "commune", ("departement", "35"), 2024, None, [2024], table,
                   int(ranked), int(table["secret"].sum()), int(series.isna().sum() - table["secret"].sum()), 0,
                   float(series.median()) if ranked else None, False)


def test_ranks_in_french():
    assert [report.rank_text(rank, tied) for rank, tied in ((1, False), (1, True), (2, False), (7, True))] == [
        "1er", "1er ex aequo", "2e", "7e ex aequo"]
    assert report.rank_text(pd.NA) == "—"
    assert report.percentile_text(0.873) == "au-dessus de 87\u202f% des autres"
    assert report.value_text(0.6034, "share") == "60,3\u202f%"
    assert report.value_text(-0.05, "change") == "\u22125,0\u202f%"
    assert report.value_text(None, "count", secret=True) == "s" and report.value_text(float("nan"), "count") == "n.d."


def test_every_indicator_of_the_catalogue_has_its_french_label():
    assert set(report.INDICATOR_LABELS) == set(INDICATORS)


def test_the_place_sentence_and_the_counts():
    ranking = made([10, 30, 30, None, 5], secret=[False, False, False, True, False])
    assert report.place_sentence(ranking, "35001") == "Commune 1 : 1er ex aequo sur 4 communes (30), au-dessus de " \
                                                      "67\u202f% des autres."
    assert report.place_sentence(ranking, "35003") == "Commune 3 : non classé (chiffre secret : s)."
    assert report.place_sentence(ranking, "99999") is None
    assert report.counts_note(ranking).startswith("4 territoires classés ; 1 non classé : chiffre secret")


def test_download_table_rounds_as_the_other_downloads_and_keeps_text_as_text():
    ranking = made([0.12345, None, 0.5], names=["=Lien(1)", "B", "C"], unit="share")
    table = report.download_table(ranking)
    assert list(table["Rang"]) == [2, "n.d.", 1] and list(table["Centile (%)"]) == [0, "n.d.", 100]
    assert list(table[report.value_column(ranking)]) == [12.3, "n.d.", 50.0]
    assert downloads.csv_bytes(table).decode("utf-8-sig").splitlines()[1].startswith("2;non;35000;'=Lien(1);12,3")
    workbook = load_workbook(io.BytesIO(downloads.xlsx_bytes(table, report.about(ranking, "Tous secteurs", "Ille",
                                                                                  "Commune"))))
    assert workbook["Données"]["D2"].data_type == "s" and workbook["Données"]["E2"].value == 12.3
    sources = {row[0]: row[1] for row in workbook["Source"].iter_rows(min_row=2, values_only=True)}
    assert sources["Source"].startswith("Urssaf") and "ex aequo" in sources["Notes"]


def test_the_distribution_marks_the_territory_its_peers_and_the_median_and_escapes_names():
    ranking = made([10, 20, 30, 40], names=["<b>A</b>", "B", "C", "D"])
    figure = report.distribution(ranking, "35000", ["35002"])
    texts = [str(trace.text) for trace in figure.data] + [annotation.text for annotation in figure.layout.annotations]
    assert any("&lt;b&gt;A&lt;/b&gt;" in text for text in texts) and not any("<b>A" in text for text in texts)
    assert [trace.name for trace in figure.data] == ["Territoires", "Territoires proches", "Territoire choisi"]
    assert figure.layout.shapes[0].x0 == 25  # the median, dashed
    assert "médiane : 25" in figure.layout.annotations[0].text


def test_many_territories_are_drawn_as_a_histogram_of_small_size():
    ranking = made(list(range(35_000)))
    figure = report.distribution(ranking, "35010")
    assert isinstance(figure.data[0], go.Bar) and len(figure.data[0].x) == report.HISTOGRAM_BINS
    assert sum(figure.data[0].y) == 35_000 and len(figure.to_json()) < 50_000


def test_the_median_label_sits_inside_the_plot_and_the_axes_make_room_for_their_ticks():
    """Above the plot, the median's label fell on the page's legend (ui.style_figure puts it there); the page's
    narrow margins cut the ticks off unless the axes grow them; ticks written in full, not '35k'."""
    for ranking in (made([10, 20, 30, 40_000]), made(list(range(1_000)))):
        figure = report.distribution(ranking, "35000")
        median = figure.layout.annotations[0]
        assert (median.yref, median.y, median.yanchor) == ("paper", 1, "top")
        assert figure.layout.xaxis.automargin is True and figure.layout.yaxis.automargin is True
        assert figure.layout.xaxis.exponentformat == "none" and figure.layout.xaxis.separatethousands is True
    bars = report.distribution(made(list(range(1_000))), "35000")
    assert bars.layout.yaxis.range[1] >= max(bars.data[0].y) * 1.15  # room for the label above the tallest bar


def test_the_chosen_territory_and_its_peers_sit_on_their_own_dot():
    ranking = made([10, 20, 30, 40])
    figure = report.distribution(ranking, "35002", ["35001"])
    dots, peers, own = figure.data
    assert peers.y[0] == dots.y[1] and own.y[0] == dots.y[2]  # not a second dot beside the territory's own
