"""Publisher sources: one module each, and SOURCES, the one registry of them.

What a source module defines, and may define, is declared once in protocol.Source; the rest of the code
sees each source through that class, never the module itself.
"""

from pipelines.sources import (
    bmo,
    bmo_bassins,
    dares_defm,
    dares_tensions,
    france_travail,
    geo_communes,
    insee_chomage,
    insee_cog_mvt,
    insee_epci,
    insee_ze,
    offres,
    rome,
    rome_fap,
    urssaf,
    urssaf_dpae,
)
from pipelines.sources.protocol import Source

SOURCES = {module.NAME: Source(module) for module in (bmo, bmo_bassins, insee_ze, insee_epci, urssaf, dares_defm,
                                              dares_tensions, rome_fap, urssaf_dpae, france_travail,
                                              geo_communes, insee_cog_mvt, insee_chomage, rome, offres)}
