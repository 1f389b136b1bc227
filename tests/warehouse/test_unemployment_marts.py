"""fct_unemployment_by_territory_quarter: published rates as they are, and an EPCI, a bassin or a list of communes
given the rate of the zone d'emploi holding most of its communes, said with that zone and its share."""

import pytest

from pipelines import paths
from pipelines.ingest import importer
from pipelines.ingest.demo import (
    chomage_quarters,
    write_bassins_csv,
    write_chomage_workbook,
    write_epci_workbook,
    write_ze_workbook,
)
from pipelines.warehouse import build
from tests.conftest import marts

QUARTERS = chomage_quarters("2013-T3", "2014-T3")
# (commune, ZE 2020, bassin BMO, EPCI): invented assignments. Bassin 5314 shares its code with ZE 5314 (Quimperlé)
# but its communes are in ZE 5315 (3 of 5) and ZE 5313 (2 of 5): its rate is 5315's, never 5314's.
COMMUNES = [("35238", "5315", "5314", "200000001"), ("35051", "5315", "5314", "200000002"),
            ("35047", "5315", "5314", "200000002"), ("35236", "5313", "5314", "200000001"),
            ("35001", "5313", "5314", "200000002"), ("29233", "5314", "5319", "200000003")]
ZONE_NAMES = {"5315": "Rennes", "5313": "Redon", "5314": "Quimperlé"}
# Fictitious rates; 5313 is blank in its first quarter (not published).
RATES = {"5315": [6.0, 5.8, 5.7, 5.6, 6.1], "5313": [None, 7.0, 7.2, 7.1, 7.5], "5314": [8.0, 8.1, 8.2, 8.3, 8.4]}


def _rows():
    return [{"commune_code": c, "commune_name": f"Commune {c}", "ze_code": z, "ze_name": ZONE_NAMES[z],
             "bassin_code": b, "bassin_name": f"BASSIN {b}", "epci_code": e, "epci_name": f"EPCI {e}",
             "dept_code": c[:2], "region_code": "53"} for c, z, b, e in COMMUNES]


@pytest.fixture
def unemployment(no_demo, tmp_path):
    folder = tmp_path / "dl"
    zones = [{"code": code, "name": ZONE_NAMES[code], "region_code": "53", "region_name": "BRETAGNE",
              "rates": dict(zip(QUARTERS, rates, strict=True))} for code, rates in RATES.items()]
    for file in (write_ze_workbook(folder / "ze.xlsx", _rows()), write_bassins_csv(folder / "bassins.csv", _rows()),
                 write_epci_workbook(folder / "epci.xlsx", _rows()),
                 write_chomage_workbook(folder / "chomage.xlsx", zones, QUARTERS)):
        importer.import_file(file)
    # a list of 4 communes, one unknown to the ZE geography: ZE 5315 holds 2 of its 4 communes
    paths.COMMUNE_LISTS.parent.mkdir(parents=True, exist_ok=True)
    paths.COMMUNE_LISTS.write_text('[ma-liste]\nnom = "Ma liste"\ncommunes = ["35238", "35051", "35236", "35999"]\n',
                                   encoding="utf-8")
    build.build(say=lambda message: None)
    return marts(paths.MARTS_DB)


def _latest(con, territory_type, code):
    return con.execute(
        "select rate, rate_basis, zone_code, zone_name, zone_communes, territory_communes, zone_share, zone_tied, "
        "quarter from fct_unemployment_by_territory_quarter "
        "where territory_type = ? and territory_code = ? and is_latest_period", [territory_type, code]).fetchone()


def test_a_bassin_gets_the_rate_of_the_zone_holding_most_of_its_communes_never_the_zone_of_its_code(unemployment):
    # bassin 5314: 3 communes of 5 in ZE 5315 (Rennes), 2 in ZE 5313: Rennes' rate, 3/5 of its communes
    assert _latest(unemployment, "bassin_bmo", "5314") == (6.1, "zone d'emploi majoritaire", "5315", "Rennes", 3, 5,
                                                           0.6, False, "T3 2014")
    assert _latest(unemployment, "zone_emploi", "5314")[0] == 8.4  # Quimperlé's own rate is another zone's
    assert _latest(unemployment, "bassin_bmo", "5319")[:7] == (8.4, "zone d'emploi majoritaire", "5314",
                                                              "Quimperlé", 1, 1, 1.0)


def test_an_epci_tie_goes_to_the_lowest_zone_code_and_says_so(unemployment):
    # EPCI 200000001: 35238 in 5315 and 35236 in 5313, one each: 5313, flagged as a tie
    assert _latest(unemployment, "epci", "200000001")[:8] == (7.5, "zone d'emploi majoritaire", "5313", "Redon", 1,
                                                             2, 0.5, True)
    # EPCI 200000002: 2 communes in 5315, 1 in 5313: no tie
    assert _latest(unemployment, "epci", "200000002")[2:8] == ("5315", "Rennes", 2, 3, 2 / 3, False)


def test_a_list_counts_its_unknown_communes_as_outside_the_zone(unemployment):
    assert _latest(unemployment, "liste", "ma-liste")[:7] == (6.1, "zone d'emploi majoritaire", "5315", "Rennes", 2,
                                                              4, 0.5)


def test_published_rates_stay_as_published_blank_as_null_and_changes_in_points(unemployment):
    rows = unemployment.execute(
        "select quarter, rate, rate_change_1y, rate_basis from fct_unemployment_by_territory_quarter "
        "where territory_type = 'zone_emploi' and territory_code = '5313' order by period").fetchall()
    assert rows[0] == ("T3 2013", None, None, "publié")  # not published: NULL, never 0
    assert rows[-1][:3] == ("T3 2014", 7.5, None)  # a year before was not published: no change
    rennes = unemployment.execute(
        "select rate, rate_change_1y from fct_unemployment_by_territory_quarter "
        "where territory_type = 'zone_emploi' and territory_code = '5315' and is_latest_period").fetchone()
    assert rennes == (6.1, 0.1)  # 6.1 - 6.0 points, no float noise
    # a département has no rate of its own in this edition: none is made from its zones
    assert unemployment.execute("select count(*) from fct_unemployment_by_territory_quarter "
                                "where territory_type in ('departement', 'region')").fetchone() == (0,)
    # no rate of a derived territory differs from its zone's rate in the same quarter (never averaged)
    assert unemployment.execute("""
        select count(*) from fct_unemployment_by_territory_quarter as derived
        join fct_unemployment_by_territory_quarter as zone
            on zone.territory_type = 'zone_emploi' and zone.territory_code = derived.zone_code
            and zone.period = derived.period
        where derived.rate_basis <> 'publié' and derived.rate is distinct from zone.rate""").fetchone() == (0,)
