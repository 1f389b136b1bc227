-- grain: one row per (territory_type, territory_code, sector_code, year, metier_code)
-- The métiers of each sector ranked by recruitment projects, with their difficulty and seasonality,
-- so pages can show "top métiers" with a plain filter and order.
select
    fact.territory_type,
    fact.territory_code,
    bridge.sector_code,
    fact.year,
    fact.metier_code,
    metier.metier_label,
    fact.projects,
    fact.difficult_share,
    fact.seasonal_share,
    fact.secret_cells,
    fact.difficult_secret_cells,
    fact.seasonal_secret_cells,
    fact.published_cells,
    fact.difficult_uncounted_cells,
    fact.seasonal_uncounted_cells,
    fact.difficult_share_is_lower_bound,
    fact.seasonal_share_is_lower_bound,
    fact.cells,
    row_number() over (
        partition by fact.territory_type, fact.territory_code, bridge.sector_code, fact.year
        order by fact.projects desc nulls last, fact.metier_code
    ) as rank,
    fact.is_demo
from fct_projects_by_territory_metier_year as fact
join bridge_sector_metier as bridge using (nomenclature, metier_code)
join dim_metier as metier using (nomenclature, metier_code)
