"""Specialisation (location quotients) and shift-share in words, tables and plotly charts: one wording for the
explorer's views and `python -m pipelines specialisation` (numbers from pipelines.read.specialisation).

A figure over secret cells or part of the communes is never shown as a plain number: "≈ 1,32 (partiel)", "s".
"""

import math
from dataclasses import replace

import pandas as pd
import plotly.graph_objects as go

from pipelines.frformat import SECRET, display_name, fmt_change, fmt_count, fmt_decimal, fmt_int, fmt_pct, plural
from pipelines.read.marts import communes_partial
from pipelines.read.specialisation import Place, Quotient, Shift, ShiftShare, Specialisation
from pipelines.report import downloads
from pipelines.report.cli_text import text_table
from pipelines.report.conventions import APPRENTICE_BREAK, PALETTE
from pipelines.report.figures import BMO_SOURCE, TERRITORY_LABELS, URSSAF_SOURCE, of_noun, territory_noun
from pipelines.report.safe_text import plotly_text
from pipelines.report.zoom_charts import (
    CHAR,
    FONT_FAMILY,
    MIN_WIDTH,
    SIZES,
    label_lines,
    legend_rows,
    text_px,
    wrap_label,
)

BANDS = {  # code: (label, colour, lower bound shown)
    "tres_specialise": ("Très spécialisé", "#0072B2", "> 1,5"),
    "specialise": ("Spécialisé", "#56B4E9", "1,25 à 1,5"),
    "moyenne": ("Dans la moyenne", "#999999", "0,75 à 1,25"),
    "sous_represente": ("Sous-représenté", "#E69F00", "< 0,75"),
}
SOURCE_LABELS = {"urssaf": "Emploi salarié (Urssaf)", "bmo": "Projets de recrutement (BMO)"}
MEASURES = {"urssaf": ("emploi salarié", "salariés"), "bmo": ("projets de recrutement", "projets")}
REFERENCE_LABELS = {"fr": "France", "reg": "Région du territoire", "dep": "Département du territoire",
                    "pairs": "Territoires pairs (somme)"}
GROUP_LABELS = {"secteur": "Secteur", "a38": "Section NAF A38", "famille": "Famille de métiers FAP"}
DETAIL_TITLES = {"urssaf": "sections d'activité NAF A38", "bmo": "familles de métiers FAP"}
DETAIL_HEADINGS = {"urssaf": "Sections d'activité NAF A38", "bmo": "Familles de métiers FAP"}
NOT_REPRESENTATIVE = "non représentatif"
STATUS_LABELS = {"ok": "", "partiel": "partiel", "secret": "secret statistique",
                 "sans_reference": "sans objet : absent de la référence", "non_representatif": NOT_REPRESENTATIVE}
EFFECTS = {"national": ("Effet national", "#0072B2"), "mix": ("Effet structurel", "#E69F00"),
           "local": ("Effet local", "#009E73")}
# The page's charts: zoom_charts' type sizes and narrowest width, labels of bars wrapped at LABEL_CHARS characters.
TYPE, WIDTH, LABEL_CHARS = SIZES[False], MIN_WIDTH[False], 34
CHART_ROWS = 24  # a chart of more groups than this draws the most and the least over-represented halves
RULE = ("Indice de spécialisation = part du secteur dans le territoire ÷ part du même secteur dans la référence, "
        "toutes deux de la même source. Au-dessus de 1, le secteur pèse plus dans le territoire que dans la référence.")


def place_label(place: Place) -> str:
    """'Bassin d'emploi BMO Rennes (5314)', 'France', or the peers: 'Territoires pairs : Redon, Saint Malo'."""
    if place.territory_type == "france":
        return "France"
    if place.kind == "pairs":
        return "Territoires pairs : " + ", ".join(display_name(name) for name in place.names)
    return f"{TERRITORY_LABELS[place.territory_type]} {display_name(place.names[0])} ({place.codes[0]})"


def place_noun(place: Place) -> str:
    """The place as a sentence names it: 'le bassin d'emploi de Rennes (5314)', 'la France', 'les territoires pairs
    (Redon, Saint Malo)' (place_label is its label in a table or after a colon)."""
    if place.kind == "pairs" and place.territory_type != "france":
        return "les territoires pairs (" + ", ".join(display_name(name) for name in place.names) + ")"
    return territory_noun(place.territory_type, display_name(place.names[0]), place.codes[0])


def quotient_text(row: Quotient) -> str:
    if row.status == "secret":
        return SECRET
    if row.status == "non_representatif":
        return NOT_REPRESENTATIVE
    if row.quotient is None:
        return "sans objet"
    text = fmt_decimal(row.quotient, 2)
    return f"≈ {text} (partiel)" if row.status == "partiel" else text


def band_label(row: Quotient) -> str:
    return BANDS[row.band][0] if row.band and row.status != "non_representatif" else ""


def coverage_notes(result: Specialisation | ShiftShare) -> list[str]:
    """What makes the figures partial, said for the territory and the reference."""
    notes = []
    for label, coverage in ((place_label(result.territory), result.coverage),
                            (place_label(result.reference), result.reference_coverage)):
        if coverage.places_with_data < coverage.places:
            notes.append(f"{label} : {coverage.places_with_data} territoires sur {coverage.places} ont des chiffres.")
        if communes_partial(coverage.communes_with_data, coverage.commune_count):
            of_total = (f"sur {fmt_int(coverage.commune_count)}" if coverage.commune_count
                        else "(nombre de communes du territoire inconnu)")
            notes.append(f"{label} : somme partielle, {fmt_int(coverage.communes_with_data)} communes {of_total} "
                         "dans les fichiers Urssaf chargés.")
        if coverage.secret_cells:
            notes.append(f"{label} : {fmt_int(coverage.secret_cells)} "
                         f"{plural(coverage.secret_cells, 'cellule secrète comptée', 'cellules secrètes comptées')} "
                         "pour rien dans le total.")
    return notes


def specialisation_notes(result: Specialisation) -> list[str]:
    notes = [RULE, *coverage_notes(result)]
    if result.details_missing:
        notes.append(f"{DETAIL_HEADINGS[result.source]} : {result.details_missing}.")
    notes += list(dict.fromkeys(f"« {NOT_REPRESENTATIVE} » ({row.label}) : {row.caveat}"
                                for row in result.sectors if row.status == "non_representatif"))
    if any(row.status == "partiel" and row.secret_cells for row in result.sectors + result.details):
        notes.append("« partiel » : des cellules secrètes (BMO) du secteur sont comptées pour rien, l'indice est "
                     "approché.")
    if any(row.status == "secret" for row in result.sectors + result.details):
        notes.append("« s » : toutes les cellules du secteur sont secrètes, l'indice n'est pas calculable.")
    return notes


def sentence(text: str) -> str:
    """A message of the read layer as a sentence: capital first, full stop last."""
    text = text.strip()
    return text[:1].upper() + text[1:] + ("" if text.endswith((".", "!", "?")) else ".")


def no_employment_text(territory: Place, what: str, communes: int, departements: list[str]) -> str:
    """Why a view on salaried employment has nothing to show for a territory: no URSSAF figure is loaded for it.
    `what` is what cannot be done; `communes` and `departements` say what the loaded URSSAF files cover."""
    if not communes:
        loaded = "Aucun fichier Urssaf par commune n'est chargé"
    else:
        where = (f"du département {departements[0]}" if len(departements) == 1
                 else f"des départements {', '.join(departements)}")
        loaded = (f"Les fichiers Urssaf chargés couvrent {fmt_count(communes, 'commune', 'communes')} "
                  f"{where}, hors de ce territoire")
    return (f"Aucun emploi salarié (Urssaf) n'est chargé pour {place_noun(territory)} : {what}. {loaded} ; "
            "la page « Sources » dit comment charger le fichier Urssaf de ce territoire.")


def source_line(result: Specialisation | ShiftShare, source: str = "urssaf") -> str:
    period = (f"{result.start_year} et {result.end_year}" if isinstance(result, ShiftShare) else str(result.year))
    return (f"Source : {URSSAF_SOURCE if source == 'urssaf' else BMO_SOURCE}, {period} ; "
            f"référence : {place_label(result.reference)}.")


def quotient_table(result: Specialisation, rows: list[Quotient]) -> pd.DataFrame:
    """For a spreadsheet: counts, shares in % (one decimal), the quotient unrounded to 3 decimals, and beside each
    row its status in words (a secret or partial figure is said, never left as a plain number)."""
    unit = MEASURES[result.source][1]
    return pd.DataFrame({
        "Regroupement": [GROUP_LABELS[row.group] for row in rows],
        "Code": [row.code for row in rows],
        "Libellé": [row.label for row in rows],
        f"Territoire : {unit}": [SECRET if row.value is None else row.value for row in rows],
        "Territoire : part (%)": [_pct_cell(row.share, row.value) for row in rows],
        f"Référence : {unit}": [SECRET if row.reference_value is None else row.reference_value for row in rows],
        "Référence : part (%)": [_pct_cell(row.reference_share, row.reference_value) for row in rows],
        QUOTIENT_COLUMN: [NOT_REPRESENTATIVE if row.status == "non_representatif" else round(row.quotient, 3)
                          if row.quotient is not None else (SECRET if row.status == "secret" else "sans objet")
                          for row in rows],
        "Profil": [band_label(row) for row in rows],
        "Statut": [STATUS_LABELS[row.status] for row in rows],
    })


def _pct_cell(share, value):
    if value is None:
        return SECRET
    return None if share is None else round(share * 100, 1)


def quotient_shown(result: Specialisation, rows: list[Quotient]) -> pd.DataFrame:
    """The same rows for the screen, in French formats."""
    unit = MEASURES[result.source][1]
    return pd.DataFrame({
        "Libellé": [f"{row.label} ({row.code})" if row.group != "secteur" else row.label for row in rows],
        f"{unit.capitalize()} du territoire": [fmt_int(row.value, secret_cells=row.value is None) for row in rows],
        "Part territoire": [fmt_pct(row.share, secret_cells=row.value is None) for row in rows],
        "Part référence": [fmt_pct(row.reference_share, secret_cells=row.reference_value is None) for row in rows],
        "Indice": [quotient_text(row) for row in rows],
        "Profil": [band_label(row) for row in rows],
    })


def charted(rows: list[Quotient]) -> list[Quotient]:
    """The rows a chart draws, lowest quotient first: those with a quotient; beyond CHART_ROWS, the half most and
    the half least over-represented (every row stays in the table)."""
    # A quotient that is not representative (URSSAF agriculture: farm employers are under the MSA) is not drawn.
    drawn = sorted((row for row in rows if row.quotient is not None and row.status != "non_representatif"),
                   key=lambda row: row.quotient)
    half = CHART_ROWS // 2
    return drawn if len(drawn) <= CHART_ROWS else drawn[:half] + drawn[-half:]


def chart_title(result: Specialisation, rows: list[Quotient], title: str) -> str:
    """The chart's title, saying when it draws the extremes only."""
    drawn = len(charted(rows))
    computed = sum(row.quotient is not None and row.status != "non_representatif" for row in rows)
    if drawn == computed:
        return title
    return (f"{title}\u00a0; les {drawn // 2} plus et les {drawn // 2} moins surreprésentées sur {computed} "
            "(toutes dans le tableau des données)")


def quotient_chart(result: Specialisation, rows: list[Quotient], title: str) -> go.Figure:
    """Horizontal bars of the quotients (largest on top), coloured by band, the line at 1 and the bands' bounds;
    a partial quotient hatched and marked ≈; a secret or meaningless one not drawn (said in the table)."""
    drawn = charted(rows)
    names = [bar_name(row.label, None if row.group == "secteur" else row.code) for row in drawn]
    texts = [quotient_text(row) for row in drawn]
    figure = go.Figure(go.Bar(
        x=[row.quotient for row in drawn], y=names, orientation="h",
        marker=dict(color=[BANDS[row.band][1] for row in drawn],
                    pattern=dict(shape=["/" if row.status == "partiel" else "" for row in drawn])),
        text=texts, textposition="outside", cliponaxis=False, constraintext="none",
        customdata=[[band_label(row), fmt_pct(row.share), fmt_pct(row.reference_share)] for row in drawn],
        hovertemplate="%{y} : %{text}<br>%{customdata[0]}<br>part territoire %{customdata[1]}, "
                      "référence %{customdata[2]}<extra></extra>", showlegend=False))
    top = max([1.6, *(row.quotient * 1.05 for row in drawn)])
    figure.add_vrect(x0=0.75, x1=1.25, fillcolor="#999999", opacity=0.12, line_width=0, layer="below")
    for bound, dash in ((1, "solid"), (0.75, "dot"), (1.25, "dot"), (1.5, "dash")):
        figure.add_vline(x=bound, line_color="#333333" if bound == 1 else "#777777", line_dash=dash,
                         line_width=2 if bound == 1 else 1)
    legend = [f"{label} ({bounds})" for label, _, bounds in BANDS.values()]
    for name, (_, colour, _) in zip(legend, BANDS.values(), strict=True):  # the colours' legend, with the bounds
        figure.add_trace(go.Bar(x=[None], y=[None], name=name, marker_color=colour, orientation="h"))
    figure.update_layout(barmode="overlay")
    figure.update_xaxes(range=[0, top], title="Indice de spécialisation (1 = comme la référence)")
    return page_layout(figure, chart_title(result, rows, title), legend, names, texts)


def bar_name(label: str, code: str | None = None) -> str:
    """A bar's name on at most two lines ("…" beyond: the table has it whole), its code kept on the last one."""
    lines = label_lines(label, LABEL_CHARS, 2)
    if code:
        lines[-1] += f" ({code})"
    return "<br>".join(plotly_text(line) for line in lines)


def page_layout(figure: go.Figure, title: str, legend: list[str], names: list[str], texts: list[str]) -> go.Figure:
    """zoom_charts' layout of a horizontal bar chart on the page, so that no text covers another: the title
    wrapped at the top, the legend between it and the plot (the top margin holds both), a slot per bar as high as
    its wrapped name, room on the right for the bars' labels."""
    size = TYPE["text"]
    wrapped = wrap_label(title, int(WIDTH / (TYPE["title"] * CHAR)))
    lines = wrapped.count("<br>") + 1
    lifted = (lines - 1) * TYPE["title"]  # plotly lifts a title of several lines above its anchor
    right = round(20 + max((text_px(text, size) for text in texts), default=0))
    # The legend wraps within the plot, what the names and the bars' labels leave of the width.
    plot = WIDTH - right - max((text_px(line, size) for name in names for line in name.split("<br>")), default=0)
    top = round(12 + lifted + lines * TYPE["title"] * 1.3 + legend_rows(legend, size, max(plot, 200)) * size * 1.6
                + 10)
    slot = max(36, max((name.count("<br>") + 1 for name in names), default=1) * size * 1.3 + 10)
    figure.update_layout(
        title=dict(text=wrapped, font=dict(size=TYPE["title"]), x=0, xanchor="left", y=1, yref="container",
                   yanchor="top", pad=dict(t=10 + lifted)),
        font=dict(family=FONT_FAMILY, size=size, color="#111111"), separators=",\u202f", plot_bgcolor="white",
        height=round(top + 90 + slot * max(len(names), 3)),
        margin=dict(l=10, t=top, b=10, r=right),
        legend=dict(orientation="h", yanchor="bottom", y=1.0, xanchor="left", x=0, font=dict(size=size)))
    figure.update_xaxes(gridcolor="#e5e5e5", automargin=True, linecolor="#444444")
    figure.update_yaxes(gridcolor="#e5e5e5", automargin=True, linecolor="#444444")
    return figure


def lq_title(result: Specialisation, detail: bool) -> str:
    what = DETAIL_TITLES[result.source] if detail else "quatre secteurs"
    return (f"Spécialisation {of_noun(place_noun(result.territory))} en {result.year} : {what} "
            f"({MEASURES[result.source][0]}, référence {place_label(result.reference)})")


def lq_sentence(result: Specialisation) -> str:
    """One sentence: the most over-represented detailed group (or sector) and how much."""
    rows = [row for row in result.details or result.sectors
            if row.quotient is not None and row.status != "non_representatif"]
    if not rows:
        return "Aucun indice de spécialisation n'est calculable pour ce territoire et cette référence."
    top = max(rows, key=lambda row: row.quotient)
    approx = ", approché : données partielles" if top.status == "partiel" else ""
    return (f"Activité la plus surreprésentée en {result.year} ({place_label(result.territory)}, référence "
            f"{place_label(result.reference)}{partial_sum(result)}) : « {top.label} », {fmt_pct(top.share)} des "
            f"{MEASURES[result.source][1]} contre {fmt_pct(top.reference_share)} dans la référence, indice "
            f"{fmt_decimal(top.quotient, 2)} ({BANDS[top.band][0].lower()}{approx}).")


# --- Shift-share ---------------------------------------------------------------------------------------------


def signed_count(value: float) -> str:
    """+1 713, −16 (true minus), 0."""
    rounded = round(value)
    return ("+" if rounded > 0 else "\u2212" if rounded < 0 else "") + fmt_int(abs(rounded))


def national_name(result: ShiftShare) -> str:
    """The reference effect's name: 'national' against France, 'de référence' otherwise."""
    return "Effet national" if result.reference.territory_type == "france" else "Effet de référence"


def shift_sentence(result: ShiftShare) -> str:
    total = result.total
    growth = f" ({fmt_change(total.growth)})" if total.growth is not None else ""
    verb = "a gagné" if total.change > 0 else "a perdu" if total.change < 0 else "a gardé"
    amount = fmt_int(abs(total.change)) if total.change else "autant de"
    like = ("la France" if result.reference.territory_type == "france" else "la référence") + partial_sum(result)
    partial = (" Chiffres approchés (≈) : sommes partielles, voir leur couverture ci-dessous."
               if _partial(result) else "")
    return (f"Entre {result.start_year} et {result.end_year}, {place_noun(result.territory)} {verb} "
            f"{amount} postes salariés{growth} : {signed_count(total.national)} au rythme de {like} "
            f"({fmt_change(result.reference_growth)}, {national_name(result).lower()}), "
            f"{signed_count(total.mix)} au titre de sa composition par secteur (effet structurel) et "
            f"{signed_count(total.local)} au titre de sa dynamique propre (effet local).{partial}")


def partial_sum(result: Specialisation | ShiftShare) -> str:
    """' (somme partielle : 218 communes sur 34 955)' when the reference is summed over part of its communes (e.g.
    the only URSSAF file loaded is one zone's: "France" is then that zone), else ''."""
    coverage = result.reference_coverage
    if coverage.communes_with_data is None or coverage.commune_count is None or not coverage.partial:
        return ""
    return (f" (somme partielle : {fmt_int(coverage.communes_with_data)} communes sur "
            f"{fmt_int(coverage.commune_count)})")


def _partial(result: ShiftShare) -> bool:
    return result.partial


def shift_notes(result: ShiftShare) -> list[str]:
    notes = ["Méthode structurelle-résiduelle (Insee) : effet national = emploi de départ × croissance de la "
             "référence ; effet structurel = emploi de départ × (croissance du secteur dans la référence − croissance "
             "de la référence) ; effet local = le reste. Les trois effets s'additionnent exactement à l'évolution ; "
             "arrondis à l'unité (méthode du plus fort reste), ils s'additionnent encore à l'évolution de chaque "
             "ligne, mais la somme des lignes peut s'écarter d'une unité de la ligne « Ensemble ».",
             *coverage_notes(result)]
    if result.start_coverage is not None:
        start = replace(result, coverage=result.start_coverage, reference_coverage=result.reference_start_coverage)
        notes += [f"{result.start_year} : {note}" for note in coverage_notes(start)]
    if result.communes_differ:
        notes.append(f"Les communes présentes dans les fichiers Urssaf ne sont pas les mêmes en {result.start_year} "
                     f"et en {result.end_year} : l'évolution mêle emploi et couverture, chiffres approchés (≈).")
    if result.apprentice_break:
        notes.append(f"Rupture de série : {APPRENTICE_BREAK} ; l'évolution entre {result.start_year} et "
                     f"{result.end_year} inclut leur entrée dans les effectifs.")
    return notes


def rounded_effects(row: Shift) -> tuple[int, int, int]:
    """The three effects rounded to whole jobs so that they add up to the rounded change (largest remainder:
    the floors, plus one to those with the largest fractional parts until the sum is reached)."""
    effects = (row.national, row.mix, row.local)
    floors = [math.floor(value) for value in effects]
    missing = round(row.change) - sum(floors)
    order = sorted(range(3), key=lambda index: effects[index] - floors[index], reverse=True)
    for index in order[:max(0, missing)]:
        floors[index] += 1
    return tuple(floors)


def shift_table(result: ShiftShare) -> pd.DataFrame:
    rows = [*result.rows, result.total]
    effects = [rounded_effects(row) for row in rows]
    return pd.DataFrame({
        "Code": [row.code for row in rows],
        "Section NAF A38": [row.label for row in rows],
        f"Emploi {result.start_year}": [row.start for row in rows],
        f"Emploi {result.end_year}": [row.end for row in rows],
        "Évolution (postes)": [round(row.change) for row in rows],
        f"{national_name(result)} (postes)": [effect[0] for effect in effects],
        "Effet structurel (postes)": [effect[1] for effect in effects],
        "Effet local (postes)": [effect[2] for effect in effects],
        "Croissance territoire (%)": [None if row.growth is None else round(row.growth * 100, 1) for row in rows],
        "Croissance référence (%)": [None if row.reference_growth is None else round(row.reference_growth * 100, 1)
                                     for row in rows],
        "Statut": ["partiel" if _partial(result) else "" for row in rows],
    })


def shift_shown(result: ShiftShare) -> pd.DataFrame:
    """For the screen; every figure marked ≈ when a sum covers part of the communes only."""
    rows = [*result.rows, result.total]
    effects = [rounded_effects(row) for row in rows]
    mark = "≈ " if _partial(result) else ""
    return pd.DataFrame({
        "Section": [f"{row.label} ({row.code})" if row.code not in ("ensemble", "autre") else row.label
                    for row in rows],
        str(result.start_year): [mark + fmt_int(row.start) for row in rows],
        str(result.end_year): [mark + fmt_int(row.end) for row in rows],
        "Évolution": [mark + signed_count(row.change) for row in rows],
        national_name(result): [mark + signed_count(effect[0]) for effect in effects],
        "Effet structurel": [mark + signed_count(effect[1]) for effect in effects],
        "Effet local": [mark + signed_count(effect[2]) for effect in effects],
    })


def shift_title(result: ShiftShare) -> str:
    return (f"Évolution de l'emploi salarié {of_noun(place_noun(result.territory))} entre {result.start_year} et "
            f"{result.end_year}, par section NAF A38 (référence {place_label(result.reference)})")


def shift_chart(result: ShiftShare, top: int = 15) -> go.Figure:
    """The three effects of the sections with the largest changes (stacked, negative to the left), the actual
    change marked by a diamond."""
    rows: list[Shift] = sorted(result.rows, key=lambda row: abs(row.change), reverse=True)[:top][::-1]
    names = [bar_name(row.label) for row in rows]
    figure = go.Figure()
    legend = []
    for field, (label, colour) in EFFECTS.items():
        if field == "national":
            label = national_name(result)
        legend.append(label)
        figure.add_trace(go.Bar(y=names, x=[getattr(row, field) for row in rows], name=label, orientation="h",
                                marker_color=colour, hovertemplate="%{y} : %{x:,.0f}<extra>" + label + "</extra>"))
    legend.append("Évolution réelle")
    figure.add_trace(go.Scatter(y=names, x=[row.change for row in rows], mode="markers", name=legend[-1],
                                marker=dict(symbol="diamond", size=11, color=PALETTE[7]),
                                hovertemplate="%{y} : %{x:,.0f}<extra>Évolution</extra>"))
    figure.add_vline(x=0, line_color="#333333", line_width=1)
    figure.update_layout(barmode="relative")
    figure.update_xaxes(title="Postes salariés gagnés ou perdus")
    return page_layout(figure, shift_title(result), legend, names, [])


# --- Command line ------------------------------------------------------------------------------------------


def specialisation_text(result: Specialisation) -> str:
    lines = [lq_title(result, detail=False), ""]
    for title, rows in (("Secteurs", result.sectors), (DETAIL_HEADINGS[result.source], result.details)):
        lines.append(title)
        if not rows and result.details_missing:
            lines += [result.details_missing, ""]
            continue
        table = quotient_shown(result, rows)
        lines += _lines(table)
        lines.append("")
    lines.append(lq_sentence(result))
    lines += specialisation_notes(result)
    lines.append(source_line(result, result.source))
    return "\n".join(lines)


def shift_text(result: ShiftShare) -> str:
    table = shift_shown(result)
    lines = [shift_title(result), "", *_lines(table), "",
             shift_sentence(result), *shift_notes(result), source_line(result)]
    return "\n".join(lines)


def _lines(table: pd.DataFrame) -> list[str]:
    """A shown table as text: labels left, figures right."""
    return text_table([list(table.columns), *table.astype(str).values.tolist()],
                      right=tuple(range(1, len(table.columns))))


# --- Downloads ---------------------------------------------------------------------------------------------

QUOTIENT_COLUMN = "Indice de spécialisation"


def quotient_csv(table: pd.DataFrame) -> bytes:
    """The CSV of a quotient table: the quotient with its three decimals (csv_bytes keeps one, too few beside the
    bands' bounds), written the French way."""
    exact = table.copy()
    exact[QUOTIENT_COLUMN] = [f"{value:.3f}".replace(".", ",") if isinstance(value, float) else value
                              for value in table[QUOTIENT_COLUMN]]
    return downloads.csv_bytes(exact)


def about(result: Specialisation | ShiftShare, title: str, notes: list[str]) -> dict[str, str]:
    """The "Source" sheet of an XLSX download."""
    source = result.source if isinstance(result, Specialisation) else "urssaf"
    period = str(result.year) if isinstance(result, Specialisation) else f"{result.start_year} et {result.end_year}"
    return {"Titre": title, "Source": URSSAF_SOURCE if source == "urssaf" else BMO_SOURCE,
            "Territoire": place_label(result.territory), "Référence": place_label(result.reference),
            "Période": period, "Extrait le": downloads.extraction_date(), "Notes": " ".join(notes),
            "Conventions": downloads.CONVENTIONS}
