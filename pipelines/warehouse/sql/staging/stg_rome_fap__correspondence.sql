-- One row per (FAP 2009 family, ROME v3 code) pair of the DARES correspondence, per demo/real origin: a ROME
-- code may sit in several families (split by qualification level), and a family holds several ROME codes.
-- qualification_levels: the ROME qualification levels (0..9) for which the pair holds; NULL = all levels.
-- fap87_label: the label of the family fap87_code (the DARES xls names it; NULL from the csv).
select
    upper(trim(fap2009_code)) as fap2009_code,
    left(upper(trim(fap2009_code)), 3) as fap87_code,
    left(upper(trim(fap2009_code)), 1) as fap22_code,
    max(trim(fap2009_label)) as fap2009_label,
    max(trim(fap87_label)) as fap87_label,
    upper(trim(rome_code)) as rome_code,
    max(trim(rome_label)) as rome_label,
    max(list_transform(string_split(regexp_replace(trim(qualification), '^Q_', ''), ''),
                       lambda level: cast(level as integer))) as qualification_levels,
    is_demo
from raw_rome_fap
group by upper(trim(fap2009_code)), upper(trim(rome_code)), is_demo
