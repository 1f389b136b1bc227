-- One row per ROME 4.0 code of the latest version loaded (unix_referentiel_code_rome): its label, the code of its
-- parent fiche (code_rome_parent: a code equal to its own is a fiche of its own) and the version (v460).
-- Every version imported is kept under data/raw; only the latest one of each file is used (so that an older
-- version imported after a newer one never takes its place, and two versions never add up).
select
    upper(trim(rome_code)) as rome_code,
    any_value(trim(label)) as rome_label,
    any_value(upper(trim(category))) as parent_rome_code,
    version,
    bool_or(is_demo) as is_demo
from raw_rome
where "table" = 'metiers'
group by upper(trim(rome_code)), version
qualify rome_version_number(version) = max(rome_version_number(version)) over ()
