"""Specialisation and change of a territory's activity, from the marts: numbers, flags and codes, no wording
(report/specialisation.py words and draws them; the explorer's views and `python -m pipelines specialisation`
both read through here).

- Location quotient (LQ): a sector's share of the territory's salaried employment (URSSAF) or of its recruitment
  projects (BMO) over the same share in a reference area (France, the territory's région or département, or a
  peer group summed). Both shares come from one source: one mart feeds a result, never two.
- Shift-share (Insee's "structurel-résiduel"): the change of salaried employment between two years, split per
  NAF A38 section into a reference effect (the section's jobs had grown as all jobs of the reference area), a
  sector-mix effect (as the section grew there, over the whole) and a local effect (the rest). Computed on
  fractions, so the three effects add up exactly to the change, per section and in total.
"""

from dataclasses import dataclass, field
from fractions import Fraction

from pipelines.read.marts import communes_partial, records
from pipelines.read.ranking import A38_LEVELS

SOURCES = ("urssaf", "bmo")
REFERENCES = ("fr", "reg", "dep", "pairs")
# Location-quotient bands, on unrounded values: above 1.5, above 1.25 (to 1.5), from 0.75 to 1.25, below 0.75.
BANDS = ("tres_specialise", "specialise", "moyenne", "sous_represente")
# BMO is published per bassin and summed to département, région and France only.
BMO_LEVELS = ("bassin_bmo", "departement", "region", "france")
# Per source: the marts of the four sectors and of the detailed groups, the measure, the detail's dimension.
MARTS = {
    "urssaf": {"sector": "fct_employment_by_territory_sector_year", "detail": "fct_employment_by_territory_a38_year",
               "detail_code": "a38_code", "detail_dim": "dim_a38", "measure": "employees"},
    "bmo": {"sector": "fct_projects_by_territory_sector_year", "detail": "fct_projects_by_territory_family_year",
            "detail_code": "family_code", "detail_dim": "dim_fap_family", "measure": "projects"},
}
TOTAL = "ensemble"
OTHER = "autre"  # shift-share: the activity in no A38 section (APE codes of no known division)


@dataclass(frozen=True)
class Place:
    """A territory, or a reference area: one territory, or a peer group (several of one level, summed)."""
    kind: str  # 'territoire', or the reference asked: 'fr', 'reg', 'dep', 'pairs'
    territory_type: str
    codes: tuple[str, ...]
    names: tuple[str, ...]


@dataclass(frozen=True)
class Coverage:
    """How complete a place's figures are. URSSAF: communes held by the files over the place's communes (basis
    'aggregate' = the server's own complete sums; an unknown commune count is partial, marts.communes_partial);
    BMO: secret cells of its whole (counted as nothing), which make every share of it partial."""
    places_with_data: int  # of the place's codes, those with a figure that year
    places: int
    communes_with_data: int | None = None
    commune_count: int | None = None
    secret_cells: int | None = None

    @property
    def partial(self) -> bool:
        return (self.places_with_data < self.places or communes_partial(self.communes_with_data, self.commune_count)
                or bool(self.secret_cells))


@dataclass(frozen=True)
class Quotient:
    group: str  # 'secteur', 'a38' or 'famille'
    code: str
    label: str
    value: int | None  # employees or projects of the group in the territory (None: secret)
    total: int | None
    reference_value: int | None
    reference_total: int | None
    secret_cells: int = 0  # BMO: secret cells of the group, territory and reference
    share: float | None = None
    reference_share: float | None = None
    quotient: float | None = None
    band: str | None = None
    status: str = "ok"  # 'ok', 'partiel' (secret cells or missing communes), 'secret', 'sans_reference',
    # 'non_representatif' (a sector the source covers in small part: dim_sector.caveat_naf, URSSAF only)
    caveat: str | None = None  # why it is not representative


@dataclass(frozen=True)
class Specialisation:
    source: str
    year: int
    years: list[int]  # years with figures for both the territory and the reference
    territory: Place
    reference: Place
    coverage: Coverage
    reference_coverage: Coverage
    sectors: list[Quotient]
    details: list[Quotient]  # A38 sections (URSSAF) or FAP families (BMO)
    is_demo: bool = False
    details_missing: str | None = None  # why there are no details (said in French), e.g. no A38 mart by commune


@dataclass(frozen=True)
class Shift:
    code: str
    label: str
    start: int
    end: int
    reference_start: int
    reference_end: int
    change: float
    national: float  # the reference effect ("effet national" when the reference is France)
    mix: float
    local: float
    growth: float | None  # the territory's growth of the section (None: nothing at the start)
    reference_growth: float | None


@dataclass(frozen=True)
class ShiftShare:
    start_year: int
    end_year: int
    years: list[int]
    territory: Place
    reference: Place
    reference_growth: float
    rows: list[Shift]
    total: Shift
    coverage: Coverage  # end year
    reference_coverage: Coverage
    apprentice_break: bool  # apprentices count from 2023: a period across it compares unlike figures
    is_demo: bool = False
    exact: dict = field(default_factory=dict, repr=False)  # code -> (change, national, mix, local) as Fractions
    start_coverage: Coverage | None = None
    reference_start_coverage: Coverage | None = None

    @property
    def communes_differ(self) -> bool:
        """The communes with data are not the same in both years: the change mixes coverage and employment."""
        return any(start is not None and start.communes_with_data != end.communes_with_data
                   for start, end in ((self.start_coverage, self.coverage),
                                      (self.reference_start_coverage, self.reference_coverage)))

    @property
    def partial(self) -> bool:
        """Partial when either year is partial, for the territory or the reference, or the communes differ."""
        return self.communes_differ or any(coverage is not None and coverage.partial for coverage in (
            self.coverage, self.reference_coverage, self.start_coverage, self.reference_start_coverage))


def band(quotient: float | None) -> str | None:
    if quotient is None:
        return None
    if quotient > 1.5:
        return "tres_specialise"
    if quotient > 1.25:
        return "specialise"
    return "moyenne" if quotient >= 0.75 else "sous_represente"


def place(con, territory_type: str, territory_code: str) -> Place:
    rows = records(con, "select territory_name from dim_territory where territory_type = ? and territory_code = ?",
                   [territory_type, territory_code])
    if not rows:
        raise LookupError(f"territoire {territory_type} {territory_code} inconnu des marts")
    return Place("territoire", territory_type, (territory_code,), (rows[0]["territory_name"],))


def reference_place(con, territory: Place, kind: str = "fr", peers: tuple[str, ...] = ()) -> Place:
    """The reference area asked for the territory; LookupError (said in French) when it has none."""
    if kind not in REFERENCES:
        raise LookupError(f"référence « {kind} » inconnue ; possibles : {', '.join(REFERENCES)}")
    if kind == "fr":
        return Place("fr", "france", ("FR",), ("France",))
    if kind == "pairs":
        codes = tuple(dict.fromkeys(code for code in peers if code))
        if not codes:
            raise LookupError("référence « pairs » : aucun territoire pair donné")
        rows = records(con, """select territory_code, territory_name from dim_territory
            where territory_type = ? and territory_code in (select unnest(?::varchar[]))""",
                       [territory.territory_type, list(codes)])
        names = {row["territory_code"]: row["territory_name"] for row in rows}
        unknown = [code for code in codes if code not in names]
        if unknown:
            raise LookupError(f"pairs inconnus à ce niveau : {', '.join(unknown)}")
        return Place("pairs", territory.territory_type, codes, tuple(names[code] for code in codes))
    level, column = {"reg": ("region", "region_code"), "dep": ("departement", "dept_code")}[kind]
    contains = ("france", "region") if kind == "reg" else ("france", "region", "departement")
    if territory.territory_type in contains:
        raise LookupError(f"référence « {kind} » sans objet pour ce territoire : il la contient ou il l'est")
    rows = records(con, f"""
        select reference.territory_code, reference.territory_name
        from dim_territory as territory
        join dim_territory as reference
            on reference.territory_type = ? and reference.territory_code = territory.{column}
        where territory.territory_type = ? and territory.territory_code = ?""",
                   [level, territory.territory_type, territory.codes[0]])
    if not rows:
        raise LookupError(f"référence « {kind} » : {level} du territoire inconnu des marts")
    return Place(kind, level, (rows[0]["territory_code"],), (rows[0]["territory_name"],))


def _sums(con, mart: str, code_column: str, measure: str, where: Place) -> dict:
    """{(year, code): (value, secret cells, places with a row)} summed over the place's codes."""
    secret = "sum(secret_cells)" if measure == "projects" else "0"
    rows = records(con, f"""
        select year, {code_column} as code, sum({measure}) as value, {secret} as secret_cells,
            count({measure}) as counted, count(*) as places, bool_or(is_demo) as is_demo
        from {mart}
        where territory_type = ? and territory_code in (select unnest(?::varchar[]))
        group by all""", [where.territory_type, list(where.codes)])
    return {(row["year"], row["code"]): row for row in rows}


def _coverage(con, source: str, where: Place, year: int, totals: dict) -> Coverage:
    whole = totals.get((year, TOTAL))
    places = whole["places"] if whole else 0
    if source == "bmo":
        return Coverage(places, len(where.codes), secret_cells=int(whole["secret_cells"] or 0) if whole else None)
    # One member of unknown commune count makes the sum's count unknown (hence partial), not smaller.
    rows = records(con, """
        select sum(fact.communes_with_data) as communes_with_data,
            if(count(territory.commune_count) < count(*), null, sum(territory.commune_count)) as commune_count,
            bool_and(fact.basis = 'aggregate') as complete
        from fct_employment_by_territory_sector_year as fact
        join dim_territory as territory using (territory_type, territory_code)
        where fact.territory_type = ? and fact.territory_code in (select unnest(?::varchar[])) and fact.year = ?
            and fact.sector_code = 'ensemble'""", [where.territory_type, list(where.codes), year])
    row = rows[0]
    if row["complete"]:
        return Coverage(places, len(where.codes))
    return Coverage(places, len(where.codes), row["communes_with_data"], row["commune_count"])


def _check_source(source: str, territory: Place) -> None:
    if source not in SOURCES:
        raise LookupError(f"source « {source} » inconnue ; possibles : {', '.join(SOURCES)}")
    if source == "bmo" and territory.territory_type not in BMO_LEVELS:
        raise LookupError("source « bmo » : l'enquête BMO n'est publiée que par bassin, département, région et "
                          "France ; choisissez la source « urssaf » à ce niveau")


def _groups(con, source: str) -> list[tuple[str, str, str, str | None]]:
    """(group, code, label, caveat) of the four sectors, then of the detailed groups (A38 sections or FAP
    families); caveat: why the source does not represent the sector (URSSAF's agriculture: MSA), else None."""
    sectors = records(con, """select sector_code as code, label, caveat_naf from dim_sector
        where parent_code is null and sector_code <> 'ensemble' order by sort_order""", [])
    if source == "urssaf":
        details = records(con, "select a38_code as code, short_label as label from dim_a38 "
                          "where a38_code <> 'ensemble' order by sort_order", [])
        kind = "a38"
    else:
        # A family the files give no label: its first métier's label, "…" when it has more.
        details = records(con, """select family_code as code,
                coalesce(label, metier_labels[1] || if(metiers > 1, ' …', '')) as label
            from dim_fap_family where family_code <> 'ensemble' order by family_code""", [])
        kind = "famille"
    return [("secteur", row["code"], row["label"], row["caveat_naf"] if source == "urssaf" else None)
            for row in sectors] + [(kind, row["code"], row["label"], None) for row in details]


def _common_years(mine: dict, theirs: dict) -> list[int]:
    """The years where both places have a whole (an 'ensemble' row)."""
    return sorted({year for year, code in mine if code == TOTAL} & {year for year, code in theirs if code == TOTAL})


def _ratio(numerator, denominator) -> float | None:
    return None if numerator is None or not denominator else numerator / denominator


def _quotient(group: str, code: str, label: str, mine: dict | None, whole: dict | None, theirs: dict | None,
              their_whole: dict | None, partial: bool, caveat: str | None = None) -> Quotient:
    # No row of a group in a year where the place has a whole: none of it (a true zero), not a missing figure.
    value = mine["value"] if mine else 0
    reference_value = theirs["value"] if theirs else 0
    total, reference_total = whole and whole["value"], their_whole and their_whole["value"]
    secret_cells = int((mine or {}).get("secret_cells") or 0) + int((theirs or {}).get("secret_cells") or 0)
    share, reference_share = _ratio(value, total), _ratio(reference_value, reference_total)
    quotient = None if share is None or not reference_share else share / reference_share
    if None in (value, reference_value, total, reference_total):  # every cell of a group or of a whole secret
        status, quotient = "secret", None
    elif not reference_share:
        status = "sans_reference"
    else:
        status = "partiel" if partial or secret_cells else "ok"
    if caveat and status != "secret":
        status = "non_representatif"
    return Quotient(group, code, label, value, total, reference_value, reference_total, secret_cells, share,
                    reference_share, quotient, band(quotient), status, caveat)


def location_quotients(con, territory_type: str, territory_code: str, source: str = "urssaf",
                       reference: str = "fr", peers: tuple[str, ...] = (), year: int | None = None) -> Specialisation:
    """The location quotient of every sector and detailed group in one year (default: the latest year with
    figures for both the territory and the reference; a year without them: LookupError)."""
    territory = place(con, territory_type, territory_code)
    _check_source(source, territory)
    area = reference_place(con, territory, reference, peers)
    marts = MARTS[source]
    facts = {}
    for where in (territory, area):
        facts[where] = (_sums(con, marts["sector"], "sector_code", marts["measure"], where)
                        | _sums(con, marts["detail"], marts["detail_code"], marts["measure"], where))
    years = _common_years(facts[territory], facts[area])
    if not years:
        raise LookupError(f"aucune année commune au territoire et à la référence dans la source « {source} »")
    if year is None:
        year = years[-1]
    elif year not in years:
        raise LookupError(f"année {year} sans données pour le territoire et la référence (années : "
                          f"{', '.join(map(str, years))})")
    coverage = _coverage(con, source, territory, year, facts[territory])
    reference_coverage = _coverage(con, source, area, year, facts[area])
    partial = coverage.partial or reference_coverage.partial
    mine, theirs = facts[territory], facts[area]
    missing = _details_missing(source, territory)
    rows = [_quotient(group, code, label, mine.get((year, code)), mine.get((year, TOTAL)), theirs.get((year, code)),
                      theirs.get((year, TOTAL)), partial, caveat) for group, code, label, caveat in _groups(con, source)
            if not (missing and group != "secteur")]
    is_demo = any(row["is_demo"] for facts_of in (mine, theirs) for (when, _), row in facts_of.items()
                  if when == year)
    return Specialisation(source, year, years, territory, area, coverage, reference_coverage,
                          [row for row in rows if row.group == "secteur"],
                          [row for row in rows if row.group != "secteur"], is_demo, missing)


def _details_missing(source: str, territory: Place) -> str | None:
    """Why the detailed groups cannot be told (a missing row would read as zero, "sous-représenté"), else None."""
    if source == "urssaf" and territory.territory_type not in A38_LEVELS:
        return ("pas de détail par section NAF A38 à ce niveau : les effectifs par section ne sont agrégés que "
                "jusqu'à l'EPCI, pas par commune ; choisissez l'EPCI ou la zone d'emploi de la commune")
    return None


def _effects(start: int, end: int, reference_start: int, reference_end: int,
             reference_growth: Fraction) -> tuple[Fraction, Fraction, Fraction, Fraction]:
    """(change, reference effect, sector-mix effect, local effect) of one section, exact: the local effect is
    what the other two leave of the change. A section absent from the reference at the start takes the
    reference's overall growth (no mix effect can be told)."""
    change = Fraction(end - start)
    section_growth = (Fraction(reference_end, reference_start) - 1) if reference_start else reference_growth
    national = start * reference_growth
    mix = start * (section_growth - reference_growth)
    return change, national, mix, change - national - mix


def shift_share(con, territory_type: str, territory_code: str, start_year: int | None = None,
                end_year: int | None = None, reference: str = "fr", peers: tuple[str, ...] = ()) -> ShiftShare:
    """Shift-share of salaried employment (URSSAF, A38 sections) between two years with figures for both the
    territory and the reference (default: the first and the last such years)."""
    territory = place(con, territory_type, territory_code)
    area = reference_place(con, territory, reference, peers)
    mart, code = MARTS["urssaf"]["detail"], MARTS["urssaf"]["detail_code"]
    mine, theirs = (_sums(con, mart, code, "employees", where) for where in (territory, area))
    years = _common_years(mine, theirs)
    if len(years) < 2:
        raise LookupError("il faut deux années d'emploi salarié (Urssaf) communes au territoire et à la référence")
    start_year = years[0] if start_year is None else start_year
    end_year = years[-1] if end_year is None else end_year
    for asked in (start_year, end_year):
        if asked not in years:
            raise LookupError(f"année {asked} sans emploi salarié pour le territoire et la référence (années : "
                              f"{', '.join(map(str, years))})")
    if start_year >= end_year:
        raise LookupError(f"la première année ({start_year}) doit précéder la seconde ({end_year})")

    def value(facts: dict, year: int, group: str) -> int:
        row = facts.get((year, group))
        return int(row["value"] or 0) if row else 0

    their_total = (value(theirs, start_year, TOTAL), value(theirs, end_year, TOTAL))
    if not their_total[0]:
        raise LookupError(f"aucun emploi salarié dans la référence en {start_year}")
    reference_growth = Fraction(their_total[1], their_total[0]) - 1
    sections = records(con, "select a38_code as code, short_label as label from dim_a38 "
                       "where a38_code <> 'ensemble' order by sort_order", [])
    groups = [(row["code"], row["label"]) for row in sections]
    cells = [(facts, year) for facts in (mine, theirs) for year in (start_year, end_year)]
    counts = {group: [value(facts, year, group) for facts, year in cells] for group, _ in groups}
    # What no section holds (APE codes of no known division): a row of its own, so that the rows add up to the whole.
    rest = [value(facts, year, TOTAL) - sum(count[index] for count in counts.values())
            for index, (facts, year) in enumerate(cells)]
    if any(rest):
        groups.append((OTHER, "Activité non classée"))
        counts[OTHER] = rest
    exact, rows = {}, []
    for group, label in groups:
        start, end, reference_start, reference_end = counts[group]
        exact[group] = _effects(start, end, reference_start, reference_end, reference_growth)
        if not (start or end):
            continue
        rows.append(_shift(group, label, counts[group], exact[group]))
    whole = [value(facts, year, TOTAL) for facts, year in cells]
    exact[TOTAL] = tuple(sum((effects[index] for effects in exact.values()), Fraction(0)) for index in range(4))
    total = _shift(TOTAL, "Ensemble", whole, exact[TOTAL])
    coverage = _coverage(con, "urssaf", territory, end_year, mine)
    reference_coverage = _coverage(con, "urssaf", area, end_year, theirs)
    is_demo = any(row["is_demo"] for facts in (mine, theirs) for (year, _), row in facts.items()
                  if year in (start_year, end_year))
    return ShiftShare(start_year, end_year, years, territory, area, float(reference_growth), rows, total, coverage,
                      reference_coverage, start_year < 2023 <= end_year, is_demo, exact,
                      _coverage(con, "urssaf", territory, start_year, mine),
                      _coverage(con, "urssaf", area, start_year, theirs))


def _shift(code: str, label: str, counts: list[int], effects: tuple[Fraction, ...]) -> Shift:
    start, end, reference_start, reference_end = counts
    change, national, mix, local = (float(effect) for effect in effects)
    return Shift(code, label, start, end, reference_start, reference_end, change, national, mix, local,
                 (end / start - 1) if start else None,
                 (reference_end / reference_start - 1) if reference_start else None)
