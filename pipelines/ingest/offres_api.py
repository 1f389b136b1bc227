"""France Travail's "Offres d'emploi v2" API, called for `fetch`: the offers online in the territory's
départements (or its commune) for our sectors' ROME codes, in ranges of 150 (`range=0-149`, answered 206 while
more remain, 200 for the last part, 204 when none). OAuth2 and throttling are the "Marché du travail" client's
(france_travail_api.Client); contacts are removed before the file is written (sources/offres.py)."""

import json
import time
from pathlib import Path

from pipelines.errors import InputError
from pipelines.ingest import france_travail_api, http
from pipelines.read import figures, marts
from pipelines.sources import offres
from pipelines.sources.protocol import Skipped

PAGE = 150  # the API's largest range
LAST_START = 3000  # the API refuses a range starting beyond this: a search gives at most 3,150 offers
CALLS_PER_SECOND = 4  # polite: well under the API's documented limit
ROME_PER_CALL = 50  # ROME codes asked together (the API takes a comma-separated list)
PLACES_PER_CALL = 5  # départements or communes asked together (the API's limit)


def _chunks(items: list[str], size: int) -> list[list[str]]:
    return [items[start:start + size] for start in range(0, len(items), size)]


def places_of(territory_type: str, territory_code: str) -> tuple[str, list[str]]:
    """The API's place parameter and its values: the commune itself, else the territory's départements."""
    if territory_type == "commune":
        return "commune", [territory_code]
    with marts.connect() as con:
        departements = figures.territory_departements(con, territory_type, territory_code)
    if not departements:
        raise InputError(f"{territory_type}:{territory_code}", "aucune commune connue pour ce territoire")
    return "departement", departements


def search(client, params: dict, say) -> list[dict]:
    """Every offer of one search, range after range, up to the API's limit (said when reached)."""
    found: list[dict] = []
    for start in range(0, LAST_START + 1, PAGE):
        answer = client.get(offres.SEARCH_URL, {**params, "range": f"{start}-{start + PAGE - 1}"})
        if answer is None:  # 204: nothing (more) for these criteria
            break
        page = offres.offers_of(Path(offres.SEARCH_URL), answer)
        found += page
        if len(page) < PAGE:  # the last part (200): fewer than a full range
            break
    else:
        say(f"  {offres.NAME} : plus de {LAST_START + PAGE} offres pour {params} : seules les "
            f"{LAST_START + PAGE} premières sont accessibles par l'API")
    return found


def fetch_files(territory: tuple[str, str], incoming: Path, say=print, sleep=time.sleep, clock=time.monotonic,
                network: http.Connectivity | None = None) -> list[tuple[Path, dict]]:
    """Search the offers of the territory × our sectors' ROME codes and write them, contacts removed, as one array
    of offers into `incoming`; [(file, provenance)] for `fetch` to import. Raises Skipped without credentials."""
    found = france_travail_api.credentials()
    if found is None:
        raise Skipped(offres.SKIP_REASON)
    kind, places = places_of(*territory)
    romes = france_travail_api.rome_codes()
    client = france_travail_api.Client(*found, clock=clock, sleep=sleep, per_second=CALLS_PER_SECOND,
                                       on_retry=lambda notice: say(f"  {offres.NAME} : {notice}"), network=network,
                                       scope=offres.SCOPE, api_name="Offres d'emploi v2", token_url=offres.TOKEN_URL)
    by_id: dict[str, dict] = {}
    for place_group in _chunks(places, PLACES_PER_CALL):
        for rome_group in _chunks(romes, ROME_PER_CALL):
            for item in search(client, {kind: ",".join(place_group), "codeROME": ",".join(rome_group)}, say):
                if isinstance(item, dict) and isinstance(item.get("id"), str):
                    by_id[item["id"]] = item
    say(f"  {offres.NAME} : {len(by_id)} offres ({kind} {', '.join(places)}, {len(romes)} codes ROME)")
    if not by_id:
        raise InputError(offres.SEARCH_URL, "aucune offre en ligne pour ces critères : rien n'est importé")
    incoming.mkdir(parents=True, exist_ok=True)
    path = incoming / f"offres_{kind}_{'-'.join(places)}.json"
    # Never written with its contacts, not even in the incoming folder.
    path.write_text(json.dumps(offres.scrubbed(list(by_id.values())), ensure_ascii=False, indent=2), encoding="utf-8")
    return [(path, {"fetched_from": f"{offres.SEARCH_URL} ({kind} {', '.join(places)}, {len(romes)} codes ROME)",
                    "api_calls": client.calls})]
