"""Hostile offers files (written here, in tmp_path): truncated, not UTF-8, too deep, wrong shapes, forged values,
personal data hidden in odd places. Each is refused in French naming the file, or imported without harm."""

import json

import pytest

from pipelines import paths
from pipelines.errors import InputError
from pipelines.ingest import importer
from pipelines.sources import offres
from pipelines.sources.offres import offer, write_offers


def good(**extra) -> dict:
    return offer("H001", "35238", "F1703", **extra)


def refused(path) -> str:
    with pytest.raises(InputError) as caught:
        importer.import_file(path)
    message = str(caught.value)
    assert path.name in message and "Traceback" not in message
    assert not (paths.RAW_DIR / "offres").exists()  # nothing stored
    return message


def test_a_truncated_response_is_refused_saying_where_it_stops(no_demo, tmp_path):
    whole = write_offers(tmp_path / "whole.json", [good()]).read_bytes()
    path = tmp_path / "tronque.json"
    path.write_bytes(whole[: len(whole) // 2])
    assert "JSON illisible ligne" in refused(path)


def test_a_response_in_latin_1_is_refused_as_not_utf8(no_demo, tmp_path):
    path = tmp_path / "latin1.json"
    path.write_bytes(json.dumps({"resultats": [good(intitule="Maçon é")]}, ensure_ascii=False).encode("latin-1"))
    assert "UTF-8" in refused(path)


@pytest.mark.parametrize("depth", [100_000, 990])
def test_a_deeply_nested_offer_is_refused_not_a_crash(no_demo, tmp_path, depth):
    """Too deep for the JSON parser, or parsed but too deep for the walk that removes contacts."""
    path = tmp_path / "profond.json"
    path.write_text('{"resultats": [{"intitule": "x", "id": "1", "romeCode": "F1703", "autre": '
                    + "[" * depth + "]" * depth + "}]}", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        importer.import_file(path)
    assert path.name in str(caught.value) and not (paths.RAW_DIR / "offres").exists()


@pytest.mark.parametrize(("offers", "problem"), [
    ([good(), "pas un objet"], "offre n° 2 : ce n'est pas un objet"),
    ([good(id=None)], "identifiant « id » absent"),
    ([good(), good()], "offre en double : H001"),
    ([good(romeCode="F1703'; drop table raw_offres; --")], "« romeCode » illisible"),
    ([good(lieuTravail={"commune": "../../etc"})], "« commune » illisible"),
    ([good(lieuTravail="Rennes")], "« lieuTravail » n'est pas un objet"),
    ([good(competences="Lire un plan")], "« competences » n'est pas une liste d'objets"),
    ([good(permis=[["B"]])], "« permis » n'est pas une liste d'objets"),
    ([good(alternance="oui")], "« alternance » n'est ni true ni false"),
    ([good(typeContrat={"code": "CDI"})], "« typeContrat » n'est pas un texte"),
    ([good(dateCreation="hier", dateActualisation="hier")], "date « dateCreation » illisible"),
    ([good(dateCreation=None, dateActualisation=None)], "date des offres en ligne inconnue"),
    ([], "aucune offre"),
])
def test_malformed_offers_are_refused_naming_the_problem(no_demo, tmp_path, offers, problem):
    items = [{key: value for key, value in item.items() if value is not None} if isinstance(item, dict) else item
             for item in offers]
    path = tmp_path / "recherche.json"
    path.write_text(json.dumps({"resultats": items, "filtresPossibles": []}, ensure_ascii=False), encoding="utf-8")
    assert problem in refused(path)


def test_a_response_without_offers_list_is_refused(tmp_path):
    path = tmp_path / "sans_liste.json"
    path.write_text('{"resultats": {"intitule": "x"}, "filtresPossibles": []}', encoding="utf-8")
    with pytest.raises(InputError, match="sans liste « resultats »"):
        offres.read(path)


def test_personal_data_hidden_anywhere_in_an_offer_is_never_stored(no_demo, tmp_path):
    hidden = good(description="Envoyez votre CV : marie.fictive@exemple.fr ou 0299001122",
                  entreprise={"nom": "Fictive SARL", "telephone": "02 23 45 67 89",
                              "description": "Tél. 0033 6 11 22 33 44"},
                  competences=[{"libelle": "Répondre au 07-11-22-33-44", "exigence": "E"}],
                  autre={"contact": {"nom": "Paul Fictif"}, "liste": [{"courriel": "cache@exemple.fr"}]})
    path = write_offers(tmp_path / "cache.json", [hidden], layout="array")
    importer.import_file(path)
    [stored] = (paths.RAW_DIR / "offres").rglob("cache.json")
    text = stored.read_text(encoding="utf-8")
    for secret in ("marie.fictive@exemple.fr", "0299001122", "02 23 45 67 89", "0033 6 11 22 33 44",
                   "07-11-22-33-44", "Paul Fictif", "cache@exemple.fr"):
        assert secret not in text
    kept = json.loads(text)[0]
    assert kept["entreprise"]["nom"] == "Fictive SARL" and "[courriel retiré]" in kept["description"]
    assert offres.read(stored).frame.loc[0, "skills"][0] == "Répondre au [téléphone retiré]"


def test_numbers_that_are_not_phone_numbers_are_kept(tmp_path):
    item = good(description="Salaire 1 801,80 euros, 35 heures, code postal 35000, SIRET 12345678901234")
    assert offres.scrubbed(item)["description"] == item["description"]


def test_a_label_a_megabyte_long_is_cut_not_carried_whole(no_demo, tmp_path):
    path = write_offers(tmp_path / "long.json", [good(skills=["x" * 1_000_000])])
    importer.import_file(path)
    [stored] = (paths.RAW_DIR / "offres").rglob("long.json")
    assert len(offres.read(stored).frame.loc[0, "skills"][0]) == 300


def test_other_json_files_are_not_taken_for_offers(tmp_path):
    snapshot = tmp_path / "snapshot.json"
    snapshot.write_text(json.dumps({"format": "zoom-secteurs/france-travail-marche-du-travail", "calls": []}),
                        encoding="utf-8")
    geojson = tmp_path / "communes.geojson"
    geojson.write_text('{"type": "FeatureCollection", "features": []}', encoding="utf-8")
    assert not offres.recognise(snapshot) and not offres.recognise(geojson)
