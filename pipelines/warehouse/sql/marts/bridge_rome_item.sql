-- grain: one row per (rome_code, item_code)
-- What each ROME 4.0 métier asks (unix_coherence_item): its savoir-faire, savoir-être, savoirs and work contexts,
-- each with its label, kind, category and sub-heading (NULL where no loaded item file names the item), and
-- whether it is at the heart of the métier (core: 'principale' | 'emergente' | NULL).
select
    link.rome_code,
    link.item_code,
    item.item_label,
    item.item_kind,
    item.item_category,
    item.item_subcategory,
    link.core,
    link.version,
    link.is_demo
from stg_rome__links as link
left join stg_rome__items as item using (item_code)
