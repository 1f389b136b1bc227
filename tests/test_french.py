"""French for the room and the screen reader: plain-French help on the words of the zoom."""

from pipelines import glossary
from tests.test_zoom_page import zoom_app


def test_the_metiers_block_explains_tension_rome_and_fap_on_hover(demo_marts):
    test = zoom_app({"secteur": "btp"})
    header = next(header for header in test.header if header.value == "4. Métiers")
    assert header.help == f"{glossary.metiers_help()}\n\n{glossary.tension_help()}"
    for word in ("Tension", "ROME", "FAP", "Manque de main-d'œuvre", "Inadéquation géographique"):
        assert word in header.help
    assert test.selectbox(key="radar-metier").help == glossary.tension_help()
