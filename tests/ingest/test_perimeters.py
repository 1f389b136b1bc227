"""A perimeter made in the explorer: its members expanded to communes (read.perimeter), saved beside
data/listes_communes.toml and rebuilt into a territory `liste:CODE` (ingest.perimeters)."""

import fcntl
import os
import tomllib

import pytest

from pipelines import datalock, paths
from pipelines.errors import BuildError
from pipelines.ingest import perimeters
from pipelines.read.perimeter import expand
from pipelines.report import figures
from pipelines.warehouse import build
from tests.conftest import marts
from tests.read.test_compare import compared_world  # noqa: F401 (fixture of most tests here)


def expanded(members):
    con = marts(paths.MARTS_DB)
    try:
        return expand(con, members)
    finally:
        con.close()


@pytest.mark.usefixtures("compared_world")
def test_members_expand_to_their_communes_and_unknown_ones_are_kept():
    found = expanded([("bassin_bmo", "5314"), ("zone_emploi", "5313"), ("commune", "35238"), ("commune", "35999"),
                      ("bassin_bmo", "9999")])
    # bassin 5314 = Cesson-Sévigné and Rennes (BMO 2024 zoning), ze 5313 = Redon; Rennes typed again counts once
    assert [c["commune_code"] for c in found.communes] == ["35051", "35238", "35236", "35999"]
    assert [c["commune_name"] for c in found.communes] == ["Cesson-Sévigné", "Rennes", "Redon", None]
    assert found.communes[1]["via"] == ["bassin:5314", "commune:35238"]
    assert found.unknown_communes == ["35999"] and found.unknown_members == ["bassin:9999"]
    assert [(m["spec"], m["communes"], m["zoning"]) for m in found.members[:2]] == [
        ("bassin:5314", 2, "BMO 2024"), ("ze:5313", 1, "ZE 2020 (COG 2022)")]


@pytest.mark.usefixtures("compared_world")
def test_a_saved_perimeter_is_a_territory_after_the_rebuild():
    done = perimeters.save("Mission locale « Sud »", ["35051", "35238", "35236", "35999"],
                           ["bassin:5314", "commune:35236", "commune:35999"])
    assert (done.code, done.communes, done.replaced) == ("mission-locale-sud", 4, False)
    assert "mission-locale-sud (35999)" in done.result.unknown_list_communes  # the build names it too
    saved = tomllib.loads(paths.PERIMETERS.read_text(encoding="utf-8"))
    assert saved["mission-locale-sud"] == {"nom": "Mission locale « Sud »",
                                           "communes": ["35051", "35238", "35236", "35999"],
                                           "membres": ["bassin:5314", "commune:35236", "commune:35999"]}
    assert "rennes-redon" in paths.COMMUNE_LISTS.read_text(encoding="utf-8")  # the user's own file untouched
    con = marts(paths.MARTS_DB)
    data = figures.key_figures(con, *figures.parse_territory("liste:mission-locale-sud"))
    lists = con.execute("select territory_code from dim_territory where territory_type = 'liste' order by 1").fetchall()
    con.close()
    assert lists == [("mission-locale-sud",), ("rennes-redon",)]
    assert data.territory["name"] == "Mission locale « Sud »" and data.territory["commune_count"] == 4
    btp = data.sectors[0]["employment"]
    # Rennes 120 + Redon 45 (Cesson has no building employer); 3 of its 4 communes have data: a partial sum
    assert btp["employees"] == 165 and btp["partial_coverage"] == "couverture partielle (3 communes sur 4)"


@pytest.mark.usefixtures("compared_world")
def test_a_perimeter_is_replaced_only_when_asked():
    perimeters.save("Sud", ["35238"], ["commune:35238"])
    with pytest.raises(perimeters.PerimeterRefused, match="un périmètre « sud » est déjà enregistré"):
        perimeters.save("SUD", ["35236"], ["commune:35236"])
    assert perimeters.saved()["sud"]["communes"] == ["35238"]
    done = perimeters.save("SUD", ["35236"], ["commune:35236"], replace=True)
    assert done.replaced and perimeters.saved() == {"sud": {"nom": "SUD", "communes": ["35236"],
                                                            "membres": ["commune:35236"]}}


@pytest.mark.usefixtures("compared_world")
@pytest.mark.parametrize(("name", "communes", "said"), [
    ("Rennes Redon", ["35238"], "le code « rennes-redon » est celui d'une liste de listes_communes.toml"),
    ("  ", ["35238"], "donnez un nom"),
    ("Sud", [], "sans commune"),
    ("Sud", ["35238", "3523", "ABC", "352380"], "codes commune illisibles : ABC, 352380"),
])
def test_a_refused_perimeter_writes_nothing(name, communes, said):
    before = paths.MARTS_DB.read_bytes()
    with pytest.raises(perimeters.PerimeterRefused, match=said):
        perimeters.save(name, communes, [])
    assert not paths.PERIMETERS.exists() and paths.MARTS_DB.read_bytes() == before


@pytest.mark.usefixtures("compared_world")
def test_a_failed_build_puts_the_file_back(monkeypatch):
    perimeters.save("Sud", ["35238"], ["commune:35238"])
    before = paths.PERIMETERS.read_bytes()

    def failing(say):
        raise BuildError("contrôles échoués")

    monkeypatch.setattr(build, "build", failing)
    with pytest.raises(BuildError):
        perimeters.save("Nord", ["35051"], ["commune:35051"])
    assert paths.PERIMETERS.read_bytes() == before


@pytest.mark.usefixtures("compared_world")
def test_another_writer_of_data_refuses_the_save_at_once():
    descriptor = os.open(paths.LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)  # another command (import, build…) writes data/
        with pytest.raises(datalock.Held):
            perimeters.save("Sud", ["35238"], ["commune:35238"])
    finally:
        os.close(descriptor)
    assert not paths.PERIMETERS.exists()


@pytest.mark.usefixtures("compared_world")
def test_a_code_in_both_list_files_stops_the_build():
    paths.PERIMETERS.write_text('[rennes-redon]\nnom = "Autre"\ncommunes = ["35238"]\n', encoding="utf-8")
    with pytest.raises(BuildError, match="rennes-redon : code déjà pris par une liste"):
        build.build(say=lambda m: None)


@pytest.mark.parametrize(("name", "code"), [("Mission locale « Rennes Sud » !", "mission-locale-rennes-sud"),
                                            ("Pays de Vitré – Porte de Bretagne", "pays-de-vitre-porte-de-bretagne"),
                                            ("漢字", "perimetre"), ("x" * 200, "x" * 60)])
def test_the_code_of_a_name(name, code):
    assert perimeters.code_for(name) == code


@pytest.mark.usefixtures("compared_world")
def test_the_perimeters_file_is_an_input_of_the_marts():
    assert build.up_to_date()
    paths.PERIMETERS.write_text('[sud]\nnom = "Sud"\ncommunes = ["35238"]\n', encoding="utf-8")
    assert not build.up_to_date()  # `build --if-needed` (make run) rebuilds: the perimeter becomes a territory
    assert build.build(say=lambda m: None).rebuilt == list(build.MARTS)
