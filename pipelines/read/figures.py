"""The rows behind the key figures and the zoom, read from the marts: numbers, flags and codes, no wording
(report/figures.py and report/zoom.py word them).

"Latest" has one answer, the warehouse's: a fact's `is_latest_period` and the commune bridge's
`is_latest_zoning`; these readers filter on them and never decide it again.
"""

from pipelines.read.marts import records

# The measures of a BMO share row that say how secret cells bias it (report.figures.share_text reads them).
SHARE_COLUMNS = ("secret_cells, difficult_secret_cells, seasonal_secret_cells, difficult_share_is_lower_bound, "
                 "seasonal_share_is_lower_bound, cells, published_cells, difficult_uncounted_cells, "
                 "seasonal_uncounted_cells")
# BMO is published per bassin; it sums to département, région and France, never to INSEE zones or EPCI.
BMO_TERRITORY_TYPES = ("bassin_bmo", "departement", "region", "france")
# DPAE are published for France and by département; régions are sums of their départements.
HIRES_TERRITORY_TYPES = ("departement", "region", "france")
DRIVERS = ("labour_shortage", "hiring_intensity", "working_conditions", "job_instability", "training_link",
           "geographic_mismatch")


def territory(con, territory_type: str, territory_code: str) -> dict | None:
    rows = records(con, "select * from dim_territory where territory_type = ? and territory_code = ?",
                   [territory_type, territory_code])
    return rows[0] if rows else None


def loaded_sources(con) -> tuple[set[str], bool]:
    """The sources with files in the marts, and whether those files are the demo ones (then all of them are)."""
    rows = records(con, "select source, bool_or(demo) as demo from meta_sources group by source", [])
    return {row["source"] for row in rows}, any(row["demo"] for row in rows)


def source_catalog(con) -> list[dict]:
    """Every registered source (meta_source_catalog), in registry order, with what says how to load it."""
    return records(con, "select * from meta_source_catalog order by sort_order", [])


def bmo_years(con, territory_type: str, territory_code: str) -> list[int]:
    rows = records(con, """
        select distinct year from fct_projects_by_territory_sector_year
        where territory_type = ? and territory_code = ? order by year""", [territory_type, territory_code])
    return [row["year"] for row in rows]


def sectors(con, territory_type: str, territory_code: str, year: int | None) -> list[dict]:
    """Every sector (dim_sector order) with its BMO figures of the year for the territory (NULL when none)."""
    return records(con, f"""
        select sector.sector_code, sector.label, sector.short_label, sector.of_label, sector.colour, sector.parent_code,
               sector.caveat_naf,
               fact.projects, fact.difficult, fact.seasonal, fact.difficult_share, fact.seasonal_share,
               fact.projects_change, fact.previous_year, fact.previous_projects, fact.nomenclature_break,
               fact.zoning_break, fact.metiers, {', '.join('fact.' + c.strip() for c in SHARE_COLUMNS.split(','))},
               fact.commune_zoning, fact.commune_count, fact.is_demo,
               fact.perimeter_is_demo
        from dim_sector as sector
        left join fct_projects_by_territory_sector_year as fact
            on fact.sector_code = sector.sector_code
            and fact.territory_type = ? and fact.territory_code = ? and fact.year = ?
        order by sector.sort_order""", [territory_type, territory_code, year])


def top_metiers(con, territory_type: str, territory_code: str, year: int | None, top: int,
                sector_code: str | None = None) -> list[dict]:
    """The métiers with most projects of each sector (or of one), rank <= top; metiers_with_projects counts
    all of the sector's métiers with a figure, not only those returned."""
    return records(con, f"""
        select sector_code, rank, metier_code, metier_label, projects, difficult_share, seasonal_share,
               {SHARE_COLUMNS},
               count(projects) over (partition by sector_code) as metiers_with_projects
        from fct_metier_rank_by_territory_sector_year
        where territory_type = ? and territory_code = ? and year = ? and coalesce(sector_code = ?, true)
        qualify rank <= ?
        order by sector_code, rank""", [territory_type, territory_code, year, sector_code, top])


def latest_employment(con, territory_type: str, territory_code: str) -> list[dict]:
    return records(con, """
        select sector_code, year, employees, establishments, communes_with_data, basis, employees_change_1y,
               employees_change_5y, establishments_change_1y, establishments_change_5y, apprentice_break_1y,
               apprentice_break_5y, is_demo
        from fct_employment_by_territory_sector_year
        where territory_type = ? and territory_code = ? and is_latest_period""", [territory_type, territory_code])


def latest_tension(con, territory_type: str, territory_code: str) -> list[dict]:
    return records(con, """
        select sector_code, year, metier_nomenclature, metiers, metiers_in_tension, tension_level, main_driver,
               job_offers, job_seekers_abc, source, is_demo
        from fct_tension_by_territory_sector_year
        where territory_type = ? and territory_code = ? and is_latest_period""", [territory_type, territory_code])


def latest_job_seekers(con, territory_type: str, territory_code: str) -> list[dict]:
    return records(con, """
        select category, quarter, job_seekers, change_1y, communes_with_data, is_demo
        from fct_job_seekers_by_territory_quarter
        where territory_type = ? and territory_code = ? and is_latest_period
        order by category""", [territory_type, territory_code])


def latest_hires(con, territory_type: str, territory_code: str) -> list[dict]:
    return records(con, """
        select grand_secteur, grand_secteur_code, sector_code, contract_nature, quarter, period, hires_raw,
               hires_sa, hires_raw_change_1y, hires_sa_change_1y, hires_raw_change_1y_note, unpublished_cells,
               unpublished_sa_cells, departements, published,
               context_only, context_note, is_demo
        from fct_hires_by_territory_quarter
        where territory_type = ? and territory_code = ? and is_latest_period
        order by grand_secteur_code nulls first, contract_nature desc""", [territory_type, territory_code])


def latest_market(con, territory_type: str, territory_code: str) -> list[dict]:
    return records(con, """
        select sector_code, quarter, period, period_label, territory_label, metiers, job_offers, job_offers_12m,
               metiers_with_job_offers, job_seekers_a, metiers_with_job_seekers_a, job_seekers_abc,
               metiers_with_job_seekers_abc, job_offers_missing, job_seekers_a_missing, job_seekers_abc_missing,
               is_demo
        from fct_market_by_territory_sector_quarter
        where territory_type = ? and territory_code = ? and is_latest_period""", [territory_type, territory_code])


def territory_departements(con, territory_type: str, territory_code: str) -> list[str]:
    """The départements of the territory's communes in its latest zoning (fetch asks them of the publishers;
    hires are shown for a territory's département)."""
    if territory_type == "departement":
        return [territory_code]
    rows = records(con, """select dept_code from bridge_territory_departement
                           where territory_type = ? and territory_code = ? order by 1""",
                   [territory_type, territory_code])
    return [row["dept_code"] for row in rows]


def hires_perimeter(con, territory_type: str, territory_code: str) -> tuple[tuple[str, str] | None, list[str]]:
    """Where the DPAE figures for a territory come from, and the départements of its communes: itself for France, a
    région or a département; for a bassin, zone d'emploi, EPCI, commune or list, its département when it lies in one
    (context only); None when it spans several départements or none is known (report words why)."""
    if territory_type in HIRES_TERRITORY_TYPES:
        return (territory_type, territory_code), []
    departements = territory_departements(con, territory_type, territory_code)
    if not departements:
        place = territory(con, territory_type, territory_code) or {}
        departements = [place["dept_code"]] if place.get("dept_code") else []
    return (("departement", departements[0]) if len(departements) == 1 else None), departements


def bassins_meeting(con, territory_type: str, territory_code: str) -> list[str]:
    """The bassins BMO of today's map (the newest BMO zoning loaded) whose communes meet the territory's (in its
    latest zoning): what France Travail's API is asked about. A bassin that only an older lexicon has keeps its
    own figures, but is no longer asked about."""
    rows = records(con, """
        select distinct bassin.territory_code
        from bridge_territory_commune as bassin
        join bridge_territory_commune as place using (commune_code)
        where bassin.territory_type = 'bassin_bmo'
            and bassin.zoning = (select max(zoning) from bridge_territory_commune where territory_type = 'bassin_bmo')
            and place.is_latest_zoning and place.territory_type = ? and place.territory_code = ?
        order by 1""", [territory_type, territory_code])
    return [row["territory_code"] for row in rows]


def sector_rome_codes(con) -> list[str]:
    """The ROME codes of our sectors (what the France Travail API is asked about)."""
    rows = records(con, "select distinct rome_code from bridge_sector_rome where sector_code <> 'ensemble' "
                        "order by 1", [])
    return [row["rome_code"] for row in rows]


# --- one sector of a territory and the places it is compared with (the zoom) ---------------------------


def _in(places: list[tuple[str, str]]) -> tuple[str, list]:
    """SQL condition and parameters selecting the places' (territory_type, territory_code)."""
    return (" or ".join("(territory_type = ? and territory_code = ?)" for _ in places),
            [value for place in places for value in place])


def employment_series(con, sector_code: str, territory_type: str, territory_code: str) -> list[dict]:
    """Employment and establishments by year, and the sector's share of all salaried employment."""
    return records(con, """
        select year, employees, establishments, apprentice_break_1y, share_of_employment
        from fct_employment_by_territory_sector_year
        where territory_type = ? and territory_code = ? and sector_code = ?
        order by year""", [territory_type, territory_code, sector_code])


def employment_coverage(con, places: list[tuple[str, str]]) -> list[dict]:
    """Per place, what its latest all-sector employment adds up: basis, communes with data, its communes."""
    condition, params = _in(places)
    return records(con, f"""
        select fact.territory_type, fact.territory_code, fact.basis, fact.communes_with_data,
               place.commune_count
        from fct_employment_by_territory_sector_year as fact
        join dim_territory as place using (territory_type, territory_code)
        where fact.sector_code = 'ensemble' and fact.is_latest_period and ({condition})""", params)


def employment_in_places(con, sector_code: str, places: list[tuple[str, str]]) -> list[dict]:
    condition, params = _in(places)
    return records(con, f"""
        select territory_type, territory_code, year, employees, share_of_employment
        from fct_employment_by_territory_sector_year
        where sector_code = ? and ({condition})
        order by year""", [sector_code, *params])


def projects_series(con, sector_code: str, territory_type: str, territory_code: str) -> list[dict]:
    return records(con, """
        select year, projects, difficult_share, seasonal_share, secret_cells, nomenclature_break, zoning_break
        from fct_projects_by_territory_sector_year
        where territory_type = ? and territory_code = ? and sector_code = ? order by year""",
                   [territory_type, territory_code, sector_code])


def projects_in_places(con, sector_code: str, places: list[tuple[str, str]], year: int) -> list[dict]:
    """The sector's and all sectors' BMO shares in each place for the survey year."""
    condition, params = _in(places)
    return records(con, f"""
        select territory_type, territory_code, sector_code, projects, difficult_share, seasonal_share,
               {SHARE_COLUMNS}
        from fct_projects_by_territory_sector_year
        where year = ? and sector_code in (?, 'ensemble') and ({condition})""", [year, sector_code, *params])


def tension_metiers(con, sector_code: str, territory_type: str, territory_code: str, year: int) -> list[dict]:
    """The sector's métiers with a tension class, highest first, with their six drivers (for the radar)."""
    return records(con, f"""
        select fact.metier_nomenclature, fact.metier_code, fact.metier_label, fact.tension_class, fact.main_driver,
               {', '.join('fact.' + driver for driver in DRIVERS)}, fact.source
        from fct_tension_by_territory_metier_year as fact
        join bridge_sector_tension_metier as bridge using (metier_nomenclature, metier_code)
        where fact.territory_type = ? and fact.territory_code = ? and fact.year = ? and bridge.sector_code = ?
            and fact.tension_class is not null
        order by fact.tension_class desc, fact.metier_code""", [territory_type, territory_code, year, sector_code])


def market_series(con, sector_code: str, territory_type: str, territory_code: str) -> list[dict]:
    return records(con, """
        select quarter, period, period_label, job_offers, job_seekers_a, job_seekers_abc
        from fct_market_by_territory_sector_quarter
        where territory_type = ? and territory_code = ? and sector_code = ?
        order by period""", [territory_type, territory_code, sector_code])


def job_seekers_series(con, territory_type: str, territory_code: str) -> list[dict]:
    return records(con, """
        select quarter, period, category, job_seekers, communes_with_data
        from fct_job_seekers_by_territory_quarter
        where territory_type = ? and territory_code = ? order by period, category""",
                   [territory_type, territory_code])
