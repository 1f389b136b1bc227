-- One row per commune of the INSEE geography with its EPCI (intercommunalité), département and région;
-- epci_code is NULL for a commune outside any EPCI (Insee's ZZZZZZZZZ, set aside by the reader).
select
    cast(geography_year as integer) as geography_year,
    pad_code(commune_code, 5) as commune_code,
    commune_name,
    epci_code,
    epci_name,
    pad_code(dept_code, 2) as dept_code,
    pad_code(region_code, 2) as region_code,
    is_demo
from raw_insee_epci
