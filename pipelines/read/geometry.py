"""Map shapes of the territories of one level, from the shape marts (dim_territory_shape, bridge_geometry_commune).

`shapes(con, territory_type, codes=None)` returns a GeoJSON FeatureCollection whose feature ids are territory codes,
with what a map must say beside it: fictitious demo geometry, the geometry's year, the territories without a
shape or drawn in part, and the geometry's communes that no loaded zoning or merge accounts for.
"""

import json
from dataclasses import dataclass, field

from pipelines.read.marts import records


@dataclass(frozen=True)
class Shapes:
    territory_type: str
    # {"type": "FeatureCollection", "features": [{"type": "Feature", "id": code, "properties": {"territory_code":
    # code}, "geometry": {...}}]}: longitude/latitude, simplified for drawing, sorted by code.
    geojson: dict
    is_demo: bool  # drawn from the fictitious demo geometry
    geography_year: int | None  # the geometry's year (the latest, if files of several years are loaded); None: unknown
    without_shape: list[str] = field(default_factory=list)  # codes asked (all of the level if none) with no shape
    partial: dict[str, int] = field(default_factory=dict)  # code -> communes of the territory without a shape
    merged_communes: int = 0  # geometry communes mapped to their commune nouvelle (COG history)
    unmatched_communes: int = 0  # geometry communes neither known to the zonings nor merged: kept under their code
    holes: int = 0  # geometry communes known to a loaded zoning but to no territory of this level: blank on its map

    @property
    def codes(self) -> set[str]:
        return {feature["id"] for feature in self.geojson["features"]}


def shapes(con, territory_type: str, codes=None) -> Shapes:
    """The shapes of `territory_type` ('bassin_bmo', 'zone_emploi', 'epci', 'departement', 'region', 'liste',
    'commune'), only those of `codes` when given. A level without shapes (France, or no geometry loaded) gives an
    empty collection, every code then without shape."""
    wanted = None if codes is None else sorted({str(code) for code in codes})
    where = "where territory_type = ? and (?::varchar[] is null or list_contains(?::varchar[], territory_code))"
    params = [territory_type, wanted, wanted]
    rows = records(con, f"""select territory_code, communes_with_shape, commune_count, geography_year, is_demo
        from dim_territory_shape {where} order by territory_code""", params)
    # The collection written by DuckDB and parsed once: 35,000 communes parse twice as fast as one by one.
    collection = records(con, f"""select '{{"type":"FeatureCollection","features":[' || coalesce(string_agg(
            '{{"type":"Feature","id":' || to_json(territory_code) || ',"properties":{{"territory_code":'
            || to_json(territory_code) || '}},"geometry":' || geometry || '}}', ',' order by territory_code), '')
            || ']}}' as text
        from dim_territory_shape {where}""", params)[0]["text"]
    if wanted is None:
        wanted = [row["territory_code"] for row in records(
            con, "select territory_code from dim_territory where territory_type = ? order by 1", [territory_type])]
    drawn = {row["territory_code"] for row in rows}
    mapping = {row["mapping"]: row["communes"] for row in records(
        con, "select mapping, count(*) as communes from bridge_geometry_commune group by mapping", [])}
    years = [row["geography_year"] for row in rows if row["geography_year"] is not None]
    return Shapes(
        territory_type=territory_type,
        geojson=json.loads(collection),
        is_demo=any(row["is_demo"] for row in rows),
        geography_year=max(years) if years else None,
        without_shape=[code for code in wanted if code not in drawn],
        partial={row["territory_code"]: row["commune_count"] - row["communes_with_shape"] for row in rows
                 if row["communes_with_shape"] < row["commune_count"]},
        merged_communes=mapping.get("fusion", 0),
        unmatched_communes=mapping.get("sans correspondance", 0),
        holes=holes(con, territory_type, None if codes is None else wanted),
    )


def holes(con, territory_type: str, codes=None) -> int:
    """The communes of the geometry that a loaded zoning knows but no territory of `territory_type` holds: left
    blank on its map. E.g. communes merged since the geometry's year while no COG history is loaded: the BMO lexicon
    still lists their former codes (drawn within bassins) but an EPCI composition no longer does. Counted in the
    départements of `codes` (the départements of the level's communes when None); the geometry's communes that no
    zoning knows are counted apart (Shapes.unmatched_communes). 0 for a level that is not a zoning."""
    if territory_type in ("commune", "liste", "france"):
        return 0
    wanted = None if codes is None else sorted({str(code) for code in codes})
    return records(con, """with level as (
            select territory_code, commune_code from bridge_territory_commune
            where is_latest_zoning and territory_type = ?
        ),
        departements as (  -- a commune code's first two characters: its département (97 for all overseas ones)
            select distinct left(commune_code, 2) as dept from level
            where ?::varchar[] is null or list_contains(?::varchar[], territory_code)
        )
        select count(distinct geometry.commune_code) as holes
        from bridge_geometry_commune as geometry
        where geometry.mapping <> 'sans correspondance'
            and geometry.commune_code not in (select commune_code from level)
            and left(geometry.commune_code, 2) in (select dept from departements)""",
                   [territory_type, wanted, wanted])[0]["holes"]
