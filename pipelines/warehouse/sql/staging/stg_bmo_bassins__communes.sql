-- One row per commune in each BMO bassin zoning (2019, 2024...).
select distinct
    cast(zoning as integer) as zoning_year,
    pad_code(commune_code, 5) as commune_code,
    commune_name,
    pad_code(dept_code, 2) as dept_code,
    pad_code(region_code, 2) as region_code,
    pad_code(bassin_code, 4) as bassin_code,
    upper(trim(bassin_name)) as bassin_name,
    is_demo
from raw_bmo_bassins
