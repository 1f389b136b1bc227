"""Similar territories: the territories of the same level whose sector mix is closest, and the peer group as a
place to compare with. Numbers only (pipelines/report/similar.py words them).

The mix is the share of each NAF A38 section in the territory's salaried employment (URSSAF), or, where URSSAF is
missing or covers only part of the territory, the share of each FAP family in its BMO recruitment projects. The
distance is Krugman's dissimilarity, the sum over sections of the absolute differences of shares: 0 for the same
mix, 2 for mixes with no section in common. It splits exactly in two: sum of min(share, peer's share) (what the
two mixes have in common) = 1 - distance / 2. A peer's "closest" sections are those with the largest common share,
its "apart" sections those with the largest absolute difference: each list reads straight from the distance.

Every territory of the level is compared at once (one query, numpy arrays): no loop over pairs of territories.
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd

from pipelines.read.marts import records
from pipelines.read.territories import territory_spec

URSSAF, BMO = "urssaf", "bmo"
# Where the mix of each source is read: mart, column of its sections, dimension of their labels, measure.
MIX = {
    URSSAF: ("fct_employment_by_territory_a38_year", "a38_code", "dim_a38", "employees"),
    BMO: ("fct_projects_by_territory_family_year", "family_code", "dim_fap_family", "projects"),
}
# Levels whose territories are compared with one another: France is alone of its level, and the employment by
# A38 section is not kept per commune (fct_employment_by_territory_a38_year: 18 million rows nationwide).
LEVELS = ("bassin_bmo", "zone_emploi", "epci", "departement", "region", "liste")
DEFAULT_COUNT = 10
CLOSEST = 3  # sections named for each peer, closest and apart
# Distances and shares are compared rounded to this many decimals: two mixes equally far by hand (0.1 + 0.1 and
# 0.1 + 0.1 written differently in binary) tie, and ties are broken by code (territories) or order (sections).
TIE_DECIMALS = 12
# The peer group as a comparison place: one rule for every figure. Counts (employees, establishments,
# projects) are summed over the peers; shares and changes are the median of the peers' own values (a sum of
# shares means nothing, and a median is not pulled by one large peer).
SUMMED = ("employees", "establishments", "projects")
# BMO mixes: a secret cell counts as nothing (its projects are unknown). A territory with secret cells is compared
# and counted (said); one where more than this share of its published cells is secret is left out: its mix would
# be mostly guessed. Cells, not projects: a secret cell's projects are not known.
MOSTLY_SECRET = 0.5
MEDIAN = ("share_of_employment", "employees_change_1y", "employees_change_5y", "difficult_share", "seasonal_share",
          "projects_change")


class NoMix(LookupError):
    """The territory has no sector mix to compare (no employment with complete coverage, no BMO projects)."""


@dataclass(frozen=True)
class Section:
    """One section of the mix, for one peer: the territory's share, the peer's share."""
    code: str
    label: str | None
    share: float
    peer_share: float

    @property
    def common(self) -> float:
        return min(self.share, self.peer_share)

    @property
    def gap(self) -> float:
        return abs(self.share - self.peer_share)


@dataclass(frozen=True)
class Peer:
    rank: int  # 1 = the most similar
    code: str
    name: str | None
    distance: float  # Krugman dissimilarity, 0..2
    size: float  # the peer's employees (URSSAF) or projects (BMO), all activities
    closest: tuple[Section, ...]  # the sections with the largest common share, largest first
    apart: tuple[Section, ...]  # the sections with the largest absolute difference of shares, largest first


@dataclass(frozen=True)
class Similar:
    """The most similar territories of the level, and how they were found."""
    territory_type: str
    territory_code: str
    name: str | None
    source: str  # URSSAF or BMO
    year: int
    nomenclature: str | None  # BMO: the FAP nomenclature of that survey year
    size: float  # the territory's employees or projects, all activities
    size_factor: float | None  # peers kept between size / factor and size × factor; None: any size
    sections: int  # sections (A38) or families (FAP) in the mixes
    compared: int  # territories of the level with a mix that year, the territory excluded
    outside_band: int  # of those, outside the size band
    partial: int  # territories of the level left out: employment summed over part of their communes
    urssaf_gap: str | None  # BMO used because URSSAF is 'absent' or 'partial' for the territory; None: URSSAF used
    peers: tuple[Peer, ...]
    is_demo: bool
    secret_mixes: int = 0  # BMO: of the compared, those whose mix counts secret cells as nothing
    mostly_secret: int = 0  # BMO: territories left out, more than MOSTLY_SECRET of their cells secret
    own_secret_cells: int = 0  # BMO: the territory's own secret cells


def _complete(frame: pd.DataFrame) -> pd.Series:
    """Employment that is the territory's own total: the URSSAF server's sum, or every commune of the territory
    in the loaded files (the coverage rule of report.figures.partial_coverage, on whole columns)."""
    return (frame["basis"] != "communes") | (frame["commune_count"].notna()
                                             & (frame["communes_with_data"] >= frame["commune_count"]))


def _totals(con, source: str, territory_type: str, year: int | None = None,
            code: str | None = None) -> pd.DataFrame:
    """The 'ensemble' row of each territory of the level (or of one), in its latest period or in `year`."""
    mart, column, _, measure = MIX[source]
    coverage = ("fact.basis, fact.communes_with_data, place.commune_count, 0 as secret_cells, null as cells"
                if source == URSSAF else "'aggregate' as basis, null as communes_with_data, null as commune_count, "
                "coalesce(fact.secret_cells, 0) as secret_cells, fact.cells")
    nomenclature = ("null" if source == URSSAF else
                    "(select nomenclature from dim_bmo_year where dim_bmo_year.year = fact.year)")
    return con.execute(f"""
        select fact.territory_code, place.territory_name, fact.year, fact.{measure} as size, {coverage},
               {nomenclature} as nomenclature, fact.is_demo
        from {mart} as fact
        join dim_territory as place using (territory_type, territory_code)
        where fact.territory_type = ? and fact.{column} = 'ensemble'
            and (fact.year = ? or (? is null and fact.is_latest_period))
            and coalesce(fact.territory_code = ?, true)""",
                       [territory_type, year, year, code]).df()


def _positive(totals: pd.DataFrame) -> bool:
    """The one territory of `totals` has some employment (or projects) to share out."""
    return bool(len(totals)) and bool(totals["size"].fillna(0).iloc[0] > 0)


def mix_source(con, territory_type: str, territory_code: str) -> tuple[str, int, str | None]:
    """(source, year, urssaf_gap): URSSAF in its latest year when the territory's employment is complete, else
    BMO in its latest survey year; NoMix when neither has figures."""
    gap = "absent"
    urssaf = _totals(con, URSSAF, territory_type, code=territory_code)
    if _positive(urssaf) and bool(_complete(urssaf).iloc[0]):
        return URSSAF, int(urssaf["year"].iloc[0]), None
    if _positive(urssaf):
        gap = "partial"
    bmo = _totals(con, BMO, territory_type, code=territory_code)
    if _positive(bmo):
        return BMO, int(bmo["year"].iloc[0]), gap
    spec = territory_spec(territory_type, territory_code)
    why = ("l'emploi salarié Urssaf n'y est chargé que pour une partie des communes" if gap == "partial"
           else "aucun emploi salarié Urssaf n'y est chargé")
    raise NoMix(f"{spec} : pas de profil sectoriel à comparer : {why}, et aucun projet de recrutement BMO n'y est "
                "publié")


def mixes(con, source: str, territory_type: str, year: int) -> tuple[pd.DataFrame, np.ndarray, list[str]]:
    """Every territory of the level with a complete mix that year: (totals, shares, section codes). `totals` is
    the 'ensemble' rows (partial coverage flagged in `complete`), `shares` one row per territory of `totals`,
    one column per section, each row summing to 1 (over the sections: an activity of no known section is left
    out), or to 0 for a territory with nothing in any section."""
    mart, column, _, measure = MIX[source]
    totals = _totals(con, source, territory_type, year)
    totals["mostly_secret"] = totals["secret_cells"] > MOSTLY_SECRET * totals["cells"].fillna(0).astype(float)
    totals["complete"] = _complete(totals) & ~totals["mostly_secret"]
    cells = con.execute(f"""
        select territory_code, {column} as section, coalesce({measure}, 0) as value
        from {mart}
        where territory_type = ? and year = ? and {column} <> 'ensemble'""", [territory_type, year]).df()
    codes = sorted(cells["section"].unique())
    table = (cells.pivot(index="territory_code", columns="section", values="value")
             .reindex(index=totals["territory_code"], columns=codes).fillna(0.0).to_numpy(dtype=float))
    sums = table.sum(axis=1, keepdims=True)
    shares = np.divide(table, sums, out=np.zeros_like(table), where=sums > 0)
    return totals, shares, codes


def _labels(con, source: str) -> dict[str, str | None]:
    _, column, dimension, _ = MIX[source]
    return {row["code"]: row["label"] for row in records(
        con, f"select {column} as code, {'short_label' if source == URSSAF else 'label'} as label from {dimension}",
        [])}


def similar(con, territory_type: str, territory_code: str, count: int = DEFAULT_COUNT,
            size_factor: float | None = None) -> Similar:
    """The `count` territories of the same level with the closest mix (smallest Krugman dissimilarity, ties by
    code), those outside the size band left out when `size_factor` is given (e.g. 2: between half and twice the
    territory's employment, or projects where BMO is the source)."""
    if territory_type == "commune":
        raise LookupError(f"{territory_spec(territory_type, territory_code)} : pas de comparaison entre communes, "
                          "l'emploi salarié par section d'activité n'est calculé qu'à partir de l'EPCI ; choisissez "
                          "son EPCI, sa zone d'emploi ou son bassin d'emploi")
    if territory_type not in LEVELS:
        raise LookupError(f"{territory_spec(territory_type, territory_code)} : la France n'a pas de territoire de "
                          "même niveau à qui la comparer")
    if size_factor is not None and not size_factor > 1:
        raise ValueError(f"bande de taille {size_factor} invalide : un facteur supérieur à 1 (2 : de la moitié au "
                         "double)")
    source, year, gap = mix_source(con, territory_type, territory_code)
    totals, shares, codes = mixes(con, source, territory_type, year)
    codes_of = totals["territory_code"].to_numpy()
    me = int(np.flatnonzero(codes_of == territory_code)[0])
    size = float(totals["size"].iloc[me])
    others = (codes_of != territory_code) & totals["complete"].to_numpy() & (shares.sum(axis=1) > 0)
    compared = int(others.sum())
    kept = others.copy()
    if size_factor is not None:
        sizes = totals["size"].to_numpy(dtype=float)
        kept &= (sizes >= size / size_factor) & (sizes <= size * size_factor)
    distance = np.abs(shares - shares[me]).sum(axis=1)
    rows = np.flatnonzero(kept)
    rows = rows[np.lexsort((codes_of[rows], distance[rows].round(TIE_DECIMALS)))][:count]
    # The sections behind each distance, for the peers shown only: common share and gap, sorted per row
    # (stable: ties keep the section order).
    common = np.minimum(shares[rows], shares[me]).round(TIE_DECIMALS)
    gap_shares = np.abs(shares[rows] - shares[me]).round(TIE_DECIMALS)
    closest = np.argsort(-common, axis=1, kind="stable")[:, :CLOSEST]
    apart = np.argsort(-gap_shares, axis=1, kind="stable")[:, :CLOSEST]
    labels = _labels(con, source)

    def sections(row: int, peer: int, order: np.ndarray, values: np.ndarray) -> tuple[Section, ...]:
        # A section the two have nothing of in common (or no gap in) does not bring them closer (or apart).
        return tuple(Section(codes[s], labels.get(codes[s]), float(shares[me, s]), float(shares[peer, s]))
                     for s in order[row] if values[row, s] > 0)

    peers = tuple(
        Peer(rank, str(codes_of[peer]), totals["territory_name"].iloc[peer], float(distance[peer]),
             float(totals["size"].iloc[peer]), sections(row, peer, closest, common),
             sections(row, peer, apart, gap_shares))
        for row, (rank, peer) in enumerate(zip(range(1, len(rows) + 1), rows, strict=True)))
    return Similar(
        territory_type=territory_type, territory_code=territory_code, name=totals["territory_name"].iloc[me],
        source=source, year=year, nomenclature=totals["nomenclature"].iloc[me], size=size, size_factor=size_factor,
        sections=len(codes), compared=compared, outside_band=compared - int(kept.sum()),
        partial=int((~totals["complete"] & ~totals["mostly_secret"]).sum()), urssaf_gap=gap, peers=peers,
        is_demo=bool(totals["is_demo"].any()),
        secret_mixes=int((others & (totals["secret_cells"] > 0).to_numpy()).sum()),
        mostly_secret=int((totals["mostly_secret"].to_numpy() & (codes_of != territory_code)).sum()),
        own_secret_cells=int(totals["secret_cells"].iloc[me]))


# --- The peer group as a comparison place ---------------------------------------------------------------------


@dataclass(frozen=True)
class PlaceFigures:
    """One sector's figures in one place: a territory's own (members 0), or the peer group's, summed (SUMMED) or
    the median of its members' values (MEDIAN) over the members that have the figure that year."""
    sector_code: str
    employment_year: int | None = None
    employees: float | None = None
    establishments: float | None = None
    share_of_employment: float | None = None
    employees_change_1y: float | None = None
    employees_change_5y: float | None = None
    employment_partial: bool = False  # a place's employment summed over part of its communes (not its total)
    bmo_year: int | None = None
    projects: float | None = None
    difficult_share: float | None = None
    seasonal_share: float | None = None
    projects_change: float | None = None
    members: int = 0  # the peer group: its territories
    employment_members: int = 0  # ... those in its employment figures (complete coverage, that year)
    partial_members: int = 0  # ... those left out of them: employment over part of their communes
    bmo_members: int = 0  # ... those with BMO figures that survey year
    # BMO secret cells (counted as nothing in the sums) and the shares that are lower bounds (figures.share_text);
    # the group: cells summed, a share a lower bound when a member's is (a median of lower bounds is one).
    secret_cells: int = 0
    difficult_secret_cells: int = 0
    seasonal_secret_cells: int = 0
    difficult_share_is_lower_bound: bool = False
    seasonal_share_is_lower_bound: bool = False
    secret_members: int = 0  # the peer group: members whose projects leave secret cells out (an approximate sum)


EMPLOYMENT = ("employees", "establishments", "share_of_employment", "employees_change_1y", "employees_change_5y")
PROJECTS = ("projects", "difficult_share", "seasonal_share", "projects_change")
SECRET_COUNTS = ("secret_cells", "difficult_secret_cells", "seasonal_secret_cells")
LOWER_BOUNDS = ("difficult_share_is_lower_bound", "seasonal_share_is_lower_bound")


def _places(places: list[tuple[str, str]]) -> tuple[str, list]:
    condition = " or ".join("(fact.territory_type = ? and fact.territory_code = ?)" for _ in places)
    return f"({condition or 'false'})", [value for place in places for value in place]


def _employment(con, places: list[tuple[str, str]], sector_codes: list[str]) -> pd.DataFrame:
    """Each place's latest employment rows of the sectors, with whether the sums are the place's total."""
    condition, params = _places(places)
    frame = con.execute(f"""
        select fact.territory_type, fact.territory_code, fact.sector_code, fact.year,
               {', '.join('fact.' + column for column in EMPLOYMENT)}, fact.basis, fact.communes_with_data,
               place.commune_count
        from fct_employment_by_territory_sector_year as fact
        join dim_territory as place using (territory_type, territory_code)
        where fact.is_latest_period and list_contains(?, fact.sector_code) and {condition}""",
                        [sector_codes, *params]).df()
    frame["complete"] = _complete(frame)
    return frame


def _projects(con, places: list[tuple[str, str]], sector_codes: list[str], year: int | None) -> pd.DataFrame:
    """Each place's BMO rows of the sectors in survey `year` (None: each place's latest)."""
    condition, params = _places(places)
    return con.execute(f"""
        select fact.territory_type, fact.territory_code, fact.sector_code, fact.year,
               {', '.join('fact.' + column for column in PROJECTS)},
               {', '.join(f'coalesce(fact.{column}, 0) as {column}' for column in SECRET_COUNTS)},
               {', '.join(f'coalesce(fact.{column}, false) as {column}' for column in LOWER_BOUNDS)}
        from fct_projects_by_territory_sector_year as fact
        where list_contains(?, fact.sector_code) and (fact.year = ? or (? is null and fact.is_latest_period))
            and {condition}""", [sector_codes, year, year, *params]).df()


def _value(value) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def place_figures(con, places: list[tuple[str, str]], sector_codes: list[str],
                  bmo_year: int | None) -> dict[tuple[str, str], dict[str, PlaceFigures]]:
    """Each place's own figures per sector: employment of its latest year, BMO of survey `bmo_year`."""
    employment = _employment(con, places, sector_codes)
    projects = _projects(con, places, sector_codes, bmo_year)
    result = {}
    for place in places:
        result[place] = {}
        for sector in sector_codes:
            jobs = employment[(employment["territory_type"] == place[0]) & (employment["territory_code"] == place[1])
                              & (employment["sector_code"] == sector)]
            bmo = projects[(projects["territory_type"] == place[0]) & (projects["territory_code"] == place[1])
                           & (projects["sector_code"] == sector)]
            figures = {}
            if len(jobs):
                row = jobs.iloc[0]
                figures |= {column: _value(row[column]) for column in EMPLOYMENT}
                figures |= {"employment_year": int(row["year"]), "employment_partial": not bool(row["complete"])}
            if len(bmo):
                row = bmo.iloc[0]
                figures |= {column: _value(row[column]) for column in PROJECTS} | {"bmo_year": int(row["year"])}
                figures |= _secrets(bmo)
            result[place][sector] = PlaceFigures(sector, **figures)
    return result


def _aggregate(frame: pd.DataFrame, columns: tuple[str, ...]) -> dict:
    """The group's figures over `frame` (one row per member): SUMMED columns summed, MEDIAN ones their median,
    each over the members that have the figure (None when none has it)."""
    result = {}
    for column in columns:
        values = frame[column].dropna().astype(float)
        if len(values):
            result[column] = float(values.sum() if column in SUMMED else values.median())
    return result


def _secrets(rows: pd.DataFrame) -> dict:
    """The secret cells and lower-bound flags of one place's BMO row, or of the members' rows summed."""
    return ({column: int(rows[column].sum()) for column in SECRET_COUNTS}
            | {column: bool(rows[column].any()) for column in LOWER_BOUNDS})


def latest_survey_year(con) -> int | None:
    """The latest BMO survey loaded (None: no survey): the year a comparison with the peer group reads by default."""
    return records(con, "select max(year) as year from fct_projects_by_territory_sector_year", [])[0]["year"]


def group_figures(con, territory_type: str, codes: list[str], sector_codes: list[str],
                  bmo_year: int | None) -> dict[str, PlaceFigures]:
    """The peer group's figures per sector: counts summed, shares and changes the median of its members'.
    Employment of the members' latest year (the most recent one among them; a member whose latest year is
    older is left out), only for members whose employment is their total (complete coverage); BMO of survey
    `bmo_year` (None: the latest among them)."""
    members = [(territory_type, code) for code in dict.fromkeys(codes)]
    if not members:
        return {}
    employment = _employment(con, members, sector_codes)
    if len(employment):
        employment = employment[employment["year"] == employment["year"].max()]
    projects = _projects(con, members, sector_codes, bmo_year)
    if len(projects):
        projects = projects[projects["year"] == projects["year"].max()]
    result = {}
    for sector in sector_codes:
        jobs = employment[employment["sector_code"] == sector]
        counted = jobs[jobs["complete"]]
        bmo = projects[projects["sector_code"] == sector]
        figures = {"members": len(members), "employment_members": len(counted),
                   "partial_members": len(jobs) - len(counted), "bmo_members": len(bmo)}
        if len(counted):
            figures |= _aggregate(counted, EMPLOYMENT) | {"employment_year": int(counted["year"].iloc[0])}
        if len(bmo):
            figures |= _aggregate(bmo, PROJECTS) | {"bmo_year": int(bmo["year"].iloc[0])} | _secrets(bmo)
            figures["secret_members"] = int((bmo["secret_cells"] > 0).sum())
        result[sector] = PlaceFigures(sector, **figures)
    return result
