"""Similar territories on the real publisher files (REAL_DATA_DIR): the BMO 2024 workbook for the bassins (no
URSSAF file covers Rennes: the FAP families are the mix), and the URSSAF export of the Seine-Maritime part of the
Rouen zone d'emploi with Insee's EPCI of 2023 (three of its EPCI are whole in it)."""

import duckdb
import pytest

from pipelines.read import similar
from tests.conftest import marts_from, real_file
from tests.similar_world import a38_distances

FILES = ["bmo/Base_open_data_BMO_2024.xlsx", "bmo/bassin_emploi.csv", "insee_ze2020/Communes_to_ZE_2022.xlsx",
         "insee_epci/Intercommunalite_Metropole_au_01-01-2023.xlsx",
         "urssaf/urssaf_commune_ape_ZE2815_Rouen_2006_2022_labels.csv"]


@pytest.fixture(scope="module")
def real_similar(tmp_path_factory):
    files = [real_file(name) for name in FILES]
    with marts_from(tmp_path_factory.mktemp("real-similar"), files) as built:
        con = duckdb.connect(str(built), read_only=True)
        yield con
        con.close()


def test_rennes_bassin_is_compared_on_its_bmo_families(real_similar):
    found = similar.similar(real_similar, "bassin_bmo", "5314")
    assert (found.source, found.year, found.urssaf_gap) == ("bmo", 2024, "absent")
    assert len(found.peers) == 10 and found.compared > 300  # every bassin of France with projects in 2024
    # The same distances from the métier mart, families made here (first 3 characters of the FAP code).
    expected = dict(real_similar.execute("""
        with cells as (
            select territory_code, left(metier_code, 3) as family, sum(coalesce(projects, 0)) as value
            from fct_projects_by_territory_metier_year
            where territory_type = 'bassin_bmo' and year = 2024 group by all),
        totals as (select territory_code, sum(value) as total from cells group by all having total > 0),
        grid as (select territory_code, family from totals, (select distinct family from cells)),
        shares as (
            select territory_code, family, coalesce(cells.value, 0) / totals.total as share
            from grid left join cells using (territory_code, family) join totals using (territory_code)),
        mine as (select family, share from shares where territory_code = '5314')
        select shares.territory_code, sum(abs(shares.share - mine.share))
        from shares join mine using (family) where shares.territory_code <> '5314' group by all""").fetchall())
    assert {peer.code: peer.distance for peer in found.peers} == pytest.approx(
        {peer.code: expected[peer.code] for peer in found.peers})
    assert [peer.distance for peer in found.peers] == pytest.approx(sorted(expected.values())[:10])
    assert all(len(peer.closest) == 3 and len(peer.apart) == 3 for peer in found.peers)


def test_rouen_is_compared_on_its_urssaf_employment_and_its_partial_zone_is_not(real_similar):
    # The file holds the Seine-Maritime part of zone d'emploi 2815 only: a partial sum, no mix of the zone's.
    with pytest.raises(similar.NoMix, match="partie des communes"):
        similar.similar(real_similar, "zone_emploi", "2815")
    found = similar.similar(real_similar, "epci", "200023414")  # Métropole Rouen Normandie: its 71 communes
    assert (found.source, found.year, found.urssaf_gap) == ("urssaf", 2022, None)
    assert found.sections > 30 and found.size > 150_000
    # Its other EPCI with every commune in the file are compared; five with part of their communes in 2022 are not.
    assert (found.compared, found.partial) == (2, 5)
    expected = a38_distances(real_similar, "epci", "200023414", 2022)
    assert {peer.code: peer.distance for peer in found.peers} == pytest.approx(
        {code: expected[code] for code in ("200070449", "247600646")})
