-- One row per ROME 4.0 item (code_ogr) of the latest version of each file loaded: its label, its kind
-- (savoir_faire | savoir_etre | savoir | contexte_travail) and its category and sub-heading where a file gives one.
-- Where it comes from, first found wins: the referential of its kind (unix_referentiel_competence: cat_comp
-- "Savoir-faire" / "Savoir-être professionnel", sous_cat_comp; unix_referentiel_savoir: categorie and
-- sous_categorie; unix_referentiel_contexte_travail: the type of context, e.g. "Horaires et durée du travail"),
-- else unix_item (code_rubrique 1, 2, 3; an item without rubrique is a work context).
with latest as (
    select *
    from raw_rome
    where "table" in ('items', 'competences', 'savoirs', 'contextes')
    qualify rome_version_number(version) = max(rome_version_number(version)) over (partition by "table")
),
typed as (
    select
        trim(code) as item_code,
        trim(label) as item_label,
        case
            when "table" = 'competences' and trim(kind) ilike 'savoir-faire%' then 'savoir_faire'
            when "table" = 'competences' and trim(kind) ilike 'savoir-_tre%' then 'savoir_etre'
            when "table" = 'savoirs' then 'savoir'
            when "table" = 'contextes' then 'contexte_travail'
            when "table" = 'items' then
                case coalesce(trim(kind), '') when '1' then 'savoir_faire' when '2' then 'savoir_etre'
                    when '3' then 'savoir' when '' then 'contexte_travail' end
        end as item_kind,
        if("table" = 'items', null, trim(category)) as item_category,
        if("table" = 'savoirs', trim(subcategory), null) as item_subcategory,
        if("table" = 'items', 2, 1) as priority,
        version,
        is_demo
    from latest
)
select
    item_code,
    arg_min(item_label, priority) as item_label,
    arg_min(item_kind, priority) as item_kind,
    arg_min(item_category, priority) as item_category,
    arg_min(item_subcategory, priority) as item_subcategory,
    max(version) as version,
    bool_or(is_demo) as is_demo
from typed
group by item_code
