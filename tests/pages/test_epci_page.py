"""An EPCI opened by its link (?territoire=epci:SIREN) and picked in the page's territory picker."""

from tests.pages.test_dashboard import app, texts


def test_an_epci_link_opens_its_commune_level_figures(demo_marts):
    test = app({"territoire": "epci:243500139"})
    assert not test.exception
    assert test.selectbox(key="territory-level").value == "epci"
    body = texts(test)
    assert "EPCI (intercommunalité) Intercommunalité démo d'Ille-et-Vilaine (243500139)" in body
    assert "un EPCI" in test.info[0].value  # BMO is published by bassin only, said as for a zone d'emploi
    assert not test.metric  # no BMO card
    assert "données de 11 communes sur 11" in body  # the demo's 11 communes of département 35


def test_the_picker_offers_the_epci_level(demo_marts):
    test = app({"territoire": "bassin:5314"})
    assert test.selectbox(key="territory-level").options[-1] == "EPCI (intercommunalité)"
    test.selectbox(key="territory-level").set_value("epci").run()
    assert not test.exception and "EPCI (intercommunalité)" in texts(test)
    assert test.query_params["territoire"] == "epci:243500139"  # the demo's first EPCI by name
