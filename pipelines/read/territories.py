"""Which territory: the forms a user writes (`bassin:5314`, `dep:35`, `fr`…) and the codes the marts store."""

import re

TERRITORY_PREFIXES = {
    "bassin": "bassin_bmo",
    "ze": "zone_emploi",
    "epci": "epci",
    "dep": "departement",
    "reg": "region",
    "fr": "france",
    "commune": "commune",
    "liste": "liste",
}
# The forms parse_territory accepts, for its error message and the command line's help.
TERRITORY_FORMS = ", ".join("fr" if prefix == "fr" else f"{prefix}:CODE" for prefix in TERRITORY_PREFIXES)
CODE_WIDTHS = {"bassin_bmo": 4, "departement": 2, "region": 2, "commune": 5}
# What a code may hold, checked before any padding ("²" is a digit to str.isdigit and would be padded): ASCII
# letters and digits (2A, 971, 35238), or for a list the codes data/listes_communes.toml allows.
CODE_PATTERN = re.compile(r"[A-Za-z0-9]{1,10}")
EPCI_CODE_PATTERN = re.compile(r"[0-9]{9}")  # an EPCI is named by its SIREN: nine ASCII digits, never padded
LIST_CODE_PATTERN = re.compile(r"[a-z0-9][a-z0-9_-]{0,59}")
ECHOED = 40  # characters of a rejected spec quoted back in the message


def _echoed(spec: str) -> str:
    return spec if len(spec) <= ECHOED else spec[:ECHOED] + "…"


def parse_territory(spec: str) -> tuple[str, str]:
    """'bassin:5314' -> ('bassin_bmo', '5314'); 'fr' -> ('france', 'FR')."""
    prefix, _, code = spec.strip().partition(":")
    territory_type = TERRITORY_PREFIXES.get(prefix.lower())
    if territory_type is None or (territory_type != "france" and not code):
        raise ValueError(f"territoire « {_echoed(spec)} » invalide ; formes acceptées : {TERRITORY_FORMS}")
    if territory_type == "france":
        return territory_type, "FR"
    code = code.strip()
    if territory_type == "liste":  # the user's own codes, as written in data/listes_communes.toml
        code = code.lower()
        if not LIST_CODE_PATTERN.fullmatch(code):
            raise ValueError(f"territoire « {_echoed(spec)} » invalide : un code de liste s'écrit en minuscules, "
                             "chiffres, - ou _ (60 caractères au plus)")
        return territory_type, code
    if not CODE_PATTERN.fullmatch(code):
        raise ValueError(f"territoire « {_echoed(spec)} » invalide : un code s'écrit en lettres et chiffres "
                         "(10 caractères au plus), comme 35, 2A, 5314 ou 35238")
    if territory_type == "epci" and not EPCI_CODE_PATTERN.fullmatch(code):
        raise ValueError(f"territoire « {_echoed(spec)} » invalide : un code EPCI est son numéro SIREN, "
                         "9 chiffres, comme 243500139 (Rennes Métropole)")
    # Codes are stored zero-padded (bassin 0101, département 01, commune 01001), as the build pads them.
    code = code.upper()
    return territory_type, code.zfill(CODE_WIDTHS.get(territory_type, 0)) if code.isdigit() else code


def territory_spec(territory_type: str, territory_code: str) -> str:
    prefix = {v: k for k, v in TERRITORY_PREFIXES.items()}[territory_type]
    return prefix if territory_type == "france" else f"{prefix}:{territory_code}"
