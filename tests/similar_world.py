"""A small hand-checkable world for similar territories: the marts' tables that pipelines/read/similar.py reads,
written directly (fictitious values), so that every distance can be computed by hand.

Zones d'emploi, URSSAF 2024, sections AZ / FZ / JC (employees):
  0001 "Zone test"      50 30 20  (shares .5 .3 .2)  size 100   the territory
  0002 "Deux"           40 40 20  (.4 .4 .2)   K = .1 + .1 + 0  = 0.2   size 100
  0003 "Trois"         100  0 100 (.5  0 .5)   K = 0 + .3 + .3  = 0.6   size 200
  0004 "Quatre"          0  0 400 ( 0  0  1)   K = .5 + .3 + .8 = 1.6   size 400
  0005 "Cinq"           25 15 10  (.5 .3 .2)   K = 0                    size 50
  0006 "Six"            50 30 20  same mix, but 1 commune of 2 loaded: partial, left out
  0007 "Sept"           30 50 20  (.3 .5 .2)   K = .2 + .2 + 0  = 0.4   size 100
  0008 "Huit"          600 200 200 (.6 .2 .2)  K = .1 + .1 + 0  = 0.2   size 1000 (ties with 0002: by code)
  0009 "Neuf"           only 2023: not compared in 2024
  0010 "Dix"            partial coverage (1 commune of 3): no URSSAF mix, no BMO either (ZE): NoMix
  Compared with 0001: 6 zones; 2 left out as partial (0006, 0010).
Bassins BMO, no URSSAF except B001 (partial), BMO 2025 families B2X / M2X / S1X (projects):
  B001 "Bassin un"      60 30 10  (.6 .3 .1)   URSSAF partial: BMO used, gap 'partial'
  B002 "Bassin deux"    30 60 10  (.3 .6 .1)   K = .3 + .3 + 0  = 0.6
  B003 "Bassin trois"   50 30 20  (.5 .3 .2)   K = .1 + 0 + .1  = 0.2
  B004 "Bassin quatre"  60 30 secret (NULL)  -> (2/3, 1/3, 0): K = 1/15 + 1/30 + 1/10 = 0.2 (ties with B003);
                        no URSSAF at all: gap 'absent'
Sector figures (fct_*_sector_year), for the peer group: see SECTOR_EMPLOYMENT and SECTOR_PROJECTS.
"""

from pathlib import Path

import duckdb
import pandas as pd

SECTIONS = ("AZ", "FZ", "JC")
ZE = {  # code: (name, communes of the territory, communes loaded, {year: (AZ, FZ, JC)})
    "0001": ("Zone test", 2, 2, {2024: (50, 30, 20), 2023: (10, 10, 10)}),
    "0002": ("Deux", 1, 1, {2024: (40, 40, 20)}),
    "0003": ("Trois", 1, 1, {2024: (100, 0, 100)}),
    "0004": ("Quatre", 1, 1, {2024: (0, 0, 400)}),
    "0005": ("Cinq", 1, 1, {2024: (25, 15, 10)}),
    "0006": ("Six", 2, 1, {2024: (50, 30, 20)}),
    "0007": ("Sept", 1, 1, {2024: (30, 50, 20)}),
    "0008": ("Huit", 1, 1, {2024: (600, 200, 200)}),
    "0009": ("Neuf", 1, 1, {2023: (10, 10, 10)}),
    "0010": ("Dix", 3, 1, {2024: (5, 5, 5)}),
}
FAMILIES = ("B2X", "M2X", "S1X")
BASSINS = {  # code: (name, projects by family in 2025; None = secret)
    "B001": ("Bassin un", (60, 30, 10)),
    "B002": ("Bassin deux", (30, 60, 10)),
    "B003": ("Bassin trois", (50, 30, 20)),
    "B004": ("Bassin quatre", (60, 30, None)),
}
# (type, code, sector, employees, establishments, share_of_employment, change_1y, change_5y), URSSAF 2024.
SECTOR_EMPLOYMENT = [
    ("zone_emploi", "0001", "btp", 12, 3, 0.12, 0.10, 0.30),
    ("zone_emploi", "0002", "btp", 10, 2, 0.10, 0.05, 0.20),
    ("zone_emploi", "0003", "btp", 30, 5, 0.15, -0.10, None),
    ("zone_emploi", "0007", "btp", 20, 4, 0.20, 0.00, 0.10),
    ("zone_emploi", "0006", "btp", 99, 9, 0.90, 0.90, 0.90),  # partial coverage: left out of the group
]
# (type, code, sector, projects, difficult_share, seasonal_share, projects_change), BMO 2025.
SECTOR_PROJECTS = [
    ("bassin_bmo", "B002", "btp", 100, 0.5, 0.1, 0.2),
    ("bassin_bmo", "B003", "btp", 50, 0.3, 0.3, None),
    ("bassin_bmo", "B004", "btp", 10, 0.9, 0.0, -0.5),
]


def _table(con, name: str, rows: list[dict]) -> None:
    frame = pd.DataFrame(rows)
    con.register("incoming", frame)
    con.execute(f"create table {name} as select * from incoming")
    con.unregister("incoming")


def write_similar_world(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path))
    places = [{"territory_type": "zone_emploi", "territory_code": code, "territory_name": name,
               "commune_count": communes, "is_demo": False} for code, (name, communes, _, _) in ZE.items()]
    places += [{"territory_type": "bassin_bmo", "territory_code": code, "territory_name": name, "commune_count": 2,
                "is_demo": False} for code, (name, _) in BASSINS.items()]
    _table(con, "dim_territory", places)
    employment = []
    for code, (_, _, loaded, years) in ZE.items():
        latest = max(years)
        for year, values in years.items():
            cells = dict(zip(SECTIONS, values, strict=True)) | {"ensemble": sum(values)}
            employment += [{"territory_type": "zone_emploi", "territory_code": code, "a38_code": section,
                            "year": year, "employees": value, "basis": "communes", "communes_with_data": loaded,
                            "is_latest_period": year == latest, "is_demo": False} for section, value in cells.items()]
    employment.append({"territory_type": "bassin_bmo", "territory_code": "B001", "a38_code": "ensemble", "year": 2024,
                       "employees": 80, "basis": "communes", "communes_with_data": 1, "is_latest_period": True,
                       "is_demo": False})
    _table(con, "fct_employment_by_territory_a38_year", employment)
    projects = []
    for code, (_, values) in BASSINS.items():
        cells = dict(zip(FAMILIES, values, strict=True)) | {"ensemble": sum(v or 0 for v in values)}
        secret = sum(value is None for value in values)  # one cell per family: a secret one is None
        projects += [{"territory_type": "bassin_bmo", "territory_code": code, "family_code": family, "year": 2025,
                      "projects": value, "cells": len(values) if family == "ensemble" else 1,
                      "secret_cells": secret if family == "ensemble" else int(value is None),
                      "is_latest_period": True, "is_demo": False} for family, value in cells.items()]
    _table(con, "fct_projects_by_territory_family_year", projects)
    _table(con, "dim_a38", [{"a38_code": "AZ", "short_label": "Agriculture"},
                            {"a38_code": "FZ", "short_label": "Construction"},
                            {"a38_code": "JC", "short_label": "Informatique"},
                            {"a38_code": "ensemble", "short_label": "Toutes activités"}])
    _table(con, "dim_fap_family", [{"family_code": "B2X", "label": "Ouvriers du bâtiment"},
                                   {"family_code": "M2X", "label": None},
                                   {"family_code": "S1X", "label": "Cuisiniers"},
                                   {"family_code": "ensemble", "label": "Tous métiers"}])
    _table(con, "dim_bmo_year", [{"year": 2025, "nomenclature": "FAP 2021"}])
    _table(con, "fct_employment_by_territory_sector_year", [
        {"territory_type": kind, "territory_code": code, "sector_code": sector, "year": 2024, "employees": jobs,
         "establishments": firms, "share_of_employment": share, "employees_change_1y": one,
         "employees_change_5y": five, "basis": "communes", "communes_with_data": ZE[code][2],
         "is_latest_period": True} for kind, code, sector, jobs, firms, share, one, five in SECTOR_EMPLOYMENT])
    _table(con, "fct_projects_by_territory_sector_year", [
        {"territory_type": kind, "territory_code": code, "sector_code": sector, "year": 2025, "projects": projects,
         "difficult_share": difficult, "seasonal_share": seasonal, "projects_change": change,
         "secret_cells": 0, "difficult_secret_cells": 0, "seasonal_secret_cells": 0,
         "difficult_share_is_lower_bound": False, "seasonal_share_is_lower_bound": False,
         "is_latest_period": True} for kind, code, sector, projects, difficult, seasonal, change in SECTOR_PROJECTS])
    con.close()
    return path


def a38_distances(con, territory_type: str, code: str, year: int) -> dict[str, float]:
    """Krugman distances from `code` to every territory of its level on the built A38 mart, computed in SQL
    alone (another way than pipelines/read/similar.py): the sum over sections of |share - share of code|."""
    return dict(con.execute("""
        with cells as (
            select territory_code, a38_code, coalesce(employees, 0) as value
            from fct_employment_by_territory_a38_year
            where territory_type = ? and year = ? and a38_code <> 'ensemble'),
        totals as (select territory_code, sum(value) as total from cells group by all having total > 0),
        grid as (select territory_code, a38_code from totals, (select distinct a38_code from cells)),
        shares as (
            select territory_code, a38_code, coalesce(cells.value, 0) / totals.total as share
            from grid left join cells using (territory_code, a38_code) join totals using (territory_code)),
        mine as (select a38_code, share from shares where territory_code = ?)
        select shares.territory_code, sum(abs(shares.share - mine.share))
        from shares join mine using (a38_code)
        where shares.territory_code <> ? group by all""", [territory_type, year, code, code]).fetchall())
