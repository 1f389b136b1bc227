-- grain: one row per (territory_type, territory_code, sector_code, year)
-- URSSAF employment and establishments summed over the communes present in the loaded files, for each
-- commune, EPCI, zone d'emploi, département, région, France (codes from the URSSAF files), bassin BMO
-- (communes of its latest zoning) and the user's lists of communes; communes_with_data says how many of
-- the territory's communes the files hold (in any sector and any year: a commune of the file without an
-- employer of the sector, or without any employer that year, is a true zero, not a missing commune). Where the URSSAF server's own sums (région, France...)
-- are loaded for a territory, they replace the sums of the loaded communes in every year:
-- basis = 'aggregate' (complete) rather than 'communes'. Changes over 1 and 5 years; apprentice_break_* when the period straddles 2023,
-- when apprentices started to count. is_latest_period: the territory's latest year, the one every "latest figure"
-- reads.
-- SQL in macros.sql (employment_by_territory), shared with fct_employment_by_territory_a38_year.
select * rename (group_code as sector_code)
from employment_by_territory('bridge_sector_ape', 'sector_code', true)
