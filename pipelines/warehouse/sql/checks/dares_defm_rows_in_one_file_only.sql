-- A commune × quarter × category of job seekers comes from one file only: two files covering the same
-- communes (a département export and a two-département export, say) would count them twice.
select 'demandeurs d''emploi dans plusieurs fichiers : ' || commune_code || ' '
    || quarter || ' ' || category || ' (' || string_agg(distinct source_file, ', ') || ')'
from raw_dares_defm
where is_total = 'true'
group by commune_code, quarter, category
having count(distinct source_file) > 1
