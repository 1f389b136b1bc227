"""Which territory: the forms a user writes (`bassin:5314`, `dep:35`, `fr`…) and the codes the marts store."""

TERRITORY_PREFIXES = {
    "bassin": "bassin_bmo",
    "ze": "zone_emploi",
    "dep": "departement",
    "reg": "region",
    "fr": "france",
    "commune": "commune",
    "liste": "liste",
}
# The forms parse_territory accepts, for its error message and the command line's help.
TERRITORY_FORMS = ", ".join("fr" if prefix == "fr" else f"{prefix}:CODE" for prefix in TERRITORY_PREFIXES)
CODE_WIDTHS = {"bassin_bmo": 4, "departement": 2, "region": 2, "commune": 5}


def parse_territory(spec: str) -> tuple[str, str]:
    """'bassin:5314' -> ('bassin_bmo', '5314'); 'fr' -> ('france', 'FR')."""
    prefix, _, code = spec.strip().partition(":")
    territory_type = TERRITORY_PREFIXES.get(prefix.lower())
    if territory_type is None or (territory_type != "france" and not code):
        raise ValueError(f"territoire « {spec} » invalide ; formes acceptées : {TERRITORY_FORMS}")
    if territory_type == "france":
        return territory_type, "FR"
    # Codes are stored zero-padded (bassin 0101, département 01, commune 01001), as the build pads them.
    width = CODE_WIDTHS.get(territory_type, 0)
    if territory_type == "liste":  # the user's own codes, as written in data/listes_communes.toml
        return territory_type, code.strip().lower()
    code = code.strip().upper()
    return territory_type, code.zfill(width) if code.isdigit() else code


def territory_spec(territory_type: str, territory_code: str) -> str:
    prefix = {v: k for k, v in TERRITORY_PREFIXES.items()}[territory_type]
    return prefix if territory_type == "france" else f"{prefix}:{territory_code}"
