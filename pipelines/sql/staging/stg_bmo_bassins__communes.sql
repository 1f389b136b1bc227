-- One row per commune in each BMO bassin zoning (2019, 2024...).
select distinct
    zoning,
    pad_code(commune_code, 5) as commune_code,
    commune_name,
    pad_code(dept_code, 2) as dept_code,
    pad_code(region_code, 2) as region_code,
    bassin_code,
    upper(trim(bassin_name)) as bassin_name,
    is_demo
from raw_bmo_bassins
