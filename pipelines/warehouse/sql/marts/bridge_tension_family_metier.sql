-- grain: one row per (family_code, metier_nomenclature, metier_code)
-- The FAP 2009 family (A0Z: the first 3 characters of a FAP 2009 code) of each métier of the tension marts: a
-- FAP 2009 métier of the 2019 file by its own code, a ROME code (2021 file, API) by the FAP 2009 métiers the DARES
-- correspondence puts it in (bridge_rome_fap; a ROME code split over several families is in each, once). FAP 2009
-- only: the FAP 2021 families of the BMO files (A0X) are another nomenclature (bridge_family_metier).
select left(metier_code, 3) as family_code, 'fap2009' as metier_nomenclature, metier_code
from (select distinct metier_code from fct_tension_by_territory_metier_year where metier_nomenclature = 'fap2009')
where regexp_full_match(metier_code, '[A-Z][0-9][A-Z][0-9]{2}')
union
select left(bridge.fap2009_code, 3), 'rome', metier.metier_code
from (select distinct metier_code from fct_tension_by_territory_metier_year where metier_nomenclature = 'rome')
    as metier
join bridge_rome_fap as bridge on bridge.rome_code = metier.metier_code
