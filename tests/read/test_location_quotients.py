"""Location quotients and shift-share computed by hand on a small world (tests/warehouse/test_a38_family_marts.py
plus Quimperlé): EPCI 200000001 = Rennes + Cesson-Sévigné, EPCI 200000002 = Redon, France = the four communes."""

from fractions import Fraction

import pytest

from pipelines import paths
from pipelines.ingest import importer
from pipelines.ingest.demo import write_urssaf_csv
from pipelines.read import specialisation
from pipelines.warehouse import build
from tests.conftest import marts, use_data_dir, write_world
from tests.warehouse.test_a38_family_marts import URSSAF

QUIMPERLE = [
    {"region_code": "53", "dept_code": "29", "ze_code": "5314", "epci_code": "", "commune_code": "29233",
     "ape_code": ape, "values": values}
    for ape, values in (("1011Z", {2022: (5, 200), 2023: (5, 180)}), ("5610A", {2022: (6, 60), 2023: (7, 90)}))]
EPCI = ("epci", "200000001")


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    with pytest.MonkeyPatch.context() as monkeypatch:
        root = tmp_path_factory.mktemp("lq")
        (root / "no-demo").mkdir()
        use_data_dir(monkeypatch, root / "data", demo_dir=root / "no-demo")
        from tests.publisher_files import epci_workbook

        importer.import_files([*write_world(root / "dl", years=(2024, 2025)), epci_workbook(root / "dl"),
                               write_urssaf_csv(root / "urssaf.csv", URSSAF + QUIMPERLE, (2022, 2023))])
        build.build(say=lambda m: None)
        connection = marts(paths.MARTS_DB)
        yield connection
        connection.close()


def by_code(rows):
    return {row.code: row for row in rows}


def test_location_quotients_against_france_by_hand(con):
    result = specialisation.location_quotients(con, *EPCI)
    assert (result.year, result.years, result.reference.territory_type) == (2023, [2022, 2023], "france")
    # 2023: the EPCI has FZ 120, JC 470, IZ 10 (600); France FZ 156, JC 470, IZ 100, CA 180 (906).
    sections = by_code(result.details)
    assert sections["JC"].quotient == pytest.approx((470 / 600) / (470 / 906))
    assert (sections["JC"].band, sections["JC"].status) == ("tres_specialise", "ok")
    assert sections["FZ"].quotient == pytest.approx((120 / 600) / (156 / 906)) and sections["FZ"].band == "moyenne"
    assert sections["IZ"].quotient == pytest.approx((10 / 600) / (100 / 906))
    assert sections["IZ"].band == "sous_represente"
    assert (sections["CA"].value, sections["CA"].quotient, sections["CA"].band) == (0, 0.0, "sous_represente")
    assert sections["AZ"].status == "sans_reference" and sections["AZ"].quotient is None
    sectors = by_code(result.sectors)
    assert list(sectors) == ["btp", "numerique", "iaa", "agriculture"]
    assert sectors["btp"].quotient == pytest.approx((120 / 600) / (156 / 906))
    assert sectors["iaa"].reference_value == 180 and sectors["iaa"].quotient == 0


def test_location_quotients_against_the_departement_and_peers(con):
    departement = by_code(specialisation.location_quotients(con, *EPCI, reference="dep").details)
    assert departement["JC"].quotient == pytest.approx((470 / 600) / (470 / 636))  # 35: Rennes, Cesson, Redon
    peers = specialisation.location_quotients(con, *EPCI, reference="pairs", peers=("200000002",))
    assert peers.reference.codes == ("200000002",)
    assert by_code(peers.details)["FZ"].quotient == pytest.approx(0.2)  # Redon: all construction
    assert by_code(peers.details)["JC"].status == "sans_reference"
    with pytest.raises(LookupError, match="pairs inconnus à ce niveau : 999999999"):
        specialisation.location_quotients(con, *EPCI, reference="pairs", peers=("999999999",))
    with pytest.raises(LookupError, match="sans objet"):
        specialisation.location_quotients(con, "region", "53", reference="reg")


def test_bands_on_unrounded_values():
    assert [specialisation.band(q) for q in (1.5000001, 1.5, 1.25, 1.2500001, 0.75, 0.7499999, None)] == [
        "tres_specialise", "specialise", "moyenne", "specialise", "moyenne", "sous_represente", None]


def test_bmo_quotients_use_bmo_shares_only_and_say_secret_cells(con):
    result = specialisation.location_quotients(con, "bassin_bmo", "5314", source="bmo", year=2024)
    families = by_code(result.details)
    # 2024, bassin 5314: B1X 100 of 300 published projects; France (the small world): B1X 117 of 531.
    assert families["B1X"].quotient == pytest.approx((100 / 300) / (117 / 531))
    assert families["J1X"].status == "secret" and families["J1X"].quotient is None  # its only cell is secret
    assert result.coverage.secret_cells == 1
    with pytest.raises(LookupError, match="BMO"):
        specialisation.location_quotients(con, *EPCI, source="bmo")


def test_shift_share_by_hand_sums_exactly_to_the_change(con):
    result = specialisation.shift_share(con, *EPCI)
    assert (result.start_year, result.end_year) == (2022, 2023)
    growth = Fraction(906, 850) - 1  # France: 850 -> 906
    assert result.reference_growth == pytest.approx(float(growth))
    exact = result.exact
    assert exact["FZ"] == (20, 100 * growth, 100 * (Fraction(156, 130) - 1 - growth), 0)
    assert exact["JC"] == (20, 450 * growth, 450 * (Fraction(470, 450) - 1 - growth), 0)
    assert exact["IZ"] == (0, 10 * growth, 10 * (Fraction(100, 70) - 1 - growth), -10 * (Fraction(100, 70) - 1))
    for code, (change, national, mix, local) in exact.items():
        assert national + mix + local == change, code  # exactly, per section and in total
    assert exact["ensemble"][0] == 40 and result.total.change == 40
    assert result.total.national == pytest.approx(560 * float(growth))
    assert sum(row.local for row in result.rows) == pytest.approx(result.total.local)
    assert [row.code for row in result.rows] == ["FZ", "IZ", "JC"]  # sections with jobs in either year
    with pytest.raises(LookupError, match="doit précéder"):
        specialisation.shift_share(con, *EPCI, 2023, 2022)
    with pytest.raises(LookupError, match="année 2019"):
        specialisation.shift_share(con, *EPCI, 2019, 2023)


def test_partial_sums_are_said_never_shown_as_plain_numbers(con):
    """A territory whose communes are not all in the files: its quotients and shift-share figures are marked."""
    from dataclasses import replace

    from pipelines.report import specialisation as report

    partial = specialisation.Coverage(1, 1, communes_with_data=2, commune_count=3)
    shift = replace(specialisation.shift_share(con, *EPCI), coverage=partial)
    shown = report.shift_shown(shift)
    assert all(value.startswith("≈ ") for value in shown["Évolution"])
    assert "Chiffres approchés (≈)" in report.shift_sentence(shift)
    assert any("somme partielle, 2 communes sur 3" in note for note in report.shift_notes(shift))
    quotients = specialisation.location_quotients(con, *EPCI)
    row = replace(by_code(quotients.details)["JC"], status="partiel")
    assert report.quotient_text(row) == "≈ 1,51 (partiel)"
    assert report.quotient_text(replace(row, status="secret", quotient=None)) == "s"
