"""The command line's text tables of the key figures (`python -m pipelines figures`), worded like the pages."""

from pipelines.frformat import fmt_change, fmt_int, lower_first
from pipelines.report import figures
from pipelines.report.conventions import APPRENTICE_BREAK, DEMO_NOTICE, demo_labels
from pipelines.report.figures import KeyFigures


def figures_text(data: KeyFigures) -> str:
    place = data.territory
    title = f"{figures.perimeter_label(place)} — {data.source}"
    lines = [f"{title}, {data.year}" if data.year else title]
    if data.unavailable:
        lines.append(data.unavailable)
    if place["commune_count"]:
        lines.append(figures.communes_label(place))
    if data.year:
        lines.append(f"{'secteur':<30} {'projets':>10} {'difficiles':>16} {'saisonniers':>16}  évolution")
    for sector in data.sectors if data.year else []:
        lines.append(f"{sector['label']:<30} {fmt_int(sector['projects'], sector['secret_cells']):>10} "
                     f"{figures.share_text(sector, 'difficult'):>16} {figures.share_text(sector, 'seasonal'):>16}  "
                     f"{figures.change_label(sector)}")
    # A share that is a lower bound says why, with its secret cells.
    notes = [f"  {sector['label']}, {word} : {note}" for sector in (data.sectors if data.year else [])
             for word, measure in (("difficiles", "difficult"), ("saisonniers", "seasonal"))
             if (note := figures.share_secret_note(sector, measure))]
    if notes:
        lines += [f"{figures.SHARE_RULE} :", *notes]
    lines += employment_text(data)
    lines += tension_text(data)
    lines += job_seekers_text(data)
    lines += hires_text(data)
    lines += market_text(data)
    if data.demo_parts:
        lines.append(f"{DEMO_NOTICE} : {', '.join(demo_labels(data.demo_parts))}.")
    return "\n".join(lines)


def employment_text(data: KeyFigures) -> list[str]:
    """Salaried employment and establishments per sector (URSSAF), their coverage, the 2023 series break."""
    if "employment" in data.not_loaded:
        return [f"\n{data.employment_source}", f"Emploi salarié : {data.not_loaded['employment']}."]
    if not data.employment_year:
        return [f"\n{data.employment_source}", "Aucune donnée chargée pour ce territoire (python -m pipelines "
                "fetch urssaf, ou import d'un export Urssaf par commune)."]
    everything = data.sectors[-1]["employment"] or {}
    coverage = figures.coverage_label(everything.get("communes_with_data"), data.territory["territory_communes"],
                                      everything.get("basis", "communes"))
    partial = everything.get("partial_coverage")
    lines = [f"\n{data.employment_source}, fin {data.employment_year} ({coverage})"]
    if partial:  # the table holds partial sums, never the territory's figures, and says so first
        lines.append(f"{partial.capitalize()} : sommes partielles des communes chargées, pas les totaux du territoire.")
    heading = "sommes partielles" if partial else ""
    lines.append(f"{heading:<30} {'salariés':>10} {'sur 1 an':>10} {'sur 5 ans':>10} {'établ.':>8} {'sur 1 an':>10} "
                 f"{'sur 5 ans':>10}")
    for sector in data.sectors:
        jobs = sector["employment"] or {}
        if sector["caveat_naf"]:
            lines.append(f"{sector['label']:<30} non représentatif (MSA)")
            continue
        # ¹ marks a change across the 2023 break (apprentices counted from then on).
        employees = [fmt_change(jobs.get(f"employees_change_{span}"))
                     + ("¹" if jobs.get(f"apprentice_break_{span}") else " ") for span in ("1y", "5y")]
        establishments = [fmt_change(jobs.get(f"establishments_change_{span}")) + " " for span in ("1y", "5y")]
        lines.append(f"{sector['label']:<30} {fmt_int(jobs.get('employees')):>10} {employees[0]:>10} "
                     f"{employees[1]:>10} {fmt_int(jobs.get('establishments')):>8} {establishments[0]:>10} "
                     f"{establishments[1]:>10}".rstrip())
    if any((sector["employment"] or {}).get(f"apprentice_break_{span}") for sector in data.sectors
           for span in ("1y", "5y")):
        lines.append(f"¹ rupture de série : {APPRENTICE_BREAK}.")
    if any(sector["caveat_naf"] for sector in data.sectors):
        lines.append(next(sector["caveat_naf"] for sector in data.sectors if sector["caveat_naf"]))
    return lines


def tension_text(data: KeyFigures) -> list[str]:
    """The tension indicator of each sector's métiers and its main driver (DARES / France Travail)."""
    if "tension" in data.not_loaded:
        return [f"\n{data.tension_source}", f"Indicateurs de tension : {data.not_loaded['tension']}."]
    shown = [sector for sector in data.sectors if sector["tension"] and sector["tension"]["metiers"]]
    if not shown:
        return [f"\n{data.tension_source}", "Aucun indicateur de tension chargé pour ce territoire."]
    first = shown[0]["tension"]
    lens = "métiers ROME" if first["metier_nomenclature"] == "rome" else "familles professionnelles FAP"
    lines = [f"\n{first['source']}, {data.tension_year} ({lens} ; de 1 = peu tendu à 5 = très tendu)",
             f"{'secteur':<30} {'tension':>8} {'en tension':>12}  principal facteur"]
    for sector in shown:
        tension = sector["tension"]
        lines.append(f"{sector['label']:<30} {figures.level_text(tension['tension_level']):>8} "
                     f"{tension['metiers_in_tension']:>5} sur {tension['metiers']:<4}  "
                     f"{tension['main_driver_label'] or 'n.d.'}")
    lines.append("En tension : classe 4 ou 5 ; niveau du secteur : moyenne non pondérée des classes de ses métiers.")
    return lines


def job_seekers_text(data: KeyFigures) -> list[str]:
    """Job seekers of every métier (DARES, by commune), latest quarter, with their coverage."""
    if "job_seekers" in data.not_loaded:
        return [f"\n{data.job_seekers_source}", f"Demandeurs d'emploi : {data.not_loaded['job_seekers']}."]
    seekers = data.job_seekers
    if not seekers:
        return [f"\n{data.job_seekers_source}", "Aucune donnée chargée pour ce territoire."]
    latest = next(iter(seekers.values()))
    coverage = figures.coverage_label(latest["communes_with_data"], data.territory["territory_communes"])
    lines = [f"\n{data.job_seekers_source}, {latest['quarter']}, tous métiers ({coverage})"]
    if latest["partial_coverage"]:
        lines.append(f"{latest['partial_coverage'].capitalize()} : sommes partielles des communes chargées, pas les "
                     "totaux du territoire.")
    for category in ("A", "ABC"):
        if category in seekers:
            row = seekers[category]
            label = "catégorie A" if category == "A" else "catégories A, B, C"
            lines.append(f"{label:<30} {fmt_int(row['job_seekers']):>10} {figures.change_over(row['change_1y']):>20}")
    return lines


def hires_text(data: KeyFigures) -> list[str]:
    """Hires (DPAE): national/departmental context, said so, with its own perimeter."""
    hires = data.hires
    if hires is None:
        reason = data.hires_unavailable
        return [f"\nEmbauches (DPAE) : {lower_first(reason)}"] if reason else []
    lines = [f"\n{hires['source']}, {hires['quarter']} — {hires['perimeter']['label']}", hires["note"],
             *([hires["publication"]] if hires["publication"] else []),
             f"{'':<44} {'brut':>10} {'CVS':>10} {'sur 1 an (brut)':>16}"]

    def line(label: str, row: dict) -> str:
        change = fmt_change(row["hires_raw_change_1y"])
        if row["hires_raw_change_1y"] is None and row.get("hires_raw_change_1y_note"):
            change = "non comparable"
        unpublished = figures.hires_unpublished_text(row)
        return (f"{label:<44} {fmt_int(row['hires_raw']):>10} {fmt_int(row['hires_sa']):>10} "
                f"{change:>16}{'  (' + unpublished + ')' if unpublished else ''}")

    lines.append(line("Tous contrats, toutes activités", hires["total"]))
    lines += [line(row["label"], row) for row in hires["contracts"].values()]
    for row in hires["grand_secteurs"]:
        ours = " (= BTP)" if row["sector_code"] == "btp" else ""
        lines.append(line(f"{row['grand_secteur']}{ours}", row))
    shown = [hires["total"], *hires["contracts"].values(), *hires["grand_secteurs"]]
    if any(row["unpublished_cells"] for row in shown):
        lines.append("Cellules non publiées (vides) : non comptées, ces totaux sont incomplets.")
    if any(row["hires_raw_change_1y"] is None and row.get("hires_raw_change_1y_note") for row in shown):
        lines.append("Non comparable : cellules non publiées dans ce trimestre ou le même trimestre un an plus tôt.")
    if hires["grand_secteurs"]:
        lines.append("Grands secteurs Urssaf : seul « Construction » correspond à un secteur suivi (BTP) ; pas de "
                     "chiffre DPAE pour le numérique, l'agroalimentaire ni l'agriculture.")
    return lines


def market_text(data: KeyFigures) -> list[str]:
    """The France Travail "Marché du travail" section: latest quarter's offers and job seekers per sector."""
    if data.market_unavailable:
        return [f"\n{data.market_source}", data.market_unavailable]
    lines = [f"\n{data.market_source}, {data.market_period} — "
             f"{data.market_perimeter}",
             f"{'secteur':<30} {'offres':>8} {'dem. A':>8} {'dem. ABC':>9}  métiers publiés / métiers"]
    for sector in data.sectors:
        market = sector["market"]
        label = "Métiers interrogés (ensemble)" if sector["sector_code"] == "ensemble" else sector["label"]
        if market is None:
            lines.append(f"{label:<30} {'n.d.':>8} {'n.d.':>8} {'n.d.':>9}  aucun métier ROME")
            continue
        lines.append(f"{label:<30} {fmt_int(market['job_offers']):>8} {fmt_int(market['job_seekers_a']):>8} "
                     f"{fmt_int(market['job_seekers_abc']):>9}  {market['metiers_with_job_offers']} / "
                     f"{market['metiers']} (offres), {market['metiers_with_job_seekers_a']} / {market['metiers']} "
                     f"(dem. A)")
    return lines


def text_table(rows: list[list[str]], right: tuple[int, ...] = ()) -> list[str]:
    """Lines of a text table (its header, if any, is the first row): each column as wide as its widest
    cell, so that no label overflows; the columns numbered in `right` (numbers) aligned right."""
    if not rows:
        return []
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    return ["  ".join(cell.rjust(width) if column in right else cell.ljust(width)
                      for column, (cell, width) in enumerate(zip(row, widths, strict=True))).rstrip()
            for row in rows]
