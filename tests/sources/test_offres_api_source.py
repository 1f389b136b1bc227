"""The France Travail "Offres d'emploi v2" source: saved search responses in both layouts (fictitious offers written
by sources/offres.py's writers), recruiters' contacts never stored, the offers marts and their reader, `fetch`
against the local fault server, and conformance on the real samples (REAL_DATA_DIR)."""

import json
import re
from collections import Counter
from urllib.parse import parse_qs, urlsplit

import duckdb
import pypdfium2 as pdfium
import pytest

from pipelines import paths
from pipelines.ingest import fetch, importer
from pipelines.ingest.demo import write_bassins_csv, write_ze_workbook
from pipelines.read import marts, offers
from pipelines.report import employers
from pipelines.report.downloads import csv_bytes
from pipelines.report.export_html import zoom_pack
from pipelines.report.export_pdf import slides_pdf
from pipelines.report.slides import build_slides
from pipelines.report.zoom import zoom
from pipelines.report.zoom_charts import zoom_charts
from pipelines.sources import offres
from pipelines.sources.offres import offer, write_offers
from pipelines.sources.rome_fap import write_fap225_rome_csv
from pipelines.warehouse import build
from tests.conftest import WORLD_COMMUNES, marts_from, real_file, write_world
from tests.fault_server import FaultServer, Reply

RENNES = ("bassin_bmo", "5314")
# What a recruiter's contact block holds (invented): none of it may reach data/ or an export.
CONTACT = {"nom": "Jeanne Fictive-Exemple", "coordonnees1": "12 rue Imaginaire",
           "courriel": "jeanne.fictive@exemple.fr", "telephone": "02 99 00 11 22",
           "commentaire": "Ou écrire à rh.fictif@exemple.org, tél. +33 6 12 34 56 78"}
PERSONAL = ["Jeanne Fictive", "12 rue Imaginaire", "jeanne.fictive@exemple.fr", "02 99 00 11 22",
            "rh.fictif@exemple.org", "+33 6 12 34 56 78", "agence.fictive@exemple.fr", "06.98.76.54.32",
            "contact@fictif-btp.fr", "+33 (0)6 11 22 33 44", "paul.fictif @ exemple-btp.fr"]


def world_offers() -> list[dict]:
    """Bassin 5314 (Rennes 35238, Cesson-Sévigné 35051): BTP (F1*) 4 offers, 3 open to beginners; one numérique; one
    without a commune and one in Quimperlé (29233, another bassin), outside the territory."""
    return [
        offer("T001", "35238", "F1703", contract="CDI", licence="E", level="6", skills=["Lire un plan", "Maçonner"],
              soft_skills=["Travailler en équipe"], contact=CONTACT,
              agence={"courriel": "agence.fictive@exemple.fr"}),
        offer("T002", "35051", "F1703", contract="MIS", work_study=True, level="5", skills=["Lire un plan"],
              contact=CONTACT,
              description="Postulez au 06.98.76.54.32 ou contact@fictif-btp.fr ; tél : +33 (0)6 11 22 33 44, ou "
                          "paul.fictif @ exemple-btp.fr"),
        offer("T003", "35238", "F1603", contract="CDD", beginners=False, licence="S", level="7", skills=["Souder"],
              created="2025-11-14T08:00:00.000Z"),
        offer("T004", "35238", "F1703", contract="SAI", level="6", soft_skills=["Travailler en équipe"]),
        offer("T005", "35238", "M1805", beginners=False, level="9", skills=["Développer"], contact=CONTACT),
        offer("T006", None, "F1703"),
        offer("T007", "29233", "F1703"),
    ]


@pytest.fixture
def offers_world(no_demo, tmp_path):
    """The small world's communes and bassins, and the ROME codes of our sectors, imported and built."""
    files = write_world(tmp_path / "dl", years=(2024,))
    files.append(write_fap225_rome_csv(tmp_path / "dl" / "fap225_rome.csv", [
        {"fap2009_code": "B2Z40", "rome_code": "F1703", "rome_label": "Maçonnerie"},
        {"fap2009_code": "M2Z90", "rome_code": "M1805", "rome_label": "Études et développement informatique"}]))
    for file in files:
        importer.import_file(file)
    build.build(say=lambda message: None)
    return tmp_path


def every_data_byte() -> bytes:
    return b"".join(path.read_bytes() for path in paths.DATA_DIR.rglob("*") if path.is_file())


def offers_marts_csv() -> bytes:
    with marts.connect() as con:
        return b"".join(csv_bytes(con.execute(f"select * from {name}").df())
                        for name in build.MARTS if "offer" in name)


# --- import ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("layout", ["object", "array"])
def test_both_layouts_import_and_read_one_row_per_offer(no_demo, tmp_path, layout):
    file = write_offers(tmp_path / f"recherche_{layout}.json", world_offers(), layout=layout)
    result = importer.import_file(file)
    assert (result.source, result.rows, result.period, result.status) == ("offres", 7, "2025-11-14", "nouveau")
    table = offres.read(paths.RAW_DIR / "offres" / "2025-11-14" / file.name)
    frame = table.frame.set_index("offer_id")
    assert list(table.frame.columns) == offres.FIELDS
    assert frame.loc["T001", "licence_required"] == "true" and frame.loc["T003", "licence_required"] == "false"
    assert frame.loc["T002", "work_study"] == "true" and frame.loc["T003", "experience_required"] == "E"
    assert list(frame.loc["T001", "skills"]) == ["Lire un plan", "Maçonner"]
    assert frame.loc["T006", "commune_code"] is None or str(frame.loc["T006", "commune_code"]) == "<NA>"


def test_contacts_reach_neither_the_raw_folder_nor_the_marts_nor_an_export(offers_world):
    file = write_offers(offers_world / "recherche.json", world_offers())
    assert all(text.encode() in file.read_bytes() for text in PERSONAL)  # the test file does hold them
    importer.import_file(file)
    build.build(say=lambda message: None)
    stored = paths.RAW_DIR / "offres" / "2025-11-14" / "recherche.json"
    kept = json.loads(stored.read_text(encoding="utf-8"))["resultats"]
    assert [item["id"] for item in kept] == [f"T00{n}" for n in range(1, 8)]
    assert all("contact" not in item for item in kept)
    with marts.connect() as con:
        zoomed = zoom(con, "btp", *RENNES)
    charts = zoom_charts(zoomed)
    slides = build_slides(zoomed, charts, "http://exemple.test/zoom")
    pdf = pdfium.PdfDocument(slides_pdf(slides))
    exports = (zoom_pack(zoomed, charts, slides).encode() + b"".join(csv_bytes(chart.table()) for chart in charts)
               + " ".join(page.get_textpage().get_text_range() for page in pdf).encode())
    assert zoomed.offers["counts"]["offers"] == 4 and b"Ouvert aux d" in exports  # the offers are in the exports
    everything = every_data_byte() + offers_marts_csv() + exports
    assert [text for text in PERSONAL if text.encode() in everything] == []
    assert not list((paths.DATA_DIR).rglob("zoom-import-*"))


def test_a_file_without_personal_data_is_stored_byte_for_byte(no_demo, tmp_path):
    items = [item for item in world_offers() if item["id"] not in ("T001", "T002", "T005")]
    file = write_offers(tmp_path / "sans_contact.json", items, layout="array")
    importer.import_file(file)
    [stored] = (paths.RAW_DIR / "offres").rglob("sans_contact.json")
    assert stored.read_bytes() == file.read_bytes()


def test_the_same_file_twice_is_unchanged_even_when_it_was_cleaned(no_demo, tmp_path):
    file = write_offers(tmp_path / "recherche.json", world_offers())
    assert importer.import_file(file).status == "nouveau"
    assert importer.import_file(file).status == "inchangé"


# --- marts and reader ----------------------------------------------------------------------------------------------


def test_the_marts_give_the_hand_counts_for_a_territory_and_sector(offers_world):
    importer.import_file(write_offers(offers_world / "recherche.json", world_offers()))
    build.build(say=lambda message: None)
    with marts.connect() as con:
        got = offers.offers_snapshot(con, *RENNES, "btp")
        numerique = offers.offers_snapshot(con, *RENNES, "numerique")
        assert offers.offers_snapshot(con, "bassin_bmo", "5319", "numerique") is None
    counts = got["counts"]
    assert str(counts["snapshot_date"]) == "2025-11-14"
    assert (counts["offers"], counts["beginner_offers"], counts["beginner_share"]) == (4, 3, 0.75)
    assert (counts["cdi_offers"], counts["cdd_offers"], counts["temp_agency_offers"], counts["seasonal_offers"],
            counts["other_contract_offers"]) == (1, 1, 1, 1, 0)
    assert (counts["work_study_offers"], counts["licence_required_offers"]) == (1, 1)
    assert [(row["qualification_code"], row["offers"], row["beginner_offers"]) for row in got["levels"]] == [
        ("5", 1, 1), ("6", 2, 2), ("7", 1, 0)]
    assert [(row["skill"], row["offers"]) for row in got["skills"]] == [("Lire un plan", 2), ("Maçonner", 1),
                                                                        ("Souder", 1)]
    assert [(row["skill"], row["offers"]) for row in got["soft_skills"]] == [("Travailler en équipe", 2)]
    assert [(row["rome_code"], row["offers"], row["beginner_offers"]) for row in got["metiers"]] == [
        ("F1703", 3, 3), ("F1603", 1, 0)]
    assert (numerique["counts"]["offers"], numerique["counts"]["beginner_offers"]) == (1, 0)


def test_two_snapshots_are_never_mixed_and_the_latest_is_read(offers_world):
    older = [offer("A1", "35238", "F1703", created="2025-10-01T08:00:00.000Z"),
             offer("A2", "35238", "F1703", beginners=False, created="2025-10-01T09:00:00.000Z")]
    importer.import_file(write_offers(offers_world / "octobre.json", older, layout="array"))
    importer.import_file(write_offers(offers_world / "novembre.json", world_offers()))
    build.build(say=lambda message: None)
    with marts.connect() as con:
        latest = offers.offers_snapshot(con, *RENNES, "btp")
        october = offers.offers_snapshot(con, *RENNES, "btp", snapshot_date="2025-10-01")
    assert (latest["counts"]["offers"], str(latest["counts"]["snapshot_date"])) == (4, "2025-11-14")
    assert (october["counts"]["offers"], october["counts"]["beginner_offers"]) == (2, 1)


def test_an_offer_in_two_pages_of_one_snapshot_counts_once(offers_world):
    items = world_offers()
    importer.import_file(write_offers(offers_world / "page0.json", items[:3]))
    importer.import_file(write_offers(offers_world / "page1.json", items[2:]))
    build.build(say=lambda message: None)
    with marts.connect() as con:
        assert offers.offers_snapshot(con, *RENNES, "btp")["counts"]["offers"] == 4


def test_offers_in_part_of_a_territorys_departements_are_no_figure_of_it(offers_world):
    """A search for Ille-et-Vilaine read for the région (Ille-et-Vilaine and Finistère in this world): its count is
    said partial on the card, in the statement, the slide and the chart (never a slide of its own); the bassin,
    inside the département, is whole. One offer of another sector in Finistère shows the search covered it."""
    in_35 = [item for item in world_offers() if item["id"] != "T007"]
    in_35.append(offer("T008", "35051", "F1603", created="2025-11-14T10:00:00.000Z"))  # a second métier for beginners
    importer.import_file(write_offers(offers_world / "dep35.json", in_35))
    build.build(say=lambda message: None)
    with marts.connect() as con:
        region = zoom(con, "btp", "region", "53")
        bassin = zoom(con, "btp", *RENNES)
    counts = region.offers["counts"]
    assert (counts["offers"], counts["departements_with_offers"], counts["territory_departements"]) == (5, 1, 2)
    partial = "Couverture partielle : offres chargées dans 1 département sur 2 du territoire."
    assert employers.partial_coverage(region.offers) == partial
    assert employers.beginners_statement(region.offers, "du BTP") == \
        f"4 des 5 offres du BTP chargées sont ouvertes aux débutants. {partial}"
    cards = employers.offer_figures(region.offers)
    assert [(card["value"], card["detail"]) for card in cards] == [
        ("couverture partielle", "5 en ligne au 14 novembre 2025, dans 1 département sur 2 du territoire"),
        ("4 sur 5", "expérience non exigée"), ("1 sur 5", "des offres chargées")]  # ratios, no count
    charts = {chart.key: chart for chart in zoom_charts(region)}
    assert charts["debutants"].partial and "(somme partielle)" in charts["debutants"].title
    assert partial in charts["debutants"].notes
    slides = build_slides(region, list(charts.values()))
    [opened] = [slide for slide in slides if slide.title == "Ouvert aux débutants"]
    assert opened.statement.endswith(partial) and opened.lines == []  # no slide of counts
    assert not [slide for slide in slides if slide.chart is charts["debutants"]]
    assert employers.partial_coverage(bassin.offers) is None
    assert [card["value"] for card in employers.offer_figures(bassin.offers)] == ["5", "4 sur 5", "1"]
    assert [slide for slide in build_slides(bassin, zoom_charts(bassin)) if slide.title == "Ouvert aux débutants"
            ][0].lines == employers.offer_lines(bassin.offers)[:2]

    importer.import_file(write_offers(offers_world / "dep29.json", [
        offer("N001", "29233", "M1805", created="2025-11-14T11:00:00.000Z")]))
    build.build(say=lambda message: None)
    with marts.connect() as con:
        region = offers.offers_snapshot(con, "region", "53", "btp")
    assert (region["counts"]["offers"], region["counts"]["departements_with_offers"]) == (5, 2)
    assert employers.partial_coverage(region) is None


def test_a_bassin_reaching_into_another_departement_is_whole_when_the_search_covered_both(offers_world):
    """Bassin 5314 given a commune of Loire-Atlantique (44003), without any offer that day: the search covered
    Loire-Atlantique (an offer in Nantes, another bassin), so the bassin's offers are its figure. Without any offer
    in Loire-Atlantique, they are not."""
    extra = [{**WORLD_COMMUNES[0], "commune_code": "44003", "commune_name": "Ancenis", "dept_code": "44",
              "region_code": "52"},
             {**WORLD_COMMUNES[0], "commune_code": "44109", "commune_name": "Nantes", "bassin_code": "5201",
              "bassin_name": "NANTES", "dept_code": "44", "region_code": "52"}]
    importer.import_file(write_bassins_csv(offers_world / "communes_bassins.csv", WORLD_COMMUNES + extra))
    importer.import_file(write_offers(offers_world / "recherche.json", world_offers()))
    build.build(say=lambda message: None)
    with marts.connect() as con:
        alone = offers.offers_snapshot(con, *RENNES, "btp")
    assert (alone["counts"]["departements_with_offers"], alone["counts"]["territory_departements"]) == (1, 2)
    assert employers.partial_coverage(alone) == \
        "Couverture partielle : offres chargées dans 1 département sur 2 du territoire."
    importer.import_file(write_offers(offers_world / "nantes.json", [
        offer("N002", "44109", "M1805", created="2025-11-14T12:00:00.000Z")]))
    build.build(say=lambda message: None)
    with marts.connect() as con:
        both = offers.offers_snapshot(con, *RENNES, "btp")
    assert (both["counts"]["offers"], both["counts"]["departements_with_offers"]) == (4, 2)
    assert employers.partial_coverage(both) is None


def test_an_offer_in_an_arrondissement_counts_in_the_territories_of_its_commune(no_demo, tmp_path):
    """The API writes the workplace of an offer in Paris, Lyon or Marseille as its arrondissement (75108); the
    zonings list the commune (75056): the offer is counted there, once."""
    paris = {"commune_code": "75056", "commune_name": "Paris", "bassin_code": "1101", "bassin_name": "PARIS",
             "ze_code": "1109", "ze_name": "Paris", "dept_code": "75", "region_code": "11"}
    files = write_world(tmp_path / "dl", years=(2024,))
    write_bassins_csv(tmp_path / "dl" / "communes_bassins.csv", [*WORLD_COMMUNES, paris])  # the world's, with Paris
    write_ze_workbook(tmp_path / "dl" / "ze.xlsx", [*WORLD_COMMUNES, paris])
    files.append(write_fap225_rome_csv(tmp_path / "dl" / "fap225_rome.csv", [
        {"fap2009_code": "B2Z40", "rome_code": "F1703", "rome_label": "Maçonnerie"}]))
    files.append(write_offers(tmp_path / "dl" / "paris.json", [
        offer("P1", "75108", "F1703"), offer("P2", "75056", "F1703", beginners=False), offer("P3", "75120", "F1703"),
        offer("L1", "69383", "F1703")]))
    for file in files:
        importer.import_file(file)
    build.build(say=lambda message: None)
    with marts.connect() as con:
        bassin = offers.offers_snapshot(con, "bassin_bmo", "1101", "btp")["counts"]
        departement = offers.offers_snapshot(con, "departement", "75", "btp")["counts"]
    assert (bassin["offers"], bassin["beginner_offers"]) == (3, 2)
    assert departement["offers"] == 3  # Lyon's 69383 is Lyon's, not Paris's


# --- fetch, against the local fault server -------------------------------------------------------------------------


def page(first: int, count: int, **kind) -> bytes:
    items = [offer(f"F{number:05d}", "35238", "F1703", **kind) for number in range(first, first + count)]
    return json.dumps({"resultats": items, "filtresPossibles": []}).encode()


TOKEN = Reply(200, json.dumps({"access_token": "jeton-de-test", "expires_in": 1499}).encode(),
              {"Content-Type": "application/json"})


@pytest.fixture
def api(offers_world, monkeypatch):
    monkeypatch.setenv("FT_CLIENT_ID", "id-de-test")
    monkeypatch.setenv("FT_CLIENT_SECRET", "secret-de-test-jamais-montre")
    with FaultServer() as server:
        monkeypatch.setattr(offres, "TOKEN_URL", server.url("/token"))
        monkeypatch.setattr(offres, "SEARCH_URL", server.url("/search"))
        server.always("/token", TOKEN)
        yield server


def run(sleeps: list | None = None, messages: list | None = None):
    return fetch.fetch(["offres"], RENNES, say=(messages if messages is not None else []).append,
                       sleep=(sleeps if sleeps is not None else []).append)


def asked(server, name: str) -> list[str]:
    return [parse_qs(urlsplit(seen.path).query).get(name, [""])[0] for seen in server.requests("/search")]


def test_fetch_pages_150_by_150_a_206_then_a_200(api):
    json_type = {"Content-Type": "application/json"}
    api.plan("/search", Reply(206, page(0, 150), {**json_type, "Content-Range": "offres 0-149/320"}),
             Reply(206, page(150, 150), {**json_type, "Content-Range": "offres 150-299/320"}),
             Reply(200, page(300, 20), {**json_type, "Content-Range": "offres 300-319/320"}))
    [outcome] = run()
    assert (outcome.status, outcome.rows) == ("nouveau", 320)
    assert asked(api, "range") == ["0-149", "150-299", "300-449"]
    assert asked(api, "departement") == ["35"] * 3
    assert set(asked(api, "codeROME")[0].split(",")) >= {"F1703", "M1805"}
    assert all(seen.header("Authorization") == "Bearer jeton-de-test" for seen in api.requests("/search"))
    token_request = parse_qs(api.requests("/token")[0].body.decode())
    assert token_request["grant_type"] == ["client_credentials"] and token_request["scope"] == [offres.SCOPE]


def test_fetch_gets_a_new_token_after_a_401(api):
    api.plan("/search", Reply(401, b'{"message": "jeton expir\xc3\xa9"}'), Reply(200, page(0, 3)))
    [outcome] = run()
    assert (outcome.status, outcome.rows) == ("nouveau", 3)
    assert len(api.requests("/token")) == 2 and len(api.requests("/search")) == 2


def test_fetch_waits_as_long_as_retry_after_says_on_a_429(api):
    sleeps = []
    api.plan("/search", Reply(429, b"", {"Retry-After": "7"}), Reply(200, page(0, 2)))
    [outcome] = run(sleeps)
    assert outcome.status == "nouveau" and 7 in sleeps


def test_fetch_stores_no_contact(api):
    api.plan("/search", Reply(200, page(0, 2, contact=CONTACT)))
    [outcome] = run()
    assert outcome.status == "nouveau"
    assert [text for text in PERSONAL if text.encode() in every_data_byte()] == []


def test_without_credentials_the_source_is_ignored_with_a_french_message(api, monkeypatch):
    monkeypatch.delenv("FT_CLIENT_ID")
    monkeypatch.delenv("FT_CLIENT_SECRET")
    [outcome] = run()
    assert outcome.status == "ignoré"
    assert outcome.reason == "FT_CLIENT_ID / FT_CLIENT_SECRET absents : source offres d'emploi ignorée"
    assert api.requests("/search") == [] and api.requests("/token") == []


def test_the_secret_is_never_said_when_the_token_is_refused(api):
    api.plan("/token", Reply(401, b'{"error": "invalid_client"}'))
    messages = []
    [outcome] = run(messages=messages)
    assert outcome.status == "échec" and "jeton refusé" in outcome.reason and "Offres d'emploi v2" in outcome.reason
    assert "secret-de-test-jamais-montre" not in outcome.reason + "".join(messages)


# --- conformance on the real samples -------------------------------------------------------------------------------

PAGES = ("offres_api/derived_offres_2025-11-13_page0_sans_contact.json",
         "offres_api/derived_offres_2025-11-15_page9_sans_contact.json")
DEP35 = "offres_api/derived_offres_2025-11_dep35_sans_contact.json"
EMAIL = re.compile(rb"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


@pytest.mark.parametrize("name", PAGES)
def test_the_real_pages_read_one_row_per_offer(name):
    path = real_file(name)
    document = json.loads(path.read_text(encoding="utf-8"))
    table = offres.read(path)
    assert table.rows == len(document["resultats"]) == 150
    latest = max(max(o["dateCreation"], o["dateActualisation"]) for o in document["resultats"])
    assert table.period == latest[:10]
    beginners = sum(o["experienceExige"] == "D" for o in document["resultats"])
    assert (table.frame["experience_required"] == "D").sum() == beginners


@pytest.fixture(scope="module")
def real(tmp_path_factory):
    files = [real_file("insee_ze2020/Communes_to_ZE_2022.xlsx"), real_file(DEP35), *map(real_file, PAGES)]
    with marts_from(tmp_path_factory.mktemp("real-offres"), files) as built:
        stored = {path.name: path.read_bytes() for path in (paths.RAW_DIR / "offres").rglob("*.json")}
        con = duckdb.connect(str(built), read_only=True)
        yield con, stored
        con.close()


def test_the_real_files_are_stored_without_any_e_mail(real):
    _, stored = real
    assert len(stored) == 3 and all(not EMAIL.search(body) for body in stored.values())


def test_the_real_dep35_sample_gives_its_counts_recomputed_from_the_json(real):
    con, _ = real
    document = json.loads(real_file(DEP35).read_text(encoding="utf-8"))
    dep35 = [o for o in document if o.get("lieuTravail", {}).get("commune", "").startswith("35")]
    snapshot = max(max(o["dateCreation"], o["dateActualisation"]) for o in document)[:10]
    row = offers.offers_snapshot(con, "departement", "35", "ensemble", snapshot_date=snapshot)["counts"]
    contracts = Counter(o["typeContrat"] for o in dep35)
    assert row["offers"] == len(dep35) == 172
    assert row["beginner_offers"] == sum(o["experienceExige"] == "D" for o in dep35) == 87
    assert (row["cdi_offers"], row["temp_agency_offers"], row["cdd_offers"]) == (contracts["CDI"], contracts["MIS"],
                                                                                 contracts["CDD"]) == (72, 79, 14)
    assert row["work_study_offers"] == sum(o["alternance"] for o in dep35) == 2
    assert row["licence_required_offers"] == sum(any(p["exigence"] == "E" for p in o.get("permis", []))
                                                 for o in dep35)
    rennes = offers.offers_snapshot(con, "commune", "35238", "ensemble", snapshot_date=snapshot)["counts"]
    assert (rennes["offers"], rennes["cdi_offers"], rennes["cdd_offers"]) == (18, 15, 3)
    skills = Counter(label for o in dep35 for label in {c["libelle"].strip() for c in o.get("competences", [])})
    top = offers.offers_snapshot(con, "departement", "35", "ensemble", snapshot_date=snapshot, top=1)["skills"]
    assert top[0]["offers"] == max(skills.values())
