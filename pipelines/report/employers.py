"""What employers expect of a sector's métiers, and what the offers online open to beginners: the words of the
zoom's block "Ce que les employeurs attendent", of its workshop slides and of its place in the offline pack.

Two France Travail sources, read by `pipelines.read.skills` (ROME 4.0: the skills each métier asks) and
`pipelines.read.offers` (a snapshot of the offers online: a day's offers, not a census). Worded once here, from
the zoom's `skills` and `offers`, for the page, the slides and the pack.
"""

from datetime import date

from pipelines.frformat import fmt_count, fmt_int, fmt_pct, plural
from pipelines.report.sentences import fmt_day

# How the read layer ranked the sector's métiers (read.skills.RANKINGS), as a source line says it.
RANKED_BY = {
    "projects": "métiers classés par projets de recrutement (enquête BMO {year}, nomenclature FAP 2009)",
    "tension": "métiers classés par classe de tension ({year}), puis par offres en ligne à classe égale",
    "offers": "métiers classés par offres en ligne (au {year})",
    "code": "métiers dans l'ordre des codes ROME (ni projets de recrutement, ni tension, ni offres chargés pour les "
            "classer)",
}
SHARED_LISTED = 10  # skills shared by several métiers, at most, on the page and in the pack
KIND_LABELS = {"savoir_faire": "savoir-faire", "savoir_etre": "savoir-être", "savoir": "savoir",
               "contexte_travail": "contexte de travail"}
CONTRACTS = (("cdi_offers", "CDI"), ("cdd_offers", "CDD"), ("temp_agency_offers", "intérim"),
             ("seasonal_offers", "saisonnier"), ("other_contract_offers", "autre contrat"))
SNAPSHOT_NOTE = "un instantané, pas un recensement"
# An "À retenir" sentence needs this many offers: "1 offre sur 2" read aloud would be taken for a rate.
TAKEAWAY_OFFERS = 10
SHARED_SHOWN = 6  # skills shared by several métiers, at most, on a slide
# None of the project's sources counts job seekers by age for a métier: Dares's counts by commune have age bands but no
# métier, the Marché du travail API is asked by métier, not by age. Said where the zoom would show them.
YOUNG_JOB_SEEKERS = ("Demandeurs d'emploi de moins de 26 ans dans les métiers du secteur : aucune des sources du "
                     "tableau de bord ne les donne (les demandeurs d'emploi Dares par commune ne sont pas ventilés "
                     "par métier, l'API Marché du travail est interrogée par métier, pas par âge).")


def skills_source(skills: dict) -> str:
    """'Source : France Travail, ROME 4.0 (version 460) · métiers classés par …'."""
    year = skills["year"]
    if skills["ranked_by"] == "offers":  # the date of the offers' snapshot
        year = fmt_day(date.fromisoformat(str(year)))
    ranked = RANKED_BY[skills["ranked_by"]].format(year=year)
    return f"Source : France Travail, ROME 4.0 (version {skills['version'].removeprefix('v')}) · {ranked}"


def skills_missing(not_loaded: dict) -> str:
    """Why no skill is shown: the ROME files are not loaded (and how to load them), or the sector has no ROME code
    in them."""
    if "skills" in not_loaded:
        return f"Compétences des métiers (ROME 4.0) : {not_loaded['skills']}."
    return "Aucun métier ROME de ce secteur dans le référentiel chargé."


def offers_missing(not_loaded: dict) -> str:
    """Why no offer is shown: no offers file is loaded (and how to load one), or none of the sector is for the
    territory."""
    if "offers" in not_loaded:
        return f"Offres d'emploi (France Travail) : {not_loaded['offers']}."
    return "Aucune offre d'emploi de ce secteur chargée pour ce territoire."


def snapshot_day(offers: dict) -> str:
    """'15 novembre 2025': the day of the offers' snapshot."""
    day = offers["counts"]["snapshot_date"]
    return fmt_day(day if isinstance(day, date) else date.fromisoformat(str(day)))


def offers_source(offers: dict, perimeter: str) -> str:
    """'Source : France Travail, offres en ligne au 15 novembre 2025 chargées (un instantané, pas un recensement)
    · Bassin …': short enough for one line under a slide."""
    return (f"Source : France Travail, offres en ligne au {snapshot_day(offers)} chargées ({SNAPSHOT_NOTE}) · "
            f"{perimeter}")


def partial_coverage(offers: dict) -> str | None:
    """'Couverture partielle : offres chargées dans 1 département sur 4 du territoire.' when the snapshot holds
    offers in some of the territory's départements only (a search for one département read for its région): its
    count is then no figure of the territory, never a card value or a sentence to remember. None otherwise."""
    within = _covered(offers["counts"])
    return f"Couverture partielle : offres chargées {within}." if within else None


def _covered(counts: dict) -> str | None:
    """'dans 1 département sur 4 du territoire' when the offers are in part of the territory's départements."""
    covered, whole = counts.get("departements_with_offers"), counts.get("territory_departements")
    if not whole or covered is None or covered >= whole:
        return None
    return f"dans {fmt_count(covered, 'département')} sur {fmt_int(whole)} du territoire"


def shared_lines(skills: dict, limit: int | None = None) -> list[str]:
    """'Faire preuve de rigueur et de précision (savoir-être, 4 des 5 métiers)': the skills several of the top
    métiers ask, most shared first."""
    count = len(skills["metiers"])
    return [f"{item['item_label']} ({KIND_LABELS[item['item_kind']]}, {item['metiers']} des {count} métiers)"
            for item in skills["shared"][:limit]]


def metier_sections(skills: dict) -> list[dict]:
    """Per top métier: its title ('Maçon (F1703)') and its lists, in French: job titles, savoir-faire,
    savoir-être, work contexts (empty lists left out)."""
    sections = []
    for metier in skills["metiers"]:
        lists = {"Appellations courantes": [row["appellation_label"] for row in metier["appellations"]
                                            if not row["rarely_used"]],
                 "Savoir-faire principaux": [row["item_label"] for row in metier["savoir_faire"]],
                 "Savoir-être": [row["item_label"] for row in metier["savoir_etre"]],
                 "Contextes de travail": [row["item_label"] for row in metier["contexte_travail"]]}
        sections.append({"code": metier["rome_code"], "title": f"{metier['rome_label']} ({metier['rome_code']})",
                         "lists": {name: items for name, items in lists.items() if items}})
    return sections


def out_of_ten(part: int, whole: int) -> str:
    """'6 sur 10', 'moins d'une sur 10', 'plus de 9 sur 10', 'toutes', 'aucune' (of `whole` offers); halves
    rounded up, as a reader rounds a percentage (7 of 20: 4 sur 10, as 35 % reads)."""
    if part == whole:
        return "toutes"
    if part == 0:
        return "aucune"
    tenths = int(10 * part / whole + 0.5)
    return {0: "moins d'une sur 10", 10: "plus de 9 sur 10"}.get(tenths, f"{tenths} sur 10")


def _open_verb(part: str) -> str:
    """The verb after out_of_ten's words: 'aucune n'est ouverte', '1 sur 10 est ouverte', '4 sur 10 sont ouvertes'."""
    if part == "aucune":
        return "n'est ouverte"
    return "est ouverte" if part.startswith(("moins d'une", "1 sur")) else "sont ouvertes"


def beginners_statement(offers: dict, of_label: str) -> str:
    """'11 des 28 offres du BTP chargées sont ouvertes aux débutants (4 sur 10).', followed by partial_coverage's
    sentence when the offers cover part of the territory."""
    coverage = partial_coverage(offers)
    return _beginners(offers, of_label) + (f" {coverage}" if coverage else "")


def _beginners(offers: dict, of_label: str) -> str:
    """The statement's counts; the tenths only beyond TAKEAWAY_OFFERS offers (out of exactly 10, the counts are
    the tenths)."""
    counts = offers["counts"]
    total, open_ = counts["offers"], counts["beginner_offers"]
    if total == 1:
        verb = "est" if open_ else "n'est pas"
        return f"La seule offre {of_label} chargée {verb} ouverte aux débutants."
    if open_ == 0:
        return f"Aucune des {fmt_int(total)} offres {of_label} chargées n'est ouverte aux débutants."
    share = f" ({out_of_ten(open_, total)})" if open_ < total and total > TAKEAWAY_OFFERS else ""
    verb = "sont ouvertes" if open_ > 1 else "est ouverte"
    return f"{fmt_int(open_)} des {fmt_int(total)} offres {of_label} chargées {verb} aux débutants{share}."


def offer_lines(offers: dict) -> list[str]:
    """The offers' other figures, one line each: contracts, work-study and driving licence, levels."""
    counts = offers["counts"]
    total = counts["offers"]
    contracts = [f"{label} {fmt_int(counts[key])}" for key, label in CONTRACTS if counts[key]]
    lines = [f"Contrats : {', '.join(contracts)}.",
             f"En alternance : {fmt_int(counts['work_study_offers'])} ; permis de conduire exigé : "
             f"{fmt_int(counts['licence_required_offers'])} (sur {fmt_int(total)} offres)."]
    if offers["levels"]:
        lines.append("Qualification demandée : " + ", ".join(
            f"{row['qualification_label'] or 'niveau ' + row['qualification_code']} {fmt_int(row['offers'])}"
            for row in offers["levels"]) + ".")
    return lines


def offer_figures(offers: dict) -> list[dict]:
    """Three figures in large type: offers loaded, those open to beginners (a share only from TAKEAWAY_OFFERS
    offers on: "1 sur 3" otherwise), work-study offers. Over part of the territory (partial_coverage), no count:
    "couverture partielle" and ratios of the offers loaded."""
    counts = offers["counts"]
    total, open_ = counts["offers"], counts["beginner_offers"]
    enough = total >= TAKEAWAY_OFFERS
    within = _covered(counts)  # a count over part of the territory is no card value: a ratio of the offers loaded
    return [{"key": "offres", "label": "Offres chargées", "value": "couverture partielle" if within else fmt_int(total),
             "detail": (f"{fmt_int(total)} en ligne au {snapshot_day(offers)}, {within}" if within
                        else f"en ligne au {snapshot_day(offers)}")},
            {"key": "debutants", "label": "Ouvertes aux débutants",
             "value": (fmt_pct(counts["beginner_share"], digits=0) if enough
                       else f"{fmt_int(open_)} sur {fmt_int(total)}"),
             "detail": (f"{fmt_int(open_)} sur {fmt_int(total)} ; " if enough else "") + "expérience non exigée"},
            {"key": "alternance", "label": "En alternance",
             "value": (f"{fmt_int(counts['work_study_offers'])} sur {fmt_int(total)}" if within
                       else fmt_int(counts["work_study_offers"])),
             "detail": "des offres chargées" if within else f"sur {fmt_int(total)} offres"}]


def asked_lines(offers: dict, limit: int = 5) -> dict[str, list[str]]:
    """The skills and soft skills the offers ask most: {'Compétences': [...], 'Savoir-être': [...]}, each
    'Lire un plan (4 offres)'."""
    def lines(rows):
        return [f"{row['skill']} ({fmt_int(row['offers'])} {plural(row['offers'], 'offre')})" for row in rows[:limit]]
    return {name: found for name, found in (("Compétences les plus demandées", lines(offers["skills"])),
                                            ("Savoir-être les plus demandés", lines(offers["soft_skills"]))) if found}


def enough_for_takeaway(offers: dict | None) -> bool:
    """Whether the offers loaded are many enough for a sentence to remember (TAKEAWAY_OFFERS), and cover the whole
    territory (partial_coverage)."""
    return bool(offers) and offers["counts"]["offers"] >= TAKEAWAY_OFFERS and not partial_coverage(offers)


def takeaway(offers: dict | None, opening: str, of_label: str) -> str | None:
    """'Dans le bassin d'emploi de Rennes, parmi les offres du BTP chargées, en ligne au 15 novembre 2025, 4 sur 10
    sont ouvertes aux débutants (11 sur 28).' (opening: how the sentence opens on the place, sentences.place_phrase
    or 'Sur ce territoire' after another sentence). Only from TAKEAWAY_OFFERS offers on (fewer would be read as a
    rate), and over the whole territory (enough_for_takeaway)."""
    if not enough_for_takeaway(offers):
        return None
    counts = offers["counts"]
    part = out_of_ten(counts["beginner_offers"], counts["offers"])
    counted = "" if counts["offers"] == 10 else \
        f" ({fmt_int(counts['beginner_offers'])} sur {fmt_int(counts['offers'])})"
    return (f"{opening}, parmi les offres {of_label} chargées, en ligne au {snapshot_day(offers)}, {part} "
            f"{_open_verb(part)} aux débutants{counted}.")
