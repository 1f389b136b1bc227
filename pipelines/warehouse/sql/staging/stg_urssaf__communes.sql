-- One row per commune of the URSSAF files, with the codes of its zone d'emploi, EPCI, département and
-- région as those files give them (read without unnesting the yearly values).
select
    pad_code(commune_code, 5) as commune_code,
    any_value(pad_code(ze_code, 4)) as ze_code,
    any_value(epci_code) as epci_code,
    any_value(pad_code(dept_code, 2)) as dept_code,
    any_value(pad_code(region_code, 2)) as region_code,
    bool_or(is_demo) as is_demo
from raw_urssaf
where level = 'commune'
group by pad_code(commune_code, 5)
