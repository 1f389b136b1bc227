"""Similar territories and the peer group, in French: what the explorer's view, the overview, the zoom and the
command line say and draw (numbers from pipelines/read/similar.py)."""

import dataclasses
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from pipelines.frformat import display_name, fmt_change, fmt_count, fmt_decimal, fmt_int, fmt_pct, lower_first, plural
from pipelines.read import figures as read_figures
from pipelines.read import similar as read
from pipelines.read.similar import BMO, Peer, PlaceFigures, Section, Similar
from pipelines.report import downloads, figures, zoom
from pipelines.report.conventions import DEMO_NOTICE, PALETTE
from pipelines.report.safe_text import plotly_text

LABEL = "Profil proche, pas un classement de performance"
CAVEAT = ("Ces territoires ont une répartition des activités proche de celle du territoire choisi ; cela ne dit rien "
          "de leurs résultats, ni de ce qui y marche mieux ou moins bien.")
DISTANCE_NAME = "dissimilarité de Krugman"
DISTANCE_RULE = ("somme, sur toutes les sections, des écarts (en valeur absolue) entre les parts des deux territoires "
                 ": 0 pour une même répartition, 2 pour des répartitions sans aucune activité en commun")
# URL and command-line values of the size band: the factor, and how it is said.
SIZE_BANDS = {"2": "de la moitié au double de la sienne", "3": "du tiers au triple de la sienne",
              "5": "du cinquième au quintuple de la sienne"}
DISTANCE_DIGITS = 3
# Each level: singular, plural, and whether its noun is feminine (for "comparées").
LEVEL_NOUNS = {"bassin_bmo": ("bassin d'emploi BMO", "bassins d'emploi BMO", False),
               "zone_emploi": ("zone d'emploi", "zones d'emploi", True), "epci": ("EPCI", "EPCI", False),
               "departement": ("département", "départements", False), "region": ("région", "régions", True),
               "commune": ("commune", "communes", True), "liste": ("liste de communes", "listes de communes", True)}
GROUP_RULE = ("effectifs, établissements et projets additionnés sur les pairs ; parts et évolutions : médiane des "
              "valeurs des pairs")
GROUP_LABEL = "Groupe de pairs"


def level_count(territory_type: str, count: int) -> str:
    """'297 zones d'emploi', '1 EPCI'."""
    singular, plural_form, _ = LEVEL_NOUNS[territory_type]
    return fmt_count(count, singular, plural_form)


def compared_word(territory_type: str, count: int) -> str:
    """'comparées' (zones d'emploi), 'comparé' (1 EPCI)."""
    return plural(count, "comparée" if LEVEL_NOUNS[territory_type][2] else "comparé",
                  "comparées" if LEVEL_NOUNS[territory_type][2] else "comparés")


def distance_text(distance: float) -> str:
    return fmt_decimal(distance, DISTANCE_DIGITS)


def size_unit(result: Similar) -> tuple[str, str]:
    return ("projet de recrutement", "projets de recrutement") if result.source == BMO else ("salarié", "salariés")


def mix_text(result: Similar) -> str:
    """What the mixes are made of: 'la répartition de l'emploi salarié par section de la NAF (A38), Urssaf fin
    2024' or the BMO fallback, with why."""
    if result.source == BMO:
        why = ("l'emploi salarié Urssaf n'y est chargé que pour une partie des communes" if result.urssaf_gap ==
               "partial" else "aucun emploi salarié Urssaf n'est chargé pour ce territoire")
        nomenclature = f", {result.nomenclature}" if result.nomenclature else ""
        return (f"la répartition des projets de recrutement par famille de métiers (FAP{nomenclature}), enquête BMO "
                f"{result.year} de France Travail, faute d'emploi salarié complet ({why})")
    return (f"la répartition de l'emploi salarié par section d'activité (NAF en 38 postes, A38), Urssaf fin "
            f"{result.year}")


def method_text(result: Similar) -> str:
    """The sentence that says how the peers were found, and the distance used."""
    return (f"Comparaison sur {mix_text(result)} ; distance : {DISTANCE_NAME}, {DISTANCE_RULE}. Sections qui "
            "rapprochent : les plus grandes parts communes aux deux territoires ; sections qui distinguent : les plus "
            "grands écarts de parts.")


def scope_text(result: Similar) -> str:
    """'Les 10 plus proches parmi 297 zones d'emploi comparées ; taille : …; 3 écartées : …'."""
    parts = [f"{fmt_count(len(result.peers), 'territoire retenu', 'territoires retenus')} parmi "
             f"{level_count(result.territory_type, result.compared)} "
             f"{compared_word(result.territory_type, result.compared)}"]
    if result.size_factor is not None:
        factor = fmt_decimal(result.size_factor).removesuffix(",0")
        band = SIZE_BANDS.get(_factor_key(result.size_factor), f"de 1/{factor} à {factor} fois la sienne")
        unit = size_unit(result)[1]
        parts.append(f"taille {band} ({fmt_int(result.size)} {unit}, soit de "
                     f"{fmt_int(result.size / result.size_factor)} à {fmt_int(result.size * result.size_factor)}) : "
                     f"{fmt_int(result.outside_band)} en dehors")
    if result.partial:
        parts.append(f"{level_count(result.territory_type, result.partial)} sans comparaison possible : emploi "
                     "salarié chargé pour une partie de leurs communes seulement")
    if result.own_secret_cells:
        cells = fmt_count(result.own_secret_cells, "cellule secrète", "cellules secrètes")
        parts.append(f"profil du territoire approché : {cells} "
                     f"BMO {plural(result.own_secret_cells, 'comptée', 'comptées')} pour rien")
    if result.secret_mixes:
        parts.append(f"dont {fmt_int(result.secret_mixes)} au profil approché : cellules secrètes BMO comptées "
                     "pour rien")
    if result.mostly_secret:
        parts.append(f"{level_count(result.territory_type, result.mostly_secret)} "
                     f"{plural(result.mostly_secret, 'écarté', 'écartés')} : plus de la moitié de leurs cellules BMO "
                     "sont secrètes")
    return " ; ".join(parts) + "."


def _factor_key(factor: float) -> str:
    return str(int(factor)) if float(factor).is_integer() else str(factor)


def section_name(section: Section, source: str) -> str:
    """A section's label, or for a FAP family without one in the loaded files, 'famille FAP B2X'."""
    if section.label:
        return section.label
    return f"famille FAP {section.code}" if source == BMO else f"section {section.code}"


def sections_text(sections: tuple[Section, ...], source: str) -> str:
    """'Construction (30,0 % / 40,0 %) ; …': each section with the territory's share, then the peer's."""
    return " ; ".join(f"{section_name(s, source)} ({fmt_pct(s.share)} / {fmt_pct(s.peer_share)})"
                      for s in sections) or "aucune"


def points(share: float) -> str:
    """A share difference in percentage points: '4,2 points'."""
    return f"{fmt_decimal(share * 100)} point{'s' if round(share * 100, 1) >= 2 else ''}"


def peer_detail(result: Similar, peer: Peer) -> tuple[list[str], list[str]]:
    """The three sections that bring the peer closest and the three that set it apart, one line each:
    'Construction : 23,6 % ici, 19,9 % chez Redon (19,9 points en commun)'."""
    name = display_name(peer.name or peer.code)

    def line(section: Section, what: str) -> str:
        return (f"{section_name(section, result.source)} : {fmt_pct(section.share)} ici, "
                f"{fmt_pct(section.peer_share)} chez {name} ({what})")

    return ([line(s, f"{points(s.common)} en commun") for s in peer.closest],
            [line(s, f"écart de {points(s.gap)}") for s in peer.apart])


SECTION_COLUMNS = ["Sections qui rapprochent (part ici / chez le pair)",
                   "Sections qui distinguent (part ici / chez le pair)"]


def peers_table(result: Similar) -> pd.DataFrame:
    """The peers, one row each, for the screen, a spreadsheet and the command line (same columns)."""
    unit = size_unit(result)[1]
    return pd.DataFrame({
        "Rang": [peer.rank for peer in result.peers],
        "Code": [peer.code for peer in result.peers],
        "Territoire": [display_name(peer.name or peer.code) for peer in result.peers],
        f"Distance ({DISTANCE_NAME}, 0 à 2)": [distance_text(peer.distance) for peer in result.peers],
        f"Taille ({unit})": [round(peer.size) for peer in result.peers],
        SECTION_COLUMNS[0]: [sections_text(peer.closest, result.source) for peer in result.peers],
        SECTION_COLUMNS[1]: [sections_text(peer.apart, result.source) for peer in result.peers],
    })


def title(result: Similar) -> str:
    """'Territoires au profil proche : Rennes (5315)'."""
    name = display_name(result.name or result.territory_code)
    return f"Territoires au profil proche : {name} ({result.territory_code})"


def source_line(result: Similar) -> str:
    source = figures.BMO_SOURCE if result.source == BMO else figures.URSSAF_SOURCE
    return f"Source : {source}, {result.year}"


def about(result: Similar) -> dict[str, str]:
    """The provenance of the peers' table (the XLSX's "Source" sheet)."""
    return {"Titre": title(result), "Source": source_line(result).removeprefix("Source : "),
            "Méthode": method_text(result), "Champ": scope_text(result), "Avertissement": LABEL}


def distance_figure(result: Similar) -> go.Figure:
    """The peers' distances as horizontal bars, the closest on top."""
    peers = result.peers
    figure = go.Figure(go.Bar(
        y=[plotly_text(f"{display_name(peer.name or peer.code)} ({peer.code})") for peer in peers],
        x=[peer.distance for peer in peers], orientation="h", marker_color=PALETTE[0],
        text=[distance_text(peer.distance) for peer in peers], textposition="outside", cliponaxis=False,
        hovertemplate="%{y} : %{x:.3f}<extra></extra>"))
    figure.update_yaxes(autorange="reversed")
    figure.update_xaxes(title=f"Distance ({DISTANCE_NAME}, de 0 à 2)",
                        range=[0, 1.25 * max((peer.distance for peer in peers), default=0) or 1])
    return figure


def similar_text(result: Similar) -> str:
    """The command line's text: title, label, method, scope, then one block per peer."""
    unit = size_unit(result)
    lines = [title(result), f"{LABEL}.", method_text(result), scope_text(result)]
    for peer in result.peers:
        lines.append(f"{peer.rank:>2}. {display_name(peer.name or peer.code)} ({peer.code}) : distance "
                     f"{distance_text(peer.distance)}, {fmt_count(round(peer.size), *unit)}")
        lines.append(f"    rapprochent : {sections_text(peer.closest, result.source)}")
        lines.append(f"    distinguent : {sections_text(peer.apart, result.source)}")
    if not result.peers:
        lines.append("Aucun territoire de même niveau à comparer.")
    lines.append(source_line(result))
    if result.is_demo:
        lines.append(f"{DEMO_NOTICE}.")
    return "\n".join(lines)


def as_json(result: Similar) -> dict:
    """The numbers as the page reads them, with the label and the method in French."""
    return dataclasses.asdict(result) | {"label": LABEL, "method": method_text(result), "scope": scope_text(result)}


# --- The peer group beside the other places ---------------------------------------------------------------------


def group_label(territory_type: str, group: dict[str, PlaceFigures]) -> str:
    """'Groupe de pairs (10 zones d'emploi)'."""
    members = next(iter(group.values())).members if group else 0
    return f"{GROUP_LABEL} ({level_count(territory_type, members)})"


COMPARED = (  # column of PlaceFigures, its heading, how it is written
    ("employees", "Salariés", fmt_int),
    ("establishments", "Établissements employeurs", fmt_int),
    ("share_of_employment", "Part de l'emploi salarié", fmt_pct),
    ("employees_change_1y", "Évolution de l'emploi sur un an", fmt_change),
    ("employees_change_5y", "Évolution de l'emploi sur cinq ans", fmt_change),
    ("projects", "Projets de recrutement", fmt_int),
    ("difficult_share", "Part jugée difficile", fmt_pct),
    ("seasonal_share", "Part saisonnière", fmt_pct),
)
EMPLOYMENT_COLUMNS = {"employees", "establishments", "share_of_employment", "employees_change_1y",
                      "employees_change_5y"}


def comparison_table(places: list[tuple[str, PlaceFigures]], caveat_naf: str | None = None) -> pd.DataFrame:
    """One sector's figures in each place (label, figures), the peer group among them (its figures have
    members), as text for the screen: one row per place, a 'Mode de calcul' column saying which figures of the
    group are sums and which medians. A place's partial employment is 'couverture partielle', not a figure."""
    rows = []
    for label, values in places:
        row = {"Lieu": label}
        for column, heading, written in COMPARED:
            value = getattr(values, column)
            if column in EMPLOYMENT_COLUMNS and caveat_naf:
                row[heading] = "non représentatif"
            elif column in EMPLOYMENT_COLUMNS and values.employment_partial:
                row[heading] = "couverture partielle"
            else:
                row[heading] = bmo_text(values, column) if column in BMO_WRITTEN else written(value)
        row["Mode de calcul"] = _group_rule(values) if values.members else "valeur du territoire"
        rows.append(row)
    return pd.DataFrame(rows)


def comparison_shown(places: list[tuple[str, PlaceFigures]],
                     caveat_naf: str | None = None) -> tuple[pd.DataFrame, str | None]:
    """The comparison table for the screen, and a note: when no place has an employment figure (no URSSAF file
    loaded for them, or over part of their communes only), its columns are left out and the note says why."""
    table = comparison_table(places, caveat_naf)
    if caveat_naf or any(values.employees is not None and not values.employment_partial for _, values in places):
        return table, None
    partial = [label for label, values in places if values.employment_partial]
    missing = [label for label, values in places if not values.employment_partial]
    said = [f"non chargé pour {_rows(missing)}" if missing else "",
            f"chargé pour une partie des communes seulement pour {_rows(partial)}" if partial else ""]
    note = f"Emploi salarié (Urssaf) {' ; '.join(part for part in said if part)} : ses colonnes sont omises."
    return table.drop(columns=[heading for column, heading, _ in COMPARED if column in EMPLOYMENT_COLUMNS]), note


def _rows(labels: list[str]) -> str:
    """The table's rows named by their labels, quoted: a label ('Bassin d'emploi BMO Rennes') is not a noun."""
    return plural(len(labels), "la ligne ", "les lignes ") + ", ".join(f"« {label} »" for label in labels)


BMO_WRITTEN = ("projects", "difficult_share", "seasonal_share")


def bmo_text(values: PlaceFigures, column: str) -> str:
    """A BMO figure as the overview writes it (fmt_int with its secret cells, figures.share_text with 'au moins'
    for a lower bound); a group's sum over members whose projects leave secret cells out: '≈ 160 (2 pairs
    incomplets)'."""
    if column != "projects":
        return figures.share_text(dataclasses.asdict(values), column.removesuffix("_share"))
    text = fmt_int(values.projects, values.secret_cells)
    if values.members and values.secret_members and values.projects is not None:
        text = f"≈ {text} ({fmt_count(values.secret_members, 'pair incomplet', 'pairs incomplets')})"
    return text


UNITS = {"employees": "count", "establishments": "count", "projects": "count", "share_of_employment": "share",
         "employees_change_1y": "share", "employees_change_5y": "share", "difficult_share": "share",
         "seasonal_share": "share"}


def comparison_download(places: list[tuple[str, PlaceFigures]], caveat_naf: str | None = None) -> pd.DataFrame:
    """The comparison table for a spreadsheet (downloads.cell: counts as integers, shares and changes in % with
    one decimal, "n.d." where there is none); partial or unrepresentative employment as the screen says it."""
    screen = comparison_table(places, caveat_naf)
    table = pd.DataFrame({"Lieu": screen["Lieu"]})
    for column, heading, _ in COMPARED:
        name = f"{heading} (%)" if UNITS[column] == "share" else heading
        table[name] = [text if text in ("non représentatif", "couverture partielle")
                       or text.startswith(("≈", figures.LOWER_BOUND)) else
                       downloads.cell(getattr(values, column), UNITS[column], bool(values.secret_cells))
                       for text, (_, values) in zip(screen[heading], places, strict=True)]
    table["Mode de calcul"] = screen["Mode de calcul"]
    return table


def comparison_about(compared: "Comparison", sector_code: str, note: str) -> dict[str, str]:
    """The provenance of the comparison table (the XLSX's "Source" sheet)."""
    return {"Titre": f"Comparaison avec le groupe de pairs : {compared.sectors[sector_code]}",
            "Source": f"{figures.URSSAF_SOURCE} ; {figures.BMO_SOURCE}",
            "Territoire": compared.rows[sector_code][0][0], "Groupe de pairs": ", ".join(compared.pairs),
            "Mode de calcul": note, "Extrait le": downloads.extraction_date()}


def _group_rule(values: PlaceFigures) -> str:
    """'emploi : somme et médiane de 9 sur 10 (1 en couverture partielle) ; BMO : somme et médiane des 10'."""
    parts = []
    for name, members in (("emploi", values.employment_members), ("BMO", values.bmo_members)):
        if members:
            shown = f"des {members}" if members == values.members else f"de {members} sur {values.members}"
            parts.append(f"{name} : sommes et médianes {shown}")
    if values.partial_members:
        parts.append(f"{fmt_int(values.partial_members)} écarté{'s' if values.partial_members > 1 else ''} de "
                     "l'emploi (couverture partielle)")
    if values.secret_members:
        parts.append(f"BMO : {fmt_count(values.secret_members, 'pair', 'pairs')} avec des cellules secrètes non "
                     "comptées (somme approchée, ≈)")
    return " ; ".join(parts) or "aucun chiffre"


def comparison_note(year_employment: int | None, year_bmo: int | None) -> str:
    """The note under the comparison table: which rule makes the group's figures, and the years."""
    years = [f"emploi salarié Urssaf fin {year_employment}" if year_employment else None,
             f"enquête BMO {year_bmo}" if year_bmo else None]
    said = ", ".join(year for year in years if year)
    return (f"{GROUP_LABEL} : {GROUP_RULE}{' (' + said + ')' if said else ''}. Un territoire n'est compté que là où "
            f"son chiffre est publié. {lower_first(LABEL).capitalize()}.")



@dataclass(frozen=True)
class Comparison:
    """A territory beside its peer group, its département, its région and France, sector by sector."""
    territory_type: str
    pairs: tuple[str, ...]  # the peer group's codes (the territory's level)
    group_label: str
    sectors: dict[str, str]  # sector code -> label, in the pages' order ('ensemble' last)
    caveats: dict[str, str | None]  # sector code -> why its employment is not representative (agriculture)
    rows: dict[str, list[tuple[str, PlaceFigures]]]  # sector code -> (place label, figures), the group second
    employment_year: int | None
    bmo_year: int | None


def comparison(con, territory_type: str, territory_code: str, pairs: list[str],
               bmo_year: int | None = None) -> Comparison:
    """The territory, its peer group (`pairs`, codes of its level), département, région and France, for every
    sector: employment of each one's latest year, BMO of survey `bmo_year` (default: the latest survey)."""
    if bmo_year is None:
        bmo_year = read.latest_survey_year(con)
    sectors = read_figures.sectors(con, territory_type, territory_code, None)
    codes = [sector["sector_code"] for sector in sectors]
    places = zoom.comparison_places(con, territory_type, territory_code)
    own = read.place_figures(con, [(place["type"], place["code"]) for place in places], codes, bmo_year)
    group = read.group_figures(con, territory_type, pairs, codes, bmo_year)
    label = group_label(territory_type, group)
    rows = {}
    for code in codes:
        shown = [(places[0]["label"] if places[0]["type"] != "france" else "France",
                  own[(places[0]["type"], places[0]["code"])][code])]
        if code in group:
            shown.append((label, group[code]))
        shown += [(place["label"], own[(place["type"], place["code"])][code]) for place in places[1:]]
        rows[code] = shown
    years = [values for sector in rows.values() for _, values in sector]
    return Comparison(
        territory_type=territory_type, pairs=tuple(pairs), group_label=label,
        sectors={sector["sector_code"]: figures.sector_name(sector) for sector in sectors},
        caveats={sector["sector_code"]: sector["caveat_naf"] for sector in sectors}, rows=rows,
        employment_year=max((v.employment_year for v in years if v.employment_year), default=None),
        bmo_year=bmo_year if any(v.bmo_year for v in years) else None)
