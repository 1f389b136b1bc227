"""Similar territories (pipelines/read/similar.py) on the hand-checkable world of tests/similar_world.py."""

import duckdb
import pytest

from pipelines.read import similar
from tests.similar_world import a38_distances, write_similar_world


@pytest.fixture
def con(tmp_path):
    connection = duckdb.connect(str(write_similar_world(tmp_path / "similar.duckdb")), read_only=True)
    yield connection
    connection.close()


def test_peers_are_ordered_by_krugman_dissimilarity_then_code(con):
    found = similar.similar(con, "zone_emploi", "0001")
    assert (found.source, found.year, found.urssaf_gap) == ("urssaf", 2024, None)
    assert [peer.code for peer in found.peers] == ["0005", "0002", "0008", "0007", "0003", "0004"]
    assert [peer.distance for peer in found.peers] == pytest.approx([0.0, 0.2, 0.2, 0.4, 0.6, 1.6])
    assert [peer.rank for peer in found.peers] == [1, 2, 3, 4, 5, 6]
    assert [peer.size for peer in found.peers] == [50, 100, 1000, 100, 200, 400]
    assert found.peers[1].name == "Deux" and found.size == 100 and found.sections == 3
    # 0009 has no 2024 figures; 0006 and 0010 sum part of their communes only.
    assert (found.compared, found.partial, found.outside_band) == (6, 2, 0)


def test_count_keeps_the_closest(con):
    assert [peer.code for peer in similar.similar(con, "zone_emploi", "0001", count=2).peers] == ["0005", "0002"]


def test_size_band_keeps_peers_between_half_and_twice_the_size(con):
    found = similar.similar(con, "zone_emploi", "0001", size_factor=2)
    assert [peer.code for peer in found.peers] == ["0005", "0002", "0007", "0003"]  # sizes 50..200
    assert found.outside_band == 2 and found.size_factor == 2
    with pytest.raises(ValueError):
        similar.similar(con, "zone_emploi", "0001", size_factor=1)


def test_three_sections_closest_and_apart(con):
    peers = {peer.code: peer for peer in similar.similar(con, "zone_emploi", "0001").peers}
    far = peers["0004"]  # (0, 0, 1) against (.5, .3, .2): in common JC .2 only; apart JC .8, AZ .5, FZ .3
    assert [s.code for s in far.closest] == ["JC"]
    assert [s.code for s in far.apart] == ["JC", "AZ", "FZ"]
    assert [s.gap for s in far.apart] == pytest.approx([0.8, 0.5, 0.3])
    assert far.apart[0].label == "Informatique" and far.apart[0].share == pytest.approx(0.2)
    assert far.apart[0].peer_share == pytest.approx(1.0)
    two = peers["0002"]  # (.4 .4 .2): common .4 .3 .2; gaps .1 .1 (tie: section order) and 0 (not a gap)
    assert [s.code for s in two.closest] == ["AZ", "FZ", "JC"]
    assert [s.common for s in two.closest] == pytest.approx([0.4, 0.3, 0.2])
    assert [s.code for s in two.apart] == ["AZ", "FZ"]
    three = peers["0003"]  # (.5 0 .5): common AZ .5, JC .2 (FZ: nothing in common)
    assert [s.code for s in three.closest] == ["AZ", "JC"] and [s.code for s in three.apart] == ["FZ", "JC"]
    assert peers["0005"].apart == ()
    # The decomposition: what two mixes share is 1 - distance / 2.
    assert sum(s.common for s in two.closest) == pytest.approx(1 - two.distance / 2)


def test_bmo_families_where_urssaf_is_partial_or_absent(con):
    partial = similar.similar(con, "bassin_bmo", "B001")
    assert (partial.source, partial.year, partial.urssaf_gap, partial.nomenclature) == ("bmo", 2025, "partial",
                                                                                       "FAP 2021")
    # B004's secret family counts as nothing: (2/3, 1/3, 0), 0.2 from B001 as B003 is: tie broken by code.
    assert [(peer.code, round(peer.distance, 9)) for peer in partial.peers] == [("B003", 0.2), ("B004", 0.2),
                                                                                 ("B002", 0.6)]
    assert partial.peers[0].size == 100 and partial.size == 100
    labels = {s.code: s.label for peer in partial.peers for s in peer.closest}
    assert labels["B2X"] == "Ouvriers du bâtiment" and labels["M2X"] is None  # a family without a label
    absent = similar.similar(con, "bassin_bmo", "B004")
    assert absent.urssaf_gap == "absent"
    assert [(p.code, round(p.distance, 9)) for p in absent.peers] == [("B001", 0.2), ("B003", 0.4),
                                                                       ("B002", round(2.2 / 3, 9))]


def test_no_mix_and_no_level_are_refused_in_french(con):
    with pytest.raises(similar.NoMix, match="ze:0010 : pas de profil sectoriel.*partie des communes"):
        similar.similar(con, "zone_emploi", "0010")
    with pytest.raises(LookupError, match="la France n'a pas de territoire de même niveau"):
        similar.similar(con, "france", "FR")
    with pytest.raises(LookupError, match="commune:35238 : pas de comparaison entre communes"):
        similar.similar(con, "commune", "35238")


def test_peer_group_sums_counts_and_takes_the_median_of_shares_and_changes(con):
    group = similar.group_figures(con, "zone_emploi", ["0002", "0003", "0007", "0006", "0002"], ["btp"], None)["btp"]
    # 0006 sums part of its communes: left out, and said.
    assert (group.members, group.employment_members, group.partial_members) == (4, 3, 1)
    assert (group.employees, group.establishments) == (60, 11)
    assert group.share_of_employment == pytest.approx(0.15)  # median of .10 .15 .20
    assert group.employees_change_1y == pytest.approx(0.0)  # median of .05 -.10 .00
    assert group.employees_change_5y == pytest.approx(0.15)  # 0003 has none: median of .20 .10
    assert group.employment_year == 2024 and group.projects is None
    bassins = similar.group_figures(con, "bassin_bmo", ["B002", "B003"], ["btp"], 2025)["btp"]
    assert (bassins.projects, bassins.bmo_members, bassins.bmo_year) == (150, 2, 2025)
    assert bassins.difficult_share == pytest.approx(0.4) and bassins.seasonal_share == pytest.approx(0.2)
    assert bassins.projects_change == pytest.approx(0.2)  # B003 has no change: the median of one value
    assert similar.group_figures(con, "bassin_bmo", ["B002"], ["btp"], 2024)["btp"].projects is None
    assert similar.group_figures(con, "bassin_bmo", [], ["btp"], 2025) == {}


def test_place_figures_are_the_places_own_and_flag_partial_employment(con):
    figures = similar.place_figures(con, [("zone_emploi", "0001"), ("zone_emploi", "0006")], ["btp"], None)
    own = figures[("zone_emploi", "0001")]["btp"]
    assert (own.employees, own.share_of_employment, own.employment_partial, own.members) == (12, 0.12, False, 0)
    assert figures[("zone_emploi", "0006")]["btp"].employment_partial


def test_on_built_marts_the_distance_is_the_sum_of_a38_share_gaps(demo_marts):
    """The same distances, computed another way (SQL over the A38 mart), on marts built from the demo files."""
    with duckdb.connect(str(demo_marts), read_only=True) as con:
        found = similar.similar(con, "zone_emploi", "5315", count=100)
        expected = a38_distances(con, "zone_emploi", "5315", found.year)
        latest = con.execute("select max(year) from fct_employment_by_territory_a38_year").fetchone()[0]
    assert found.source == "urssaf" and found.year == latest and found.sections > 3
    assert {peer.code: peer.distance for peer in found.peers} == pytest.approx(expected)
    assert [peer.distance for peer in found.peers] == sorted(peer.distance for peer in found.peers)
