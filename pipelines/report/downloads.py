"""Tables that leave the dashboard for a spreadsheet: what analysts reuse.

One table per chart, with the values as a spreadsheet should read them: shares in per cent rounded to one
decimal, counts as whole numbers, "s" for a secret cell and "n.d." for a value not published. The CSV is the
bare table (semicolons, decimal commas, UTF-8 with BOM: a French spreadsheet opens it as it is); the XLSX
holds the same table and, on a "Source" sheet, where it comes from: source, territory, period, extraction
date. A text cell is never run as a formula (data is text): prefixed with an apostrophe in the CSV when it would
start one, typed as text in the XLSX.
"""

import io
import math
import re
from datetime import datetime

import pandas as pd

from pipelines.frformat import MISSING, PARIS, SECRET, fmt_datetime
from pipelines.report.figures import LOWER_BOUND
from pipelines.report.safe_text import csv_cell
from pipelines.report.zoom_charts import Chart

CONVENTIONS = ("« s » : secret statistique ; « n.d. » : non disponible ; parts en % arrondies à une décimale ; "
               "sommes des cellules publiées (les cellules secrètes ne sont pas comptées).")
YEAR = re.compile(r"\b(?:19|20)\d{2}\b")


def _number(value, unit: str):
    """A chart value as a spreadsheet reads it: a share in % (one decimal), a count as an integer."""
    if unit == "share":
        return round(value * 100, 1)
    if unit in ("index", "class") and not float(value).is_integer():
        return round(value, 1)
    return int(round(value))


def cell(value, unit: str, secret: bool = False):
    """One value for a spreadsheet: a number (see _number), or "s" (secret) / "n.d." (not published)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return SECRET if secret else MISSING
    return value if isinstance(value, str) else _number(value, unit)


MINIMUM = " : minimum (cellules secrètes non comptées)"  # the column beside a share that may be a lower bound


def share_columns(rows: list[dict], measure: str, name: str) -> dict[str, list]:
    """A BMO share ('difficult', 'seasonal') of rows of the marts for a spreadsheet: '<name> (%)', and beside it,
    when one of them is a lower bound (figures.share_text says 'au moins'), which ones."""
    columns = {f"{name} (%)": [cell(row[f"{measure}_share"], "share", bool(row[f"{measure}_secret_cells"]))
                               for row in rows]}
    if any(row.get(f"{measure}_share_is_lower_bound") for row in rows):
        columns[name + MINIMUM] = ["oui" if row.get(f"{measure}_share_is_lower_bound") else "non" for row in rows]
    return columns


def column_name(name: str, unit: str) -> str:
    return f"{name} (%)" if unit == "share" else name


def chart_table(chart: Chart) -> pd.DataFrame:
    """What the chart draws, one row per category, for a spreadsheet (see the module's docstring)."""
    data = {chart.category_title: [str(category) for category in chart.categories]}
    for series in chart.series:
        unit = chart.unit_of(series)
        labels = series.labels or [None] * len(series.values)
        data[column_name(series.name, unit)] = [cell(value, unit, label == SECRET)
                                                for value, label in zip(series.values, labels, strict=True)]
        if unit == "share" and any(str(label).startswith(LOWER_BOUND) for label in labels):
            # The share counts published cells only: with secret cells in its numerator it is a minimum.
            data[series.name + MINIMUM] = [
                "oui" if str(label).startswith(LOWER_BOUND) else "non" for label in labels]
    return pd.DataFrame(data)


def chart_period(chart: Chart) -> str:
    """The period a chart covers: its first and last categories for a time series, else the year(s) its
    title and source line give (every published figure says its year there)."""
    if chart.category_title in ("Année", "Trimestre") and chart.categories:
        first, last = chart.categories[0], chart.categories[-1]
        return str(first) if first == last else f"{first} à {last}"
    years = sorted(set(YEAR.findall(f"{chart.title} {chart.source}")))
    return ", ".join(years) or MISSING


def extraction_date(now: datetime | None = None) -> str:
    """'5 décembre 2026 à 10 h 34' (Paris time)."""
    return fmt_datetime(now or datetime.now(PARIS))


def chart_about(chart: Chart, territory: str, now: datetime | None = None) -> dict[str, str]:
    """The provenance of a chart's table: the "Source" sheet of its XLSX."""
    return {
        "Titre": chart.title,
        "Source": chart.source.removeprefix("Source : ").removeprefix("Sources : "),
        "Territoire": territory,
        "Période": chart_period(chart),
        "Extrait le": extraction_date(now),
        "Notes": " ".join(chart.notes),
        "Conventions": CONVENTIONS,
    }


def _decimal_comma_or_safe_text(value):
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")  # shares and rounded values: one decimal, a comma
    return csv_cell(value)


def csv_bytes(table: pd.DataFrame) -> bytes:
    """CSV as French spreadsheets expect it: semicolons, decimal commas, CRLF, UTF-8 with BOM; no formula."""
    shown = table.astype(object).map(_decimal_comma_or_safe_text)
    shown.columns = [csv_cell(str(column)) for column in table.columns]
    # CRLF, as spreadsheets write it; a cell holding a line break is then quoted whole.
    return shown.to_csv(index=False, sep=";", lineterminator="\r\n").encode("utf-8-sig")


def xlsx_bytes(table: pd.DataFrame, about: dict[str, str]) -> bytes:
    """The table on a "Données" sheet, its provenance on a "Source" sheet; numbers stay numbers, and every text
    cell is stored as text (openpyxl would store "=…" as a formula)."""
    buffer = io.BytesIO()
    provenance = pd.DataFrame({"Champ": list(about), "Valeur": list(about.values())})
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        table.astype(object).to_excel(writer, sheet_name="Données", index=False)
        provenance.to_excel(writer, sheet_name="Source", index=False)
        for sheet in writer.sheets.values():
            for column in sheet.columns:
                for cell in column:
                    if isinstance(cell.value, str):
                        cell.data_type = "s"
                width = max(len(str(cell.value or "")) for cell in column)
                sheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 10), 80)
    return buffer.getvalue()
