-- A commune × APE (or a région × APE... in the server's aggregates) appears in one URSSAF file only: two
-- files covering the same communes (a département export and a région export, say) would count their
-- employees twice. Codes are compared as the marts read them ('6201Z' = '62.01Z', '1001' = '01001').
-- Only levels with several files are compared (one national export alone needs no million-row grouping).
select 'commune × APE dans plusieurs fichiers Urssaf : '
    || coalesce(pad_code(commune_code, 5), pad_code(dept_code, 2), pad_code(region_code, 2), 'France') || ' '
    || naf_code(ape_code)
    || ' (' || string_agg(distinct source_file, ', ') || ')'
from raw_urssaf
where level in (select level from raw_urssaf group by level having count(distinct source_file) > 1)
group by level, pad_code(commune_code, 5), pad_code(dept_code, 2), pad_code(region_code, 2), naf_code(ape_code)
having count(distinct source_file) > 1
