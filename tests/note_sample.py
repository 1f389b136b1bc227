"""A hand-written figures dict in the shape read/note.note_figures returns (fictitious values): what the note's
wording, vigilance rules, renderers and editions are tested on without marts. tests/read/test_note_figures.py
checks that note_figures returns this very shape."""

import copy

PLACE = "epci:200000001"
DEPT, REGION, FRANCE = "dep:35", "reg:53", "fr"


def _value(period, value, previous_period, previous_value, year_ago_period, year_ago_value, unit="count", **extra):
    def change(old):
        if old is None or value is None:
            return None
        return round(value - old, 6) if unit == "rate" else round(value / old - 1, 6)
    return {"period": period, "value": value, "previous_period": previous_period, "previous_value": previous_value,
            "change_previous": change(previous_value), "year_ago_period": year_ago_period,
            "year_ago_value": year_ago_value, "change_1y": change(year_ago_value), "demo": False, **extra}


SAMPLE = {
    "format": 1,
    "month": "2026-12",
    "territory": {"spec": PLACE, "type": "epci", "code": "200000001", "name": "Agglomération fictive"},
    "places": [
        {"role": "territoire", "spec": PLACE, "type": "epci", "code": "200000001", "name": "Agglomération fictive"},
        {"role": "departement", "spec": DEPT, "type": "departement", "code": "35", "name": "Ille-et-Vilaine"},
        {"role": "region", "spec": REGION, "type": "region", "code": "53", "name": "Bretagne"},
        {"role": "france", "spec": FRANCE, "type": "france", "code": "FR", "name": "France"},
    ],
    "series": [
        {"id": "demandeurs_a", "source": "dares_defm", "unit": "count", "frequency": "quarter",
         "values": {PLACE: _value("2025-T2", 10400, "2025-T1", 10000, "2024-T2", 9800),
                    DEPT: _value("2025-T2", 30000, "2025-T1", 29700, "2024-T2", 29100),
                    REGION: _value("2025-T2", 120000, "2025-T1", 119000, "2024-T2", 117000),
                    FRANCE: _value("2025-T2", 3100000, "2025-T1", 3080000, "2024-T2", 3050000)},
         "unavailable": {}},
        {"id": "demandeurs_abc", "source": "dares_defm", "unit": "count", "frequency": "quarter",
         "values": {PLACE: _value("2025-T2", 18000, "2025-T1", 17900, "2024-T2", 17500),
                    DEPT: _value("2025-T2", 52000, "2025-T1", 51800, "2024-T2", 51000)},
         "unavailable": {REGION: "no_data", FRANCE: "no_data"}},
        {"id": "taux_chomage", "source": "insee_chomage", "unit": "rate", "frequency": "quarter",
         "values": {PLACE: _value("2025-T2", 6.1, "2025-T1", 6.0, "2024-T2", 5.7, unit="rate",
                                  zone={"code": "5300", "name": "Zone fictive", "share": 0.8, "tied": False}),
                    DEPT: _value("2025-T2", 6.4, "2025-T1", 6.3, "2024-T2", 6.2, unit="rate"),
                    REGION: _value("2025-T2", 6.8, "2025-T1", 6.8, "2024-T2", 6.7, unit="rate"),
                    FRANCE: _value("2025-T2", 7.5, "2025-T1", 7.4, "2024-T2", 7.3, unit="rate")},
         "unavailable": {}},
        {"id": "emploi_salarie", "source": "urssaf", "unit": "count", "frequency": "year",
         "values": {PLACE: _value("2024", 210000, "2023", 207000, "2023", 207000,
                                  coverage={"communes_with_data": 43, "territory_communes": 43, "basis": "communes"},
                                  apprentice_break=False),
                    DEPT: _value("2024", 430000, "2023", 426000, "2023", 426000, apprentice_break=False)},
         "unavailable": {REGION: "no_data", FRANCE: "no_data"}},
        {"id": "etablissements", "source": "urssaf", "unit": "count", "frequency": "year",
         "values": {PLACE: _value("2024", 15000, "2023", 14800, "2023", 14800)},
         "unavailable": {DEPT: "no_data", REGION: "no_data", FRANCE: "no_data"}},
        {"id": "embauches", "source": "urssaf_dpae", "unit": "count", "frequency": "quarter",
         "values": {PLACE: _value("2025-T2", 40000, "2025-T1", 41000, "2024-T2", 39000, context_of=DEPT),
                    DEPT: _value("2025-T2", 40000, "2025-T1", 41000, "2024-T2", 39000),
                    FRANCE: _value("2025-T2", 2100000, "2025-T1", 2150000, "2024-T2", 2080000)},
         "unavailable": {REGION: "no_data"}},
        {"id": "offres", "source": "france_travail", "unit": "count", "frequency": "quarter",
         "values": {}, "unavailable": {PLACE: "not_published_at_level", DEPT: "not_published_at_level",
                                        REGION: "not_published_at_level", FRANCE: "not_published_at_level"}},
        {"id": "projets_bmo", "source": "bmo", "unit": "count", "frequency": "year",
         "values": {}, "unavailable": {PLACE: "not_published_at_level", DEPT: "not_loaded", REGION: "not_loaded",
                                        FRANCE: "not_loaded"}},
    ],
    "sectors": [
        {"sector_code": code, "label": label, "bmo_year": None, "projects": None, "difficult_share": None,
         "difficult_share_is_lower_bound": False, "secret_cells": 0, "employment_year": 2024,
         "employees": employees, "employees_change_1y": change, "apprentice_break_1y": False,
         "employment_partial": False, "tension_year": 2024, "tension_level": level, "metiers_in_tension": 3,
         "metiers": 8, "demo": False}
        for code, label, employees, change, level in (
            ("btp", "Bâtiment et travaux publics", 12000, 0.012, 4.1),
            ("numerique", "Numérique", 9000, -0.02, 3.2),
            ("iaa", "Industrie agroalimentaire", 7000, 0.004, 3.8),
            ("agriculture", "Agriculture", 600, None, 4.5))
    ],
    "sources": [
        {"source": "dares_defm", "publisher": "Dares", "title": "Demandeurs d'emploi (fictif)", "period": "2025-T2",
         "sha256": "0" * 64, "demo": False},
        {"source": "insee_chomage", "publisher": "Insee", "title": "Taux de chômage localisés (fictif)",
         "period": "2025-T2", "sha256": "1" * 64, "demo": False},
    ],
    "catalog": [
        {"source": "dares_defm", "publisher": "Dares", "title": "Demandeurs d'emploi (fictif)",
         "url": "https://example.org/dares", "releases": ["01-28", "04-28", "07-28", "10-28"], "release_note": "",
         "published_in_period": False,
         "caveats": [{"since": "2025-01", "text": "Avertissement fictif sur les inscriptions automatiques.",
                      "about": ""}]},
        {"source": "insee_chomage", "publisher": "Insee", "title": "Taux de chômage localisés (fictif)",
         "url": "https://example.org/insee", "releases": ["03-15", "06-15", "09-15", "12-15"], "release_note": "",
         "published_in_period": False,
         "caveats": []},
        {"source": "urssaf_dpae", "publisher": "Urssaf", "title": "Embauches (fictif)", "url": "https://example.org/u",
         "releases": [], "release_note": "publication suspendue (fictif)", "published_in_period": False,
         "caveats": []},
    ],
}


def sample(**changes) -> dict:
    """A deep copy of SAMPLE, with top-level keys replaced."""
    return copy.deepcopy(SAMPLE) | changes
