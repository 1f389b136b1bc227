"""France Travail API "Offres d'emploi v2": the offers online at one date (a snapshot, not a census), as saved
search responses (`{"resultats": [...], "filtresPossibles": [...]}`) or a bare array of offers; `fetch` writes
the latter (ingest/offres_api.py). Recruiters' contact details are personal data: `clean` removes them before
anything is stored.

read() returns one text row per offer. Notes (layouts, quirks, what was verified): docs/sources/offres.md
"""

import json
import re
from pathlib import Path

import pandas as pd

from pipelines.errors import InputError
from pipelines.sources.protocol import RawTable
from pipelines.sources.readers import file_head

NAME = "offres"
PUBLISHER = "France Travail"
TITLE = "API Offres d'emploi v2 : offres en ligne par commune et métier ROME (instantané)"
LICENCE = "Conditions générales d'utilisation des API de francetravail.io"
URL = "https://francetravail.io/data/api/offres-emploi"
KIND = "json (réponses de recherche de l'API)"

# The offers online change every day: no release calendar, a snapshot is as recent as its fetch.
RELEASES = ()
RELEASE_NOTE = "offres en ligne mises à jour en continu : pas de calendrier, chaque instantané est daté"
# No calendar, so a snapshot is never late: the flag (what makes a file late) stays at its default.
PUBLISHED_IN_PERIOD = False
CAVEATS = (
    {"since": "", "about": "offres",
     "text": "Offres en ligne à une date donnée (instantané) sur francetravail.fr, pas l'ensemble des recrutements : "
             "une partie des embauches ne passe par aucune offre publiée."},
    {"since": "", "about": "offres",
     "text": "Les coordonnées des recruteurs (bloc contact, courriels, téléphones) sont retirées à l'import."},
)

TOKEN_URL = "https://entreprise.francetravail.fr/connexion/oauth2/access_token?realm=/partenaire"
SEARCH_URL = "https://api.francetravail.io/partenaire/offresdemploi/v2/offres/search"
SCOPE = "api_offresdemploiv2 o2dsoffre"
LOAD_HINT = ("python -m pipelines fetch offres, avec FT_CLIENT_ID et FT_CLIENT_SECRET (application francetravail.io "
             "abonnée à l'API Offres d'emploi v2), ou import de réponses de recherche enregistrées (JSON)")
SKIP_REASON = "FT_CLIENT_ID / FT_CLIENT_SECRET absents : source offres d'emploi ignorée"

FIELDS = ["offer_id", "commune_code", "rome_code", "rome_label", "contract_type", "contract_label",
          "experience_required", "work_study", "licence_required", "qualification_code", "qualification_label",
          "created_at", "updated_at", "skills", "soft_skills", "snapshot_date"]
TYPES = {"skills": "varchar[]", "soft_skills": "varchar[]"}
# Offers of one file are one page or one fetch: two files of the same day are both kept unless they hold the same
# offers (scope: their first and last ids); staging keeps each offer once per snapshot.

# --- personal data ------------------------------------------------------------------------------------------

# Keys whose value is a way to reach a person, wherever they appear in an offer (the `contact` block whole; an
# agency's or an employer's e-mail or phone number).
CONTACT_KEYS = {"contact", "courriel", "telephone", "coordonnees1", "coordonnees2", "coordonnees3"}
# Bounded parts (RFC 5321 lengths): an unbounded `[\w.]+@` rescans a long text from every position (quadratic).
# An address written with spaces around its "@" ("jean.dupont @ btp.fr", to beat robots) is one too.
EMAIL = re.compile(r"[\w.+-]{1,64} ?@ ?[\w-]{1,63}(?:\.[\w-]{1,63})+")
# French numbers (0X XX XX XX XX, +33 X ..., +33 (0)X ..., 0033 X ...), separated by spaces, dots or dashes, or not.
PHONE = re.compile(r"(?<![\d])(?:\+33\s?(?:\(0\))?|0033|0)\s?[1-9](?:[\s.-]?\d{2}){4}(?![\d])")


def scrubbed(value):
    """The value without contact keys, and with e-mails and phone numbers masked in its texts."""
    if isinstance(value, dict):
        return {key: scrubbed(item) for key, item in value.items() if key not in CONTACT_KEYS}
    if isinstance(value, list):
        return [scrubbed(item) for item in value]
    if isinstance(value, str):
        return PHONE.sub("[téléphone retiré]", EMAIL.sub("[courriel retiré]", value))
    return value


def clean(path: Path, folder: Path) -> Path | None:
    """A copy of the file without personal data, written into `folder` under the same name, for the importer to
    read and store in its place; None when the file holds none (it is then stored byte for byte)."""
    document = _load(path)
    try:
        cleaned = scrubbed(document)
    except RecursionError:  # json.loads nests a little deeper than this walk can
        raise InputError(path, "JSON trop profondément imbriqué") from None
    if cleaned == document:
        return None
    copy = folder / path.name
    copy.write_text(json.dumps(cleaned, ensure_ascii=False, indent=2), encoding="utf-8")
    return copy


# --- import ---------------------------------------------------------------------------------------------------


def recognise(path: Path) -> bool:
    """A search response ({"resultats": ...}) or an array of objects with an offer's keys near the top."""
    head = file_head(path, 65536)
    if head.startswith(b"{"):
        return b'"resultats"' in head and b'"intitule"' in head or b'"filtresPossibles"' in head
    return head.startswith(b"[") and b'"intitule"' in head and b'"romeCode"' in head and b'"lieuTravail"' in head


def _load(path: Path):
    try:
        return json.loads(Path(path).read_bytes().decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise InputError(path, "JSON illisible : ce n'est pas du texte UTF-8") from None
    except json.JSONDecodeError as error:
        raise InputError(path, f"JSON illisible ligne {error.lineno}, colonne {error.colno} (fichier tronqué ?)") \
            from None
    except RecursionError:
        raise InputError(path, "JSON trop profondément imbriqué") from None


def offers_of(path: Path, document) -> list:
    """The offers of a search response or of an array of offers."""
    if isinstance(document, dict):
        offers = document.get("resultats")
        if offers is None and isinstance(document.get("filtresPossibles"), list):
            return []  # a search that found nothing
        if not isinstance(offers, list):
            raise InputError(path, "réponse sans liste « resultats »")
        return offers
    if isinstance(document, list):
        return document
    raise InputError(path, "ni réponse de recherche {\"resultats\": [...]} ni liste d'offres")


DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
CODE = re.compile(r"[0-9A-Z]{1,12}")


def _text(path: Path, where: str, offer: dict, key: str, pattern: re.Pattern | None = None) -> str | None:
    value = offer.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise InputError(path, f"{where} : « {key} » n'est pas un texte")
    value = str(value).strip()
    if pattern is not None and not pattern.fullmatch(value):
        raise InputError(path, f"{where} : « {key} » illisible ({value[:40]!r})")
    return value[:500]


def _labels(path: Path, where: str, offer: dict, key: str) -> list[str]:
    items = offer.get(key) or []
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise InputError(path, f"{where} : « {key} » n'est pas une liste d'objets")
    return sorted({item["libelle"].strip()[:300] for item in items
                   if isinstance(item.get("libelle"), str) and item["libelle"].strip()})


def _row(path: Path, number: int, offer) -> dict:
    if not isinstance(offer, dict):
        raise InputError(path, f"offre n° {number} : ce n'est pas un objet")
    where = f"offre n° {number}"
    row = {"offer_id": _text(path, where, offer, "id")}
    if row["offer_id"] is None:
        raise InputError(path, f"{where} : identifiant « id » absent")
    where = f"offre {row['offer_id'][:20]}"
    place = offer.get("lieuTravail") or {}
    if not isinstance(place, dict):
        raise InputError(path, f"{where} : « lieuTravail » n'est pas un objet")
    row["commune_code"] = _text(path, where, place, "commune", re.compile(r"[0-9][0-9AB][0-9]{3}"))
    row["rome_code"] = _text(path, where, offer, "romeCode", re.compile(r"[A-N][0-9]{4}"))
    row["rome_label"] = _text(path, where, offer, "romeLibelle")
    row["contract_type"] = _text(path, where, offer, "typeContrat", CODE)
    row["contract_label"] = _text(path, where, offer, "typeContratLibelle")
    row["experience_required"] = _text(path, where, offer, "experienceExige", re.compile(r"[A-Z]"))
    work_study = offer.get("alternance")
    if work_study is not None and not isinstance(work_study, bool):
        raise InputError(path, f"{where} : « alternance » n'est ni true ni false")
    row["work_study"] = None if work_study is None else str(work_study).lower()
    licences = offer.get("permis") or []
    if not isinstance(licences, list) or not all(isinstance(item, dict) for item in licences):
        raise InputError(path, f"{where} : « permis » n'est pas une liste d'objets")
    # Required ("E", exigé) rather than wished ("S", souhaité).
    row["licence_required"] = str(any(item.get("exigence") == "E" for item in licences)).lower()
    row["qualification_code"] = _text(path, where, offer, "qualificationCode", re.compile(r"[0-9X]{1,2}"))
    row["qualification_label"] = _text(path, where, offer, "qualificationLibelle")
    for field, key in (("created_at", "dateCreation"), ("updated_at", "dateActualisation")):
        value = _text(path, where, offer, key)
        if value is not None and not DATE.match(value):
            raise InputError(path, f"{where} : date « {key} » illisible ({value[:40]!r})")
        row[field] = value
    row["skills"] = _labels(path, where, offer, "competences")
    row["soft_skills"] = _labels(path, where, offer, "qualitesProfessionnelles")
    return row


def read(path: Path) -> RawTable:
    offers = offers_of(path, _load(path))
    if not offers:
        raise InputError(path, "aucune offre dans le fichier")
    rows = [_row(path, number, offer) for number, offer in enumerate(offers, start=1)]
    frame = pd.DataFrame(rows, columns=FIELDS)
    text = [field for field in FIELDS if field not in TYPES]
    frame[text] = frame[text].astype("string")
    if frame["offer_id"].duplicated().any():
        raise InputError(path, f"offre en double : {frame.loc[frame['offer_id'].duplicated(), 'offer_id'].iloc[0]}")
    dates = pd.concat([frame["created_at"], frame["updated_at"]]).dropna()
    if dates.empty:
        raise InputError(path, "aucune date d'offre (dateCreation, dateActualisation) : date des offres en ligne "
                               "inconnue")
    period = max(date[:10] for date in dates)  # the offers were online at the latest date any of them carries
    frame["snapshot_date"] = pd.Series([period] * len(frame), dtype="string")
    ids = sorted(frame["offer_id"])
    return RawTable(frame=frame, period=period, scope=f"{len(ids)} offres {ids[0]}…{ids[-1]}")


# --- Writers: offers in the API's shape (tests and demo data; invented values only) --------------------------


def offer(offer_id: str, commune: str | None, rome: str, *, contract: str = "CDI", beginners: bool = True,
          work_study: bool = False, licence: str | None = None, level: str = "6", skills=(), soft_skills=(),
          created: str = "2025-11-13T09:00:00.000Z", contact: dict | None = None, **extra) -> dict:
    """One offer as the search returns it; optional blocks are absent (not null) when empty, as the API does."""
    item = {"id": offer_id, "intitule": f"Offre {offer_id} (H/F)", "description": "Offre fictive.",
            "dateCreation": created, "dateActualisation": created,
            "lieuTravail": {"libelle": f"{(commune or '00')[:2]} - COMMUNE",
                            **({"commune": commune} if commune else {})},
            "romeCode": rome, "romeLibelle": f"Métier {rome}", "appellationlibelle": f"Métier {rome}",
            "entreprise": {"entrepriseAdaptee": False}, "typeContrat": contract,
            "typeContratLibelle": {"CDI": "Contrat à durée indéterminée", "CDD": "Contrat à durée déterminée - 6 Mois",
                                   "MIS": "Mission intérimaire - 3 Mois", "SAI": "Contrat travail saisonnier - 2 Mois"}
            .get(contract, contract), "natureContrat": "Contrat travail",
            "experienceExige": "D" if beginners else "E",
            "experienceLibelle": "Débutant accepté" if beginners else "2 An(s)", "alternance": work_study,
            "nombrePostes": 1, "accessibleTH": False, "qualificationCode": level,
            "qualificationLibelle": {"6": "Employé qualifié", "5": "Employé non qualifié", "7": "Technicien",
                                     "9": "Cadre"}.get(level, f"Niveau {level}")}
    if contact is not None:
        item["contact"] = contact
    if licence:
        item["permis"] = [{"libelle": "B - Véhicule léger", "exigence": licence}]
    if skills:
        item["competences"] = [{"code": str(100000 + n), "libelle": label, "exigence": "E"}
                               for n, label in enumerate(skills)]
    if soft_skills:
        item["qualitesProfessionnelles"] = [{"libelle": label, "description": f"{label} (description fictive)."}
                                            for label in soft_skills]
    return item | extra


def write_offers(path: Path, offers: list[dict], layout: str = "object") -> Path:
    """A saved search response ({"resultats", "filtresPossibles"}, layout "object") or a bare array ("array"),
    serialised as the real samples are (2-space indent, UTF-8, no final newline)."""
    counts: dict[str, int] = {}
    for item in offers:
        counts[item["typeContrat"]] = counts.get(item["typeContrat"], 0) + 1
    document = offers if layout == "array" else {
        "resultats": offers,
        "filtresPossibles": [{"filtre": "typeContrat", "agregation": [{"valeurPossible": code, "nbResultats": n}
                                                                      for code, n in sorted(counts.items())]}]}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8")
    return path
