"""Similar territories and the peer group in French (pipelines/report/similar.py), on tests/similar_world.py."""

import duckdb
import pytest

from pipelines.read import similar
from pipelines.read.similar import PlaceFigures
from pipelines.report import similar as words
from tests.similar_world import write_similar_world


@pytest.fixture
def con(tmp_path):
    connection = duckdb.connect(str(write_similar_world(tmp_path / "similar.duckdb")), read_only=True)
    yield connection
    connection.close()


def test_method_states_the_distance_and_the_mix(con):
    found = similar.similar(con, "zone_emploi", "0001", size_factor=2)
    method = words.method_text(found)
    assert "dissimilarité de Krugman" in method and "0 pour une même répartition, 2 pour" in method
    assert "emploi salarié par section d'activité (NAF en 38 postes, A38), Urssaf fin 2024" in method
    assert words.scope_text(found) == (
        "4 territoires retenus parmi 6 zones d'emploi comparées ; taille de la moitié au double de la sienne "
        "(100 salariés, soit de 50 à 200) : 2 en dehors ; 2 zones d'emploi sans comparaison possible : emploi "
        "salarié chargé pour une partie de leurs communes seulement.")
    assert words.LABEL == "Profil proche, pas un classement de performance"
    assert words.LABEL in words.similar_text(found)


def test_bmo_fallback_says_why(con):
    method = words.method_text(similar.similar(con, "bassin_bmo", "B001"))
    assert "projets de recrutement par famille de métiers (FAP, FAP 2021), enquête BMO 2025" in method
    assert "n'y est chargé que pour une partie des communes" in method
    assert "aucun emploi salarié Urssaf n'est chargé" in words.method_text(similar.similar(con, "bassin_bmo", "B004"))


def test_peers_table_names_distance_and_sections(con):
    table = words.peers_table(similar.similar(con, "zone_emploi", "0001"))
    assert list(table["Code"]) == ["0005", "0002", "0008", "0007", "0003", "0004"]
    assert list(table["Distance (dissimilarité de Krugman, 0 à 2)"]) == ["0,000", "0,200", "0,200", "0,400", "0,600",
                                                                         "1,600"]
    far = table.iloc[5]
    assert far["Sections qui rapprochent (part ici / chez le pair)"] == "Informatique (20,0\u202f% / 100,0\u202f%)"
    assert far["Sections qui distinguent (part ici / chez le pair)"] == (
        "Informatique (20,0\u202f% / 100,0\u202f%) ; Agriculture (50,0\u202f% / 0,0\u202f%) ; "
        "Construction (30,0\u202f% / 0,0\u202f%)")
    assert table.iloc[0]["Sections qui distinguent (part ici / chez le pair)"] == "aucune"
    bmo = words.peers_table(similar.similar(con, "bassin_bmo", "B001"))
    assert "famille FAP M2X" in bmo.iloc[0]["Sections qui rapprochent (part ici / chez le pair)"]
    assert "Taille (projets de recrutement)" in bmo.columns


def test_group_row_says_sum_or_median_and_who_is_left_out():
    own = PlaceFigures("btp", employees=12, share_of_employment=0.12)
    partial = PlaceFigures("btp", employees=99, share_of_employment=0.9, employment_partial=True, projects=5)
    group = PlaceFigures("btp", employees=60, establishments=11, share_of_employment=0.15, members=4,
                         employment_members=3, partial_members=1)
    table = words.comparison_table([("Zone test", own), ("Groupe de pairs (4 zones d'emploi)", group),
                                    ("Six", partial)])
    assert list(table["Salariés"]) == ["12", "60", "couverture partielle"]
    assert list(table["Établissements employeurs"]) == ["n.d.", "11", "couverture partielle"]
    assert list(table["Part de l'emploi salarié"]) == ["12,0\u202f%", "15,0\u202f%", "couverture partielle"]
    assert list(table["Projets de recrutement"]) == ["n.d.", "n.d.", "5"]
    assert table.iloc[0]["Mode de calcul"] == "valeur du territoire"
    assert table.iloc[1]["Mode de calcul"] == ("emploi : sommes et médianes de 3 sur 4 ; 1 écarté de l'emploi "
                                               "(couverture partielle)")
    caveat = words.comparison_table([("Zone test", own)], caveat_naf="MSA")
    assert caveat.iloc[0]["Salariés"] == "non représentatif"
    note = words.comparison_note(2024, 2025)
    assert "additionnés" in note and "médiane" in note and "enquête BMO 2025" in note


def test_the_group_table_for_a_spreadsheet_keeps_numbers():
    group = PlaceFigures("btp", employees=60, share_of_employment=0.15, employees_change_1y=-0.0234, members=3,
                         employment_members=3)
    table = words.comparison_download([("Groupe", group), ("Six", PlaceFigures("btp", employment_partial=True))])
    assert list(table["Salariés"]) == [60, "couverture partielle"]
    assert list(table["Part de l'emploi salarié (%)"]) == [15.0, "couverture partielle"]
    assert table["Évolution de l'emploi sur un an (%)"][0] == -2.3
    assert table["Projets de recrutement"][0] == "n.d."


def test_a_peers_detail_says_each_section_in_full(con):
    found = similar.similar(con, "zone_emploi", "0001")
    far = next(peer for peer in found.peers if peer.code == "0004")
    closest, apart = words.peer_detail(found, far)
    assert closest == ["Informatique : 20,0\u202f% ici, 100,0\u202f% chez Quatre (20,0 points en commun)"]
    assert apart[1] == "Agriculture : 50,0\u202f% ici, 0,0\u202f% chez Quatre (écart de 50,0 points)"


def test_the_screen_leaves_out_employment_no_place_has_and_says_why():
    """On the real files: no URSSAF employment for Rennes, its group, département and région; France summed over
    the Rouen zone's communes only. Ten columns of "n.d." would say nothing: they are left out, and said."""
    rennes = PlaceFigures("btp", projects=2828, difficult_share=0.8)
    group = PlaceFigures("btp", projects=23700, members=10, bmo_members=10)
    france = PlaceFigures("btp", employees=16892, employment_partial=True, projects=226770)
    places = [("Bassin d'emploi BMO Rennes", rennes), ("Groupe de pairs (10 bassins d'emploi BMO)", group),
              ("France", france)]
    shown, note = words.comparison_shown(places)
    assert "Salariés" not in shown.columns and "Part de l'emploi salarié" not in shown.columns
    assert list(shown["Projets de recrutement"]) == ["2\u202f828", "23\u202f700", "226\u202f770"]
    assert note == ("Emploi salarié (Urssaf) non chargé pour les lignes « Bassin d'emploi BMO Rennes », « Groupe de "
                    "pairs (10 bassins d'emploi BMO) » ; chargé pour une partie des communes seulement pour la ligne "
                    "« France » : ses colonnes sont omises.")
    # one place with its own employment: every column stays
    whole, none = words.comparison_shown([("Zone test", PlaceFigures("btp", employees=12)), *places])
    assert "Salariés" in whole.columns and none is None
