"""The words of the zoom explained in plain French, for the young people in the room: the glossary slide of
the workshop and the hover help of the pages say the same thing, from here."""

from pipelines.zoom_charts import DRIVER_AXES

TERMS = {
    "Tension": "un métier est « en tension » quand les employeurs ont du mal à recruter : beaucoup d'offres, "
               "peu de candidats disponibles. La Dares et France Travail la notent de 1 (faible) à 5 (très forte).",
    "ROME": "le Répertoire opérationnel des métiers et des emplois de France Travail : un code par métier "
            "(F1703 : maçonnerie), celui des offres d'emploi et des inscriptions.",
    "FAP": "les familles professionnelles de la Dares : des métiers proches regroupés (B2X : ouvriers du second "
           "œuvre du bâtiment), pour compter les projets de recrutement et les tensions.",
    "BMO": "l'enquête Besoins en main-d'œuvre de France Travail : chaque année, les employeurs disent combien de "
           "personnes ils pensent recruter, et si ce sera difficile.",
}
# The six drivers of the tension indicator, as the DARES portraits draw them (zoom_charts.DRIVER_AXES).
DRIVERS = {
    "labour_shortage": "peu de demandeurs d'emploi pour ce métier par rapport aux embauches",
    "hiring_intensity": "les employeurs embauchent beaucoup, par rapport au nombre de personnes en poste",
    "working_conditions": "horaires, efforts physiques, risques : des conditions qui découragent des candidats",
    "job_instability": "beaucoup de contrats courts : on quitte vite le métier",
    "training_link": "le métier demande une formation précise, que peu de candidats ont",
    "geographic_mismatch": "les candidats n'habitent pas là où sont les emplois",
}


def driver_lines() -> list[str]:
    """'Manque de main-d'œuvre : peu de demandeurs …', in the radar's order."""
    return [f"{label} : {DRIVERS[key]}" for key, label in DRIVER_AXES.items()]


def term_lines() -> list[str]:
    return [f"{term} : {text}" for term, text in TERMS.items()]


def tension_help() -> str:
    """Hover help (Markdown) of the pages' tension figures and charts."""
    return "\n\n".join([f"**Tension** : {TERMS['Tension']}", "Les six facteurs de tension :",
                        *(f"- {line}" for line in driver_lines())])


def metiers_help() -> str:
    """Hover help (Markdown) of the pages' métier codes."""
    return "\n\n".join(f"**{term}** : {TERMS[term]}" for term in ("BMO", "FAP", "ROME"))
