-- One row per commune × APE row of the URSSAF files, its published years still nested in "values" (year,
-- establishments, employees; a year without a published count has no element). APE codes in NAF form
-- (6201Z -> 62.01Z) to match sectors.toml. Codes are normalised here, before the years are unnested (20 times
-- fewer rows); the employment marts join these rows to their groups and territories before unnesting them too.
select pad_code(commune_code, 5) as commune_code, naf_code(ape_code) as ape_code, "values", source_file, is_demo
from raw_urssaf
where level = 'commune'
