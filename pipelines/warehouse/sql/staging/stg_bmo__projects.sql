-- One row per published BMO cell (bassin × métier × year): counts typed, secrets NULL + flag.
select
    cast(year as integer) as year,
    make_date(cast(year as integer), 1, 1) as period,
    pad_code(bassin_code, 4) as bassin_code,
    upper(trim(bassin_name)) as bassin_name,
    pad_code(dept_code, 2) as dept_code,
    trim(dept_name) as dept_name,
    pad_code(region_code, 2) as region_code,
    trim(region_name) as region_name,
    upper(trim(metier_code)) as metier_code,
    trim(metier_label) as metier_label,
    trim(family_code) as family_code,
    trim(family_label) as family_label,
    -- FAP 2021 codes have an X in third place for most families (A0X40), FAP 2009 a Z (A0Z40); both
    -- also use A/B there (G0A40), so the nomenclature is a property of the year's file, not of a code.
    case
        when not regexp_full_match(upper(trim(metier_code)), '[A-Z][0-9A-Z]{2}[0-9]{2}') then 'inconnue'
        when bool_or(upper(metier_code) similar to '..X..') over (partition by year) then 'fap2021'
        else 'fap2009'
    end as nomenclature,
    cast(cast(nullif(projects, '*') as double) as integer) as projects,
    cast(cast(nullif(difficult, '*') as double) as integer) as difficult,
    cast(cast(nullif(seasonal, '*') as double) as integer) as seasonal,
    coalesce(projects = '*', false) as projects_secret,
    coalesce(difficult = '*', false) as difficult_secret,
    coalesce(seasonal = '*', false) as seasonal_secret,
    source_file,
    is_demo
from raw_bmo
