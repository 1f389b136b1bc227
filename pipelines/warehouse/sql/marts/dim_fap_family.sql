-- grain: one row per (family_code)
-- The FAP families (first 3 characters of a FAP code) of the métiers of the BMO files, with the nomenclatures
-- they appear in, the label the loaded files give them where one exists (a BMO file's family column when it
-- holds this 3-character family; NULL otherwise) and the labels of their métiers (latest year), plus 'ensemble'.
select
    bridge.family_code,
    max(metier.family_label) filter (where metier.family_code = bridge.family_code) as label,
    list(distinct metier.nomenclature order by metier.nomenclature) as nomenclatures,
    list(metier.metier_label order by metier.metier_code) as metier_labels,
    count(*) as metiers
from bridge_family_metier as bridge
join dim_metier as metier using (nomenclature, metier_code)
where bridge.family_code <> 'ensemble'
group by bridge.family_code
union all
select 'ensemble', 'Tous métiers', null, null, (select count(*) from dim_metier)
