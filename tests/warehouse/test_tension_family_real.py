"""Tension by FAP 2009 family on the real DARES files: every family of Ille-et-Vilaine (dép 35) and of the Rennes
bassin (5314) recomputed with pandas from the files themselves, its published "fap 87" class equal to the file's,
its label the DARES correspondence xls's."""

import csv

import duckdb
import pandas as pd
import pytest

from pipelines.read import ranking
from tests.conftest import marts_from, real_file

# bassin_emploi.csv: the communes, so the départements and bassins to rank.
FILES = ("tensions/dares_tensions_2019.csv", "tensions/cities-tension-utf8.csv", "fap_rome/Rome-V3_vers_Fap-2009.xls",
         "bmo/bassin_emploi.csv")


@pytest.fixture(scope="module")
def real(tmp_path_factory):
    with marts_from(tmp_path_factory.mktemp("tensfam"), [real_file(name) for name in FILES]) as built:
        con = duckdb.connect(str(built), read_only=True)
        yield con
        con.close()


def expected(rows: pd.DataFrame, family: pd.Series, tension: str) -> pd.DataFrame:
    """metiers, metiers_in_tension, tension_level by family, from the rows' class column `tension` (blank: n.d.)."""
    classes = pd.to_numeric(rows[tension], errors="coerce")
    frame = pd.DataFrame({"family_code": family, "tension_class": classes})
    return frame.groupby("family_code").agg(
        metiers=("tension_class", "count"),
        metiers_in_tension=("tension_class", lambda c: int((c >= 4).sum())),
        tension_level=("tension_class", "mean"))


def mart(con, territory_type: str, code: str) -> pd.DataFrame:
    return con.execute("""select family_code, metiers, metiers_in_tension, tension_level, published_tension_class
        from fct_tension_by_territory_family_year where territory_type = ? and territory_code = ?""",
                       [territory_type, code]).df().set_index("family_code")


def test_every_family_of_ille_et_vilaine_as_the_2019_file_gives_it(real):
    file = pd.read_csv(real_file("tensions/dares_tensions_2019.csv"), dtype=str, keep_default_na=False)
    dep35 = file[(file["niveau_geo"].str.strip() == "dep") & (file["dep"] == "35")]
    metiers = dep35[dep35["niveau_fap"] == "fap 225"]
    want = expected(metiers, metiers["fap"].str[:3], "Catégorie Tension")
    got = mart(real, "departement", "35")
    assert len(got) == len(want) == 77  # the families the file has in dép 35
    assert (got.loc[want.index, ["metiers", "metiers_in_tension"]].astype(int) == want[
        ["metiers", "metiers_in_tension"]]).all().all()
    assert got.loc[want.index, "tension_level"].to_numpy() == pytest.approx(want["tension_level"].to_numpy(),
                                                                            nan_ok=True)
    # One family by hand, as the file states it: B2Z (second-work builders) in dép 35.
    assert got.loc["B2Z", "metiers"] == want.loc["B2Z", "metiers"] > 0
    # The family's own class is the file's "fap 87" row, blank where the file's is blank.
    published = dep35[dep35["niveau_fap"] == "fap 87"].set_index("fap")["Catégorie Tension"]
    published = pd.to_numeric(published, errors="coerce")
    assert len(published) == 77
    for family_code, value in published.items():
        stored = got.loc[family_code, "published_tension_class"]
        assert (pd.isna(stored) and pd.isna(value)) or stored == value, family_code
    assert published.notna().sum() > 70 and published.isna().any()  # C2Z, F2Z… are blank in the file


def test_every_family_of_the_rennes_bassin_through_the_rome_correspondence(real):
    """The 2021 file's ROME codes of bassin 5314, in their FAP 2009 families by the DARES csv (read with the csv
    module: the same pairs as the xls imported, a test of the source says so); a ROME code counts once a family."""
    with open(real_file("fap_rome/fap225_rome.csv"), encoding="cp1252", newline="") as handle:
        pairs = {(row["Fap"][:3], row["Rome"]) for row in csv.DictReader(handle, delimiter=";")
                 if row["Rome"] not in ("NA", "", None)}
    bridge = pd.DataFrame(sorted(pairs), columns=["family", "ROME"])
    file = pd.read_csv(real_file("tensions/cities-tension-utf8.csv"), sep=";", dtype=str, keep_default_na=False)
    rennes = file[file["cbassin"].str.zfill(4) == "5314"].merge(bridge, on="ROME")
    want = expected(rennes, rennes["family"], "ind_tension_d")
    got = mart(real, "bassin_bmo", "5314")
    assert sorted(got.index) == sorted(want.index) and len(want) > 50
    assert (got.loc[want.index, ["metiers", "metiers_in_tension"]].astype(int) == want[
        ["metiers", "metiers_in_tension"]]).all().all()
    assert got.loc[want.index, "tension_level"].to_numpy() == pytest.approx(want["tension_level"].to_numpy())
    assert got["published_tension_class"].isna().all()  # the 2021 file publishes no family


def test_real_families_are_labelled_from_the_xls_and_ranked(real):
    labels = dict(ranking.sector_choices(real, "tension", "departement"))
    assert labels["famille:A0Z"] == "Agriculteurs, éleveurs, sylviculteurs, bûcherons (FAP 2009)"
    assert labels["famille:G0A"] == "Ouvriers qualifiés de la maintenance (FAP 2009)"
    result = ranking.rank(real, "tension", "famille:B2Z", "bassin_bmo", "fr")
    assert result.place("5314")["value"] == pytest.approx(mart(real, "bassin_bmo", "5314").loc["B2Z", "tension_level"])
    assert result.ranked > 300  # the bassins of the 2021 file with a B2Z métier published
