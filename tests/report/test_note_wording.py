"""The monthly note's wording (report/note.build_note), from variations of tests/note_sample.SAMPLE: French
sentences and number formats, the honesty rules (partial sums, zone d'emploi rates, figures of the département,
lower bounds), "Quoi de neuf" against the previous edition and the release calendar, and a size that fits two A4
pages. Escaping is the renderers' business, not tested here."""

import math
from datetime import date

import pytest

from pipelines.report import glossary, vigilance
from pipelines.report.note import build_note
from pipelines.report.note_model import Bullets, Definitions, Note, Paragraphs, Table
from pipelines.report.release_calendar import next_release
from tests.note_sample import DEPT, FRANCE, PLACE, REGION, _value, sample

NNBSP, MINUS = "\u202f", "\u2212"


def section(note: Note, title: str) -> list:
    return next(s.blocks for s in note.sections if s.title == title)


def key_table(note: Note) -> Table:
    return section(note, "Chiffres clés")[0]


def row(table: Table, label: str) -> list[str]:
    """The row of a series, by its short label (the publisher follows on the label's second line)."""
    return next(r for r in table.rows if r[0].split("\n")[0] == label)


def items(note: Note, title: str) -> list[str]:
    return [item for block in section(note, title) if isinstance(block, Bullets | Paragraphs) for item in block.items]


def texts(note: Note) -> str:
    """Every text of the note, joined."""
    parts = [note.title, note.territory, note.month, note.footer, note.demo_warning]
    for each in note.sections:
        parts.append(each.title)
        for block in each.blocks:
            if isinstance(block, Table):
                parts += [*block.columns, *(cell for r in block.rows for cell in r), *block.notes]
            elif isinstance(block, Definitions):
                parts += [f"{term} : {text}" for term, text in block.items]
            else:
                parts += block.items
    return "\n".join(parts)


def entry(figures: dict, series_id: str, spec: str = PLACE) -> dict:
    return next(s for s in figures["series"] if s["id"] == series_id)["values"][spec]


def previous_edition(**periods) -> dict:
    """SAMPLE one month earlier, with the territory's series at older periods: periods = {series id: period}."""
    figures = sample(month="2026-11")
    for series in figures["series"]:
        for value in series["values"].values():
            value["period"] = periods.get(series["id"], value["period"])
    return figures


# --- Title, territory, month, footer, demo --------------------------------------------------------------------------
def test_the_title_names_the_territory_and_the_month_in_french():
    figures = sample(territory={"spec": "epci:243500139", "type": "epci", "code": "243500139",
                                "name": "Rennes Métropole"})
    note = build_note(figures)
    assert (note.title, note.territory, note.month) == ("Note mensuelle sur l'emploi",
                                                        "Rennes Métropole (EPCI 243500139)", "décembre 2026")
    assert [s.title for s in note.sections] == ["Chiffres clés", "Quoi de neuf depuis la note précédente",
                                                "Les quatre secteurs", "Points de vigilance", "Avertissements",
                                                "Glossaire"]
    zone = sample(territory={"spec": "zone_emploi:5315", "type": "zone_emploi", "code": "5315", "name": "RENNES"})
    assert build_note(zone).territory == "Rennes (zone d'emploi 5315)"


def test_the_footer_says_the_revision_only_from_the_second():
    assert build_note(sample()).footer == "Édition de décembre 2026"
    assert build_note(sample(), revision=2).footer == "Édition de décembre 2026, révision 2"


def test_demo_figures_are_said_on_every_page_and_in_the_warnings():
    assert build_note(sample()).demo_warning == ""
    figures = sample()
    entry(figures, "taux_chomage", FRANCE)["demo"] = True
    note = build_note(figures)
    assert note.demo_warning == "Données fictives de démonstration : taux de chômage (CVS)."
    assert any(line.startswith("Données fictives de démonstration : taux de chômage (CVS)")
               for line in items(note, "Avertissements"))
    figures["sources"].append({"source": "epci_communes", "publisher": "Insee", "title": "Composition (fictif)",
                               "period": "2024", "sha256": "2" * 64, "demo": True})  # a demo perimeter
    assert build_note(figures).demo_warning == ("Données fictives de démonstration : taux de chômage (CVS) ; fichiers "
                                                "de référence (périmètres, correspondances).")
    for series in figures["series"]:
        for value in series["values"].values():
            value["demo"] = True
    for each in figures["sectors"]:
        each["demo"] = True
    assert build_note(figures).demo_warning == "Données fictives de démonstration : tous les chiffres de cette note."


# --- Chiffres clés --------------------------------------------------------------------------------------------------
def test_key_figures_give_each_value_with_its_changes_in_french_formats():
    table = key_table(build_note(sample()))
    assert table.columns == ["Indicateur", "Période", "Agglomération fictive", "Ille-et-Vilaine", "Bretagne", "France"]
    assert row(table, "Demandeurs d'emploi cat. A")[1:3] == [
        "T2 2025", f"10{NNBSP}400\n+4,0{NNBSP}% trim.\n+6,1{NNBSP}% an"]
    # a rate changes in points
    assert row(table, "Taux de chômage (CVS)")[4] == f"6,8{NNBSP}%\n0,0{NNBSP}pt trim.\n+0,1{NNBSP}pt an"
    # a yearly series: its previous period is a year ago, said once
    assert row(table, "Emploi salarié au 31 décembre")[1:3] == ["2024", f"210{NNBSP}000\n+1,4{NNBSP}% an"]
    assert row(table, "Embauches (DPAE)")[5] == f"2{NNBSP}100{NNBSP}000\n{MINUS}2,3{NNBSP}% trim.\n+1,0{NNBSP}% an"
    # the short words of the cells said once under the table
    assert table.notes[0] == ("Évolutions sur un trimestre (« trim. ») et sur un an (« an ») ; pour un taux, en "
                              "points (pt).")
    assert len(table.columns) <= 6
    assert max(cell.count("\n") + 1 for r in table.rows for cell in r) == 3  # three short lines at most


def test_a_figure_of_another_period_and_the_apprentices_break_are_marked_and_said_under_the_table():
    figures = sample()
    entry(figures, "embauches", FRANCE)["period"] = "2025-T1"
    entry(figures, "emploi_salarie", DEPT)["apprentice_break"] = True
    table = key_table(build_note(figures))
    assert row(table, "Embauches (DPAE)")[5] == f"2{NNBSP}100{NNBSP}000 (d)\n{MINUS}2,3{NNBSP}% trim.\n+1,0{NNBSP}% an"
    assert "(d) France : chiffre de la période T1 2025." in table.notes
    assert row(table, "Emploi salarié au 31 décembre")[3] == f"430{NNBSP}000 (b)\n+0,9{NNBSP}% an"
    assert ("(b) Emploi salarié au 31 décembre : apprentis comptés depuis 2023, l'évolution sur un an enjambe ce "
            "changement (voir Avertissements).") in table.notes
    # marks in reading order, each remark once, before the other notes
    assert [note[:3] for note in table.notes[1:5]] == ["(a)", "(b)", "(c)", "(d)"]


def test_a_figure_missing_says_why_and_a_series_missing_everywhere_has_no_row():
    table = key_table(build_note(sample()))
    assert row(table, "Demandeurs d'emploi cat. A, B, C")[4:] == ["pas de donnée", "pas de donnée"]
    assert "Pas de donnée : la source est chargée, sans chiffre pour ce territoire." in table.notes
    assert [r[0] for r in table.rows if r[0].startswith(("Offres", "Projets"))] == []
    assert ("Sans chiffre pour ces territoires : offres d'emploi enregistrées (non publié à cette échelle) ; projets "
            "de recrutement (BMO) (non publié à cette échelle).") in table.notes


def test_every_row_has_its_source_line_from_the_catalog():
    figures = sample()
    figures["catalog"].append({"source": "urssaf", "publisher": "Urssaf", "title": "Effectifs (catalogue fictif)",
                               "url": "", "releases": [], "release_note": "", "caveats": []})
    table = key_table(build_note(figures))
    assert [r[0] for r in table.rows] == [
        "Demandeurs d'emploi cat. A\n(Dares)", "Demandeurs d'emploi cat. A, B, C\n(Dares)",
        "Taux de chômage (CVS)\n(Insee)", "Emploi salarié au 31 décembre\n(Urssaf)",
        "Établissements employeurs\n(Urssaf)", "Embauches (DPAE)\n(Urssaf)"]
    assert ("Sources — Dares : Demandeurs d'emploi (fictif) ; Insee : Taux de chômage localisés (fictif) ; Urssaf : "
            "Effectifs (catalogue fictif) ; Urssaf : Embauches (fictif).") in table.notes
    # a publisher too long for a line of the label column is left to the sources line
    figures["catalog"][0]["publisher"] = "Direction de l'animation de la recherche, des études et des statistiques"
    assert key_table(build_note(figures)).rows[0][0] == "Demandeurs d'emploi cat. A"
    # the sector table names only the sources the key figures do not: BMO (none here) and tension
    assert sectors(figures).notes[-1] == ("Sources — France Travail : enquête Besoins en main-d'œuvre (BMO) ; "
                                          "Dares / France Travail : indicateurs de tension.")


def test_only_the_places_present_are_columns():
    figures = sample(territory={"spec": DEPT, "type": "departement", "code": "35", "name": "Ille-et-Vilaine"})
    figures["places"] = figures["places"][1:]
    table = key_table(build_note(figures))
    assert table.columns == ["Indicateur", "Période", "Ille-et-Vilaine", "Bretagne", "France"]
    assert build_note(figures).territory == "Ille-et-Vilaine (département 35)"


def test_a_partial_sum_of_communes_is_never_shown_as_the_territory_total():
    figures = sample()
    entry(figures, "emploi_salarie").update(value=198765, partial=True, change_1y=-0.2,
                                            coverage={"communes_with_data": 40, "territory_communes": 43,
                                                      "basis": "communes"})
    note = build_note(figures)
    assert row(key_table(note), "Emploi salarié au 31 décembre")[2] == "somme partielle :\n40 communes sur 43"
    assert f"198{NNBSP}765" not in texts(note)  # nowhere: not a cell, not a sentence, not a flag
    assert ("Emploi salarié au 31 décembre, Agglomération fictive : somme partielle des communes chargées, pas le "
            "total du territoire : couverture partielle (40 communes sur 43).") in items(note, "Avertissements")
    previous = previous_edition(emploi_salarie="2023")
    new = next(line for line in items(build_note(figures, previous), "Quoi de neuf depuis la note précédente")
               if line.startswith("Emploi salarié"))
    assert new == "Emploi salarié au 31 décembre : 2024 (au lieu de 2023) : somme partielle : 40 communes sur 43."
    figures["sectors"][0].update(employees=54321, employment_partial=True)  # the sectors' sums too
    assert sectors(figures).rows[0][2] == "somme partielle :\n40 communes sur 43"
    assert f"54{NNBSP}321" not in texts(build_note(figures))


def test_a_rate_of_the_majority_zone_says_which_zone_and_its_share():
    note = build_note(sample())
    assert row(key_table(note), "Taux de chômage (CVS)")[2].startswith(f"6,1{NNBSP}% (a)\n")
    assert (f"(a) Taux de chômage (CVS) : taux de la zone d'emploi de Zone fictive (5300), qui regroupe 80{NNBSP}% "
            "des communes du territoire.") in key_table(note).notes


def test_hires_given_for_the_departement_say_so():
    note = build_note(sample())
    assert row(key_table(note), "Embauches (DPAE)")[2].startswith(f"40{NNBSP}000 (b)\n")
    assert ("(b) Embauches (DPAE) : chiffre du département, non publié pour l'EPCI Agglomération fictive."
            in key_table(note).notes)


# --- Quoi de neuf ---------------------------------------------------------------------------------------------------
WHATS_NEW = "Quoi de neuf depuis la note précédente"


def test_the_first_note_says_so_and_when_each_source_publishes_next():
    # September 2025: T2 2025 is the newest quarter the calendars promise (Dares published it on 28 July).
    lines = items(build_note(sample(month="2025-09")), WHATS_NEW)
    assert lines[0] == "Première note de l'EPCI Agglomération fictive : pas de note précédente à comparer."
    assert ("Demandeurs d'emploi, catégorie A ; demandeurs d'emploi, catégories A, B, C : dernière période T2 2025 ; "
            "prochaine publication attendue vers le 28 octobre 2025 (Dares).") in lines
    assert ("Taux de chômage (CVS) : dernière période T2 2025 ; prochaine publication attendue vers le 15 septembre "
            "2025 (Insee).") in lines
    # no release announced: the source's own words
    assert ("Embauches (DPAE) : dernière période T2 2025 ; prochaine publication : publication suspendue (fictif) "
            "(Urssaf).") in lines


def test_a_file_behind_its_calendar_is_said_to_be_updated():
    # December 2026 with T2 2025: Dares published T3 2025 around 28 October 2025, Insee around 15 December 2025.
    lines = items(build_note(sample()), WHATS_NEW)
    assert ("Demandeurs d'emploi, catégorie A ; demandeurs d'emploi, catégories A, B, C : dernière période T2 2025 ; "
            "une période plus récente était attendue vers le 28 octobre 2025 (Dares) : fichier à mettre à jour "
            "(python -m pipelines fetch, ou import du fichier publié).") in lines
    assert any(line.startswith("Taux de chômage (CVS) : dernière période T2 2025 ; une période plus récente était "
                               "attendue vers le 15 décembre 2025 (Insee)") for line in lines)
    assert not any("prochaine publication attendue" in line for line in lines)
    # a source that announces no date is never said late
    assert ("Embauches (DPAE) : dernière période T2 2025 ; prochaine publication : publication suspendue (fictif) "
            "(Urssaf).") in lines


def test_a_period_older_than_in_the_previous_note_is_never_said_unchanged():
    previous = previous_edition(taux_chomage="2025-T3")
    lines = items(build_note(sample(), previous), WHATS_NEW)
    line = next(line for line in lines if line.startswith("Taux de chômage"))
    assert line.startswith("Taux de chômage (CVS) : période plus ancienne que dans la note précédente (T3 2025 → T2 "
                           "2025) ;"), line
    assert "toujours" not in line


def test_months_opening_on_a_vowel_are_elided():
    figures = sample(month="2026-04")
    previous = previous_edition() | {"month": "2026-08"}
    note = build_note(figures, previous)
    assert note.footer == "Édition d'avril 2026"
    assert items(note, WHATS_NEW)[0] == "Depuis la note d'août 2026 :"


def test_a_new_period_is_given_with_the_new_value_and_the_others_wait_for_their_release():
    previous = previous_edition(demandeurs_a="2025-T1") | {"month": "2025-08"}
    lines = items(build_note(sample(month="2025-09"), previous), WHATS_NEW)
    assert lines[0] == "Depuis la note d'août 2025 :"
    assert lines[1] == (f"Demandeurs d'emploi, catégorie A : T2 2025 (au lieu de T1 2025) : 10{NNBSP}400, en hausse "
                        f"de 4,0{NNBSP}% sur un trimestre.")
    assert ("Demandeurs d'emploi, catégories A, B, C : toujours T2 2025 ; prochaine publication attendue vers le 28 "
            "octobre 2025 (Dares).") in lines


def test_a_new_period_somewhere_else_and_a_stable_rate():
    figures = sample()
    previous = previous_edition()
    del next(s for s in previous["series"] if s["id"] == "taux_chomage")["values"][FRANCE]
    entry(previous, "demandeurs_abc")["period"] = "2025-T1"
    lines = items(build_note(figures, previous), WHATS_NEW)
    assert "Taux de chômage (CVS) : T2 2025 pour France (absent de la note précédente)." in lines
    assert (f"Demandeurs d'emploi, catégories A, B, C : T2 2025 (au lieu de T1 2025) : 18{NNBSP}000, stable sur un "
            f"trimestre (+0,6{NNBSP}%).") in lines  # under 1 %
    entry(previous, "demandeurs_a", REGION)["period"] = entry(previous, "demandeurs_a")["period"] = "2025-T1"
    line = items(build_note(figures, previous), WHATS_NEW)[1]
    assert line.startswith("Demandeurs d'emploi, catégorie A : T2 2025 pour Agglomération fictive et Bretagne (au "
                           f"lieu de T1 2025) : 10{NNBSP}400, en hausse")
    entry(figures, "taux_chomage")["change_previous"] = -0.04  # under 0.05 point: stable at one decimal
    entry(previous, "taux_chomage")["period"] = "2025-T1"
    line = next(x for x in items(build_note(figures, previous), WHATS_NEW) if x.startswith("Taux"))
    assert line == (f"Taux de chômage (CVS) : T2 2025 (au lieu de T1 2025) : 6,1{NNBSP}%, stable sur un trimestre "
                    f"(0,0{NNBSP}pt) ; T2 2025 pour France (absent de la note précédente).")
    entry(figures, "taux_chomage")["change_previous"] = -0.2
    line = next(x for x in items(build_note(figures, previous), WHATS_NEW) if x.startswith("Taux"))
    assert f"(au lieu de T1 2025) : 6,1{NNBSP}%, en baisse de 0,2 point sur un trimestre ; T2 2025 pour" in line


@pytest.mark.parametrize("releases, after, expected", [
    (["01-28", "04-28", "07-28", "10-28"], date(2026, 12, 1), date(2027, 1, 28)),  # over the new year
    (["10-28", "01-28"], date(2026, 2, 1), date(2026, 10, 28)),  # any order
    (["12-01"], date(2026, 12, 1), date(2026, 12, 1)),  # on the note's first day
    (["11-30"], date(2026, 12, 1), date(2027, 11, 30)),
    (["02-29"], date(2027, 1, 1), date(2027, 2, 28)),  # no 29 February in 2027
    (["02-29"], date(2028, 1, 1), date(2028, 2, 29)),
    ([], date(2026, 12, 1), None),
    (["vers mars"], date(2026, 12, 1), None),
])
def test_the_next_release_date(releases, after, expected):
    assert next_release(releases, after) == expected


def test_the_next_release_is_dated_from_the_first_day_of_the_note_month():
    lines = items(build_note(sample(month="2025-07")), WHATS_NEW)
    assert any("prochaine publication attendue vers le 28 juillet 2025 (Dares)" in line for line in lines)
    lines = items(build_note(sample(month="2025-08")), WHATS_NEW)
    assert any("prochaine publication attendue vers le 28 octobre 2025 (Dares)" in line for line in lines)
    figures = sample(month="2025-09")
    figures["catalog"][1]["releases"] = ["09-01"]
    assert any("vers le 1er septembre 2025 (Insee)" in line for line in items(build_note(figures), WHATS_NEW))


# --- Les quatre secteurs --------------------------------------------------------------------------------------------
def sectors(figures: dict) -> Table:
    return section(build_note(figures), "Les quatre secteurs")[0]


def test_one_row_per_sector_with_stable_employment_and_tension_out_of_five():
    table = sectors(sample())
    assert table.columns == ["Secteur", "Projets de recrutement", "Emploi salarié", "Tension"]
    assert [r[0] for r in table.rows] == ["Bâtiment et travaux publics", "Numérique", "Industrie agroalimentaire",
                                          "Agriculture"]
    btp, digital, food, farming = table.rows
    assert btp[1] == "non publié à cette échelle"  # BMO is not published for an EPCI
    assert btp[2] == f"12{NNBSP}000 salariés fin 2024\n+1,2{NNBSP}% sur un an"
    assert digital[2] == f"9{NNBSP}000 salariés fin 2024\n{MINUS}2,0{NNBSP}% sur un an"
    assert food[2] == f"7{NNBSP}000 salariés fin 2024\nstable sur un an (+0,4{NNBSP}%)"
    assert farming[2] == "600 salariés fin 2024\npas d'année précédente"
    assert btp[3] == "4,10 / 5 en 2024\n3 métiers en tension sur 8"
    figures = sample()
    figures["sectors"][1].update(metiers_in_tension=0, metiers=2)
    assert sectors(figures).rows[1][3] == "3,20 / 5 en 2024\naucun métier en tension sur 2"


def test_the_projects_of_all_sectors_give_their_difficult_share():
    figures = sample()
    bmo = next(s for s in figures["series"] if s["id"] == "projets_bmo")
    bmo["values"][DEPT] = _value("2025", 20000, "2024", 19000, "2024", 19000, difficult_share=0.61,
                                 difficult_share_is_lower_bound=True)
    assert row(key_table(build_note(figures)), "Projets de recrutement (BMO)")[3] == \
        f"20{NNBSP}000\n+5,3{NNBSP}% an\nau moins 61,0{NNBSP}% difficiles"


def test_a_difficult_share_biased_by_secret_cells_is_at_least():
    figures = sample()
    figures["sectors"][0].update(bmo_year=2025, projects=1250, difficult_share=0.5, secret_cells=3,
                                 difficult_share_is_lower_bound=True)
    figures["sectors"][1].update(bmo_year=2025, projects=1, difficult_share=1.0)
    table = sectors(figures)
    assert table.rows[0][1] == f"1{NNBSP}250 projets en 2025\nau moins 50,0{NNBSP}% difficiles"
    assert table.rows[1][1] == f"1 projet en 2025\n100,0{NNBSP}% difficiles"
    assert ("« au moins » : les projets des cellules secrètes ne sont pas comptés (voir Secret statistique)."
            in table.notes)
    assert not any(note.startswith("« au moins »") for note in sectors(sample()).notes)


# --- Points de vigilance, avertissements, glossaire -----------------------------------------------------------------
def test_the_flags_come_from_the_rules_and_none_says_so():
    figures = sample()
    note = build_note(figures)
    assert items(note, "Points de vigilance") == [flag.text for flag in vigilance.flags(figures)]
    assert len(items(note, "Points de vigilance")) == 3
    entry(figures, "demandeurs_a")["change_1y"] = 0.03
    entry(figures, "taux_chomage")["change_1y"] = 0.1
    for each in figures["sectors"]:
        each["tension_level"] = 3.5
    assert items(build_note(figures), "Points de vigilance") == \
        ["Aucun point de vigilance selon les règles de la note."]


def test_feminine_and_masculine_territories_with_elision():
    figures = sample(territory={"spec": "zone_emploi:2801", "type": "zone_emploi", "code": "2801",
                                "name": "AVRANCHES"})
    figures["places"][0] = {"role": "territoire", **figures["territory"]}
    for series in figures["series"]:
        if PLACE in series["values"]:
            series["values"]["zone_emploi:2801"] = series["values"].pop(PLACE)
    note = build_note(figures)
    assert items(note, WHATS_NEW)[0] == "Première note de la zone d'emploi d'Avranches : pas de note précédente à " \
                                        "comparer."
    assert items(note, "Points de vigilance")[0].startswith("Dans la zone d'emploi d'Avranches, le nombre de")
    figures["territory"] = figures["places"][0] = {"role": "territoire", "spec": "zone_emploi:2801",
                                                   "type": "bassin_bmo", "code": "2801", "name": "Le Havre"}
    note = build_note(figures)
    assert items(note, WHATS_NEW)[0].startswith("Première note du bassin d'emploi du Havre :")
    assert items(note, "Points de vigilance")[0].startswith("Dans le bassin d'emploi du Havre, le nombre de")


def test_the_warnings_are_the_catalog_caveats_of_the_sources_shown():
    figures = sample()
    figures["catalog"][2]["caveats"] = [{"since": "", "text": "Avertissement fictif des embauches."}]
    figures["catalog"][1]["caveats"] = [{"since": "2026-01", "text": "Rupture fictive à venir."}]
    lines = items(build_note(figures), "Avertissements")
    # after the colon, no capital (French typography)
    assert "Demandeurs d'emploi (Dares) : avertissement fictif sur les inscriptions automatiques." in lines
    assert "Embauches (Urssaf) : avertissement fictif des embauches." in lines
    assert not any("Rupture fictive" in line for line in lines)  # the rates shown end before 2026
    figures["catalog"][0]["caveats"][0]["text"] = "Autre texte fictif."  # never typed in the note
    figures["catalog"][0]["caveats"].append({"since": "2024", "text": "Second texte fictif."})
    assert "Demandeurs d'emploi (Dares) : autre texte fictif. Second texte fictif." in items(build_note(figures),
                                                                                          "Avertissements")
    for series in figures["series"]:
        if series["source"] == "urssaf_dpae":
            series["values"] = {}  # a source with no figure in the note: its caveats are left out
    assert not any("embauches" in line for line in items(build_note(figures), "Avertissements"))


def test_the_glossary_is_the_zoom_s():
    definitions = section(build_note(sample()), "Glossaire")[0]
    assert [term for term, _ in definitions.items] == ["BMO", "Catégories A, B, C", "Zone d'emploi", "CVS",
                                                       "Secret statistique"]
    assert dict(definitions.items)["BMO"] == glossary.TERMS["BMO"]  # the zoom's slide says the same
    assert "BMO : " + glossary.TERMS["BMO"] in glossary.term_lines()


# --- Size ------------------------------------------------------------------------------------------------------------
def full() -> dict:
    """SAMPLE with every series for every place and BMO for every sector: the longest note."""
    figures = sample()
    for series in figures["series"]:
        for i, spec in enumerate((PLACE, DEPT, REGION, FRANCE), start=1):
            if spec not in series["values"]:
                series["values"][spec] = (_value("2025-T2", 1000 * i, "2025-T1", 990 * i, "2024-T2", 950 * i)
                                          if series["frequency"] == "quarter" else
                                          _value("2024", 1000 * i, "2023", 990 * i, "2023", 950 * i))
        series["unavailable"] = {}
    for each in figures["sectors"]:
        each.update(bmo_year=2025, projects=1250, difficult_share=0.72, difficult_share_is_lower_bound=True)
    # the catalog as long as the real one: titles of about 100 characters, 12 caveats of about 150
    caveats = {"dares_defm": 3, "insee_chomage": 2, "urssaf": 2, "urssaf_dpae": 1, "france_travail": 3, "bmo": 1,
               "dares_tensions": 0}
    figures["catalog"] = [{"source": source, "publisher": "Éditeur fictif", "title": "Titre fictif " * 8, "url": "",
                           "releases": ["01-15"], "release_note": "",
                           "caveats": [{"since": "", "text": "Avertissement fictif " * 7}] * count}
                          for source, count in caveats.items()]
    return figures


def lines(note: Note, width: int = 110) -> tuple[int, int]:
    """(table lines, text lines) at about 110 characters a line (9 pt on an A4 portrait page)."""
    table = text = 0
    for each in note.sections:
        text += 2
        for block in each.blocks:
            if isinstance(block, Table):
                table += 1 + sum(max(cell.count("\n") + 1 for cell in r) for r in block.rows)
                text += sum(math.ceil(len(n) / width) for n in block.notes)
            elif isinstance(block, Definitions):
                text += sum(math.ceil((len(term) + len(d) + 3) / width) for term, d in block.items)
            else:
                text += sum(math.ceil(len(item) / width) for item in block.items)
    return table, text


def test_the_longest_note_fits_two_pages():
    previous = full()
    previous["month"] = "2026-11"
    for series in previous["series"]:
        for value in series["values"].values():
            value["period"] = "2025-T1" if value["period"] == "2025-T2" else value["period"]
    note = build_note(full(), previous)
    assert len(key_table(note).rows) == 8 and len(note.sections) == 6  # everything is there
    table, text = lines(note)
    # a bassin with every source and every caveat: a little over the budget of 60 table and 40 text lines, which
    # the section titles (counted 2 lines each here) do not take in full
    assert table <= 60 and table + text <= 115, (table, text)
    figures = sample()  # an EPCI: no offers, no BMO
    figures["catalog"] = full()["catalog"]
    table, text = lines(build_note(figures))
    assert table + text <= 100, (table, text)


def test_a_sector_figure_missing_says_why_under_the_sector_table():
    figures = sample()
    figures["sectors"][1].update(employees=None, tension_level=None)  # loaded, nothing for this sector
    assert sectors(figures).rows[1][2:] == ["pas de donnée", "pas de donnée"]
    assert not any(note.startswith("Pas de donnée") for note in sectors(figures).notes)  # said by the key figures
    for each in figures["sectors"]:
        each.update(employees=None, tension_level=None)
    next(s for s in figures["series"] if s["id"] == "emploi_salarie").update(
        values={}, unavailable=dict.fromkeys((PLACE, DEPT, REGION, FRANCE), "not_loaded"))
    table = sectors(figures)
    assert {tuple(r[1:]) for r in table.rows} == {("non publié à cette échelle", "non chargé", "non chargé")}
    assert table.notes[0] == "Non chargé : aucun fichier de la source n'a été importé."
    assert "Non chargé : aucun fichier de la source n'a été importé." not in key_table(build_note(figures)).notes
