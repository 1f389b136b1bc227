-- One row per commune × quarter × category for all sexes and ages (the published totals; breakdowns
-- by sex or age are left out). Category 'A' or 'ABC' whatever the export wrote ("Catégories A, B, C").
-- NULL = not published; values are rounded to 5 by DARES.
with typed as (
    select
        pad_code(commune_code, 5) as commune_code,
        make_date(cast(left(quarter, 4) as integer), 3 * cast(right(quarter, 1) as integer) - 2, 1) as period,
        quarter,
        regexp_replace(upper(regexp_replace(category, '(?i)cat[ée]gories?', '')), '[^A-E]', '', 'g') as category,
        is_total = 'true' as is_total,  -- all sexes and all ages, as the reader recognised it
        cast(job_seekers as integer) as job_seekers,
        source_file,
        is_demo
    from raw_dares_defm
)
select commune_code, period, quarter, category, job_seekers, source_file, is_demo
from typed
where is_total and category in ('A', 'ABC')
