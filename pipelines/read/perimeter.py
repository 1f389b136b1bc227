"""A perimeter made of communes and whole territories (EPCI, bassins BMO, zones d'emploi), expanded to its
communes through the commune bridge's latest zoning of each territory: what the explorer's "Créer un périmètre"
view shows before it saves the list (pipelines/ingest/perimeters.py).

A commune is known when a loaded zoning has it (the rule of audit_unknown_list_communes, which the build applies
to the saved list): an unknown one is returned as such, never dropped.
"""

from dataclasses import dataclass, field

from pipelines.read.marts import records
from pipelines.read.territories import territory_spec

# The levels a perimeter is made of: communes, and the territories whose communes it takes whole.
AREA_TYPES = ("epci", "bassin_bmo", "zone_emploi")
MEMBER_TYPES = ("commune", *AREA_TYPES)


@dataclass
class Expansion:
    """members: spec, type, code, name (None when unknown), communes (count), zoning; communes: commune_code,
    commune_name (None when no loaded file names it), known, via (the specs of the members that bring it)."""

    members: list[dict] = field(default_factory=list)
    communes: list[dict] = field(default_factory=list)

    @property
    def unknown_members(self) -> list[str]:
        """Specs of the EPCI, bassins or zones d'emploi no loaded file knows (their communes are unknown)."""
        return [member["spec"] for member in self.members if member["type"] != "commune" and not member["name"]]

    @property
    def unknown_communes(self) -> list[str]:
        return [commune["commune_code"] for commune in self.communes if not commune["known"]]


def expand(con, members: list[tuple[str, str]]) -> Expansion:
    """The communes of `members` ((territory_type, territory_code) of MEMBER_TYPES, in order, duplicates once),
    each once, in the order the members bring them."""
    members = list(dict.fromkeys(members))
    areas = [member for member in members if member[0] in AREA_TYPES]
    rows = records(con, f"""
        select territory_type, territory_code, zoning, commune_code
        from bridge_territory_commune
        where is_latest_zoning and ({' or '.join('(territory_type = ? and territory_code = ?)' for _ in areas)})
        order by commune_code""", [value for area in areas for value in area]) if areas else []
    names = {(row["territory_type"], row["territory_code"]): row["territory_name"] for row in records(con, f"""
        select territory_type, territory_code, territory_name from dim_territory
        where territory_type in {AREA_TYPES}""", [])} if areas else {}
    via: dict[str, list[str]] = {}
    result = Expansion()
    for kind, code in members:
        spec = territory_spec(kind, code)
        if kind == "commune":
            via.setdefault(code, []).append(spec)
            result.members.append({"spec": spec, "type": kind, "code": code, "name": None, "communes": 1,
                                   "zoning": None})
            continue
        own = [row for row in rows if (row["territory_type"], row["territory_code"]) == (kind, code)]
        for row in own:
            via.setdefault(row["commune_code"], []).append(spec)
        result.members.append({"spec": spec, "type": kind, "code": code, "name": names.get((kind, code)),
                               "communes": len(own), "zoning": own[0]["zoning"] if own else None})
    codes = list(via)
    known = {row["commune_code"]: row["territory_name"] for row in records(con, """
        select member.commune_code, any_value(commune.territory_name) as territory_name
        from bridge_territory_commune as member
        left join dim_territory as commune
            on commune.territory_type = 'commune' and commune.territory_code = member.commune_code
        where member.territory_type <> 'liste' and list_contains(?, member.commune_code)
        group by member.commune_code""", [codes])} if codes else {}
    result.communes = [{"commune_code": code, "commune_name": known.get(code), "known": code in known,
                        "via": via[code]} for code in codes]
    for member in result.members:
        if member["type"] == "commune":
            member["name"] = known.get(member["code"])
    return result
