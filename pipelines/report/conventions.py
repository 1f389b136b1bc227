"""Words and colours every output shares, defined once: the pages, slides, HTML pack, PDF and command line."""

# Colour-blind-safe (Okabe–Ito), in the order series take them.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"]

# Said wherever a figure from the fictitious demo files is shown.
DEMO_NOTICE = "Données fictives de démonstration"

# The parts of the figures that may come from the demo files: a stable code (what the code compares) and the
# French label (what a reader sees), in the order the notices list them.
DEMO_PARTS = {
    "bmo": "projets de recrutement (BMO)",
    "employment": "emploi salarié (Urssaf)",
    "tension": "indicateurs de tension",
    "job_seekers": "demandeurs d'emploi (Dares)",
    "hires": "embauches (DPAE Urssaf)",
    "market": "offres et demandeurs par métier (France Travail)",
    "skills": "compétences des métiers (ROME)",
    "offers": "offres d'emploi en ligne (France Travail)",
    "perimeter": "périmètre communal",
}


def demo_labels(parts: list[str]) -> list[str]:
    """The French labels of demo parts given by code."""
    return [DEMO_PARTS[part] for part in parts]


# URSSAF counts apprentices from 2023 on: a change across that year is said to include them.
APPRENTICE_BREAK = "apprentis comptés depuis 2023"
APPRENTICE_BREAK_MARK = "apprentis comptés"  # the short form, on a chart's dashed line at 2023

# The six drivers of tension (DARES): the radar's axis label, and the phrase a sentence uses, in the order
# the DARES portraits draw them.
DRIVERS = {
    "labour_shortage": ("Manque de main-d'œuvre", "manque de main-d'œuvre disponible"),
    "hiring_intensity": ("Intensité d'embauches", "intensité d'embauches"),
    "working_conditions": ("Conditions de travail", "conditions de travail contraignantes"),
    "job_instability": ("Non-durabilité de l'emploi", "non-durabilité de l'emploi"),
    "training_link": ("Lien formation-emploi", "lien formation-emploi"),
    "geographic_mismatch": ("Inadéquation géographique", "inadéquation géographique"),
}
DRIVER_AXES = {code: axis for code, (axis, _) in DRIVERS.items()}
DRIVER_LABELS = {code: phrase for code, (_, phrase) in DRIVERS.items()}
