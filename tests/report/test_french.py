"""French for the room and the screen reader: plain-French help on the words of the zoom."""

import pytest

from pipelines.__main__ import main
from pipelines.report import glossary
from tests.pages.test_zoom_page import zoom_app
from tests.test_conventions import ENGLISH


def test_the_metiers_block_explains_tension_rome_and_fap_on_hover(demo_marts):
    test = zoom_app({"secteur": "btp"})
    header = next(header for header in test.header if header.value == "4. Métiers")
    assert header.help == f"{glossary.metiers_help()}\n\n{glossary.tension_help()}"
    for word in ("Tension", "ROME", "FAP", "Manque de main-d'œuvre", "Inadéquation géographique"):
        assert word in header.help
    assert test.selectbox(key="radar-metier").help == glossary.tension_help()


@pytest.mark.parametrize("arguments, said", [
    ([], "arguments obligatoires manquants : commande"),
    (["export", "--sector", "btp"], "arguments obligatoires manquants : --format, --sortie"),
    (["figures", "--format", "xml"], "argument --format : choix 'xml' invalide"),
    (["figures", "--top", "dix"], "argument --nombre : valeur invalide"),
    (["figure"], "choix 'figure' invalide"),
])
def test_the_command_line_refuses_in_french(arguments, said, capsys):
    with pytest.raises(SystemExit) as stop:
        main(arguments)
    error = capsys.readouterr().err
    assert stop.value.code == 2 and said in error and "erreur :" in error
    assert not ENGLISH.search(error.replace("python -m pipelines", "")), error


def test_the_command_line_help_is_in_french(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    shown = capsys.readouterr().out
    assert "afficher cette aide et quitter" in shown and "usage : " in shown and "Zoom secteurs" in shown


def test_the_overview_explains_tension_on_hover(demo_marts):
    from streamlit.testing.v1 import AppTest

    from pipelines import paths

    test = AppTest.from_file(str(paths.ROOT / "dashboard.py"), default_timeout=60).run()
    helped = [element for element in test.markdown if element.value.startswith("**Tension**")]
    assert helped and all(element.help == glossary.tension_help() for element in helped)


def test_the_workshop_explains_the_words_and_the_six_drivers(demo_marts):
    import duckdb

    from pipelines.report.slides import build_slides
    from pipelines.report.zoom import zoom
    from pipelines.report.zoom_charts import zoom_charts

    con = duckdb.connect(str(demo_marts), read_only=True)
    try:
        zoomed = zoom(con, "btp", "bassin_bmo", "5314")
    finally:
        con.close()
    slides = build_slides(zoomed, zoom_charts(zoomed), "https://example.org/zoom")
    assert (slides[1].title, slides[1].lines) == ("Les mots du zoom", glossary.term_lines())
    assert [line.split(" : ")[0] for line in slides[1].lines] == ["Tension", "ROME", "FAP", "BMO"]
    drivers = next(i for i, slide in enumerate(slides) if slide.title == "Les six facteurs de tension")
    assert len(slides[drivers].lines) == 6 and slides[drivers + 1].chart.kind == "radar"


@pytest.mark.parametrize("kind, name, code, noun, of", [
    ("bassin_bmo", "Rennes", "5314", "le bassin d'emploi de Rennes (5314)", "du bassin d'emploi de Rennes (5314)"),
    ("zone_emploi", "Avranches", "2501", "la zone d'emploi d'Avranches (2501)",
     "de la zone d'emploi d'Avranches (2501)"),
    ("epci", "Rennes Métropole", "243500139", "l'EPCI Rennes Métropole (243500139)",
     "de l'EPCI Rennes Métropole (243500139)"),
    ("departement", "Ille-et-Vilaine", "35", "le département Ille-et-Vilaine (35)",
     "du département Ille-et-Vilaine (35)"),
    ("commune", "Iffendic", "35133", "la commune d'Iffendic (35133)", "de la commune d'Iffendic (35133)"),
    ("france", "France", "FR", "la France", "de la France"),
    # A name's own article contracts after "de": du Havre, des Sables-d'Olonne; La keeps it.
    ("bassin_bmo", "Le Havre", "2809", "le bassin d'emploi du Havre (2809)",
     "du bassin d'emploi du Havre (2809)"),
    ("zone_emploi", "Les Sables-d'Olonne", "5213", "la zone d'emploi des Sables-d'Olonne (5213)",
     "de la zone d'emploi des Sables-d'Olonne (5213)"),
    ("commune", "La Rochelle", "17300", "la commune de La Rochelle (17300)", "de la commune de La Rochelle (17300)"),
])
def test_a_territory_named_in_a_sentence_has_its_article_and_elision(kind, name, code, noun, of):
    from pipelines.report.figures import of_noun, territory_noun
    assert territory_noun(kind, name, code) == noun and of_noun(noun) == of


def test_the_specialisation_sentences_name_the_territory_as_a_noun():
    """Not 'Spécialisation de Bassin d'emploi BMO Rennes (5314)', the label of a table used after "de"."""
    from pipelines.read.specialisation import Place
    from pipelines.report import specialisation
    bassin = Place("territoire", "bassin_bmo", ("5314",), ("RENNES",))
    said = specialisation.no_employment_text(bassin, "rien à montrer", 0, [])
    assert said.startswith("Aucun emploi salarié (Urssaf) n'est chargé pour le bassin d'emploi de Rennes (5314) :")
    epci = Place("territoire", "epci", ("243500139",), ("Rennes Métropole",))
    assert specialisation.place_noun(epci) == "l'EPCI Rennes Métropole (243500139)"
    peers = Place("pairs", "bassin_bmo", ("5313", "5316"), ("REDON", "SAINT MALO"))
    assert specialisation.place_noun(peers) == "les territoires pairs (Redon, Saint Malo)"


@pytest.mark.parametrize("name, opening", [("Rennes", "À Rennes"), ("Le Havre", "Au Havre"),
                                           ("Les Sables-d'Olonne", "Aux Sables-d'Olonne"),
                                           ("La Rochelle", "À La Rochelle")])
def test_a_sentence_opens_on_a_commune_with_its_article_contracted(name, opening):
    from pipelines.report.zoom import place_phrase
    assert place_phrase({"type": "commune", "name": name, "code": "99999"}) == opening


def test_the_shift_share_sentence_agrees_with_a_feminine_territory():
    """'la zone d'emploi … a gagné … : +800 au rythme de la France', never "s'il avait suivi" after a feminine
    subject."""
    from pipelines.read.specialisation import Coverage, Place, Shift, ShiftShare
    from pipelines.report import specialisation

    total = Shift("ensemble", "Ensemble", 500, 600, 5000, 5500, 100.0, 50.0, 25.0, 25.0, 0.2, 0.1)
    result = ShiftShare(2019, 2024, [2019, 2024], Place("territoire", "zone_emploi", ("5315",), ("Rennes",)),
                        Place("fr", "france", ("FR",), ("France",)), 0.1, [total], total, Coverage(1, 1),
                        Coverage(1, 1), True)
    said = specialisation.shift_sentence(result)
    assert said.startswith("Entre ") and ", la zone d'emploi de Rennes (5315) a " in said
    assert " au rythme de la France (" in said and "s'il" not in said
