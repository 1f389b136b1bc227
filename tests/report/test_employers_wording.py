"""The words of "Ce que les employeurs attendent" (pipelines.report.employers): the share of offers open to beginners
read aloud, the sentence to remember only from enough offers, the source lines, what is said when a source is
missing; and the block in the zoom, its slides and the offline pack, on the demo marts."""

import pytest

from pipelines.report import employers
from pipelines.report.export_html import zoom_pack
from pipelines.report.slides import build_slides
from pipelines.report.zoom import zoom
from pipelines.report.zoom_charts import zoom_charts
from tests.conftest import marts

BASSIN = "Dans le bassin d'emploi de Rennes"


def offers(total: int, beginners: int, **counts) -> dict:
    zero = {key: 0 for key, _ in employers.CONTRACTS} | {"work_study_offers": 0, "licence_required_offers": 0}
    return {"counts": zero | {"offers": total, "beginner_offers": beginners, "beginner_share": beginners / total,
                              "snapshot_date": "2025-11-15"} | counts,
            "levels": [], "skills": [], "soft_skills": [], "metiers": []}


@pytest.mark.parametrize(("part", "whole", "said"), [
    (0, 28, "aucune"), (1, 28, "moins d'une sur 10"), (2, 28, "1 sur 10"), (11, 28, "4 sur 10"),
    (27, 28, "plus de 9 sur 10"), (26, 28, "9 sur 10"), (28, 28, "toutes"),
    (5, 20, "3 sur 10"), (7, 20, "4 sur 10")])  # halves rounded up, as 25 % and 35 % read
def test_out_of_ten_never_rounds_to_none_or_all(part, whole, said):
    assert employers.out_of_ten(part, whole) == said


def test_the_statement_gives_the_counts_and_the_tenths_only_from_ten_offers():
    assert employers.beginners_statement(offers(28, 11), "du BTP") == \
        "11 des 28 offres du BTP chargées sont ouvertes aux débutants (4 sur 10)."
    assert employers.beginners_statement(offers(10, 6), "du BTP") == \
        "6 des 10 offres du BTP chargées sont ouvertes aux débutants."
    assert employers.beginners_statement(offers(2, 1), "du BTP") == \
        "1 des 2 offres du BTP chargées est ouverte aux débutants."
    assert employers.beginners_statement(offers(5, 0), "du BTP") == \
        "Aucune des 5 offres du BTP chargées n'est ouverte aux débutants."
    assert employers.beginners_statement(offers(1, 1), "du BTP") == \
        "La seule offre du BTP chargée est ouverte aux débutants."


def test_a_sentence_to_remember_needs_ten_offers():
    assert employers.takeaway(offers(9, 6), BASSIN, "du BTP") is None
    assert employers.takeaway(None, BASSIN, "du BTP") is None
    assert employers.takeaway(offers(10, 6), BASSIN, "du BTP") == (
        "Dans le bassin d'emploi de Rennes, parmi les offres du BTP chargées, en ligne au 15 novembre 2025, 6 sur 10 "
        "sont ouvertes aux débutants.")
    assert employers.takeaway(offers(28, 11), BASSIN, "du BTP").endswith(
        "4 sur 10 sont ouvertes aux débutants (11 sur 28).")
    assert "moins d'une sur 10 est ouverte aux débutants (1 sur 40)" in employers.takeaway(offers(40, 1), BASSIN, "")
    assert "1 sur 10 est ouverte aux débutants (2 sur 20)" in employers.takeaway(offers(20, 2), BASSIN, "")
    assert "aucune n'est ouverte aux débutants (0 sur 20)" in employers.takeaway(offers(20, 0), BASSIN, "")
    assert "toutes sont ouvertes aux débutants (20 sur 20)" in employers.takeaway(offers(20, 20), BASSIN, "")


def test_offers_in_part_of_the_territory_make_no_sentence_to_remember():
    partial = offers(28, 11, departements_with_offers=1, territory_departements=4)
    assert employers.partial_coverage(partial) == \
        "Couverture partielle : offres chargées dans 1 département sur 4 du territoire."
    assert not employers.enough_for_takeaway(partial) and employers.takeaway(partial, BASSIN, "du BTP") is None
    whole = offers(28, 11, departements_with_offers=4, territory_departements=4)
    assert employers.partial_coverage(whole) is None and employers.takeaway(whole, BASSIN, "du BTP")
    assert employers.partial_coverage(offers(28, 11, departements_with_offers=3, territory_departements=4)) == \
        "Couverture partielle : offres chargées dans 3 départements sur 4 du territoire."


def test_the_beginners_figure_is_a_share_only_from_ten_offers():
    few = {card["key"]: card for card in employers.offer_figures(offers(3, 1))}
    assert (few["debutants"]["value"], few["debutants"]["detail"]) == ("1 sur 3", "expérience non exigée")
    many = {card["key"]: card for card in employers.offer_figures(offers(28, 11))}
    assert many["debutants"]["value"] == "39\u202f%"
    assert many["debutants"]["detail"] == "11 sur 28 ; expérience non exigée"
    assert (many["offres"]["label"], many["offres"]["detail"]) == ("Offres chargées", "en ligne au 15 novembre 2025")


def test_offer_lines_name_only_the_contracts_present():
    lines = employers.offer_lines(offers(28, 11, cdi_offers=3, temp_agency_offers=25, licence_required_offers=1))
    assert lines == ["Contrats : CDI 3, intérim 25.",
                     "En alternance : 0 ; permis de conduire exigé : 1 (sur 28 offres)."]


@pytest.mark.parametrize(("ranked_by", "year", "said"), [
    ("projects", 2019, "classés par projets de recrutement (enquête BMO 2019"),
    ("tension", 2021, "classés par classe de tension (2021), puis par offres en ligne"),
    ("offers", "2025-11-15", "classés par offres en ligne (au 15 novembre 2025)"),
    ("code", None, "dans l'ordre des codes ROME")])
def test_the_skills_source_says_how_the_metiers_were_ranked(ranked_by, year, said):
    line = employers.skills_source({"version": "v460", "ranked_by": ranked_by, "year": year})
    assert line.startswith("Source : France Travail, ROME 4.0 (version 460) · ") and said in line


def test_missing_sources_say_how_to_load_them():
    assert employers.skills_missing({"skills": "non chargé (à charger : …)"}) == \
        "Compétences des métiers (ROME 4.0) : non chargé (à charger : …)."
    assert employers.offers_missing({}) == "Aucune offre d'emploi de ce secteur chargée pour ce territoire."


def test_the_demo_zoom_has_the_block_its_slides_and_its_place_in_the_pack(demo_marts):
    with marts(demo_marts) as con:
        zoomed = zoom(con, "btp", "bassin_bmo", "5314")
    counts = zoomed.offers["counts"]
    assert counts["offers"] >= employers.TAKEAWAY_OFFERS
    assert zoomed.takeaways[-1] == employers.takeaway(zoomed.offers, "Sur ce territoire", "du BTP")
    assert f"({counts['beginner_offers']} sur {counts['offers']})" in zoomed.takeaways[-1]
    charts = zoom_charts(zoomed)
    slides = build_slides(zoomed, charts, "http://exemple.test/zoom")
    titles = [slide.title for slide in slides]
    skills, beginners = (slides[titles.index(title)] for title in ("Les compétences clés", "Ouvert aux débutants"))
    assert titles.index("Ouvert aux débutants") < titles.index("Métiers du BTP : offres ouvertes aux débutants")
    assert skills.lines == employers.shared_lines(zoomed.skills, employers.SHARED_SHOWN) and skills.lines
    assert skills.source.startswith("Source : France Travail, ROME 4.0") and "fictives" in skills.source
    assert beginners.statement == employers.beginners_statement(zoomed.offers, "du BTP")
    assert "offres en ligne au 13 novembre 2025 chargées" in beginners.source and "fictives" in beginners.source
    remember = slides[titles.index("À retenir")]
    assert "France Travail, offres en ligne au 13 novembre 2025" in remember.source
    pack = zoom_pack(zoomed, charts, slides)
    section = pack[pack.index("<h2>Ce que les employeurs attendent</h2>"):pack.index("<h2>À retenir</h2>")]
    assert "Compétences communes à plusieurs de ces métiers" in section
    assert "Maçonnerie (F1703)" in section and "Monter un mur de parpaings" in section
    assert "ouvertes aux débutants" in section and "moins de 26 ans" in section


def test_the_pack_escapes_skills_and_offers_read_from_files(demo_marts):
    with marts(demo_marts) as con:
        zoomed = zoom(con, "btp", "bassin_bmo", "5314")
    hostile = "<img src=x onerror=alert(1)>"
    zoomed.skills["metiers"][0]["rome_label"] = hostile
    zoomed.skills["shared"][0]["item_label"] = hostile
    zoomed.offers["skills"] = [{"skill": hostile, "offers": 3, "skill_rank": 1}]
    section = employers_section(zoom_pack(zoomed, [], []))
    assert hostile not in section and section.count("&lt;img src=x onerror=alert(1)&gt;") == 3


def test_a_single_metier_slide_names_the_metier_whose_skills_it_lists(demo_marts):
    with marts(demo_marts) as con:
        zoomed = zoom(con, "btp", "bassin_bmo", "5314")
    zoomed.skills["metiers"] = zoomed.skills["metiers"][:1]
    zoomed.skills["shared"] = []
    slides = build_slides(zoomed, zoom_charts(zoomed), "http://exemple.test/zoom")
    [skills] = [slide for slide in slides if slide.title.startswith("Les compétences clés")]
    metier = zoomed.skills["metiers"][0]
    assert skills.title == f"Les compétences clés : {metier['rome_label']}"
    assert skills.lines[0] == f"{metier['savoir_faire'][0]['item_label']} (savoir-faire)"


def employers_section(pack: str) -> str:
    return pack[pack.index("<h2>Ce que les employeurs attendent</h2>"):]
