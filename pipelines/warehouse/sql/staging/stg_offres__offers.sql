-- One row per (snapshot_date, offer_id): the offers online on a date, as France Travail's "Offres d'emploi v2"
-- API returned them (saved search responses or fetched pages). snapshot_date: the file's period, the latest
-- date its offers carry ("offres en ligne au <date>"). An offer found in two files of one snapshot (two pages,
-- a page and a fetch) is kept once: a real file before a demo one, then the last file by name.
-- Recruiters' contact details never reach this model: the importer stores files without them (offres.clean).
-- commune_code: the workplace's commune, an arrondissement of Paris, Lyon or Marseille read as its commune (the
-- zonings list the commune).
select
    cast(snapshot_date as date) as snapshot_date,
    trim(offer_id) as offer_id,
    plm_commune(commune_code) as commune_code,
    upper(trim(rome_code)) as rome_code,
    rome_label,
    upper(trim(contract_type)) as contract_type,
    contract_label,
    experience_required = 'D' as open_to_beginners,
    work_study = 'true' as work_study,
    licence_required = 'true' as licence_required,
    qualification_code,
    qualification_label,
    coalesce(skills, []) as skills,
    coalesce(soft_skills, []) as soft_skills,
    source_file,
    is_demo
from raw_offres
qualify row_number() over (partition by snapshot_date, trim(offer_id) order by is_demo, source_file desc) = 1
