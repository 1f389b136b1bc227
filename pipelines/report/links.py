"""Where the dashboard's pages answer: one answer for the app's navigation, the QR codes of the slides and
exports, the README and the tests."""

from urllib.parse import urlsplit

ZOOM_URL_PATH = "zoom"  # st.Page(url_path=...) of the Zoom secteur page
SOURCES_URL_PATH = "sources"
EXPLORER_URL_PATH = "explorer"  # the analysts' explorer: rank, map, compare, similar territories
NOTE_URL_PATH = "note"  # the elected officials' monthly note and its editions
LOCAL_APP_URL = "http://127.0.0.1:8501"  # `make run` without HOST
DEFAULT_ZOOM_URL = f"{LOCAL_APP_URL}/{ZOOM_URL_PATH}"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "0.0.0.0"}


def local_link_warning(link: str | None) -> str | None:
    """Why a phone in the room cannot open `link` (it names this computer), in French; None when it can."""
    host = urlsplit(link or "").hostname or ""
    if host not in LOCAL_HOSTS and not host.startswith("127."):
        return None
    return (f"Ce lien désigne cet ordinateur ({host}) : un téléphone de la salle ne pourra pas l'ouvrir. "
            "Lancez le tableau de bord avec « make run HOST=0.0.0.0 » et ouvrez-le par l'adresse réseau de cet "
            "ordinateur (par exemple 192.168.1.20:8501), ou exportez avec --url l'adresse publique.")
