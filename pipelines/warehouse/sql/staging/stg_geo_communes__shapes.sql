-- One row per commune code of the geometry files: its shape (WKB, longitude/latitude), from the file of the
-- latest geography year that has it (a file of unknown year last).
select
    pad_code(commune_code, 5) as commune_code,
    commune_name,
    from_hex(geometry_wkb) as shape,
    try_cast(geography_year as integer) as geography_year,
    source_file,
    is_demo
from raw_geo_communes
qualify row_number() over (
    partition by pad_code(commune_code, 5) order by try_cast(geography_year as integer) desc nulls last, source_file
) = 1
