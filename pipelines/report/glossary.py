"""The words of the zoom and of the monthly note explained in plain French, for the young people in the room and
for elected officials: the glossary slide of the workshop, the hover help of the pages and the note's glossary say
the same thing, from here."""

from pipelines.report.zoom_charts import DRIVER_AXES

TERMS = {
    "Tension": "les employeurs ont du mal à recruter pour ce métier ; notée de 1 (faible) à 5 (très forte).",
    "ROME": "le répertoire des métiers de France Travail : un code par métier (F1703 : maçonnerie).",
    "FAP": "les familles de métiers proches de la Dares (B2X : ouvriers du second œuvre du bâtiment).",
    "BMO": "l'enquête de France Travail : les embauches que les employeurs prévoient, et si ce sera difficile.",
    "Catégories A, B, C": "les inscrits à France Travail en fin de mois (DEFM) qui cherchent un emploi : A sans "
                          "emploi dans le mois, B et C avec un emploi de 78 heures au plus (B) ou plus (C).",
    "Zone d'emploi": "les communes où la plupart des actifs vivent et travaillent (Insee) ; le taux de chômage y est "
                     "publié.",
    "CVS": "corrigé des variations saisonnières : sans les effets habituels des saisons, pour comparer deux "
           "trimestres.",
    "Secret statistique": "un chiffre qui ferait reconnaître une personne ou une entreprise n'est pas publié (« s ») ; "
                          "une part calculée sans lui est « au moins ».",
}
ZOOM_TERMS = ("Tension", "ROME", "FAP", "BMO")  # the glossary slide of the workshop
NOTE_TERMS = ("BMO", "Catégories A, B, C", "Zone d'emploi", "CVS", "Secret statistique")  # the monthly note's
# The six drivers of the tension indicator, as the DARES portraits draw them (zoom_charts.DRIVER_AXES).
DRIVERS = {
    "labour_shortage": "peu de demandeurs d'emploi pour les embauches",
    "hiring_intensity": "beaucoup d'embauches par rapport aux emplois",
    "working_conditions": "horaires, efforts, risques : des conditions dures",
    "job_instability": "beaucoup de contrats courts",
    "training_link": "une formation précise est demandée",
    "geographic_mismatch": "les candidats n'habitent pas près des emplois",
}


def driver_lines() -> list[str]:
    """'Manque de main-d'œuvre : peu de demandeurs …', in the radar's order."""
    return [f"{label} : {DRIVERS[key]}" for key, label in DRIVER_AXES.items()]


def term_lines() -> list[str]:
    """The glossary slide of the workshop."""
    return [f"{term} : {TERMS[term]}" for term in ZOOM_TERMS]


def note_terms() -> list[tuple[str, str]]:
    """The monthly note's glossary: (term, definition)."""
    return [(term, TERMS[term]) for term in NOTE_TERMS]


def tension_help() -> str:
    """Hover help (Markdown) of the pages' tension figures and charts."""
    return "\n\n".join([f"**Tension** : {TERMS['Tension']}", "Les six facteurs de tension :",
                        *(f"- {line}" for line in driver_lines())])


def metiers_help() -> str:
    """Hover help (Markdown) of the pages' métier codes."""
    return "\n\n".join(f"**{term}** : {TERMS[term]}" for term in ("BMO", "FAP", "ROME"))
