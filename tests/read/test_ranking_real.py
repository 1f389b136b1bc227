"""Conformance of the ranking on the real BMO 2024 workbook (REAL_DATA_DIR): the ranks read.ranking computes from
the marts equal those computed here with pandas straight from the publisher's file."""

import pandas as pd
import pytest

from pipelines.read import ranking
from tests.conftest import real_file
from tests.test_real_data import real, real_marts  # noqa: F401 (the fixtures: real BMO 2024 and zonings built)


@pytest.fixture(scope="module")
def bmo_2024() -> pd.DataFrame:
    """The real file's rows: bassin, région, projects (NaN where the cell is secret '*')."""
    frame = pd.read_excel(real_file("bmo/Base_open_data_BMO_2024.xlsx"), sheet_name="BMO_2024_open_data",
                          engine="openpyxl", dtype=str)
    return pd.DataFrame({"bassin": frame["BE24"].str.strip().str.zfill(4), "region": frame["REG"].str.strip(),
                         "projects": pd.to_numeric(frame["met"], errors="coerce"),
                         "difficult": pd.to_numeric(frame["xmet"], errors="coerce")})


def test_rennes_among_bretagne_bassins_by_projects(real, bmo_2024):  # noqa: F811
    bretagne = set(bmo_2024.loc[bmo_2024["region"] == "53", "bassin"])
    totals = bmo_2024[bmo_2024["bassin"].isin(bretagne)].groupby("bassin")["projects"].sum(min_count=1)
    rennes = totals["5314"]
    expected_rank = int((totals > rennes).sum()) + 1
    expected_percentile = (totals < rennes).sum() / (totals.notna().sum() - 1)

    result = ranking.rank(real, "projets", "ensemble", "bassin_bmo", "reg:53", 2024)
    place = result.place("5314")
    assert set(result.table["territory_code"]) == bretagne
    assert place["value"] == rennes == 35_276  # the published figure (shared/data/real/README.md)
    assert place["rank"] == expected_rank and place["percentile"] == pytest.approx(expected_percentile)
    assert result.ranked == totals.notna().sum()
    assert dict(zip(result.table["territory_code"], result.table["value"], strict=True)) == pytest.approx(
        totals.to_dict(), nan_ok=True)


def test_the_difficult_share_of_every_bassin_in_france(real, bmo_2024):  # noqa: F811
    published = bmo_2024[bmo_2024["projects"].notna()]
    shares = published.groupby("bassin")["difficult"].sum(min_count=1) / published.groupby("bassin")["projects"].sum()
    result = ranking.rank(real, "part_difficiles", "ensemble", "bassin_bmo", "fr", 2024)
    expected = shares.rank(method="min", ascending=False)
    got = result.table.set_index("territory_code")
    common = expected.dropna().index
    assert len(common) == result.ranked
    assert (got.loc[common, "rank"].astype(int) == expected[common].astype(int)).all()


def test_every_metier_and_family_of_the_real_file_can_be_ranked(real):  # noqa: F811
    # FAP 2021 has codes such as QAX01 (letters in second place): each is a valid métier or family spec.
    specs = [row["spec"] for row in ranking.metier_choices(real)] + [
        spec for spec, _ in ranking.sector_choices(real, "projets")]
    assert "fap:QAX01" in specs and "famille:QAX" in specs
    for spec in specs:
        ranking.parse_sector(spec)
    assert ranking.rank(real, "projets", "famille:QAX", "region", "fr", 2024).ranked > 0
