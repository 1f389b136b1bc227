-- grain: one row per (rome_code)
-- The métiers of the ROME 4.0 referential loaded (France Travail open data), with their label and the version of
-- the referential (v460): what the skills of a sector's métiers are read from.
select rome_code, rome_label, parent_rome_code, version, is_demo
from stg_rome__metiers
