-- grain: one row per (territory_type, territory_code, metier_code, year)
-- BMO projects summed over published cells for each bassin, département, région (the REG column of
-- the file) and France. Secret cells count as nothing, so sums (and shares: published difficult /
-- published projects, France Travail's own convention) under-count the official totals; the
-- *_secret_cells columns say how many cells were left out.
-- Shares with secrets (issue 9), one rule: a share is taken over the published projects, its numerator
-- summed over the cells whose projects are published; a secret numerator cell counts as nothing, so the
-- share is then a LOWER BOUND of the share of the published projects (*_share_is_lower_bound), said
-- "au moins" with its number of secret cells (figures.share_text). A share whose every cell is secret
-- is NULL ("s").
with cells as (
    select
        fact.*,
        unnest([
            {'territory_type': 'bassin_bmo', 'territory_code': bassin_code},
            {'territory_type': 'departement', 'territory_code': dept_code},
            {'territory_type': 'region', 'territory_code': region_code},
            {'territory_type': 'france', 'territory_code': 'FR'}
        ]) as territory
    from fct_projects_by_bassin_dept_metier_year as fact
)
select
    territory.territory_type,
    territory.territory_code,
    metier_code,
    year,
    any_value(nomenclature) as nomenclature,
    any_value(period) as period,
    sum(projects) as projects,
    sum(difficult) filter (where not projects_secret) as difficult,
    sum(seasonal) filter (where not projects_secret) as seasonal,
    sum(difficult) filter (where not projects_secret) / nullif(sum(projects), 0) as difficult_share,
    sum(seasonal) filter (where not projects_secret) / nullif(sum(projects), 0) as seasonal_share,
    count(*) as cells,
    count(*) filter (where projects_secret) as secret_cells,
    count(*) filter (where difficult_secret) as difficult_secret_cells,
    count(*) filter (where seasonal_secret) as seasonal_secret_cells,
    -- The cells the share is over (projects published), and those of them whose numerator is secret: only
    -- these bias the share (a cell whose projects are secret is in neither term).
    count(*) filter (where not projects_secret) as published_cells,
    count(*) filter (where difficult_secret and not projects_secret) as difficult_uncounted_cells,
    count(*) filter (where seasonal_secret and not projects_secret) as seasonal_uncounted_cells,
    coalesce(sum(difficult) filter (where not projects_secret) / nullif(sum(projects), 0) is not null
             and count(*) filter (where difficult_secret and not projects_secret) > 0, false)
        as difficult_share_is_lower_bound,
    coalesce(sum(seasonal) filter (where not projects_secret) / nullif(sum(projects), 0) is not null
             and count(*) filter (where seasonal_secret and not projects_secret) > 0, false)
        as seasonal_share_is_lower_bound,
    bool_or(is_demo) as is_demo
from cells
group by territory.territory_type, territory.territory_code, metier_code, year
