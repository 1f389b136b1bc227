"""The explorer's "Métiers" and "Classement" views rank a FAP 2009 family's tension (AppTest, on the hand-computed
fixture of tests/warehouse/test_tension_family.py)."""

from tests.pages.test_dashboard import texts
from tests.pages.test_explorer_ranking import explorer
from tests.warehouse.test_tension_family import families  # noqa: F401 (the fixture)


def test_a_family_link_ranks_its_tension_in_the_metiers_view(families):  # noqa: F811
    test = explorer({"vue": "metiers", "territoire": "dep:35", "metier": "famille:B2Z"})
    assert not test.exception
    # No BMO figure for a FAP 2009 family in a FAP 2021 survey: its tension is what the view offers, first.
    assert test.query_params["indicateur"] == "tension"
    assert test.selectbox(key="metier-indicator-famille-departement").options == [
        "Niveau de tension (1 à 5)", "Métiers en tension (classe 4 ou 5)",
        "Classe de tension publiée pour la famille (Dares, 1 à 5)"]
    assert "Famille de métiers FAP B2Z : Maçonnerie (FAP 2009)" in test.selectbox(key="metier-pick").options
    assert test.subheader[0].value.startswith(
        "Niveau de tension (1 à 5) · famille de métiers FAP B2Z : Maçonnerie (FAP 2009) · 2019 : départements")
    body = texts(test)
    # 35 and 44: (5 + 3) / 2 and (4 + 4) / 2; 29: 2.
    assert "Département 35 : 1er ex aequo sur 3 départements (4,00 / 5)" in body
    assert any("moyenne des classes (1 à 5) de ses métiers publiés" in caption.value for caption in test.caption)
    table = test.dataframe[0].value
    assert list(table["Code"]) == ["35", "44", "29"]


def test_the_published_class_of_the_family_in_the_metiers_view(families):  # noqa: F811
    test = explorer({"vue": "metiers", "territoire": "dep:35", "metier": "famille:B2Z",
                     "indicateur": "tension_publiee"})
    assert not test.exception
    body = texts(test)
    assert "Département 35 : 2e sur 2 départements (4 / 5)" in body  # 44: 5 (1st); 29: none published; a class
    assert any("calculée sur la famille entière" in caption.value for caption in test.caption)


def test_the_ranking_view_offers_the_families_for_tension(families):  # noqa: F811
    test = explorer({"vue": "classement", "territoire": "dep:35", "indicateur": "tension", "secteur": "famille:B2Z",
                     "echelle": "fr"})
    assert not test.exception
    options = test.selectbox(key="rank-sector-tension").options
    assert "famille de métiers FAP B2Z : Maçonnerie (FAP 2009)" in options
    assert test.query_params["secteur"] == "famille:B2Z"
    assert "Département 35 : 1er ex aequo sur 3 départements (4,00 / 5)" in texts(test)


def test_the_ranking_view_ranks_the_published_class_once_a_family_is_its_sector(families):  # noqa: F811
    test = explorer({"vue": "classement", "territoire": "dep:35", "indicateur": "tension_publiee",
                     "secteur": "famille:B2Z", "echelle": "fr"})
    assert not test.exception
    assert test.query_params["indicateur"] == "tension_publiee"  # offered, not replaced with a notice
    assert "Classe de tension publiée pour la famille (Dares, 1 à 5)" in test.selectbox(
        key="rank-indicator-departement").options
    # Its sectors are the families that have one: no sector of sectors.toml.
    assert all(option.startswith("famille de métiers FAP") for option in
               test.selectbox(key="rank-sector-tension_publiee").options)
    assert "Département 35 : 2e sur 2 départements (4 / 5)" in texts(test)
    assert any("calculée sur la famille entière" in caption.value for caption in test.caption)
