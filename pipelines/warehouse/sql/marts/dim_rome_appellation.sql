-- grain: one row per (appellation_code)
-- The job titles (appellations) of each ROME 4.0 métier, with whether France Travail marks them rarely used: the
-- referential gives no frequency, so a métier's usual titles are those not marked rarely used.
select appellation_code, rome_code, appellation_label, appellation_short_label, classification, rarely_used, version,
    is_demo
from stg_rome__appellations
