"""Zoom secteurs pipelines: raw publisher files → DuckDB marts.

SOURCES is the one registry of sources. A source module has NAME, PUBLISHER, TITLE, LICENCE, URL,
KIND, FIELDS (the text columns read() returns), recognise(path) -> bool and read(path) -> RawTable.
Optional: CSV_LAYOUTS (the columns of each CSV layout, for the importer's "renamed column" message),
near_miss(path) -> str (a known file it does not read, said by name in French), replaces(new_scope, old_scope).
"""

from pipelines.sources import (
    bmo,
    bmo_bassins,
    dares_defm,
    dares_tensions,
    france_travail,
    insee_ze,
    rome_fap,
    urssaf,
    urssaf_dpae,
)

SOURCES = {module.NAME: module for module in (bmo, bmo_bassins, insee_ze, urssaf, dares_defm, dares_tensions,
                                              rome_fap, urssaf_dpae, france_travail)}
