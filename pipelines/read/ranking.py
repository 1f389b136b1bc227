"""Rank every territory of a level on one indicator: the numbers behind the explorer's "Classement" and "Métiers"
views and `python -m pipelines rank` (one read function for all three). No wording here (report/ranking.py).

The catalogue has three kinds of entries, each added on its own:
- `DIMENSIONS`: what a "sector" is (the four sectors and 'ensemble', a NAF A38 section, a FAP family, a métier
  by its FAP or ROME code): how it is written (`btp`, `a38:CZ`, `famille:B2X`, `fap:B2X31`, `rome:F1703`);
- `TABLES`: one mart holding a source's measures along one dimension (its key column, the territory levels it has);
  a new mart (C's A38 or FAP-family marts) is one entry here, read only when the marts hold it;
- `INDICATORS`: one measure of a source (the column, its unit, what makes a value secret or incomplete); it is
  read from every table of its source, so an indicator exists for every dimension its source has.

Ranks are computed in SQL on the unrounded values, highest value first (rank 1), ties sharing the lowest rank
(SQL `rank()`: 1, 2, 2, 4). `percentile` is the share of the OTHER ranked territories whose value is strictly
lower (SQL `percent_rank()` in ascending order: 1.0 for the highest, 0.0 for the lowest, None when one territory
alone is ranked). A value that is NULL (secret, or not published) is not ranked; it is counted.

Scope (`fr`, `reg:53`, `dep:35`): a territory is in a région / département when one of its communes (latest zoning,
bridge_territory_commune) is; with no commune known, its own parent codes of dim_territory decide. So a bassin that
spans several départements (dim_territory.dept_code NULL: no single parent) is ranked in each of them, with
`straddles` set: part of its communes lie outside the scope, and its figure covers them too.
"""

import re
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from pipelines.read.marts import communes_incomplete_sql, present_tables, records
from pipelines.read.territories import TERRITORY_PREFIXES

# Levels a ranking compares (France is one territory; the user's lists are perimeters, not a level).
LEVELS = ("bassin_bmo", "zone_emploi", "epci", "departement", "region", "commune")
# A scope is France or one région / département; it must be coarser than the level ranked.
SCOPE_TYPES = {"fr": "france", "reg": "region", "dep": "departement"}
SCOPE_PARENT_COLUMN = {"region": "region_code", "departement": "dept_code"}
COARSER = {"france": set(LEVELS), "region": set(LEVELS) - {"region"},
           "departement": set(LEVELS) - {"region", "departement"}}


@dataclass(frozen=True)
class Dimension:
    """What a ranking's "sector" is: `prefix:code` (no prefix for the sectors of sectors.toml and 'ensemble')."""
    code: str
    prefix: str  # '' for the sectors
    pattern: str  # what a code of it looks like (checked before any query)


DIMENSIONS = {
    "secteur": Dimension("secteur", "", r"[a-z_]{1,40}"),
    "a38": Dimension("a38", "a38", r"[A-Z]{2}"),
    # FAP codes: B2X31, T2A60 (FAP 2009), QAX01 (FAP 2021's public-service families): letter, two letters or
    # digits, two digits; a family is the first three characters.
    "famille": Dimension("famille", "famille", r"[A-Z][0-9A-Z]{2}"),
    "fap": Dimension("fap", "fap", r"[A-Z][0-9A-Z]{2}[0-9]{2}"),
    "rome": Dimension("rome", "rome", r"[A-Z][0-9]{4}"),
}
BMO_LEVELS = ("bassin_bmo", "departement", "region")
URSSAF_LEVELS = ("commune", "epci", "zone_emploi", "bassin_bmo", "departement", "region")
# The A38 mart stops at the EPCI: by commune it would hold 17.6 million rows nationwide (its SQL says so).
A38_LEVELS = tuple(level for level in URSSAF_LEVELS if level != "commune")
TENSION_LEVELS = ("bassin_bmo", "departement", "region")
JOB_SEEKERS_LEVELS = ("commune", "epci", "zone_emploi", "bassin_bmo", "departement", "region")


@dataclass(frozen=True)
class Table:
    """One mart holding a source's measures along one dimension."""
    source: str  # 'bmo', 'urssaf', 'tension', 'job_seekers'
    dimension: str
    mart: str
    key: str | None  # the column holding the dimension's code; None: the mart has no sector ('ensemble' only)
    levels: tuple[str, ...]
    period: str = "year"  # 'year', or 'period' (a quarter's first day) for quarterly marts
    where: str = ""  # a fixed condition of the mart's rows (code, never user input)
    columns: dict[str, str] = field(default_factory=dict)  # indicator column -> this mart's column where they differ
    labels: str | None = None  # the dimension table naming its codes, when not DIMENSION_TABLES[dimension]'s


TABLES = (
    Table("bmo", "secteur", "fct_projects_by_territory_sector_year", "sector_code", BMO_LEVELS),
    Table("bmo", "famille", "fct_projects_by_territory_family_year", "family_code", BMO_LEVELS),
    Table("bmo", "fap", "fct_projects_by_territory_metier_year", "metier_code", BMO_LEVELS),
    Table("urssaf", "secteur", "fct_employment_by_territory_sector_year", "sector_code", URSSAF_LEVELS),
    Table("urssaf", "a38", "fct_employment_by_territory_a38_year", "a38_code", A38_LEVELS),
    Table("tension", "secteur", "fct_tension_by_territory_sector_year", "sector_code", TENSION_LEVELS),
    # The tension files' families are FAP 2009 ones (A0Z), named apart from the BMO files' (dim_fap_family).
    Table("tension", "famille", "fct_tension_by_territory_family_year", "family_code", TENSION_LEVELS,
          labels="dim_fap2009_family"),
    Table("tension", "fap", "fct_tension_by_territory_metier_year", "metier_code", TENSION_LEVELS,
          where="fact.metier_nomenclature = 'fap2009'",
          columns={"tension_level": "tension_class"}),
    Table("tension", "rome", "fct_tension_by_territory_metier_year", "metier_code", TENSION_LEVELS,
          where="fact.metier_nomenclature = 'rome'",
          columns={"tension_level": "tension_class"}),
    Table("job_seekers", "secteur", "fct_job_seekers_by_territory_quarter", None, JOB_SEEKERS_LEVELS,
          period="period"),
)

# What makes a value incomplete (ranked, but flagged and counted): BMO sums that leave secret cells out; URSSAF and
# job-seeker sums over part of the territory's communes (the server's own totals, basis 'aggregate', are complete).
BMO_SUM_INCOMPLETE = "coalesce(fact.secret_cells, 0) > 0"
COMMUNES_INCOMPLETE = communes_incomplete_sql("fact", "place")  # unknown commune count: incomplete
URSSAF_INCOMPLETE = f"fact.basis = 'communes' and {COMMUNES_INCOMPLETE}"


@dataclass(frozen=True)
class Indicator:
    """One measure of a source: the column of its marts, its unit ('count', 'share', 'change', 'level': an
    average of classes 1 to 5, 'class': one published class 1 to 5)."""
    code: str  # as the URL and the command line write it
    source: str
    column: str
    unit: str
    secret: str = "false"  # SQL: the value is missing because cells behind it are secret ('s', not 'n.d.')
    incomplete: str = "false"  # SQL: the value is ranked but does not cover everything (see above)
    where: str = ""  # a fixed condition (job seekers' category)
    levels: tuple[str, ...] | None = None  # the levels it is published at, when fewer than its tables'


def _bmo_share(measure: str) -> Indicator:
    return Indicator(f"part_{'difficiles' if measure == 'difficult' else 'saisonniers'}", "bmo", f"{measure}_share",
                     "share", secret=f"coalesce(fact.secret_cells + fact.{measure}_secret_cells, 0) > 0",
                     incomplete=f"coalesce(fact.{measure}_share_is_lower_bound, false)")


BMO_SECRET = "coalesce(fact.secret_cells, 0) > 0"
INDICATORS = {indicator.code: indicator for indicator in (
    Indicator("projets", "bmo", "projects", "count", BMO_SECRET, BMO_SUM_INCOMPLETE),
    Indicator("projets_evolution", "bmo", "projects_change", "change", BMO_SECRET, BMO_SUM_INCOMPLETE),
    Indicator("difficiles", "bmo", "difficult", "count", BMO_SECRET, BMO_SUM_INCOMPLETE),
    _bmo_share("difficult"),
    Indicator("saisonniers", "bmo", "seasonal", "count", BMO_SECRET, BMO_SUM_INCOMPLETE),
    _bmo_share("seasonal"),
    Indicator("emploi", "urssaf", "employees", "count", incomplete=URSSAF_INCOMPLETE),
    Indicator("emploi_evolution_1an", "urssaf", "employees_change_1y", "change", incomplete=URSSAF_INCOMPLETE),
    Indicator("emploi_evolution_5ans", "urssaf", "employees_change_5y", "change", incomplete=URSSAF_INCOMPLETE),
    Indicator("part_emploi", "urssaf", "share_of_employment", "share", incomplete=URSSAF_INCOMPLETE),
    Indicator("etablissements", "urssaf", "establishments", "count", incomplete=URSSAF_INCOMPLETE),
    Indicator("etablissements_evolution_1an", "urssaf", "establishments_change_1y", "change",
              incomplete=URSSAF_INCOMPLETE),
    Indicator("etablissements_evolution_5ans", "urssaf", "establishments_change_5y", "change",
              incomplete=URSSAF_INCOMPLETE),
    Indicator("tension", "tension", "tension_level", "level"),
    Indicator("metiers_en_tension", "tension", "metiers_in_tension", "count"),
    # A FAP 2009 family's own class, as the 2019 file publishes it by département, région and France (only the
    # family mart has the column, so only families offer it).
    Indicator("tension_publiee", "tension", "published_tension_class", "class", levels=("departement", "region")),
    Indicator("demandeurs_a", "job_seekers", "job_seekers", "count", incomplete=COMMUNES_INCOMPLETE,
              where="fact.category = 'A'"),
    Indicator("demandeurs_abc", "job_seekers", "job_seekers", "count", incomplete=COMMUNES_INCOMPLETE,
              where="fact.category = 'ABC'"),
    Indicator("demandeurs_a_evolution", "job_seekers", "change_1y", "change", incomplete=COMMUNES_INCOMPLETE,
              where="fact.category = 'A'"),
    Indicator("demandeurs_abc_evolution", "job_seekers", "change_1y", "change", incomplete=COMMUNES_INCOMPLETE,
              where="fact.category = 'ABC'"),
)}
DEFAULT_INDICATOR = "projets"
DEFAULT_SECTOR = "ensemble"


def _level_name(level: str) -> str:
    """A level as the command line and the error messages write it ('bassin', 'dep'…)."""
    return {kind: prefix for prefix, kind in TERRITORY_PREFIXES.items()}.get(level, level[:40])


LEVEL_NAMES = ", ".join(map(_level_name, LEVELS))


class RankingError(LookupError):
    """An indicator, sector, level, scope or year that cannot be ranked (its message says why, in French)."""


def parse_sector(spec: str) -> tuple[str, str]:
    """'btp' -> ('secteur', 'btp'); 'a38:CZ' -> ('a38', 'CZ'); 'fap:b2x31' -> ('fap', 'B2X31')."""
    prefix, colon, code = spec.strip().partition(":")
    if not colon:
        prefix, code = "", prefix.lower()
    dimension = next((d for d in DIMENSIONS.values() if d.prefix == prefix.lower()), None)
    code = code.strip() if dimension is None or dimension.prefix == "" else code.strip().upper()
    if dimension is None or not re.fullmatch(dimension.pattern, code):
        forms = "btp, ensemble…, " + ", ".join(f"{d.prefix}:CODE" for d in DIMENSIONS.values() if d.prefix)
        raise RankingError(f"secteur ou métier « {spec[:40]} » invalide ; formes acceptées : {forms}")
    return dimension.code, code


def sector_spec(dimension: str, code: str) -> str:
    prefix = DIMENSIONS[dimension].prefix
    return f"{prefix}:{code}" if prefix else code


def parse_scope(spec: str) -> tuple[str, str]:
    """'fr' -> ('france', 'FR'); 'reg:53' -> ('region', '53'); 'dep:35' -> ('departement', '35')."""
    prefix, _, code = spec.strip().partition(":")
    kind = SCOPE_TYPES.get(prefix.lower())
    code = code.strip().upper()
    if kind == "france" and not code:
        return kind, "FR"
    if kind in ("region", "departement") and re.fullmatch(r"[0-9AB]{2,3}", code):
        return kind, code.zfill(2)
    raise RankingError(f"échelle « {spec[:40]} » invalide ; formes acceptées : fr, reg:CODE, dep:CODE")


def scope_spec(scope: tuple[str, str]) -> str:
    kind, code = scope
    return "fr" if kind == "france" else f"{'reg' if kind == 'region' else 'dep'}:{code}"


def levels_of(table: Table, indicator: str) -> tuple[str, ...]:
    """The levels `table` has `indicator` at."""
    published = INDICATORS[indicator].levels
    return tuple(level for level in table.levels if published is None or level in published)


def tables(con, indicator: str, dimension: str | None = None) -> list[Table]:
    """The tables in the marts an indicator is read from (all its dimensions, or one)."""
    present = present_tables(con)
    source = INDICATORS[indicator].source
    return [table for table in TABLES if table.source == source and table.mart in present
            and (dimension is None or table.dimension == dimension)]


def table_for(con, indicator: str, sector: str) -> Table:
    """The table that holds `indicator` for `sector` (a spec), or RankingError saying why there is none."""
    if indicator not in INDICATORS:
        raise RankingError(f"indicateur « {indicator[:40]} » inconnu ; indicateurs : {', '.join(INDICATORS)}")
    dimension, code = parse_sector(sector)
    found = tables(con, indicator, dimension)
    if not found:
        raise RankingError(f"l'indicateur « {indicator} » n'existe pas pour « {sector_spec(dimension, code)} »")
    column = found[0].columns.get(INDICATORS[indicator].column)
    if column is None and not _has_column(con, found[0].mart, INDICATORS[indicator].column):
        raise RankingError(f"l'indicateur « {indicator} » n'existe pas pour « {sector_spec(dimension, code)} »")
    if found[0].key is None and code != "ensemble":
        raise RankingError(f"l'indicateur « {indicator} » n'existe que pour l'ensemble des secteurs (ensemble)")
    return found[0]


@dataclass(frozen=True)
class Ranking:
    """Every territory of `level` in `scope`, ranked on `indicator` for `sector` in `year`.

    `table` (pandas, ranked order then unranked by name): territory_code, territory_name, value (unrounded),
    rank, tied, percentile, secret (a missing value hides secret cells), incomplete, straddles (part of the
    territory's communes outside the scope), is_demo."""
    indicator: str
    unit: str
    source: str
    sector: str  # spec: 'btp', 'a38:CZ', 'fap:B2X31'...
    level: str
    scope: tuple[str, str]
    year: int | None
    period: date | None  # the quarter read, for a quarterly source
    years: list[int]
    table: pd.DataFrame
    ranked: int
    secret: int
    missing: int  # no value and not secret: not published, or no row
    incomplete: int
    median: float | None  # of every ranked value, incomplete ones included (report.ranking.median_text says so)
    is_demo: bool

    def place(self, code: str) -> dict | None:
        """The row of one territory (None when it is not in the ranking)."""
        rows = self.table[self.table["territory_code"] == code]
        return None if rows.empty else rows.iloc[0].to_dict()


def years(con, indicator: str, sector: str, level: str) -> list[int]:
    """The years the indicator has for the sector at that level, oldest first."""
    table = table_for(con, indicator, sector)
    where, params = _rows_condition(table, INDICATORS[indicator], sector, level)
    year = "year(fact.period)" if table.period == "period" else "fact.year"
    rows = records(con, f"select distinct {year} as year from {table.mart} as fact where {where} order by 1", params)
    return [row["year"] for row in rows]


def _rows_condition(table: Table, indicator: Indicator, sector: str, level: str) -> tuple[str, list]:
    conditions, params = ["fact.territory_type = ?"], [level]
    if table.key is not None:
        conditions.append(f"fact.{table.key} = ?")
        params.append(parse_sector(sector)[1])
    conditions += [condition for condition in (table.where, indicator.where) if condition]
    return " and ".join(conditions), params


def _members(level: str, scope: tuple[str, str]) -> tuple[str, list]:
    """SQL (territory_code, straddles) of the level's territories in the scope, and its parameters."""
    kind, code = scope
    if kind == "france":
        return ("select territory_code, false as straddles from dim_territory where territory_type = ?", [level])
    column = SCOPE_PARENT_COLUMN[kind]
    return (f"""
        with via_communes as (
            select member.territory_code, count(*) filter (where commune.{column} = ?) as inside, count(*) as communes
            from bridge_territory_commune as member
            join dim_territory as commune
                on commune.territory_type = 'commune' and commune.territory_code = member.commune_code
            where member.is_latest_zoning and member.territory_type = ?
            group by member.territory_code
        )
        select place.territory_code, coalesce(via.inside < via.communes, false) as straddles
        from dim_territory as place
        left join via_communes as via using (territory_code)
        where place.territory_type = ?
            and coalesce(via.inside > 0, place.{column} = ?, false)""", [code, level, level, code])


def rank(con, indicator: str, sector: str, level: str, scope: str | tuple[str, str], year: int | None = None
         ) -> Ranking:
    """See the module's docstring. `year` None: the latest year the indicator has for the sector and level (for a
    quarterly source, the last quarter of the year). RankingError for what cannot be ranked."""
    table = table_for(con, indicator, sector)
    about = INDICATORS[indicator]
    scope = parse_scope(scope) if isinstance(scope, str) else scope
    if level not in LEVELS:
        raise RankingError(f"niveau « {_level_name(level)} » non classable ; niveaux : {LEVEL_NAMES}")
    if level not in levels_of(table, indicator):
        raise RankingError(f"l'indicateur « {indicator} » n'est pas publié à ce niveau ({_level_name(level)}) ; "
                           f"niveaux : {', '.join(map(_level_name, levels_of(table, indicator)))}")
    if level not in COARSER[scope[0]]:
        raise RankingError(f"l'échelle « {scope_spec(scope)} » n'est pas plus large que le niveau classé "
                           f"({_level_name(level)})")
    available = years(con, indicator, sector, level)
    if not available:
        raise RankingError(f"aucune donnée chargée pour l'indicateur « {indicator} » et "
                           f"« {sector_spec(*parse_sector(sector))} » à ce niveau ({_level_name(level)})")
    if year is None:
        year = available[-1]
    if year not in available:
        shown = ", ".join(map(str, available)) or "aucune"
        raise RankingError(f"année {year} non chargée pour cet indicateur à ce niveau (années : {shown})")
    where, params = _rows_condition(table, about, sector, level)
    period = None
    if table.period == "period" and year is not None:
        period = records(con, f"select max(fact.period) as period from {table.mart} as fact "
                              f"where {where} and year(fact.period) = ?", [*params, year])[0]["period"]
        where, params = f"{where} and fact.period = ?", [*params, period]
    else:
        where, params = f"{where} and fact.year = ?", [*params, year]
    column = table.columns.get(about.column, f"fact.{about.column}")
    members, member_params = _members(level, scope)
    frame = _frame(con, f"""
        with fact as (
            select fact.territory_code, ({column})::double as value, ({about.secret}) as secret,
                ({about.incomplete}) as incomplete, fact.is_demo
            from {table.mart} as fact
            left join dim_territory as place using (territory_type, territory_code)
            where {where}
        ),
        members as ({members})
        select members.territory_code, coalesce(place.territory_name, members.territory_code) as territory_name,
            fact.value,
            case when fact.value is not null then rank() over (partition by fact.value is null
                order by fact.value desc) end as rank,
            fact.value is not null and count(*) over (partition by fact.value) > 1 as tied,
            case when fact.value is not null and count(fact.value) over () > 1 then percent_rank() over (
                partition by fact.value is null order by fact.value) end as percentile,
            fact.value is null and coalesce(fact.secret, false) as secret,
            fact.value is not null and coalesce(fact.incomplete, false) as incomplete,
            members.straddles,
            coalesce(fact.is_demo, false) as is_demo
        from members
        left join fact using (territory_code)
        left join dim_territory as place on place.territory_type = ? and place.territory_code = members.territory_code
        order by rank nulls last, territory_name, members.territory_code""",
                   [*params, *member_params, level])
    values = frame["value"].dropna()
    return Ranking(
        indicator=indicator, unit=about.unit, source=about.source, sector=sector_spec(*parse_sector(sector)),
        level=level, scope=scope, year=year, period=period, years=available, table=frame,
        ranked=len(values), secret=int(frame["secret"].sum()), missing=int(frame["value"].isna().sum()
                                                                            - frame["secret"].sum()),
        incomplete=int(frame["incomplete"].sum()), median=float(values.median()) if len(values) else None,
        is_demo=bool(frame["is_demo"].any()))


def _frame(con, sql: str, params: list) -> pd.DataFrame:
    cursor = con.cursor()
    try:
        return cursor.execute(sql, params).df()
    finally:
        cursor.close()


# --- choices offered to the user -------------------------------------------------------------------------------


def indicator_choices(con, level: str | None = None, dimension: str = "secteur", sector: str | None = None
                      ) -> list[str]:
    """The indicators that can be ranked for `dimension` (at `level`, if given): a table of the marts holds their
    column and has rows (for `sector`, a spec of that dimension, at `level`, when both are given: a FAP 2009 family
    has tension but no BMO figure in a FAP 2021 survey). Catalogue order."""
    return [code for code in INDICATORS
            if any(_usable(con, code, table) and (level is None or level in levels_of(table, code))
                   and (sector is None or level is None or _has_rows(con, code, table, sector, level))
                   for table in tables(con, code, dimension))]


def _has_rows(con, indicator: str, table: Table, sector: str, level: str) -> bool:
    """Whether the sector has a figure (published, or secret: counted) for the indicator at `level`."""
    about = INDICATORS[indicator]
    where, params = _rows_condition(table, about, sector, level)
    column = table.columns.get(about.column, about.column)
    return bool(records(con, f"""select 1 as found from {table.mart} as fact
        where {where} and (fact.{column} is not null or {about.secret}) limit 1""", params))


def _usable(con, indicator: str, table: Table) -> bool:
    column = INDICATORS[indicator].column
    return (column in table.columns or _has_column(con, table.mart, column)) and bool(
        records(con, f"select 1 as found from {table.mart} limit 1", []))


def sector_choices(con, indicator: str, level: str | None = None) -> list[tuple[str, str]]:
    """(spec, label) of every sector the indicator has (at `level`, when given): the sectors of sectors.toml and
    'ensemble', then the other dimensions' codes (A38 sections, FAP families) with their label where the marts
    have one."""
    choices = []
    for table in tables(con, indicator):
        if (level is not None and level not in levels_of(table, indicator)) or not _usable(con, indicator, table):
            continue  # e.g. a family's published class: the sector mart has no such column
        if table.dimension == "secteur":
            if table.key is None:
                choices.append(("ensemble", None))
                continue
            rows = records(con, f"""select sector.sector_code as code, sector.label from dim_sector as sector
                semi join {table.mart} as fact on fact.{table.key} = sector.sector_code
                order by sector.sort_order""", [])
        elif table.labels or table.dimension in DIMENSION_TABLES:
            named_by = table.labels or DIMENSION_TABLES[table.dimension]
            rows = records(con, f"""select dim.{table.key} as code, {LABELS[named_by]} as label
                from {named_by} as dim
                semi join {table.mart} as fact on fact.{table.key} = dim.{table.key}
                where dim.{table.key} <> 'ensemble' order by 1""", [])
        else:
            continue  # métiers are picked in their own view
        choices += [(sector_spec(table.dimension, row["code"]), row["label"]) for row in rows]
    return choices


# The dimension tables naming the codes of a dimension (C's marts), and each table's label expression. A FAP family
# without a label in the loaded files is named by its métiers, and says its nomenclature: FAP 2009 families (A0Z: the
# tension files, older BMO surveys) and FAP 2021 ones (A0X: BMO from 2022) are two nomenclatures, and a few codes
# (G0A, T2A...) are in both.
DIMENSION_TABLES = {"a38": "dim_a38", "famille": "dim_fap_family"}


def _first_labels(column: str) -> str:
    """SQL: the first three labels of a list, ', …' saying there are more (a family named by what it holds)."""
    return f"array_to_string({column}[1:3], ', ') || if(len({column}) > 3, ', …', '')"


FAMILY_NAME = f"coalesce(dim.label, {_first_labels('dim.metier_labels')}"
# A BMO family's nomenclatures, as its label's end says them: '(FAP 2021)', '(FAP 2009, FAP 2021)'.
BMO_FAMILY_NOMENCLATURES = ("'(' || array_to_string(list_transform(dim.nomenclatures, "
                            "lambda n: 'FAP ' || right(n, 4)), ', ') || ')'")
LABELS = {
    "dim_a38": "dim.label",
    "dim_fap_family": f"concat_ws(' ', {FAMILY_NAME}), {BMO_FAMILY_NOMENCLATURES})",
    "dim_fap2009_family": f"concat_ws(' ', {FAMILY_NAME}, {_first_labels('dim.rome_labels')}), "
                          "'(FAP 2009)')",
}


def _has_column(con, mart: str, column: str) -> bool:
    return bool(records(con, "select 1 as found from information_schema.columns where table_name = ? "
                             "and column_name = ?", [mart, column]))


def metier_choices(con) -> list[dict]:
    """Every métier that can be followed across territories: métiers by FAP code (the BMO files', and the FAP 2009
    métiers of the tension files), FAP families once their marts are built (the BMO files' and the tension files'
    FAP 2009 ones: a code in both, such as G0A, is one choice whose label names each, nomenclature said), ROME codes
    of the tension files. spec, code, label, nomenclature ('fap2021', 'fap2009', 'famille', 'rome'); by spec."""
    present = present_tables(con)
    families = f"""
            union all
            select 'famille:' || family_code, family_code, {LABELS['dim_fap_family']}, 'famille'
            from dim_fap_family as dim where family_code <> 'ensemble'""" if "dim_fap_family" in present else ""
    if "dim_fap2009_family" in present:
        families += f"""
            union all
            select 'famille:' || family_code, family_code, {LABELS['dim_fap2009_family']}, 'famille'
            from dim_fap2009_family as dim"""
    return records(con, f"""
        with candidates as (
            select 'fap:' || metier_code as spec, metier_code as code, metier_label as label, nomenclature
            from dim_metier where nomenclature <> 'inconnue'
            union all
            select 'fap:' || metier_code, metier_code, metier_label, 'fap2009'
            from fct_tension_by_territory_metier_year where metier_nomenclature = 'fap2009'
            {families}
            union all
            select 'rome:' || metier_code, metier_code, metier_label, 'rome'
            from fct_tension_by_territory_metier_year where metier_nomenclature = 'rome'
        )
        select spec, any_value(code) as code,
            if(min(nomenclature) = 'famille', string_agg(distinct label, ' / ' order by label), max(label)) as label,
            min(nomenclature) as nomenclature
        from candidates group by spec order by spec""", [])


def rome_families(con, rome_code: str) -> list[dict]:
    """The FAP 2009 métiers a ROME code belongs to (the DARES ROME → FAP correspondence, bridge_rome_fap), whose
    BMO projects (FAP 2009 survey years) and tension (2019 file) can be ranked."""
    if "bridge_rome_fap" not in present_tables(con):
        return []
    return records(con, """
        select fap2009_code as code, fap2009_label as label from bridge_rome_fap where rome_code = ? order by 1""",
                   [rome_code])


def scope_choices(con, level: str) -> list[tuple[str, str, str]]:
    """(spec, kind, name) of the scopes coarser than `level`: France, the régions, the départements."""
    rows = records(con, """
        select territory_type, territory_code, territory_name from dim_territory
        where territory_type in ('region', 'departement') order by territory_type desc, territory_code""", [])
    return [("fr", "france", "France")] + [
        (scope_spec((row["territory_type"], row["territory_code"])), row["territory_type"], row["territory_name"])
        for row in rows if level in COARSER[row["territory_type"]]]
