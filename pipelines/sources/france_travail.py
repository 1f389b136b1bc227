"""France Travail API "Marché du travail": offers, job seekers and the tension indicator by ROME code ×
bassin BMO, fetched with OAuth2 client credentials (FT_CLIENT_ID / FT_CLIENT_SECRET) into one raw JSON snapshot.

read() returns a snapshot's values as text rows, one per (indicator, bassin, ROME code, period, nomenclature code).
Notes (layouts, quirks, what was verified): docs/sources/france_travail.md
"""

import json
import math
import re
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from pipelines.errors import InputError
from pipelines.sources.protocol import RawTable
from pipelines.sources.readers import COUNT_LIMITS, count_problem, file_head

NAME = "france_travail"
PUBLISHER = "France Travail"
TITLE = "API Marché du travail : offres, demandeurs d'emploi et tension par métier ROME × bassin BMO"
LICENCE = "Conditions générales d'utilisation des API de francetravail.io"
URL = "https://www.data.gouv.fr/fr/dataservices/api-marche-du-travail"
KIND = "json (instantané des réponses de l'API)"

# Release calendar: the API's quarterly figures are refreshed on no published date (none found at France Travail).
RELEASES = ()
RELEASE_NOTE = "mise à jour trimestrielle de l'API, sans calendrier publié"
# The job-seeker counts of the API are affected like Dares's (dares_defm's CAVEATS, first two).
CAVEATS = (
    {"since": "2025-01", "about": "demandeurs",
     "text": "Depuis janvier 2025, les nombres de demandeurs d'emploi sont affectés par les inscriptions automatiques "
             "de la loi pour le plein emploi (bénéficiaires du RSA, jeunes suivis par les Missions locales)."},
    {"since": "2025-01", "about": "demandeurs",
     "text": "Le label de statistique publique des séries de demandeurs d'emploi a été suspendu."},
    {"since": "", "about": "offres", "text": "L'ensemble des offres est la somme des métiers ROME interrogés (ceux des "
                                             "secteurs), pas tout le marché du travail."},
)

TOKEN_URL = "https://entreprise.francetravail.fr/connexion/oauth2/access_token?realm=/partenaire"
API_BASE = "https://api.francetravail.io/partenaire/stats-offres-demandes-emploi"
SCOPE = "api_stats-offres-demandes-emploiv1 offresetdemandesemploi"
ENV_ID, ENV_SECRET = "FT_CLIENT_ID", "FT_CLIENT_SECRET"
# How to load it where it is missing: the API only, with credentials (a raw API answer saved by hand is refused,
# it does not say which criteria it answers; a snapshot written by fetch imports).
LOAD_HINT = ("python -m pipelines fetch france_travail, avec FT_CLIENT_ID et FT_CLIENT_SECRET (identifiants "
             "d'une application francetravail.io abonnée à l'API Marché du travail)")
SKIP_REASON = "FT_CLIENT_ID / FT_CLIENT_SECRET absents : source France Travail ignorée"

# indicator: (endpoint, codeTypePeriode, codeTypeNomenclature)
INDICATORS = {
    "offers": ("/v1/indicateur/stat-offres", "TRIMESTRE", "ORIGINEOFF"),
    "job_seekers": ("/v1/indicateur/stat-demandeurs", "TRIMESTRE", "CATCAND"),
    "tension": ("/v1/indicateur/stat-perspective-employeur", "ANNEE", "TYPE_TENSION"),
}
PERIOD_CODES = {"TRIMESTRE": re.compile(r"[0-9]{4}T[1-4]"), "ANNEE": re.compile(r"[0-9]{4}")}
# The value read for each indicator: the first of these fields present in a value (docs/sources/france_travail.md).
VALUE_FIELDS = {"offers": ("valeurPrincipaleNombre",), "job_seekers": ("valeurPrincipaleNombre",),
                "tension": ("valeurPrincipaleNombre", "valeurPrincipaleDecimale")}

FORMAT = "zoom-secteurs/france-travail-marche-du-travail"
FORMAT_VERSION = 1
FIELDS = ["indicator", "territory_type", "territory_code", "territory_label", "rome_code", "rome_label",
          "period_type", "period_code", "period_label", "nomenclature_code", "nomenclature_label", "value",
          "value_field", "updated_at", "fetched_at"]
# Each fetch returns every published period: a new snapshot replaces the older one of the same bassins.
# Snapshots of overlapping bassins ("BASBMO 5314" and "BASBMO 5313, BASBMO 5314") are both kept: staging
# keeps, per value, the one of the snapshot fetched last (fetched_at, in UTC), never a blend of the two.
REPLACE_WHOLE_HISTORY = True



def criteria_for(indicator: str, bassin: str, rome: str) -> dict:
    _, period_type, nomenclature = INDICATORS[indicator]
    return {"codeTypeTerritoire": "BASBMO", "codeTerritoire": bassin, "codeTypeActivite": "ROME",
            "codeActivite": rome, "codeTypePeriode": period_type, "codeTypeNomenclature": nomenclature,
            "dernierePeriode": False, "sansCaracteristiques": True}


def write_snapshot(path: Path, calls: list[dict], fetched_at: str | None = None) -> Path:
    """The raw snapshot: format marker first (recognise reads it), then the calls as made and answered."""
    snapshot = {"format": FORMAT, "format_version": FORMAT_VERSION, "api": API_BASE,
                "fetched_at": fetched_at or datetime.now(UTC).replace(microsecond=0).isoformat(), "calls": calls}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(snapshot, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path


# --- import -----------------------------------------------------------------------------------------


def recognise(path: Path) -> bool:
    head = file_head(path, 4096)
    return head.startswith(b"{") and FORMAT.encode() in head


def near_miss(path: Path) -> str | None:
    """A bare API answer saved by hand lacks the criteria (bassin, ROME) it answers: say how to get one."""
    head = file_head(path, 4096)
    if head.startswith(b"{") and b"listeValeursParPeriode" in head:
        return ("réponse brute de l'API Marché du travail : elle ne dit pas à quels critères elle répond ; "
                "utilisez « python -m pipelines fetch france_travail » (instantané avec critères)")
    return None


def _number_text(path: Path, value, where: str) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InputError(path, f"valeur non numérique « {value} » ({where})")
    return str(value) if isinstance(value, int) else repr(value)


def _call_rows(path: Path, number: int, call) -> list[dict]:
    if not isinstance(call, dict) or call.get("indicator") not in INDICATORS or not isinstance(call.get("criteria"),
                                                                                               dict):
        raise InputError(path, f"appel n° {number} : indicateur ou critères absents")
    indicator, criteria, answer = call["indicator"], call["criteria"], call.get("response")
    where = (f"appel n° {number}, {INDICATORS[indicator][0]}, {criteria.get('codeTypeTerritoire')} "
             f"{criteria.get('codeTerritoire')}, ROME {criteria.get('codeActivite')}")
    if answer is None:  # 204 "no content" or a recorded 400/404: nothing published for these criteria
        return []
    if not isinstance(answer, dict) or not isinstance(answer.get("listeValeursParPeriode"), list):
        raise InputError(path, f"réponse sans liste « listeValeursParPeriode » ({where})")
    rows = []
    for value in answer["listeValeursParPeriode"]:
        if not isinstance(value, dict):
            raise InputError(path, f"valeur qui n'est pas un objet ({where})")
        row = {"indicator": indicator}
        for field, key in (("territory_type", "codeTypeTerritoire"), ("territory_code", "codeTerritoire"),
                           ("rome_code", "codeActivite"), ("period_type", "codeTypePeriode")):
            asked, answered = criteria.get(key), value.get(key)
            if answered is not None and asked is not None and str(answered) != str(asked):
                raise InputError(path, f"{key} « {answered} » au lieu de « {asked} » demandé ({where})")
            row[field] = str(answered if answered is not None else asked or "") or None
        period_type = row["period_type"]
        for field, key in (("period_code", "codePeriode"), ("nomenclature_code", "codeNomenclature")):
            if value.get(key) in (None, ""):
                raise InputError(path, f"{key} absent ({where})")
            row[field] = str(value[key])
        if period_type not in PERIOD_CODES or not PERIOD_CODES[period_type].fullmatch(row["period_code"]):
            raise InputError(path, f"période « {row['period_code']} » ({period_type}) illisible ({where})")
        row["value"] = row["value_field"] = None
        for key in VALUE_FIELDS[indicator]:
            if value.get(key) is not None:
                row["value"] = _number_text(path, value[key], f"{key}, {row['period_code']}, {where}")
                row["value_field"] = key
                break
        problem = count_problem(float(row["value"]), COUNT_LIMITS[NAME]) \
            if indicator != "tension" and row["value"] is not None else None
        if problem:
            raise InputError(path, f"{problem} {row['value']} ({where})")
        for field, key in (("territory_label", "libTerritoire"), ("rome_label", "libActivite"),
                           ("period_label", "libPeriode"), ("nomenclature_label", "libNomenclature"),
                           ("updated_at", "datMaj")):
            row[field] = None if value.get(key) is None else str(value[key])
        rows.append(row)
    return rows


def _fetched_at(path: Path, value) -> str:
    """When the snapshot was fetched, in UTC ('2025-07-15 08:00:00'): which of two overlapping snapshots is
    the later. A time without offset is taken as UTC (write_snapshot always writes one)."""
    try:
        when = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        when = None
    if when is None:
        raise InputError(path, f"« fetched_at » absent ou illisible ({value!r}) : date de l'appel à l'API inconnue")
    when = when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)
    return when.strftime("%Y-%m-%d %H:%M:%S")


def read(path: Path) -> RawTable:
    try:
        snapshot = json.loads(Path(path).read_bytes().decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise InputError(path, "JSON illisible : ce n'est pas du texte UTF-8") from None
    except json.JSONDecodeError as error:  # its message is English: where it stopped, said in French
        raise InputError(path, f"JSON illisible ligne {error.lineno}, colonne {error.colno} (fichier tronqué ?)") \
            from None
    if not isinstance(snapshot, dict) or snapshot.get("format") != FORMAT:
        raise InputError(path, f"ce n'est pas un instantané « {FORMAT} »")
    if snapshot.get("format_version") != FORMAT_VERSION or not isinstance(snapshot.get("calls"), list):
        raise InputError(path, f"version {snapshot.get('format_version')} ou liste « calls » inattendue")
    fetched_at = _fetched_at(path, snapshot.get("fetched_at"))
    rows = [row for number, call in enumerate(snapshot["calls"], start=1) for row in _call_rows(path, number, call)]
    if not rows:
        raise InputError(path, "aucune valeur dans les réponses de l'API")
    frame = pd.DataFrame(rows, columns=FIELDS).astype("string")
    frame["fetched_at"] = fetched_at
    keys = ["indicator", "territory_type", "territory_code", "rome_code", "period_code", "nomenclature_code"]
    duplicated = frame.duplicated(keys)
    if duplicated.any():
        first = frame[duplicated].iloc[0]
        raise InputError(path, f"valeur en double : {', '.join(str(first[k]) for k in keys)}")
    quarters = sorted(frame.loc[frame["period_type"] == "TRIMESTRE", "period_code"].unique())
    periods = quarters or sorted(frame["period_code"].unique())
    period = periods[0] if len(periods) == 1 else f"{periods[0]}/{periods[-1]}"
    territories = sorted({f"{t} {c}" for t, c in zip(frame["territory_type"], frame["territory_code"], strict=True)})
    scope = ", ".join(territories) if len(territories) <= 12 else f"{len(territories)} territoires"
    return RawTable(frame=frame[FIELDS], period=period, scope=scope)


# --- Writers: answers in the API's documented shape (tests and demo data; invented values only) -------

INDICATOR_CODES = {"offers": "OFF_1", "job_seekers": "DE_1", "tension": "PERSP_2"}
# Labels written by the writers. The codes are the API's; these French labels are invented (not verified).
NOMENCLATURE_LABELS = {
    "TOFF": "Toutes offres", "PE": "Offres déposées à France Travail",
    "TOFF-CUMUL12MOIS": "Toutes offres, cumul 12 mois", "A": "Catégorie A", "ABC": "Catégories A, B, C",
    "PERSPECTIVE": "Indicateur principal tension", "INT_EMB": "Intensité d'embauche",
    "MAIN_OEUVRE": "Manque de main d'oeuvre", "COND_TRAVAIL": "Conditions de travail",
    "DUR_EMPL": "Durabilité de l'emploi", "SPECIF_FORM_EMPL": "Lien formation - métier",
    "MISMATCH_GEO": "Inadéquation géographique", "ATTR_SALARIALE": "Attractivité salariale",
}


def period_label(period_code: str) -> str:
    """'2026T1' -> '1er trimestre 2026', '2025' -> 'ANNEE 2025' (the API's wording)."""
    if "T" in period_code:
        year, quarter = period_code.split("T")
        return f"{quarter}{'er' if quarter == '1' else 'ème'} trimestre {year}"
    return f"ANNEE {period_code}"


def answer(indicator: str, bassin: str, rome: str, values: list[tuple[str, str, object]], *,
           bassin_label: str = "RENNES", rome_label: str | None = None) -> dict:
    """One API answer: values = [(codePeriode, codeNomenclature, value or None)], written in
    valeurPrincipaleNombre (None: the field is left out, as for an unpublished figure)."""
    _, period_type, _ = INDICATORS[indicator]
    listed = []
    for period_code, nomenclature, value in values:
        item = {"datMaj": "2025-07-10T09:00:00.000+02:00", "codeTypeTerritoire": "BASBMO", "codeTerritoire": bassin,
                "libTerritoire": bassin_label, "codeTypeActivite": "ROME", "codeActivite": rome,
                "libActivite": rome_label or f"Métier {rome}", "codeNomenclature": nomenclature,
                "libNomenclature": NOMENCLATURE_LABELS.get(nomenclature, nomenclature),
                "codeTypePeriode": period_type, "codePeriode": period_code, "libPeriode": period_label(period_code)}
        if value is not None:
            item["valeurPrincipaleNombre"] = value
        listed.append(item)
    return {"datMaj": "2025-07-10T09:00:00.000+02:00", "codeIndicateur": INDICATOR_CODES[indicator],
            "libIndicateur": {"offers": "Offres d'emploi enregistrées", "job_seekers": "Demandeurs d'emploi inscrits",
                              "tension": "Difficultés de recrutement"}[indicator],
            "libTerritoire": bassin_label, "listeValeursParPeriode": listed}


def call(indicator: str, bassin: str, rome: str, response: dict | None) -> dict:
    """One call of a snapshot, as fetch_files records it."""
    return {"indicator": indicator, "endpoint": INDICATORS[indicator][0],
            "criteria": criteria_for(indicator, bassin, rome), "response": response}
