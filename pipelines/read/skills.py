"""What the métiers of a sector ask (ROME 4.0): for a sector of a territory, its ROME métiers ranked by the territory's
recruitment projects where the marts can link them (else by tension, else by code: `ranked_by` says which), each
with its usual job titles, main savoir-faire, savoir-être and work contexts; and the skills several of the top
métiers share. Codes, labels from the files and numbers only: the wording is the report's."""

from pipelines.read.marts import present_tables, records

# How the métiers were ranked (sector_skills' "ranked_by"), best first: the projects of the BMO survey years in
# FAP 2009 (reached from ROME through bridge_rome_fap), the tension class by ROME code, the offers online, else the
# code alone. Ties (a tension class of 5 for most métiers) are broken by the offers online, then by code.
RANKINGS = ("projects", "tension", "offers", "code")
KINDS = ("savoir_faire", "savoir_etre", "savoir", "contexte_travail")
# Items of a métier, the core ones first ('principale', then 'emergente'), then in code order.
CORE_ORDER = "case core when 'principale' then 0 when 'emergente' then 1 else 2 end, item_code"


def _sector_codes(con, sector_code: str) -> list[dict]:
    """The sector's ROME codes found in the ROME 4.0 referential loaded, with their label."""
    return records(con, """
        select metier.rome_code, metier.rome_label
        from bridge_sector_rome as bridge join dim_rome_metier as metier using (rome_code)
        where bridge.sector_code = ? order by metier.rome_code""", [sector_code])


def _by_projects(con, codes: list[str], territory: tuple[str, str]) -> tuple[int, dict[str, float]] | None:
    """(year, {rome_code: projects}) from the latest BMO year in FAP 2009 with projects in the territory for the
    sector's codes: a ROME code gets the projects of each FAP 2009 métier it belongs to (a FAP métier holding
    several ROME codes counts for each of them: a ranking, not a count of the ROME code's own projects)."""
    if not {"fct_projects_by_territory_metier_year", "bridge_rome_fap"} <= present_tables(con):
        return None
    rows = records(con, """
        with linked as (
            select bridge.rome_code, fact.year, fact.projects
            from fct_projects_by_territory_metier_year as fact
            join bridge_rome_fap as bridge on bridge.fap2009_code = fact.metier_code
            where fact.nomenclature = 'fap2009' and fact.territory_type = ? and fact.territory_code = ?
                and list_contains(?, bridge.rome_code) and fact.projects is not null
        )
        select rome_code, year, sum(projects) as projects from linked
        where year = (select max(year) from linked) group by rome_code, year""", [*territory, codes])
    return (rows[0]["year"], {row["rome_code"]: row["projects"] for row in rows}) if rows else None


def _by_tension(con, codes: list[str], territory: tuple[str, str]) -> tuple[int, dict[str, float]] | None:
    """(year, {rome_code: tension class 1..5}) of the latest year of the tension indicators by ROME code in the
    territory (the files by ROME code give the class, not the score)."""
    if "fct_tension_by_territory_metier_year" not in present_tables(con):
        return None
    rows = records(con, """
        with scored as (
            select metier_code as rome_code, year, tension_class
            from fct_tension_by_territory_metier_year
            where metier_nomenclature = 'rome' and territory_type = ? and territory_code = ?
                and list_contains(?, metier_code) and tension_class is not null
        )
        select rome_code, year, max(tension_class) as tension_class from scored
        where year = (select max(year) from scored) group by rome_code, year""", [*territory, codes])
    return (rows[0]["year"], {row["rome_code"]: row["tension_class"] for row in rows}) if rows else None


def _by_offers(con, codes: list[str], territory: tuple[str, str]) -> tuple[str, dict[str, float]] | None:
    """(snapshot date, {rome_code: offers}) of the territory's latest offers snapshot, for the codes with offers."""
    if "fct_offer_metiers_by_territory_sector_snapshot" not in present_tables(con):
        return None
    rows = records(con, """
        with offers as (
            select rome_code, snapshot_date, max(offers) as offers  -- a code in two sectors is counted once
            from fct_offer_metiers_by_territory_sector_snapshot
            where territory_type = ? and territory_code = ? group by rome_code, snapshot_date
        )
        select rome_code, snapshot_date, offers from offers
        where snapshot_date = (select max(snapshot_date) from offers) and list_contains(?, rome_code)""",
                   [*territory, codes])
    return (str(rows[0]["snapshot_date"]), {row["rome_code"]: row["offers"] for row in rows}) if rows else None


def rank_metiers(con, sector_code: str, territory: tuple[str, str]) -> dict:
    """The sector's ROME métiers ranked for the territory: {"ranked_by", "year", "metiers": [{rome_code,
    rome_label, rank, value}]}; value is the projects or the tension class (None for a code ranked by code or
    without a figure: placed after those with one)."""
    metiers = _sector_codes(con, sector_code)
    codes = [metier["rome_code"] for metier in metiers]
    ranked_by, year, values = "code", None, {}
    for name, ranking in (("projects", _by_projects), ("tension", _by_tension), ("offers", _by_offers)):
        found = ranking(con, codes, territory) if codes else None
        if found:
            ranked_by, (year, values) = name, found
            break
    offers = (_by_offers(con, codes, territory) or (None, {}))[1] if codes else {}
    metiers.sort(key=lambda metier: (values.get(metier["rome_code"]) is None, -(values.get(metier["rome_code"]) or 0),
                                     -(offers.get(metier["rome_code"]) or 0), metier["rome_code"]))
    return {"ranked_by": ranked_by, "year": year,
            "metiers": [{**metier, "rank": rank, "value": values.get(metier["rome_code"])}
                        for rank, metier in enumerate(metiers, start=1)]}


def metier_items(con, rome_code: str, kind: str, limit: int) -> list[dict]:
    """A métier's items of one kind, its core ones first: [{item_code, item_label, item_category, core}]."""
    return records(con, f"""
        select item_code, item_label, item_category, core from bridge_rome_item
        where rome_code = ? and item_kind = ? order by {CORE_ORDER} limit ?""", [rome_code, kind, limit])


def appellations(con, rome_code: str, limit: int) -> list[dict]:
    """A métier's usual job titles: those France Travail does not mark rarely used first (the referential gives
    no frequency), in label order: [{appellation_code, appellation_label, rarely_used}]."""
    return records(con, """
        select appellation_code, appellation_label, rarely_used from dim_rome_appellation
        where rome_code = ? order by rarely_used, appellation_label, appellation_code limit ?""", [rome_code, limit])


def shared_items(con, rome_codes: list[str], kinds=("savoir_faire", "savoir_etre"), at_least: int = 2) -> list[dict]:
    """The items (savoir-faire and savoir-être by default) asked by at least `at_least` of `rome_codes`, most shared
    first: [{item_code, item_label, item_kind, metiers, rome_codes}]."""
    return records(con, """
        select item_code, any_value(item_label) as item_label, any_value(item_kind) as item_kind,
            count(distinct rome_code) as metiers, list(distinct rome_code order by rome_code) as rome_codes
        from bridge_rome_item
        where list_contains(?, rome_code) and list_contains(?, item_kind)
        group by item_code having count(distinct rome_code) >= ?
        order by metiers desc, item_kind, item_code""", [rome_codes, list(kinds), at_least])


def sector_skills(con, sector_code: str, territory: tuple[str, str], top: int = 5, per_kind: int = 5) -> dict:
    """For a sector of a territory (territory_type, territory_code): the ROME version loaded (None: no ROME file,
    and no métier), how the métiers were ranked (RANKINGS) and the year of that figure, its `top` métiers with
    their job titles, savoir-faire, savoir-être and work contexts (`per_kind` of each), and the skills at least
    two of them share."""
    if "dim_rome_metier" not in present_tables(con):
        return {"version": None, "ranked_by": "code", "year": None, "metiers": [], "shared": []}
    version = con.execute("select max(version) from dim_rome_metier").fetchall()[0][0]
    ranking = rank_metiers(con, sector_code, territory)
    metiers = [{**metier,
                "appellations": appellations(con, metier["rome_code"], per_kind),
                **{kind: metier_items(con, metier["rome_code"], kind, per_kind)
                   for kind in ("savoir_faire", "savoir_etre", "contexte_travail")}}
               for metier in ranking["metiers"][:top]]
    shared = shared_items(con, [metier["rome_code"] for metier in metiers]) if len(metiers) > 1 else []
    return {"version": version, "ranked_by": ranking["ranked_by"], "year": ranking["year"], "metiers": metiers,
            "shared": shared}
