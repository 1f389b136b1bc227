"""Each rule of report/vigilance.py at its threshold: just below, no flag; at it and above, a flag with its figures;
missing or not comparable data, no flag. The figures are variations of tests/note_sample.SAMPLE."""

import pytest

from pipelines.report import vigilance
from tests.note_sample import DEPT, PLACE, sample

NNBSP = "\u202f"


def entry(figures: dict, series_id: str, spec: str = PLACE) -> dict:
    return next(s for s in figures["series"] if s["id"] == series_id)["values"][spec]


def fired(figures: dict, rule: str) -> list[str]:
    return [flag.text for flag in vigilance.flags(figures) if flag.rule == rule]


def sector(figures: dict, code: str) -> dict:
    return next(s for s in figures["sectors"] if s["sector_code"] == code)


def quiet() -> dict:
    """SAMPLE with no rule firing: job seekers A as in the département, the rate up 0.1 point, tension below 4."""
    figures = sample()
    entry(figures, "demandeurs_a")["change_1y"] = entry(figures, "demandeurs_a", DEPT)["change_1y"]
    entry(figures, "taux_chomage")["change_1y"] = 0.1
    for each in figures["sectors"]:
        each["tension_level"] = 3.0
    return figures


def test_the_quiet_sample_fires_no_rule():
    assert vigilance.flags(quiet()) == []


# --- 1. job seekers rising faster than in the département ---------------------------------------------------------
@pytest.mark.parametrize("series_id", ["demandeurs_a", "demandeurs_abc"])
@pytest.mark.parametrize("territory, department, fires", [
    (0.0399, 0.03, False),  # 0.99 point above the département: below the 1-point margin
    (0.03, 0.02, True),  # at the margin (0.03 - 0.02 is 0.00999… in floats: rounded first)
    (0.04, 0.03, True),
    (0.10, 0.02, True),
    (0.009, -0.05, False),  # far above the département, but "stable" (under +1 %) is not a rise
    (0.01, -0.05, True),  # a rise of exactly 1 %
])
def test_job_seekers_rising_faster_than_the_departement(series_id, territory, department, fires):
    figures = quiet()
    entry(figures, series_id)["change_1y"] = territory
    entry(figures, series_id, DEPT)["change_1y"] = department
    assert bool(fired(figures, "demandeurs")) is fires


def test_the_job_seekers_flag_states_the_figures_and_the_margin():
    figures = sample()  # A: +6,1 % against +3,1 % in the département; A, B, C: 0.9 point only
    assert fired(figures, "demandeurs") == [
        f"Dans l'EPCI Agglomération fictive, le nombre de demandeurs d'emploi de catégorie A a augmenté de "
        f"6,1{NNBSP}% en un an (10{NNBSP}400 au T2 2025), contre +3,1{NNBSP}% dans le département Ille-et-Vilaine "
        f"(35) : 3,0 points d'écart."]
    entry(figures, "demandeurs_abc")["change_1y"] = 0.035
    assert "des catégories A, B et C a augmenté de 3,5" in fired(figures, "demandeurs")[1]
    assert "1,5 point d'écart." in fired(figures, "demandeurs")[1]  # French: under 2, singular


@pytest.mark.parametrize("change", [
    lambda f: f["series"][0]["values"].pop(DEPT),  # no département figure
    lambda f: entry(f, "demandeurs_a", DEPT).update(change_1y=None),
    lambda f: entry(f, "demandeurs_a").update(change_1y=None),
    lambda f: f["series"][0]["values"].pop(PLACE),
    lambda f: entry(f, "demandeurs_a", DEPT).update(period="2025-T1"),  # not the same quarter
    lambda f: entry(f, "demandeurs_a").update(partial=True),  # a partial sum of communes is not the territory's
    lambda f: entry(f, "demandeurs_a", DEPT).update(partial=True),
    lambda f: f.update(places=[p for p in f["places"] if p["spec"] == PLACE]),  # no wider place
])
def test_no_job_seekers_flag_without_comparable_figures(change):
    figures = sample()
    assert fired(figures, "demandeurs")
    change(figures)
    assert fired(figures, "demandeurs") == []


def test_a_departement_compares_its_job_seekers_with_its_region():
    figures = sample(territory={"spec": DEPT, "type": "departement", "code": "35", "name": "Ille-et-Vilaine"})
    figures["places"] = figures["places"][1:]
    entry(figures, "demandeurs_a", DEPT)["change_1y"] = 0.05  # région: +2,6 %
    assert fired(figures, "demandeurs")[0].startswith("Dans le département Ille-et-Vilaine (35), le nombre")
    assert "dans la région Bretagne : 2,4 points d'écart." in fired(figures, "demandeurs")[0]


# --- 2. unemployment rate up 0.3 point or more over a year --------------------------------------------------------
@pytest.mark.parametrize("change, fires", [(0.29, False), (0.3, True), (0.300000001, True), (1.2, True),
                                           (-0.5, False), (None, False)])
def test_unemployment_up_three_tenths_of_a_point(change, fires):
    figures = quiet()
    entry(figures, "taux_chomage")["change_1y"] = change
    assert bool(fired(figures, "chomage")) is fires


def test_the_unemployment_flag_names_the_zone_whose_rate_it_is():
    figures = sample()  # +0,4 point, the rate of the zone d'emploi holding 80 % of the communes
    assert fired(figures, "chomage") == [
        f"Le taux de chômage a augmenté de 0,4 point en un an dans la zone d'emploi de Zone fictive (5300), qui "
        f"regroupe 80{NNBSP}% des communes du territoire : 6,1{NNBSP}% au T2 2025, contre 5,7{NNBSP}% au T2 2024."]
    del entry(figures, "taux_chomage")["zone"]
    assert "en un an dans l'EPCI Agglomération fictive :" in fired(figures, "chomage")[0]


def test_no_unemployment_flag_without_the_territory_rate():
    figures = sample()
    del figures["series"][2]["values"][PLACE]
    assert fired(figures, "chomage") == []


# --- 3. share of difficult projects 70 % or more ------------------------------------------------------------------
@pytest.mark.parametrize("share, lower_bound, fires", [
    (0.699, False, False), (0.70, False, True), (0.85, False, True), (None, False, False),
    (0.69, True, False),  # "au moins 69 %": the true share may pass 70 %, or not; nothing is known
    (0.70, True, True),  # "au moins 70 %": it reaches the threshold whatever the secret cells hold
])
def test_a_sector_with_70_percent_of_projects_judged_difficult(share, lower_bound, fires):
    figures = quiet()
    sector(figures, "numerique").update(bmo_year=2025, projects=1250, difficult_share=share,
                                        difficult_share_is_lower_bound=lower_bound)
    assert bool(fired(figures, "difficultes")) is fires


def test_the_difficult_projects_flag_lists_the_sectors_and_says_a_lower_bound():
    figures = quiet()
    sector(figures, "btp").update(bmo_year=2025, projects=1250, difficult_share=0.72,
                                  difficult_share_is_lower_bound=True)
    sector(figures, "iaa").update(bmo_year=2025, projects=1, difficult_share=1.0)
    sector(figures, "numerique").update(bmo_year=2025, projects=300, difficult_share=0.4)
    assert fired(figures, "difficultes") == [
        f"Projets de recrutement jugés difficiles à 70{NNBSP}% ou plus : Bâtiment et travaux publics, au moins "
        f"72,0{NNBSP}% des 1{NNBSP}250 projets de 2025 ; Industrie agroalimentaire, 100,0{NNBSP}% du seul projet de "
        "2025."]


# --- 4. salaried employment falling beyond "stable" ---------------------------------------------------------------
@pytest.mark.parametrize("change, fires", [(-0.0099, False), (-0.01, True), (-0.0100001, True), (-0.08, True),
                                           (0.02, False), (None, False)])
def test_salaried_employment_falling_beyond_stable(change, fires):
    figures = quiet()
    entry(figures, "emploi_salarie")["change_1y"] = change
    assert bool(fired(figures, "emploi")) is fires


def test_the_employment_flag_states_both_years():
    figures = quiet()
    entry(figures, "emploi_salarie").update(value=200790, year_ago_value=207000, change_1y=-0.03)
    assert fired(figures, "emploi") == [
        f"Dans l'EPCI Agglomération fictive, l'emploi salarié a reculé de 3,0{NNBSP}% en un an : 200{NNBSP}790 "
        f"salariés fin 2024, contre 207{NNBSP}000 fin 2023."]


def test_a_partial_sum_of_communes_never_fires_the_employment_rule():
    figures = quiet()
    entry(figures, "emploi_salarie").update(change_1y=-0.2, partial=True)
    assert fired(figures, "emploi") == []
    del figures["series"][3]["values"][PLACE]
    assert fired(figures, "emploi") == []


# --- 5. tension level 4 or more -----------------------------------------------------------------------------------
@pytest.mark.parametrize("level, fires", [(3.99, False), (4.0, True), (4.9, True), (None, False)])
def test_a_sector_in_tension(level, fires):
    figures = quiet()
    sector(figures, "iaa")["tension_level"] = level
    assert bool(fired(figures, "tension")) is fires


def test_a_sub_sector_is_named_on_its_own_in_a_flag():
    figures = quiet()
    sector(figures, "numerique").update(label="dont travaux publics", tension_level=5.0)
    assert fired(figures, "tension")[0].startswith("Secteur en tension (niveau moyen de 4 / 5 ou plus) : Travaux "
                                                   "publics, 5,00 / 5")


def test_the_tension_flag_states_the_level_and_the_metiers():
    figures = quiet()
    sector(figures, "agriculture").update(tension_level=4.5, metiers_in_tension=1, metiers=2)
    assert fired(figures, "tension") == ["Secteur en tension (niveau moyen de 4 / 5 ou plus) : Agriculture, 4,50 / 5 "
                                         "en 2024 (1 métier en tension sur 2)."]
    sector(figures, "btp").update(tension_level=4.0)
    both = fired(figures, "tension")[0]
    assert both.startswith("Secteurs en tension (niveau moyen de 4 / 5 ou plus) : Bâtiment et travaux publics, "
                           "4,00 / 5 en 2024 (3 métiers en tension sur 8) ;")


def test_the_rules_are_listed_in_the_module_docstring():
    for rule in ("demandeurs", "chomage", "difficultes", "emploi", "tension"):
        assert f'"{rule}"' in vigilance.__doc__
    assert len(vigilance.RULES) == 5
