-- A value of the France Travail API (indicator × territory × ROME code × period × nomenclature) comes from one
-- snapshot only: staging keeps the latest fetch of overlapping snapshots, so marts never blend two fetches.
select 'valeur France Travail en double : ' || indicator || ' ' || territory_code
    || ' ' || rome_code || ' ' || period_code || ' ' || nomenclature_code
    || ' (' || string_agg(distinct source_file, ', ') || ')'
from stg_france_travail__indicators
group by indicator, territory_type, territory_code, rome_code, period_code, nomenclature_code
having count(*) > 1
