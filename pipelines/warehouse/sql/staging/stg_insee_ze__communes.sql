-- One row per commune of the INSEE geography, with its zone d'emploi 2020, département and région.
select
    cast(geography_year as integer) as geography_year,
    pad_code(commune_code, 5) as commune_code,
    commune_name,
    ze_code,
    ze_name,
    pad_code(dept_code, 2) as dept_code,
    pad_code(region_code, 2) as region_code,
    is_demo
from raw_insee_ze
