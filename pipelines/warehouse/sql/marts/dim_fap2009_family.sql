-- grain: one row per (family_code)
-- The FAP 2009 families (A0Z) of the tension marts (bridge_tension_family_metier), with the label the DARES
-- correspondence xls gives the family (NULL when no loaded file names it: then the labels of its FAP 2009 métiers
-- name it, else those of its ROME codes), and its FAP 2009 métiers: those of the 2019 file and those its ROME
-- codes reach. Not to be mixed with
-- dim_fap_family (the BMO files' families, FAP 2021 from 2022): G0A, T2A... exist in both nomenclatures.
with metiers as (
    select distinct family_code, fap2009_code
    from (
        select family_code, metier_code as fap2009_code from bridge_tension_family_metier
        where metier_nomenclature = 'fap2009'
        union all
        select family.family_code, bridge.fap2009_code
        from bridge_tension_family_metier as family
        join bridge_rome_fap as bridge
            on bridge.rome_code = family.metier_code and left(bridge.fap2009_code, 3) = family.family_code
        where family.metier_nomenclature = 'rome'
    )
),
metier_labels as (
    select fap2009_code, max(fap2009_label) as fap2009_label from stg_rome_fap__correspondence group by 1
),
rome_labels as (
    select family.family_code, list(distinct bridge.rome_label order by bridge.rome_label)
        filter (where bridge.rome_label is not null) as rome_labels
    from bridge_tension_family_metier as family
    join bridge_rome_fap as bridge
        on bridge.rome_code = family.metier_code and left(bridge.fap2009_code, 3) = family.family_code
    where family.metier_nomenclature = 'rome'
    group by 1
),
family_labels as (
    select fap87_code as family_code, max(fap87_label) as label from stg_rome_fap__correspondence group by 1
)
select
    metiers.family_code,
    'fap2009' as nomenclature,
    any_value(family_labels.label) as label,
    list(metier_labels.fap2009_label order by metiers.fap2009_code)
        filter (where metier_labels.fap2009_label is not null) as metier_labels,
    count(*) as metiers,
    any_value(rome_labels.rome_labels) as rome_labels
from metiers
left join metier_labels using (fap2009_code)
left join family_labels using (family_code)
left join rome_labels using (family_code)
group by metiers.family_code
