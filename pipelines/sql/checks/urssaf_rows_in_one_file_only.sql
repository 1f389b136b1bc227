-- A commune × APE (or a région × APE... in the server's aggregates) appears in one URSSAF file only: two
-- files covering the same communes (a département export and a région export, say) would count their
-- employees twice.
select 'commune × APE dans plusieurs fichiers Urssaf / commune × APE in several URSSAF files: '
    || coalesce(commune_code, dept_code, region_code, 'France') || ' ' || ape_code
    || ' (' || string_agg(distinct source_file, ', ') || ')'
from raw_urssaf
group by level, commune_code, dept_code, region_code, ape_code
having count(distinct source_file) > 1
