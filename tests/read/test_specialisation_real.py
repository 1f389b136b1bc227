"""Conformance on real files: FAP families from the real BMO 2024 workbook, A38 sections and shift-share from the
real URSSAF extract of zone d'emploi 2815 Rouen (known figures: /work/shared/data/real/README.md)."""

import pytest

from pipelines import paths
from pipelines.ingest import importer
from pipelines.read import specialisation
from pipelines.warehouse import build
from tests.conftest import marts, real_file


def test_real_bmo_2024_by_fap_family(no_demo):
    for name in ("bmo/Base_open_data_BMO_2024.xlsx", "bmo/bassin_emploi.csv", "insee_ze2020/Communes_to_ZE_2022.xlsx"):
        importer.import_file(real_file(name))
    build.build(say=lambda m: None)
    con = marts(paths.MARTS_DB)
    try:
        totals = dict(con.execute("""select territory_code, projects from fct_projects_by_territory_family_year
            where family_code = 'ensemble' and (territory_type, territory_code) in
                (('bassin_bmo', '5314'), ('departement', '35'), ('france', 'FR'))""").fetchall())
        assert totals == {"5314": 35_276, "35": 52_119, "FR": 2_751_069}
        families = con.execute("""select count(*), sum(projects) from fct_projects_by_territory_family_year
            where territory_type = 'france' and family_code <> 'ensemble'""").fetchone()
        assert families[0] > 50 and families[1] == 2_751_069  # every métier of the file is in one family
        result = specialisation.location_quotients(con, "bassin_bmo", "5314", source="bmo")
        assert result.year == 2024 and result.coverage.secret_cells > 0
        assert sum(row.share for row in result.details if row.share is not None) == pytest.approx(1)
        assert all(len(row.code) == 3 and row.label for row in result.details)
    finally:
        con.close()


def test_real_urssaf_extract_by_a38_section_and_its_shift_share(no_demo):
    for name in ("insee_ze2020/Communes_to_ZE_2022.xlsx",
                 "urssaf/urssaf_commune_ape_ZE2815_Rouen_2006_2022_labels.csv"):
        importer.import_file(real_file(name))
    build.build(say=lambda m: None)
    con = marts(paths.MARTS_DB)
    try:
        rows = dict(con.execute("""select a38_code, employees from fct_employment_by_territory_a38_year
            where territory_type = 'zone_emploi' and territory_code = '2815' and year = 2022""").fetchall())
        assert rows["ensemble"] == 183_731 and rows["FZ"] == 16_892  # construction: NAF 41-43
        assert rows["CA"] >= 4_338  # NAF 10-11 (and 12, tobacco)
        result = specialisation.shift_share(con, "zone_emploi", "2815", 2019, 2022, reference="fr")
        assert (result.total.start, result.total.end) == (175_923, 183_731)
        change, national, mix, local = result.exact["ensemble"]
        assert change == 183_731 - 175_923 and national + mix + local == change
    finally:
        con.close()
