"""Key figures per sector for one territory and year, read from the marts.

One code path for the CLI (`python -m pipelines figures`), the pages and exports, so every output
shows the same numbers.
"""

import re
from dataclasses import dataclass, field

import duckdb

from pipelines.frformat import display_name, fmt_change, fmt_count, fmt_decimal, fmt_int, fmt_pct, plural
from pipelines.read import figures as read
from pipelines.read.marts import communes_partial
from pipelines.read.territories import (  # noqa: F401 (re-exported: the pages and the CLI word territories)
    CODE_WIDTHS,
    TERRITORY_FORMS,
    TERRITORY_PREFIXES,
    parse_territory,
    territory_spec,
)
from pipelines.report import conventions
from pipelines.report.conventions import DRIVER_LABELS

TERRITORY_LABELS = {
    "bassin_bmo": "Bassin d'emploi BMO",
    "zone_emploi": "Zone d'emploi Insee",
    "epci": "EPCI (intercommunalité)",
    "departement": "Département",
    "region": "Région",
    "france": "France",
    "commune": "Commune",
    "liste": "Liste de communes",
}
# A territory named inside a sentence (territory_noun): its article, its noun, and how its name follows ("de":
# "le bassin d'emploi de Rennes", "«»": "le territoire « Mission locale »", "": "l'EPCI Rennes Métropole").
TERRITORY_NOUNS = {
    "bassin_bmo": ("le ", "bassin d'emploi", "de"),
    "zone_emploi": ("la ", "zone d'emploi", "de"),
    "epci": ("l'", "EPCI", ""),
    "departement": ("le ", "département", ""),
    "region": ("la ", "région", ""),
    "commune": ("la ", "commune", "de"),
    "liste": ("le ", "territoire", "«»"),
}
BMO_TERRITORY_TYPES = read.BMO_TERRITORY_TYPES  # where BMO is published (the pages' pickers offer them)
DEFAULT_TERRITORY = ("bassin_bmo", "5314")
BMO_SOURCE = "France Travail, enquête Besoins en main-d'œuvre (BMO)"
URSSAF_SOURCE = "Urssaf, effectifs salariés et établissements employeurs au 31 décembre"
TENSION_SOURCE = "Dares / France Travail, indicateurs de tension"
JOB_SEEKERS_SOURCE = "Dares, demandeurs d'emploi inscrits à France Travail (valeurs arrondies à 5)"
HIRES_SOURCE = "Urssaf, déclarations préalables à l'embauche (DPAE) de contrats de plus d'un mois"
CONTRACT_LABELS = {"ensemble": "Tous contrats", "cdi": "CDI", "cdd": "CDD de plus d'un mois"}
MARKET_SOURCE = ("France Travail, API Marché du travail : offres enregistrées dans le trimestre et demandeurs "
                 "d'emploi inscrits en fin de trimestre, par métier ROME")
# The parts of key_figures that may come from demo files (codes; conventions.DEMO_PARTS labels them).
DEMO_PARTS = tuple(conventions.DEMO_PARTS)
# The sources behind each part of the figures: a part whose sources have no file in the marts is "non chargé"
# (once a real file is loaded, the demo files of every source are set aside: see raw.entries_for_build).
PART_SOURCES = {"bmo": ("bmo",), "employment": ("urssaf",), "tension": ("dares_tensions", "france_travail"),
                "job_seekers": ("dares_defm",), "hires": ("urssaf_dpae",), "market": ("france_travail",),
                "skills": ("rome",), "offers": ("offres",)}


# A place name's own article, contracted after "de" and "à": 'du Havre', 'des Sables-d'Olonne', 'au Havre'.
CONTRACTED = {"de": {"le": "du", "les": "des"}, "à": {"le": "au", "les": "aux"}}


def _contracted(preposition: str, name: str) -> str | None:
    article, _, rest = name.partition(" ")
    joined = CONTRACTED[preposition].get(article.lower())
    if not (joined and rest):
        return None
    return f"{joined.capitalize() if preposition == 'à' else joined} {rest}"  # 'à' opens a sentence: 'Au Havre'


def of_name(name: str) -> str:
    """'de Rennes', "d'Avranches" (elision before a vowel or a mute h), 'du Havre' and 'des Sables-d'Olonne' (the
    name's own article contracted; 'de La Rochelle' keeps it)."""
    return _contracted("de", name) or (
        ("d'" if re.match(r"[aeiouyhàâéèêëîïôöûüAEIOUYHÀÂÉÈÊËÎÏÔÖÛÜ]", name) else "de ") + name)


def in_name(name: str) -> str:
    """How a sentence opens on a commune: 'À Rennes', 'Au Havre', 'Aux Sables-d'Olonne'."""
    return _contracted("à", name) or f"À {name}"


def territory_noun(territory_type: str, name: str, code: str | None = None) -> str:
    """A territory as a sentence names it, with its article: 'le bassin d'emploi de Rennes (5314)', "l'EPCI Rennes
    Métropole", 'la France' (never the label of a table, 'Bassin d'emploi BMO Rennes (5314)', after "de")."""
    if territory_type == "france":
        return "la France"
    article, noun, joined = TERRITORY_NOUNS[territory_type]
    named = of_name(name) if joined == "de" else f"« {name} »" if joined == "«»" else name
    return f"{article}{noun} {named}" + (f" ({code})" if code else "")


def of_noun(noun: str) -> str:
    """'de' before a noun with its article: 'du bassin…', 'des territoires…', 'de la région…', "de l'EPCI…"."""
    for article, joined in (("le ", "du "), ("les ", "des ")):
        if noun.startswith(article):
            return joined + noun.removeprefix(article)
    return f"de {noun}"


def perimeter_label(place: dict) -> str:
    """'Bassin d'emploi BMO RENNES (5314)', or 'France'."""
    if place["type"] == "france":
        return "France"
    return f"{place['type_label']} {place['name']} ({place['code']})"


def sector_name(sector: dict) -> str:
    """A sector's name standing alone (a title, a picker): 'Travaux publics', not the tables' 'dont travaux
    publics' that reads under its parent sector."""
    return sector["short_label"] if sector["parent_code"] else sector["label"]


def communes_label(place: dict) -> str:
    """'162 communes (zonage BMO 2024)', '3 communes (liste de communes de l'utilisateur)'; '' if unknown. A list
    comes from data/listes_communes.toml or from a perimeter saved in the explorer (data/perimetres.toml)."""
    if not place["commune_count"]:
        return ""
    where = ("liste de communes de l'utilisateur" if place["commune_zoning"] == "liste"
             else f"zonage {place['commune_zoning']}")
    return f"{fmt_count(place['commune_count'], 'commune')} ({where})"


def change_label(sector: dict) -> str:
    """The change from the previous survey year in words, or why there is none."""
    if sector["nomenclature_break"]:
        return f"non comparable à {sector['previous_year']} (nomenclature des métiers changée)"
    if sector["zoning_break"]:
        return f"non comparable à {sector['previous_year']} (communes du bassin changées)"
    if sector["previous_year"] is None:
        return "pas de chiffre l'année précédente"
    return f"{fmt_change(sector['projects_change'])} par rapport à {sector['previous_year']}"


def not_loaded_text(about: dict) -> str:
    """'non chargé (à charger : python -m pipelines fetch urssaf, ou …)': a source with no file in the marts, and
    how to load it; the one wording of it, for the pages, the zoom and the command line."""
    if about["load_hint"]:  # a source loaded otherwise than "fetch, or import the file"
        return f"non chargé (à charger : {about['load_hint']})"
    imported = f"import du fichier téléchargé chez {about['publisher']} avec python -m pipelines import FICHIER"
    if not about["fetchable"]:
        return f"non chargé (à charger : {imported})"
    return f"non chargé (à charger : python -m pipelines fetch {about['source']}, ou {imported})"


def coverage_label(communes_with_data: int | None, territory_communes: int | None, basis: str = "communes") -> str:
    """What a commune-level figure adds up: the server's complete total, or N of the territory's M communes
    (the files loaded may cover only part of it)."""
    if basis == "aggregate":
        return "total Urssaf de toutes les communes"
    return (f"données de {fmt_count(communes_with_data, 'commune')}"
            + (f" sur {fmt_int(territory_communes)}" if territory_communes else ""))


# How a share with secret cells is read, said once under the tables and cards that show such shares.
SHARE_RULE = ("« au moins » (≥ sur les barres) : des cellules du numérateur sont secrètes et comptées pour rien, "
              "la part des projets "
              "publiés est donc au moins celle affichée")


def level_text(tension_level) -> str:
    """A sector's tension level (the mean class of its métiers) with two decimals: '4,96', so that 26 métiers at 5
    and one at 4 never read as '5,0', the maximum."""
    return fmt_decimal(tension_level, 2)


def level_of_five(tension_level) -> str:
    """'4,96 / 5': a tension level as every output shows it beside a figure (cards, overview, slides)."""
    return f"{level_text(tension_level)} / 5"


SPANS = {1: "un an", 5: "cinq ans"}


def change_over(change, years: int = 1) -> str:
    """'+3,2 % sur un an', '−1,0 % sur cinq ans' ('n.d. sur un an' when there is none): a change and its span,
    worded here once for the overview, the zoom and the command line."""
    return f"{fmt_change(change)} sur {SPANS[years]}"


LOWER_BOUND = "au moins"  # how a share biased by secret cells is said (share_text)


def share_text(row: dict, measure: str) -> str:
    """A BMO share ('difficult' or 'seasonal') of a row of the marts, as every output shows it: '60,3 %';
    'au moins 6,6 %' when cells of its numerator are secret (the marts' <measure>_share_is_lower_bound:
    the rule is decided in SQL, fct_projects_by_territory_metier_year); 's' when the share itself is secret,
    'n.d.' when there is none."""
    text = fmt_pct(row.get(f"{measure}_share"), row.get(f"{measure}_secret_cells") or 0)
    return f"{LOWER_BOUND} {text}" if row.get(f"{measure}_share_is_lower_bound") else text


def share_secret_note(row: dict, measure: str) -> str:
    """'18 cellules secrètes non comptées (sur 24 aux projets publiés)' beside a share that is a lower bound:
    the cells whose projects are published but whose difficult (or seasonal) count is secret; else ''."""
    if not row.get(f"{measure}_share_is_lower_bound"):
        return ""
    uncounted = row[f"{measure}_uncounted_cells"]
    return (f"{fmt_count(uncounted, 'cellule secrète', 'cellules secrètes')} "
            f"{plural(uncounted, 'non comptée', 'non comptées')} (sur {fmt_int(row['published_cells'])} aux projets "
            "publiés)")


def partial_coverage(row: dict | None, territory: dict) -> str | None:
    """The one rule for a figure summed over a territory's communes (URSSAF employment, Dares job seekers):
    it is the territory's figure only when it is the URSSAF server's own total (basis 'aggregate'), or when the
    loaded files hold every commune of the territory in its latest zoning (communes_with_data >=
    territory_communes: counted over all sectors, so a commune without an employer of the sector still counts).
    Otherwise, or when the territory's number of communes is unknown, the sum is partial and this returns
    'couverture partielle (208 communes sur 34 955)': such a sum is never a headline, a card value, a slide or a
    sentence to remember, and is shown only in tables and charts labelled as partial sums (PARTIAL_SUM).
    None when the figure is complete (or there is none)."""
    total = territory.get("territory_communes")
    if not row or row.get("basis", "communes") != "communes" or not communes_partial(row.get("communes_with_data"),
                                                                                     total):
        return None
    of_total = f" sur {fmt_int(total)}" if total else ", nombre de communes du territoire inconnu"
    return f"couverture partielle ({fmt_count(row['communes_with_data'], 'commune')}{of_total})"


# How a table, a chart or a series holding partial sums is labelled.
PARTIAL_SUM = "somme partielle"


def partial_sum_note(coverage: str) -> str:
    """The note under a chart or table of partial sums: 'Somme partielle des communes chargées, pas le total du
    territoire : couverture partielle (208 communes sur 34 955).'"""
    return f"Somme partielle des communes chargées, pas le total du territoire : {coverage}."


@dataclass
class KeyFigures:
    """The key figures of one territory: per sector (and 'ensemble'), BMO projects and shares for a survey year,
    URSSAF employment, tension, job seekers, hires and offers of their latest period, worded where a figure is
    missing (unavailable, not_loaded). sectors and the figures under it are rows of the marts (dicts keyed by
    column name)."""

    territory: dict  # spec, type, type_label, code, name, commune_count, commune_zoning, territory_communes
    source: str = BMO_SOURCE
    years: list[int] = field(default_factory=list)  # BMO survey years of the territory
    year: int | None = None  # the survey year shown
    employment_source: str = URSSAF_SOURCE
    employment_year: int | None = None
    tension_source: str = TENSION_SOURCE
    tension_year: int | None = None
    demo: bool = False
    perimeter_demo: bool = False
    sectors: list[dict] = field(default_factory=list)
    unavailable: str | None = None  # why there are no BMO figures, in French
    not_loaded: dict[str, str] = field(default_factory=dict)  # part (PART_SOURCES) -> "non chargé (…)"
    job_seekers: dict[str, dict] | None = None  # category -> latest quarter's row
    job_seekers_source: str = JOB_SEEKERS_SOURCE
    hires: dict | None = None
    hires_unavailable: str | None = None
    market_source: str = MARKET_SOURCE
    market_quarter: str | None = None
    market_period: str | None = None
    market_perimeter: str | None = None
    market_unavailable: str | None = None
    # 'ensemble' sums the ROME codes asked (those of the sectors), not the whole labour market.
    market_ensemble_note: str = "ensemble des métiers ROME interrogés (ceux des secteurs), pas tout le marché"
    demo_parts: list[str] = field(default_factory=list)  # codes of conventions.DEMO_PARTS


def key_figures(con: duckdb.DuckDBPyConnection, territory_type: str, territory_code: str,
                year: int | None = None, top: int = 5) -> "KeyFigures":
    """Per sector (and 'ensemble'): BMO projects, % difficult, % seasonal, change vs N-1, top métiers;
    URSSAF salaried employment and establishments with their 1- and 5-year changes."""
    place = read.territory(con, territory_type, territory_code)
    if place is None:
        raise LookupError(f"territoire inconnu : {territory_spec(territory_type, territory_code)}")
    result = KeyFigures(territory={
        "spec": territory_spec(territory_type, territory_code),
        "type": territory_type,
        "type_label": TERRITORY_LABELS[territory_type],
        "code": territory_code,
        "name": display_name(place["territory_name"]),  # "Rennes", as published "RENNES"
        "commune_count": place["commune_count"],
        "commune_zoning": place["commune_zoning"],
        # Communes of the territory in its latest zoning: what commune-level sums are measured against.
        "territory_communes": place["commune_count"],
    }, perimeter_demo=bool(place["is_demo"]))
    loaded, demo_build = read.loaded_sources(con)
    # Parts whose sources have no file at all (not merely none for this territory): said, with how to load them.
    catalog = {about["source"]: about for about in read.source_catalog(con)}
    result.not_loaded = {part: not_loaded_text(catalog[sources[0]]) for part, sources in PART_SOURCES.items()
                            if not loaded.intersection(sources)}
    if "bmo" in result.not_loaded:
        result.unavailable = f"Projets de recrutement (enquête BMO) : {result.not_loaded['bmo']}."
    elif territory_type in BMO_TERRITORY_TYPES:
        years = read.bmo_years(con, territory_type, territory_code)
        result.years = years
        if year is None and years:
            year = years[-1]
        if years and year not in years:
            raise LookupError(f"enquête BMO {year} absente pour ce territoire ; années disponibles : "
                              f"{', '.join(map(str, years))}")
        if not years:
            result.unavailable = "Aucun projet de recrutement BMO pour ce territoire."
    else:
        result.unavailable = ("L'enquête BMO est publiée par bassin d'emploi BMO : elle ne se ventile pas "
                                 "sur une zone d'emploi Insee, un EPCI, une commune ni une liste de communes.")
    result.year = year if result.years else None
    sectors = read.sectors(con, territory_type, territory_code, result.year)
    metiers = read.top_metiers(con, territory_type, territory_code, result.year, top)
    employment = {row["sector_code"]: row for row in read.latest_employment(con, territory_type, territory_code)}
    tension = {row["sector_code"]: row for row in read.latest_tension(con, territory_type, territory_code)}
    for row in employment.values():
        row["partial_coverage"] = partial_coverage(row, result.territory)
    for row in tension.values():
        row["main_driver_label"] = DRIVER_LABELS.get(row["main_driver"])
    for sector in sectors:
        sector["top_metiers"] = [{k: v for k, v in m.items() if k not in ("sector_code", "metiers_with_projects")}
                                 for m in metiers if m["sector_code"] == sector["sector_code"]]
        sector["employment"] = employment.get(sector["sector_code"])
        sector["tension"] = tension.get(sector["sector_code"])
    result.sectors = sectors
    result.employment_year = next((row["year"] for row in employment.values()), None)
    seekers = read.latest_job_seekers(con, territory_type, territory_code)
    for row in seekers:
        row["partial_coverage"] = partial_coverage(row, result.territory)
    result.job_seekers = {row["category"]: row for row in seekers} or None
    result.job_seekers_source = JOB_SEEKERS_SOURCE
    result.hires, result.hires_unavailable = hires(con, territory_type, territory_code, catalog)
    result.tension_year = next((row["year"] for row in tension.values()), None)
    _market_figures(con, result, territory_type, territory_code)
    if "hires" in result.not_loaded:
        result.hires_unavailable = f"{result.not_loaded['hires']}."  # after "Embauches (DPAE) :"
    if "market" in result.not_loaded and territory_type == "bassin_bmo":
        result.market_unavailable = f"API Marché du travail de France Travail : {result.not_loaded['market']}."
    if result.year is not None:
        # The perimeter of that year's BMO figures (a bassin's communes depend on the year's zoning).
        everything = sectors[-1]
        result.territory["commune_count"] = everything["commune_count"]
        result.territory["commune_zoning"] = everything["commune_zoning"]
        result.perimeter_demo = bool(everything["perimeter_is_demo"])
    # Which of the figures shown come from the fictitious demo files: all of them or none, since a build reads
    # either the demo files or the real ones (the row flags can only agree).
    flags = {
        "bmo": any(sector["is_demo"] for sector in sectors),
        "employment": any((sector["employment"] or {}).get("is_demo") for sector in sectors),
        "tension": any((sector["tension"] or {}).get("is_demo") for sector in sectors),
        "job_seekers": any(row["is_demo"] for row in seekers),
        "hires": bool((result.hires or {}).get("is_demo")),
        "market": any((sector["market"] or {}).get("is_demo") for sector in sectors),
        "perimeter": result.perimeter_demo,
    }
    result.demo = demo_build or any(flags.values())
    result.demo_parts = list(DEMO_PARTS) if result.demo else []
    return result


def hires_perimeter(con, territory_type: str, territory_code: str) -> tuple[tuple[str, str] | None, str | None]:
    """Where the DPAE figures for a territory come from (read.hires_perimeter decides it), or why there are none."""
    perimeter, departements = read.hires_perimeter(con, territory_type, territory_code)
    if perimeter is not None:
        return perimeter, None
    if departements:
        return None, (f"Les embauches (DPAE) ne sont publiées que par département, et ce territoire s'étend sur "
                      f"plusieurs départements ({', '.join(departements)}) : pas de chiffre de contexte unique.")
    return None, "Les embauches (DPAE) ne sont publiées que par département : département du territoire inconnu."


def hires(con, territory_type: str, territory_code: str, catalog: dict[str, dict]) -> tuple[dict | None, str | None]:
    """URSSAF hires (DPAE) of the latest quarter, as national/departmental CONTEXT: for a territory that is
    not a département, région or France, the figures are its département's, labelled so (never the
    bassin's own). catalog: the source catalog by source name (read.source_catalog), for what DPAE says of its
    publication. Returns (figures, None) or (None, why there are none)."""
    perimeter, reason = hires_perimeter(con, territory_type, territory_code)
    if perimeter is None:
        return None, reason
    found = read.latest_hires(con, *perimeter)
    place = read.territory(con, *perimeter) or {}
    name = display_name(place.get("territory_name") or perimeter[1])
    # The label heads a figure ('Département Ille-et-Vilaine (35)'); a sentence names the territory as a noun.
    label = "France" if perimeter[0] == "france" else f"{TERRITORY_LABELS[perimeter[0]]} {name} ({perimeter[1]})"
    if not found:
        noun = territory_noun(perimeter[0], name, perimeter[1])
        return None, f"Aucune donnée d'embauches (DPAE) chargée pour {noun} : elles existent pour la France et " \
                     "par département."
    own = perimeter == (territory_type, territory_code)
    total = next(row for row in found if row["grand_secteur"] == "ensemble" and row["contract_nature"] == "ensemble")
    note = total["context_note"]
    if not own:
        note = ("Contexte départemental : chiffres de tout le département, pas ceux de ce territoire ; les DPAE ne "
                "sont publiées ni par bassin, ni par zone d'emploi, ni par EPCI, ni par commune.")
    publication = catalog.get("urssaf_dpae", {}).get("release_note") or ""  # suspended since March 2025
    measures = ("hires_raw", "hires_sa", "hires_raw_change_1y", "hires_sa_change_1y", "hires_raw_change_1y_note",
                "unpublished_cells", "unpublished_sa_cells")
    return {
        "source": HIRES_SOURCE,
        "context_only": True,
        "perimeter": {"type": perimeter[0], "code": perimeter[1], "label": label, "is_territory_itself": own},
        "note": note,
        "quarter": total["quarter"],
        "period": total["period"],
        "published": total["published"],
        "departements": total["departements"],
        # The figure shown is raw (brut); its change compares the same quarter a year earlier, so
        # seasonality cancels. The seasonally adjusted (CVS) value is given beside it.
        "measure": "brut ; évolution sur un an = même trimestre un an plus tôt ; CVS à côté",
        "total": {key: total[key] for key in measures},
        "contracts": {row["contract_nature"]: {"label": CONTRACT_LABELS[row["contract_nature"]]}
                      | {key: row[key] for key in measures}
                      for row in found if row["grand_secteur"] == "ensemble" and row["contract_nature"] != "ensemble"},
        # URSSAF grand secteurs (all contracts): only Construction is one of our sectors (btp); the others
        # have none, and there is no DPAE figure for digital, agri-food or agriculture.
        "grand_secteurs": [
            {key: row[key] for key in ("grand_secteur", "grand_secteur_code", "sector_code", *measures)}
            for row in found if row["grand_secteur"] != "ensemble" and row["contract_nature"] == "ensemble"],
        "is_demo": any(row["is_demo"] for row in found),
        # What the source says of its publication (urssaf_dpae.RELEASE_NOTE: suspended since March 2025), said
        # wherever its figures are shown.
        "publication": f"{publication[:1].upper()}{publication[1:]}." if publication else "",
    }, None


def hires_unpublished_text(row: dict) -> str:
    """'dont 2 cellules non publiées' when the raw sum skipped empty cells, else ''."""
    count = row.get("unpublished_cells") or 0
    return "" if not count else f"dont {count} cellule{'s' if count > 1 else ''} non publiée{'s' if count > 1 else ''}"


def hires_change_text(row: dict) -> str:
    """'+3,2 % sur un an', or why there is no change ('non comparable sur un an : cellules non publiées')."""
    note = row.get("hires_raw_change_1y_note")
    if row.get("hires_raw_change_1y") is None and note:
        return note.replace("non comparable :", "non comparable sur un an :")
    return change_over(row.get("hires_raw_change_1y"))


def _market_figures(con, result: "KeyFigures", territory_type: str, territory_code: str) -> None:
    """Per sector, the latest quarter's offers and job seekers of the France Travail "Marché du travail" API:
    published per bassin BMO only, so other territories get none and say why."""
    found = read.latest_market(con, territory_type, territory_code)
    market = {row["sector_code"]: row for row in found}
    for sector in result.sectors:
        sector["market"] = market.get(sector["sector_code"])
    if territory_type != "bassin_bmo":
        result.market_unavailable = ("L'API Marché du travail de France Travail est lue par bassin d'emploi BMO : "
                                        "choisissez un bassin.")
    elif not found:
        result.market_unavailable = ("Pas de chiffres de l'API Marché du travail pour ce bassin "
                                        "(python -m pipelines fetch france_travail).")
    else:
        result.market_quarter = found[0]["quarter"]
        result.market_period = found[0]["period_label"]
        result.market_perimeter = perimeter_label(result.territory)
