"""Downloads analysts reuse: shares in % to one decimal, counts as integers, "s" for secret cells, the source,
territory, period and extraction date beside the table, and no formula from a data file."""

import csv
import io
from datetime import UTC, datetime

import openpyxl
import pandas as pd

from pipelines.report import downloads
from pipelines.report.zoom_charts import Chart, Series

HOSTILE = ["=cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0", "+1+1", "-2+3", "\t=1", "\r=1", '=HYPERLINK("x")']


def metiers_chart(labels=("Maçons", "Couvreurs", "Plombiers")) -> Chart:
    return Chart("metiers", "BTP : métiers les plus recherchés, 2025", "barh", "Métier", "Projets de recrutement",
                 "count", list(labels),
                 [Series("Projets de recrutement", [1234.0, None, 17.0], "#000", ["1 234", "s", "17"]),
                  Series("Part jugée difficile", [0.60349, None, None], "#000", ["60,3 %", "s", "n.d."], "share")],
                 "Source : France Travail, enquête BMO 2025 · Bassin d'emploi BMO Rennes (5314)", ["Une note."])


def test_a_chart_table_has_percentages_integers_and_secret_marks():
    table = downloads.chart_table(metiers_chart())
    assert list(table.columns) == ["Métier", "Projets de recrutement", "Part jugée difficile (%)"]
    assert table["Projets de recrutement"].tolist() == [1234, "s", 17]
    assert isinstance(table["Projets de recrutement"][0], int)
    assert table["Part jugée difficile (%)"].tolist() == [60.3, "s", "n.d."]


def test_the_csv_reads_in_a_french_spreadsheet():
    raw = downloads.csv_bytes(downloads.chart_table(metiers_chart()))
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8-sig").splitlines()
    assert raw.count(b"\r\n") == 4
    assert lines == ["Métier;Projets de recrutement;Part jugée difficile (%)", "Maçons;1234;60,3", "Couvreurs;s;s",
                     "Plombiers;17;n.d."]


def test_no_text_cell_becomes_a_formula_and_numbers_stay_numbers():
    table = pd.DataFrame({"Métier": HOSTILE, "Évolution (%)": [-5.5, -2.0, 3.0, 1.0, 0.0, 2.0, 4.0]})
    header, *rows = csv.reader(io.StringIO(downloads.csv_bytes(table).decode("utf-8-sig"), newline=""),
                               delimiter=";")
    assert [row[0] for row in rows] == ["'" + text for text in HOSTILE]  # shown as typed, never run
    assert [row[1] for row in rows][:3] == ["-5,5", "-2,0", "3,0"]  # a negative number is not text: kept
    workbook = openpyxl.load_workbook(io.BytesIO(downloads.xlsx_bytes(table, {"Source": "=1+1"})))
    cells = [row[0] for row in workbook["Données"].iter_rows(min_row=2)]
    # (XML stores a carriage return as a line feed)
    assert [cell.value for cell in cells] == [text.replace("\r", "\n") for text in HOSTILE]
    assert {cell.data_type for cell in cells} == {"s"}
    assert workbook["Source"]["B2"].data_type == "s"
    numbers = [row[1].value for row in workbook["Données"].iter_rows(min_row=2)]
    assert numbers[:2] == [-5.5, -2]


def test_the_xlsx_says_where_its_table_comes_from():
    chart = metiers_chart()
    moment = datetime(2026, 12, 5, 9, 34, tzinfo=UTC)
    about = downloads.chart_about(chart, "Bassin d'emploi BMO Rennes (5314)", now=moment)
    workbook = openpyxl.load_workbook(io.BytesIO(downloads.xlsx_bytes(downloads.chart_table(chart), about)))
    assert workbook.sheetnames == ["Données", "Source"]
    assert [cell.value for cell in workbook["Données"][2]] == ["Maçons", 1234, 60.3]
    provenance = {row[0].value: row[1].value for row in workbook["Source"].iter_rows(min_row=2)}
    assert provenance["Source"] == "France Travail, enquête BMO 2025 · Bassin d'emploi BMO Rennes (5314)"
    assert provenance["Territoire"] == "Bassin d'emploi BMO Rennes (5314)"
    assert provenance["Période"] == "2025"
    assert provenance["Extrait le"] == "5 décembre 2026 à 10 h 34"  # Paris time
    assert "« s » : secret statistique" in provenance["Conventions"]


def test_a_time_series_covers_its_first_to_last_category():
    chart = Chart("emploi", "BTP : salariés, 2006–2022", "line", "Année", "Salariés", "count", [2006, 2014, 2022],
                  [Series("Salariés", [1.0, 2.0, 3.0], "#000")], "Source : Urssaf")
    assert downloads.chart_period(chart) == "2006 à 2022"


def test_a_share_biased_by_secret_cells_says_it_is_a_minimum():
    chart = Chart("difficultes", "Projets jugés difficiles, 2025", "grouped_bar", "Territoire", "Part", "share",
                  ["Rennes", "France"], [Series("Saisonniers", [0.066, 0.2], "#000", ["au moins 6,6 %", "20,0 %"])],
                  "Source : France Travail, enquête BMO 2025")
    table = downloads.chart_table(chart)
    assert table["Saisonniers (%)"].tolist() == [6.6, 20.0]
    assert table["Saisonniers : minimum (cellules secrètes non comptées)"].tolist() == ["oui", "non"]


def test_the_overview_shares_say_which_are_minimums():
    rows = [{"seasonal_share": 0.066, "seasonal_secret_cells": 19, "seasonal_share_is_lower_bound": True},
            {"seasonal_share": None, "seasonal_secret_cells": 2, "seasonal_share_is_lower_bound": False},
            {"seasonal_share": 0.2, "seasonal_secret_cells": 0, "seasonal_share_is_lower_bound": False}]
    assert downloads.share_columns(rows, "seasonal", "Part saisonnière") == {
        "Part saisonnière (%)": [6.6, "s", 20.0],
        "Part saisonnière : minimum (cellules secrètes non comptées)": ["oui", "non", "non"]}
    exact = [row | {"seasonal_share_is_lower_bound": False} for row in rows]
    assert list(downloads.share_columns(exact, "seasonal", "Part saisonnière")) == ["Part saisonnière (%)"]
