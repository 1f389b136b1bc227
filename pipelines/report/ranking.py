"""A ranking (pipelines.read.ranking) in French: its title, "7e ex aequo", the percentile, what is secret or
incomplete, the distribution chart, the table for the screen and for CSV/XLSX, and the command line's text. One
wording for the explorer's views and `python -m pipelines rank`."""

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from pipelines.frformat import (
    MISSING,
    SECRET,
    display_name,
    fmt_change,
    fmt_count,
    fmt_int,
    fmt_pct,
    lower_first,
    plural,
)
from pipelines.read import ranking as read_ranking
from pipelines.read.figures import territory
from pipelines.read.ranking import Ranking, parse_sector
from pipelines.report import downloads, figures
from pipelines.report.conventions import DEMO_NOTICE, PALETTE
from pipelines.report.safe_text import plotly_text

# code -> (label, unit said on an axis or a column). Every indicator of the catalogue has one (a test checks it).
INDICATOR_LABELS = {
    "projets": "Projets de recrutement (BMO)",
    "projets_evolution": "Évolution des projets de recrutement sur un an (BMO)",
    "difficiles": "Projets jugés difficiles (BMO)",
    "part_difficiles": "Part des projets jugés difficiles (BMO)",
    "saisonniers": "Projets saisonniers (BMO)",
    "part_saisonniers": "Part des projets saisonniers (BMO)",
    "emploi": "Emploi salarié (Urssaf)",
    "emploi_evolution_1an": "Évolution de l'emploi salarié sur un an (Urssaf)",
    "emploi_evolution_5ans": "Évolution de l'emploi salarié sur cinq ans (Urssaf)",
    "part_emploi": "Part du secteur dans l'emploi salarié (Urssaf)",
    "etablissements": "Établissements employeurs (Urssaf)",
    "etablissements_evolution_1an": "Évolution des établissements sur un an (Urssaf)",
    "etablissements_evolution_5ans": "Évolution des établissements sur cinq ans (Urssaf)",
    "tension": "Niveau de tension (1 à 5)",
    "metiers_en_tension": "Métiers en tension (classe 4 ou 5)",
    "tension_publiee": "Classe de tension publiée pour la famille (Dares, 1 à 5)",
    "demandeurs_a": "Demandeurs d'emploi de catégorie A",
    "demandeurs_abc": "Demandeurs d'emploi de catégories A, B, C",
    "demandeurs_a_evolution": "Évolution sur un an des demandeurs d'emploi de catégorie A",
    "demandeurs_abc_evolution": "Évolution sur un an des demandeurs d'emploi de catégories A, B, C",
}
SOURCES = {"bmo": figures.BMO_SOURCE, "urssaf": figures.URSSAF_SOURCE, "tension": figures.TENSION_SOURCE,
           "job_seekers": figures.JOB_SEEKERS_SOURCE}
LEVEL_PLURALS = {"bassin_bmo": "bassins d'emploi BMO", "zone_emploi": "zones d'emploi", "epci": "EPCI",
                 "departement": "départements", "region": "régions", "commune": "communes"}
LEVEL_SINGULARS = {"bassin_bmo": "bassin d'emploi BMO", "zone_emploi": "zone d'emploi", "epci": "EPCI",
                   "departement": "département", "region": "région", "commune": "commune"}
DIMENSION_LABELS = {"a38": "section NAF A38", "famille": "famille de métiers FAP", "fap": "métier FAP",
                    "rome": "métier ROME"}
# What a FAP 2009 family's tension figures are (the explorer's "Métiers" view says it under the picker).
FAMILY_TENSION_NOTES = {
    "tension": ("Famille FAP 2009 : niveau de tension = moyenne des classes (1 à 5) de ses métiers publiés, comme "
                "pour un secteur (métiers FAP 2009 par département et région, codes ROME par bassin). La Dares publie "
                "aussi une classe pour la famille elle-même : indicateur « Classe de tension publiée pour la "
                "famille »."),
    "metiers_en_tension": "Famille FAP 2009 : ses métiers publiés de classe 4 ou 5, comme pour un secteur.",
    "tension_publiee": ("Classe publiée par la Dares pour la famille FAP 2009 elle-même (fichier 2019, par "
                        "département et région), calculée sur la famille entière : elle peut différer de la moyenne "
                        "des classes de ses métiers (indicateur « Niveau de tension »)."),
}
# Above this many territories the distribution is a histogram (a dot per territory would be unreadable, and heavy).
STRIP_MAX = 300
HISTOGRAM_BINS = 40
MEDIAN_HEADROOM = 1.2  # the histogram's y range, over its tallest bar: room for the median's label
RANK_RULE = ("Rang 1 : la valeur la plus élevée ; des valeurs égales partagent le même rang (ex aequo). Centile : "
             "part des autres territoires classés dont la valeur est strictement inférieure. Rangs et centiles sont "
             "calculés sur les valeurs non arrondies.")


@dataclass(frozen=True)
class RankingView:
    """A ranking with the names its wording needs: the sector's label and the scope's name."""
    ranking: Ranking
    sector: str  # the sector's label
    scope_name: str | None

    @property
    def title(self) -> str:
        return title(self.ranking, self.sector, self.scope_name)


def ranking_view(con, indicator: str, sector: str, level: str, scope: str, year: int | None = None) -> RankingView:
    """read.ranking.rank and the names to word it: what the pages and the command line both call."""
    result = read_ranking.rank(con, indicator, sector, level, scope, year)
    labels = dict(read_ranking.sector_choices(con, indicator))
    # A family's label from its source's own list (the tension files' are FAP 2009 families; a code such as G0A is
    # also a FAP 2021 family of the BMO files), a métier's from the list of métiers.
    labels.update({row["spec"]: metier_label(row) for row in read_ranking.metier_choices(con)
                   if row["spec"] == result.sector and row["spec"] not in labels})
    place = None if result.scope[0] == "france" else territory(con, *result.scope)
    return RankingView(result, sector_label(result.sector, labels), place and place["territory_name"])


def metier_label(row: dict) -> str:
    """'métier FAP B2X31 (Maçons)' for a row of read.ranking.metier_choices."""
    kind = DIMENSION_LABELS[row["nomenclature"] if row["nomenclature"] in ("famille", "rome") else "fap"]
    return f"{kind} {row['code']}" + (f" ({row['label']})" if row["label"] else "")


def rank_text(rank, tied: bool = False) -> str:
    """1 -> '1er', 7 (tied) -> '7e ex aequo'; no rank -> '—'."""
    if rank is None or pd.isna(rank):
        return "—"
    rank = int(rank)
    return f"{rank}{'er' if rank == 1 else 'e'}{' ex aequo' if tied else ''}"


def percentile_text(percentile) -> str:
    """0.87 -> 'au-dessus de 87 % des autres' (share of the other ranked territories strictly below)."""
    if percentile is None or pd.isna(percentile):
        return "—"
    return f"au-dessus de {fmt_pct(percentile, digits=0)} des autres"


def value_text(value, unit: str, secret: bool = False, incomplete: bool = False) -> str:
    """A ranked value as every output shows it: '35 276', '60,3 %', '+3,2 %', '3,67 / 5' (a level, an average of
    classes), '4 / 5' (a class); 's' or 'n.d.';
    '≈ 35 276 (incomplet)' when it is ranked but incomplete (secret cells or communes left out)."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return SECRET if secret else MISSING
    if unit == "share":
        text = fmt_pct(value)
    elif unit == "change":
        text = fmt_change(value)
    elif unit == "level":
        text = figures.level_of_five(value)
    elif unit == "class":
        text = f"{fmt_int(value)} / 5"
    else:
        text = fmt_int(value)
    return f"≈ {text} (incomplet)" if incomplete else text


def median_text(ranking: Ranking) -> str:
    """'médiane : 120', saying when incomplete values are among those it is the median of."""
    text = f"médiane : {value_text(ranking.median, ranking.unit)}"
    if ranking.incomplete:
        text += f" (y compris {fmt_count(ranking.incomplete, 'chiffre incomplet', 'chiffres incomplets')})"
    return text


def sector_label(sector: str, labels: dict[str, str]) -> str:
    """'BTP'-like label of a sector spec: the label the marts give (labels: spec -> label), or its kind and code."""
    dimension, code = parse_sector(sector)
    if dimension not in DIMENSION_LABELS:
        return labels.get(sector) or code
    label = labels.get(sector)
    if label and label.startswith(DIMENSION_LABELS[dimension]):  # métiers: metier_label's words already
        return label
    return f"{DIMENSION_LABELS[dimension]} {code}" + (f" : {label}" if label else "")


def period_label(ranking: Ranking) -> str:
    if ranking.period is not None:
        return f"T{(ranking.period.month - 1) // 3 + 1} {ranking.period.year}"
    return str(ranking.year)


def scope_label(ranking: Ranking, scope_name: str | None) -> str:
    """'France', 'région Bretagne (53)', 'département Ille-et-Vilaine (35)'."""
    kind, code = ranking.scope
    if kind == "france":
        return "France"
    word = "région" if kind == "region" else "département"
    name = display_name(scope_name or code)
    return f"{name if name.lower().startswith(word) else f'{word} {name}'} ({code})"  # a file's 'Région 53' as is


def title(ranking: Ranking, sector: str, scope_name: str | None) -> str:
    """'Projets de recrutement (BMO) · BTP · 2024 : bassins d'emploi BMO, région Bretagne (53)'."""
    return (f"{INDICATOR_LABELS[ranking.indicator]} · {sector} · {period_label(ranking)} : "
            f"{LEVEL_PLURALS[ranking.level]}, {scope_label(ranking, scope_name)}")


def place_sentence(ranking: Ranking, code: str) -> str | None:
    """'RENNES : 3e sur 7 bassins d'emploi BMO (1 579), au-dessus de 67 % des autres.' None when not in the scope."""
    row = ranking.place(code)
    if row is None:
        return None
    name = display_name(row["territory_name"])
    shown = value_text(row["value"], ranking.unit, row["secret"])
    if pd.isna(row["rank"]):
        why = "chiffre secret" if row["secret"] else "pas de chiffre publié"
        return f"{name} : non classé ({why} : {shown})."
    sentence = (f"{name} : {rank_text(row['rank'], row['tied'])} sur {fmt_int(ranking.ranked)} "
                f"{plural(ranking.ranked, LEVEL_SINGULARS[ranking.level], LEVEL_PLURALS[ranking.level])} ({shown})")
    if not pd.isna(row["percentile"]):
        sentence += f", {percentile_text(row['percentile'])}"
    if row["incomplete"]:
        sentence += f" ; {INCOMPLETE[ranking.source]}"
    return sentence + "."


INCOMPLETE = {
    "bmo": "chiffre incomplet (cellules secrètes non comptées, ou part minimale)",
    "urssaf": "chiffre incomplet (une partie seulement des communes du territoire chargées)",
    "job_seekers": "chiffre incomplet (une partie seulement des communes du territoire chargées)",
    "tension": "chiffre incomplet",
}


def counts_note(ranking: Ranking) -> str:
    """What the ranking leaves out or holds incomplete, said once: '6 classés ; 1 au chiffre secret (s)…'."""
    parts = [f"{fmt_count(ranking.ranked, 'territoire classé', 'territoires classés')}"]
    if ranking.secret:
        parts.append(f"{fmt_int(ranking.secret)} non {('classé' if ranking.secret < 2 else 'classés')} : chiffre "
                     f"secret (« {SECRET} »)")
    if ranking.missing:
        parts.append(f"{fmt_int(ranking.missing)} sans chiffre publié (« {MISSING} »)")
    if ranking.incomplete:
        parts.append(f"{fmt_int(ranking.incomplete)} au chiffre incomplet, classé tel quel : "
                     f"{INCOMPLETE[ranking.source].removeprefix('chiffre incomplet').strip(' ()') or 'voir la source'}")
    straddling = int(ranking.table["straddles"].sum())
    if straddling:
        parts.append(f"{fmt_count(straddling, 'territoire')} à cheval sur l'échelle (chiffre de tout le territoire)")
    return " ; ".join(parts) + "."


def source_line(ranking: Ranking) -> str:
    line = f"Source : {SOURCES[ranking.source]}, {period_label(ranking)}."
    return f"{line} {DEMO_NOTICE}." if ranking.is_demo else line


def value_column(ranking: Ranking) -> str:
    label = INDICATOR_LABELS[ranking.indicator]
    return f"{label} (%)" if ranking.unit in ("share", "change") else label


def download_table(ranking: Ranking) -> pd.DataFrame:
    """The ranking for a spreadsheet (downloads.py conventions): rank as a number, 'ex aequo' beside it, the value
    rounded as downloads.cell rounds it (a share or a change in %, one decimal; 's' / 'n.d.'), the percentile in %,
    and the flags. Built column by column (no loop over 35,000 rows in Python for the numbers)."""
    table = ranking.table
    ranked = table["rank"].notna()
    unit = "share" if ranking.unit == "change" else ranking.unit
    values = table["value"].astype(float)
    if unit == "share":
        rounded = (values * 100).round(1)
    elif unit == "level":
        rounded = values.round(2)
    else:
        rounded = values.round(0)
    shown = rounded.astype(object).where(values.notna(), np.where(table["secret"], SECRET, MISSING))
    if unit not in ("share", "level"):
        shown = shown.map(lambda v: int(v) if isinstance(v, float) else v)
    return pd.DataFrame({
        "Rang": table["rank"].astype(object).where(ranked, MISSING).map(lambda v: int(v) if v != MISSING else v),
        "Ex aequo": np.where(table["tied"], "oui", "non"),
        "Code": table["territory_code"].astype(str),
        "Territoire": table["territory_name"].astype(str).map(display_name),
        value_column(ranking): shown,
        "Centile (%)": (table["percentile"].astype(float) * 100).round(0).astype(object).where(
            table["percentile"].notna(), MISSING).map(lambda v: int(v) if isinstance(v, float) else v),
        "Chiffre incomplet": np.where(table["incomplete"], "oui", "non"),
        "À cheval sur l'échelle": np.where(table["straddles"], "oui", "non"),
    })


CHOSEN_MARK = "▶"
PEER_MARK = "◆"  # the peer group's territories (`pairs`), as on the distribution chart


def screen_table(ranking: Ranking, chosen: str | None, peers: tuple[str, ...] = ()) -> pd.DataFrame:
    """The table the page shows, sortable by its numbers (rank, value in the unit of its column, percentile), the
    rank also in words, what a missing or incomplete value is in a remark, the chosen territory and its peers
    marked."""
    table = ranking.table
    codes = table["territory_code"]
    values = _scaled(ranking, table["value"].astype(float))
    return pd.DataFrame({
        " ": np.where(codes == chosen, CHOSEN_MARK, np.where(codes.isin(list(peers)), PEER_MARK, "")),
        "Classement": [rank_text(rank, tied) for rank, tied in zip(table["rank"], table["tied"], strict=True)],
        "Rang": table["rank"].astype("Int64"),
        "Territoire": table["territory_name"].astype(str).map(display_name),
        "Code": table["territory_code"].astype(str),
        value_column(ranking): values.round({"level": 2, "class": 0}.get(ranking.unit, 1)),
        "Centile (%)": (table["percentile"].astype(float) * 100).round(0),
        "Remarque": remarks(ranking),
    })


def remarks(ranking: Ranking) -> pd.Series:
    """What a missing or incomplete value is, per territory: the screen's and the command line's remark."""
    table = ranking.table
    remarks = pd.Series("", index=table.index, dtype=object)
    remarks = remarks.where(~table["incomplete"], "chiffre incomplet")
    remarks = remarks.where(~(table["value"].isna() & table["secret"]), f"secret ({SECRET})")
    remarks = remarks.where(~(table["value"].isna() & ~table["secret"]), f"non publié ({MISSING})")
    remarks = remarks.where(~table["straddles"], remarks.map(lambda text: "; ".join(
        filter(None, [text, "à cheval sur l'échelle"]))))
    return remarks


def map_table(ranking: Ranking) -> pd.DataFrame:
    """What the choropleth draws (pipelines.report.maps.choropleth): territory_code, territory_name, value,
    value_text ('s' / 'n.d.' where there is none)."""
    table = ranking.table
    return pd.DataFrame({
        "territory_code": table["territory_code"], "territory_name": table["territory_name"].map(display_name),
        "value": table["value"].astype(float),
        "value_text": [value_text(value, ranking.unit, secret, incomplete) for value, secret, incomplete in
                       zip(table["value"], table["secret"], table["incomplete"], strict=True)]})


def about(ranking: Ranking, sector: str, scope_name: str | None, territory: str) -> dict[str, str]:
    """The "Source" sheet of the XLSX."""
    return {
        "Titre": title(ranking, sector, scope_name),
        "Source": SOURCES[ranking.source],
        "Territoire": territory,
        "Période": period_label(ranking),
        "Extrait le": downloads.extraction_date(),
        "Notes": f"{counts_note(ranking)} {RANK_RULE}" + (f" {DEMO_NOTICE}." if ranking.is_demo else ""),
        "Conventions": downloads.CONVENTIONS,
    }


def _scaled(ranking: Ranking, values):
    return values * 100 if ranking.unit in ("share", "change") else values


def axis_title(ranking: Ranking) -> str:
    return value_column(ranking)


def distribution(ranking: Ranking, chosen: str | None, peers: list[str] = ()) -> go.Figure:
    """The distribution of the ranked values: one dot per territory (a strip, hover: name and value) up to
    STRIP_MAX territories, a histogram beyond; the chosen territory, its peers and the median marked."""
    table = ranking.table[ranking.table["value"].notna()]
    x = _scaled(ranking, table["value"].astype(float).to_numpy())
    figure = go.Figure()
    height = {}  # territory code -> y of its dot (strip); the marks below sit on their own dot, not beside it
    if len(table) <= STRIP_MAX:
        # A deterministic jitter: dots of equal value spread vertically, the same picture at every render.
        jitter = ((np.arange(len(table)) * 0.618) % 1.0) - 0.5
        height = dict(zip(table["territory_code"], jitter, strict=True))
        names = [plotly_text(f"{display_name(name)} ({code}) : {value_text(value, ranking.unit, False, incomplete)}")
                 for name, code, value, incomplete in zip(table["territory_name"], table["territory_code"],
                                                          table["value"], table["incomplete"], strict=True)]
        figure.add_trace(go.Scatter(x=x, y=jitter, mode="markers", name=plotly_text("Territoires"),
                                    marker=dict(color="#9a9a9a", size=9, opacity=0.7), text=names,
                                    hovertemplate="%{text}<extra></extra>"))
        figure.update_yaxes(visible=False, range=[-1, 1])
    else:
        counts, edges = np.histogram(x, bins=HISTOGRAM_BINS)
        figure.add_trace(go.Bar(x=(edges[:-1] + edges[1:]) / 2, y=counts, width=np.diff(edges), name=plotly_text(
            "Territoires"), marker=dict(color="#bdbdbd"), hovertemplate="%{y}<extra></extra>"))
        # Headroom above the tallest bar for the median's label, written inside the plot (below).
        figure.update_yaxes(title=plotly_text("Nombre de territoires"), range=[0, max(counts) * MEDIAN_HEADROOM])
    if ranking.median is not None:
        median = float(_scaled(ranking, ranking.median))
        figure.add_vline(x=median, line=dict(color="#000000", dash="dash", width=2))
        # Inside the plot's top edge, not above it: the page's legend sits above the plot (ui.style_figure).
        right_half = len(x) > 0 and median > (float(np.min(x)) + float(np.max(x))) / 2  # written towards the centre
        figure.add_annotation(x=median, y=1, yref="paper", showarrow=False, yanchor="top",
                              xanchor="right" if right_half else "left", xshift=-4 if right_half else 4,
                              bgcolor="rgba(255,255,255,0.85)", text=plotly_text(median_text(ranking)))
    marked = table[table["territory_code"].isin(list(peers))]
    if len(marked):
        figure.add_trace(go.Scatter(
            x=_scaled(ranking, marked["value"].astype(float).to_numpy()),
            y=[height.get(code, 0) for code in marked["territory_code"]], mode="markers",
            name=plotly_text("Territoires proches"), marker=dict(color=PALETTE[0], size=14, symbol="diamond"),
            text=[plotly_text(display_name(name)) for name in marked["territory_name"]],
            hovertemplate="%{text}<extra></extra>"))
    own = table[table["territory_code"] == chosen]
    if len(own):
        value = own["value"].iloc[0]
        figure.add_trace(go.Scatter(
            x=[float(_scaled(ranking, value))], y=[height.get(chosen, 0)], mode="markers+text",
            name=plotly_text("Territoire choisi"),
            marker=dict(color=PALETTE[1], size=20, symbol="star", line=dict(color="#000000", width=1)),
            text=[plotly_text(display_name(own["territory_name"].iloc[0]))], textposition="top center",
            # The name goes in as data, never into the template (a name holding '%{x}' would be substituted).
            customdata=[plotly_text(f"{display_name(own['territory_name'].iloc[0])} : "
                                    f"{value_text(value, ranking.unit, False, bool(own['incomplete'].iloc[0]))}")],
            hovertemplate="%{customdata}<extra></extra>"))
    # Margins grown to fit the tick labels and axis titles (a page's style may set narrow ones).
    # Ticks written in full, "35 000" (not plotly's "35k").
    figure.update_xaxes(title=plotly_text(axis_title(ranking)), automargin=True, exponentformat="none",
                        separatethousands=True)
    figure.update_yaxes(automargin=True)
    return figure


# --- command line -------------------------------------------------------------------------------------------------


def ranking_json(ranking: Ranking, sector: str, scope_name: str | None, chosen: str | None) -> dict:
    """The ranking as the command line's JSON: unrounded values, ranks, percentiles, flags (the page's numbers)."""
    rows = ranking.table.astype(object).where(ranking.table.notna(), None).to_dict("records")
    for row in rows:
        row["rank"] = None if row["rank"] is None else int(row["rank"])
    chosen_row = next((row for row in rows if row["territory_code"] == chosen), None)
    return {
        "titre": title(ranking, sector, scope_name),
        "indicateur": ranking.indicator, "unite": ranking.unit, "secteur": ranking.sector,
        "niveau": ranking.level, "echelle": list(ranking.scope), "annee": ranking.year,
        "periode": None if ranking.period is None else ranking.period.isoformat(),
        "classes": ranking.ranked, "secrets": ranking.secret, "non_publies": ranking.missing,
        "incomplets": ranking.incomplete, "mediane": ranking.median, "donnees_fictives": ranking.is_demo,
        "territoire": chosen_row,
        "source": SOURCES[ranking.source],
        "territoires": rows,
    }


def ranking_lines(ranking: Ranking, sector: str, scope_name: str | None, chosen: str | None) -> list[str]:
    """The command line's text: title, the chosen territory's sentence, the counts, then the table."""
    lines = [title(ranking, sector, scope_name)]
    if ranking.is_demo:
        lines.append(DEMO_NOTICE)
    if chosen is not None:
        lines.append(place_sentence(ranking, chosen) or f"Le territoire {chosen} n'est pas dans cette échelle.")
    lines += [counts_note(ranking), ""]
    table = download_table(ranking)
    cells = [[str(column) for column in ("Rang", "Code", "Territoire", value_column(ranking), "Centile (%)",
                                         "Remarque")]]
    words = [rank_text(rank, tied) for rank, tied in zip(ranking.table["rank"], ranking.table["tied"], strict=True)]
    shown = [value_text(value, ranking.unit, secret) for value, secret in
             zip(ranking.table["value"], ranking.table["secret"], strict=True)]
    marks = ["▶ " if code == chosen else "" for code in ranking.table["territory_code"]]
    cells += [[f"{mark}{word}", str(code), name, value, str(centile), remark]
              for mark, word, code, name, value, centile, remark in
              zip(marks, words, table["Code"], table["Territoire"], shown, table["Centile (%)"], remarks(ranking),
                  strict=True)]
    widths = [max(len(row[column]) for row in cells) for column in range(len(cells[0]))]
    lines += ["  ".join(cell.rjust(width) if column in (3, 4) else cell.ljust(width)
                        for column, (cell, width) in enumerate(zip(row, widths, strict=True))).rstrip()
              for row in cells]
    lines += ["", RANK_RULE, source_line(ranking)]
    return lines


def indicator_label(code: str) -> str:
    return INDICATOR_LABELS[code]


def level_label(level: str) -> str:
    return lower_first(figures.TERRITORY_LABELS[level])


