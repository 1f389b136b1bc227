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
    commune_name (None when no loaded file names it), dept_code (None when no file places it), known, via (the
    specs of the members that bring it)."""

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
    known = {row["commune_code"]: row for row in records(con, """
        select member.commune_code, any_value(commune.territory_name) as territory_name,
            any_value(commune.dept_code) as dept_code
        from bridge_territory_commune as member
        left join dim_territory as commune
            on commune.territory_type = 'commune' and commune.territory_code = member.commune_code
        where member.territory_type <> 'liste' and list_contains(?, member.commune_code)
        group by member.commune_code""", [codes])} if codes else {}
    result.communes = [{"commune_code": code, "commune_name": known.get(code, {}).get("territory_name"),
                        "dept_code": known.get(code, {}).get("dept_code"), "known": code in known,
                        "via": via[code]} for code in codes]
    for member in result.members:
        if member["type"] == "commune":
            member["name"] = known.get(member["code"], {}).get("territory_name")
    return result


def departements(con) -> list[dict]:
    """The départements whose communes a user can pick by name (dept_code, dept_name: None when no loaded file
    names it), in code order."""
    return records(con, """
        select commune.dept_code, any_value(nullif(dept.territory_name, dept.territory_code)) as dept_name
        from dim_territory as commune
        left join dim_territory as dept
            on dept.territory_type = 'departement' and dept.territory_code = commune.dept_code
        where commune.territory_type = 'commune' and commune.dept_code is not null
            and commune.territory_name <> commune.territory_code
        group by commune.dept_code
        order by commune.dept_code""", [])


def commune_choices(con, dept_code: str | None, codes: list[str]) -> list[dict]:
    """The communes to pick by name: those of département `dept_code`, then those of `codes` (already picked)
    that a loaded file names and places in a département, each once, by name: commune_code, commune_name, dept_code,
    dept_name (None when no loaded file names it), homonyms (how many other communes of the loaded files have
    that name: told apart by their département where there are some)."""
    return records(con, """
        with communes as (
            select territory_code as commune_code, territory_name as commune_name, dept_code,
                count(*) over (partition by territory_name) - 1 as homonyms
            from dim_territory
            -- a code no file names (a former commune of the bassins' lexicon) is typed, not picked by a name
            where territory_type = 'commune' and dept_code is not null and territory_name <> territory_code
        )
        select communes.*, nullif(dept.territory_name, dept.territory_code) as dept_name
        from communes
        left join dim_territory as dept
            on dept.territory_type = 'departement' and dept.territory_code = communes.dept_code
        where communes.dept_code = ? or list_contains(?, communes.commune_code)
        order by communes.dept_code is distinct from ?, lower(strip_accents(communes.commune_name)),
            communes.commune_code""",
                   [dept_code, list(codes), dept_code])
