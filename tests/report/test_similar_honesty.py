"""The peer comparison writes secret and partial BMO figures as the overview does (issue 12 review), on
tests/similar_world.py with bassin B004's BMO BTP row given secret cells: 10 projects leaving 2 secret cells
out, its difficult share 90 % a lower bound (1 secret cell of difficult projects). B003: 50 projects, 30 %."""

import duckdb
import pytest

from pipelines.read import similar
from pipelines.report import similar as words
from tests.similar_world import write_similar_world


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    path = write_similar_world(tmp_path_factory.mktemp("similar") / "similar.duckdb")
    with duckdb.connect(str(path)) as writer:
        writer.execute("""update fct_projects_by_territory_sector_year set secret_cells = 2,
            difficult_secret_cells = 1, difficult_share_is_lower_bound = true where territory_code = 'B004'""")
    connection = duckdb.connect(str(path), read_only=True)
    yield connection
    connection.close()


def test_a_place_carries_its_secret_cells_and_lower_bounds(con):
    own = similar.place_figures(con, [("bassin_bmo", "B004")], ["btp"], 2025)[("bassin_bmo", "B004")]["btp"]
    assert (own.secret_cells, own.difficult_share_is_lower_bound) == (2, True)
    row = words.comparison_table([("Bassin quatre", own)]).iloc[0]
    assert row["Projets de recrutement"] == "10"  # the overview's way: the published sum, its cells said elsewhere
    assert row["Part jugée difficile"] == "au moins 90,0\u202f%"


def test_a_group_sum_over_members_with_secret_cells_is_approximate(con):
    group = similar.group_figures(con, "bassin_bmo", ["B003", "B004"], ["btp"], 2025)["btp"]
    assert (group.projects, group.secret_members, group.secret_cells) == (60, 1, 2)
    assert group.difficult_share == pytest.approx(0.6) and group.difficult_share_is_lower_bound
    table = words.comparison_table([("Groupe de pairs (2 bassins)", group)])
    assert table.iloc[0]["Projets de recrutement"] == "≈ 60 (1 pair incomplet)"
    assert table.iloc[0]["Part jugée difficile"] == "au moins 60,0\u202f%"
    assert "1 pair avec des cellules secrètes non comptées" in table.iloc[0]["Mode de calcul"]
    download = words.comparison_download([("Groupe", group)])
    assert download.iloc[0]["Projets de recrutement"] == "≈ 60 (1 pair incomplet)"
    clean = similar.group_figures(con, "bassin_bmo", ["B002", "B003"], ["btp"], 2025)["btp"]
    assert words.comparison_table([("Groupe", clean)]).iloc[0]["Projets de recrutement"] == "150"


def test_bmo_mixes_with_secret_cells_are_counted_and_mostly_secret_ones_left_out(tmp_path):
    """Bassins: B004 has 1 secret family cell of 3 (compared, its mix approached); B002 made mostly secret here
    (2 cells of 3): left out. From B001: compared B003 and B004 (B002 out), 1 of them approached."""
    path = write_similar_world(tmp_path / "similar.duckdb")
    with duckdb.connect(str(path)) as writer:
        writer.execute("""update fct_projects_by_territory_family_year set secret_cells = 2
            where territory_code = 'B002' and family_code = 'ensemble'""")
    with duckdb.connect(str(path), read_only=True) as connection:
        result = similar.similar(connection, "bassin_bmo", "B001")
    assert (result.compared, result.secret_mixes, result.mostly_secret, result.own_secret_cells) == (2, 1, 1, 0)
    assert [peer.code for peer in result.peers] == ["B003", "B004"]
    scope = words.scope_text(result)
    assert "dont 1 au profil approché : cellules secrètes BMO comptées pour rien" in scope
    assert "1 bassin d'emploi BMO écarté : plus de la moitié de leurs cellules BMO sont secrètes" in scope
    with duckdb.connect(str(path), read_only=True) as connection:
        own = similar.similar(connection, "bassin_bmo", "B004")
    assert own.own_secret_cells == 1 and "profil du territoire approché : 1 cellule secrète BMO comptée" in \
        words.scope_text(own)
