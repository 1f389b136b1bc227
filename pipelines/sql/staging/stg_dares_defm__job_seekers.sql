-- One row per commune × quarter × category for all sexes and ages (the published totals; breakdowns
-- by sex or age are left out). Category 'A' or 'ABC' whatever the export wrote ("Catégories A, B, C").
-- NULL = not published; values are rounded to 5 by DARES.
with typed as (
    select
        pad_code(commune_code, 5) as commune_code,
        make_date(cast(left(quarter, 4) as integer), 3 * cast(right(quarter, 1) as integer) - 2, 1) as period,
        quarter,
        regexp_replace(upper(regexp_replace(category, '(?i)cat[ée]gories?', '')), '[^A-E]', '', 'g') as category,
        -- "Ensemble", "Total", "Tous âges"...: the row for all sexes / all ages.
        coalesce(lower(trim(sex)), '') similar to '(ensemble|total|tous|toutes|t|)(\s.*)?' as all_sexes,
        coalesce(lower(trim(age_band)), '') similar to '(ensemble|total|tous|toutes|t|)(\s.*)?' as all_ages,
        cast(job_seekers as integer) as job_seekers,
        source_file,
        is_demo
    from raw_dares_defm
)
select commune_code, period, quarter, category, job_seekers, source_file, is_demo
from typed
where all_sexes and all_ages and category in ('A', 'ABC')
