"""The views of the explorer page (app_pages/explorer.py): one module each, with `render(place)`."""

# URL code → (label, module of app_pages/shared/explorer/ rendering it).
VIEWS = {
    "classement": ("Classement et carte", "ranking"),
    "specialisation": ("Spécialisation", "specialisation"),
    "evolution": ("Évolution de l'emploi", "shift_share"),
    "proches": ("Territoires proches", "similar"),
    "comparer": ("Comparer", "compare"),
    "metiers": ("Métiers", "metiers"),
    "perimetre": ("Créer un périmètre", "perimeter"),
}
DEFAULT_VIEW = "classement"
# The URL parameters each view reads, besides vue, territoire and the peer group (pairs), which every view keeps.
# Switching view drops every other parameter: one view's choice (secteur=a38:FZ, a section of the ranking) is not
# read by the next (the comparison's sector) as a request it cannot meet; the new view starts from its defaults.
VIEW_PARAMS = {
    "classement": {"indicateur", "secteur", "echelle", "annee"},
    "specialisation": {"source", "reference", "annee"},
    "evolution": {"reference", "debut", "fin"},
    "proches": {"taille"},
    "comparer": {"comparer", "secteur"},
    "metiers": {"metier", "indicateur", "echelle", "annee"},
    "perimetre": {"perimetre", "nom"},
}
KEPT_PARAMS = {"vue", "territoire", "pairs"}
