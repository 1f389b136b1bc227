-- One row per commune × quarter × category for all sexes and ages (the published totals; breakdowns
-- by sex or age are left out). Category 'A' or 'ABC' whatever the export wrote ("Catégories A, B, C").
-- NULL = not published; values are rounded to 5 by DARES. The dataset holds fourth quarters only.
-- Paris, Lyon and Marseille are published both whole (75056) and by arrondissement (75101…): each is counted
-- once, as the whole commune; its arrondissements summed only when the whole commune is not in the file.
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
),
totals as (
    select * from typed where is_total and category in ('A', 'ABC')
)
select plm_commune(commune_code) as commune_code, period, quarter, category,
    -- arrondissements summed only when each is published: a sum missing one is not the commune's figure
    case when count(job_seekers) = count(*) then sum(job_seekers) end as job_seekers,
    source_file, is_demo
from totals
where plm_commune(commune_code) = commune_code or not exists (
    select 1 from totals as whole
    where whole.commune_code = plm_commune(totals.commune_code) and whole.period = totals.period
        and whole.category = totals.category and whole.source_file = totals.source_file)
group by plm_commune(commune_code), period, quarter, category, source_file, is_demo
