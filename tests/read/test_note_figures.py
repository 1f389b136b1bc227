"""read/note.note_figures: the figures of a territory's monthly note, in tests/note_sample.py's shape, with values the
marts hold (demo marts), the real files' cells (REAL_DATA_DIR), and the same bytes from two builds of the same files."""

import csv
import datetime
import re

import pandas as pd
import pytest

from pipelines import paths
from pipelines.read.note import figures_json, note_figures
from pipelines.report import figures as report_figures
from pipelines.warehouse import build
from tests.conftest import marts, marts_from, real_file, use_data_dir
from tests.note_sample import SAMPLE

ROLES = ["territoire", "departement", "region", "france"]
REASONS = {"not_loaded", "not_published_at_level", "no_data"}
# The optional extras of an entry (NOTE13_SPEC): any of them may be there, nothing else.
EXTRAS = {"zone", "coverage", "partial", "context_of", "apprentice_break", "difficult_share",
          "difficult_share_is_lower_bound"}
PERIOD = {"quarter": re.compile(r"[0-9]{4}-T[1-4]"), "year": re.compile(r"[0-9]{4}")}


def _entries(figures: dict):
    return [entry for series in figures["series"] for entry in series["values"].values()]


def shape_problems(figures: dict) -> list[str]:
    """How `figures` differs from SAMPLE's shape: keys at every level, series ids in order, place roles."""
    problems = []

    def same_keys(where: str, got: dict, wanted: dict):
        if set(got) != set(wanted):
            problems.append(f"{where}: keys {sorted(set(got) ^ set(wanted))} differ")

    same_keys("figures", figures, SAMPLE)
    same_keys("territory", figures["territory"], SAMPLE["territory"])
    roles = [place["role"] for place in figures["places"]]
    if roles[:1] != ["territoire"] or roles != [role for role in ROLES if role in roles]:
        problems.append(f"place roles {roles}")
    for place in figures["places"]:
        same_keys("place", place, SAMPLE["places"][0])
    if figures["places"][0]["spec"] != figures["territory"]["spec"]:
        problems.append("the first place is not the territory")
    if [s["id"] for s in figures["series"]] != [s["id"] for s in SAMPLE["series"]]:
        problems.append(f"series ids {[s['id'] for s in figures['series']]}")
    sample_entries = _entries(SAMPLE)
    required = set.intersection(*(set(entry) for entry in sample_entries))
    for series, wanted in zip(figures["series"], SAMPLE["series"], strict=False):
        same_keys(f"series {series['id']}", series, wanted)
        for key in ("source", "unit", "frequency"):
            if series[key] != wanted[key]:
                problems.append(f"{series['id']}: {key} {series[key]!r}")
        specs = [place["spec"] for place in figures["places"]]
        if sorted([*series["values"], *series["unavailable"]]) != sorted(specs):
            problems.append(f"{series['id']}: places {sorted([*series['values'], *series['unavailable']])}")
        if not set(series["unavailable"].values()) <= REASONS:
            problems.append(f"{series['id']}: reasons {series['unavailable']}")
        for spec, entry in series["values"].items():
            if not required <= set(entry) <= required | EXTRAS:
                problems.append(f"{series['id']} {spec}: keys {sorted(set(entry) ^ required)}")
            for key in ("period", "previous_period", "year_ago_period"):
                if entry[key] is not None and not PERIOD[series["frequency"]].fullmatch(entry[key]):
                    problems.append(f"{series['id']} {spec}: {key} {entry[key]!r}")
    for extra in ("zone", "coverage"):
        wanted = next(entry[extra] for entry in sample_entries if extra in entry)
        for entry in _entries(figures):
            if extra in entry:
                same_keys(extra, entry[extra], wanted)
    for sector in figures["sectors"]:
        same_keys("sector", sector, SAMPLE["sectors"][0])
    for name in ("sources", "catalog"):
        for row in figures[name]:
            same_keys(name, row, SAMPLE[name][0])
    for row in figures["catalog"]:
        for caveat in row["caveats"]:
            same_keys("caveat", caveat, SAMPLE["catalog"][0]["caveats"][0])
    return problems


def test_the_shape_check_sees_a_difference():
    assert shape_problems(SAMPLE) == []
    broken = {**SAMPLE, "places": list(reversed(SAMPLE["places"])), "series": SAMPLE["series"][1:]}
    assert {problem.split(" ")[0] for problem in shape_problems(broken)} >= {"place", "series"}


@pytest.fixture
def demo(demo_marts):
    con = marts(demo_marts)
    yield con
    con.close()


def _values(con, sql: str, params: list) -> list[tuple]:
    return con.execute(sql, params).fetchall()


@pytest.mark.parametrize(("territory_type", "code", "roles"), [
    ("bassin_bmo", "5314", ROLES), ("epci", "243500139", ROLES), ("departement", "35", ["territoire", "region",
                                                                                       "france"]),
    ("france", "FR", ["territoire"])])
def test_the_shape_is_the_sample_s(demo, territory_type, code, roles):
    figures = note_figures(demo, territory_type, code, "2026-12")
    assert shape_problems(figures) == []
    assert [place["role"] for place in figures["places"]] == roles
    assert figures["month"] == "2026-12" and figures["format"] == 1
    assert [sector["sector_code"] for sector in figures["sectors"]] == [row[0] for row in _values(
        demo, "select sector_code from dim_sector where sector_code <> 'ensemble' order by sort_order", [])]
    assert [row["source"] for row in figures["catalog"]] == [row[0] for row in _values(
        demo, "select source from meta_source_catalog order by sort_order", [])]
    assert "retrieved_at" not in figures_json(figures).decode()


def _series(figures: dict, series_id: str) -> dict:
    return next(series for series in figures["series"] if series["id"] == series_id)


def test_bassin_values_are_the_marts(demo):
    figures = note_figures(demo, "bassin_bmo", "5314", "2026-12")
    assert [place["spec"] for place in figures["places"]] == ["bassin:5314", "dep:35", "reg:53", "fr"]
    # Job seekers A of the bassin: its newest quarter, the one before and the same a year before, read here.
    rows = dict(_values(demo, """select period, job_seekers from fct_job_seekers_by_territory_quarter
        where territory_type = 'bassin_bmo' and territory_code = '5314' and category = 'A'""", []))
    newest = max(rows)
    before, year_ago = newest - pd.DateOffset(months=3), newest - pd.DateOffset(years=1)
    entry = _series(figures, "demandeurs_a")["values"]["bassin:5314"]
    assert (entry["period"], entry["value"]) == (f"{newest.year}-T{(newest.month - 1) // 3 + 1}", rows[newest])
    # Dares publishes the communes' fourth quarters only (the demo too): no quarter before, the one a year before
    assert before.date() not in rows
    assert (entry["previous_value"], entry["year_ago_value"]) == (None, rows[year_ago.date()])
    assert entry["change_previous"] is None  # a raw count's quarter-on-quarter change is the season's
    assert entry["change_1y"] == round(rows[newest] / rows[year_ago.date()] - 1, 6)
    assert entry["coverage"]["communes_with_data"] == entry["coverage"]["territory_communes"] == 7
    assert entry["partial"] is False
    # The rate is the one of the zone d'emploi holding most of the bassin's communes, said with it.
    rate = _series(figures, "taux_chomage")["values"]["bassin:5314"]
    zone, zone_rate = _values(demo, """select zone_code, rate from fct_unemployment_by_territory_quarter
        where territory_type = 'bassin_bmo' and territory_code = '5314' order by period desc limit 1""", [])[0]
    assert rate["zone"]["code"] == zone and rate["value"] == zone_rate and rate["zone"]["tied"] is False
    # Hires: the département's, as its context; offers only per bassin.
    hires = _series(figures, "embauches")
    assert hires["values"]["bassin:5314"]["context_of"] == "dep:35"
    assert {k: v for k, v in hires["values"]["bassin:5314"].items() if k != "context_of"} == hires["values"]["dep:35"]
    assert _series(figures, "offres")["unavailable"] == {"dep:35": "not_published_at_level",
                                                        "reg:53": "not_published_at_level",
                                                        "fr": "not_published_at_level"}
    # BMO: the newest survey of the bassin, its difficult share, and the sectors of that year.
    year, projects, difficult, lower_bound = _values(demo, """
        select year, projects, round(difficult_share, 6), difficult_share_is_lower_bound
        from fct_projects_by_territory_sector_year where territory_type = 'bassin_bmo' and territory_code = '5314'
        and sector_code = 'ensemble' order by year desc limit 1""", [])[0]
    bmo = _series(figures, "projets_bmo")["values"]["bassin:5314"]
    assert (bmo["period"], bmo["value"], bmo["difficult_share"]) == (str(year), projects, difficult)
    # Secret cells make the share a lower bound: the entry says so, for the note never to show it plain.
    assert bmo["difficult_share_is_lower_bound"] is lower_bound
    assert {sector["bmo_year"] for sector in figures["sectors"]} == {year}


def test_epci_and_france_values_are_the_marts(demo):
    figures = note_figures(demo, "epci", "243500139", "2026-12")
    employment = _series(figures, "emploi_salarie")["values"]["epci:243500139"]
    rows = dict(_values(demo, """select year, employees from fct_employment_by_territory_sector_year
        where territory_type = 'epci' and territory_code = '243500139' and sector_code = 'ensemble'""", []))
    newest = max(rows)
    assert (employment["period"], employment["value"], employment["previous_value"]) == (
        str(newest), rows[newest], rows[newest - 1])
    assert employment["change_1y"] == employment["change_previous"] == round(rows[newest] / rows[newest - 1] - 1, 6)
    assert employment["apprentice_break"] is (newest == 2023)
    assert _series(figures, "projets_bmo")["unavailable"]["epci:243500139"] == "not_published_at_level"
    assert all(sector["bmo_year"] is None and sector["projects"] is None for sector in figures["sectors"])
    france = note_figures(demo, "france", "FR", "2026-12")
    rate_change = _values(demo, """select rate_change_1y from fct_unemployment_by_territory_quarter
        where territory_type = 'departement' and territory_code = '35' and is_latest_period""", [])[0][0]
    assert _series(figures, "taux_chomage")["values"]["dep:35"]["change_1y"] == rate_change
    hires = _series(france, "embauches")["values"]["fr"]
    change = _values(demo, """select round(hires_raw_change_1y, 6) from fct_hires_by_territory_quarter
        where territory_type = 'france' and grand_secteur = 'ensemble' and contract_nature = 'ensemble'
        order by period desc limit 1""", [])[0][0]
    assert hires["change_1y"] == change and "context_of" not in hires
    assert [row["sha256"] for row in france["sources"]] == [row[0] for row in _values(
        demo, "select sha256 from meta_sources order by source, period, sha256", [])]


def test_hires_of_a_bassin_across_departements_are_not_published_for_it(demo):
    """Bassin 5313 spans départements 35 and 44: no single département gives its context (read decides it, report
    words it)."""
    figures = note_figures(demo, "bassin_bmo", "5313", "2026-12")
    assert _series(figures, "embauches")["unavailable"]["bassin:5313"] == "not_published_at_level"
    assert figures["places"][1]["spec"] == "dep:35"  # one commune in each: the lowest code, the same every build
    perimeter, reason = report_figures.hires_perimeter(demo, "bassin_bmo", "5313")
    assert perimeter is None and "plusieurs départements (35, 44)" in reason


def test_a_partial_sum_of_communes_says_so(data_dir):
    """A list with a commune no file holds: its job seekers and employment are partial sums, flagged."""
    paths.COMMUNE_LISTS.parent.mkdir(parents=True, exist_ok=True)
    paths.COMMUNE_LISTS.write_text('[ma-liste]\nnom = "Ma liste"\ncommunes = ["35238", "35999"]\n', encoding="utf-8")
    build.build(say=lambda message: None)
    con = marts(paths.MARTS_DB)
    try:
        figures = note_figures(con, "liste", "ma-liste", "2026-12")
    finally:
        con.close()
    assert shape_problems(figures) == []
    assert [place["spec"] for place in figures["places"]] == ["liste:ma-liste", "dep:35", "reg:53", "fr"]
    for series_id in ("demandeurs_a", "emploi_salarie"):
        entry = _series(figures, series_id)["values"]["liste:ma-liste"]
        assert entry["partial"] is True
        assert entry["coverage"] == {"communes_with_data": 1, "territory_communes": 2, "basis": "communes"}
        assert _series(figures, series_id)["values"]["dep:35"]["partial"] is False
    assert _series(figures, "embauches")["values"]["liste:ma-liste"]["context_of"] == "dep:35"
    assert _series(figures, "taux_chomage")["values"]["liste:ma-liste"]["zone"]["share"] == 0.5


def _demo_build(monkeypatch, root) -> bytes:
    use_data_dir(monkeypatch, root / "data")
    build.build(say=lambda message: None)
    con = marts(paths.MARTS_DB)
    try:
        return b"".join(figures_json(note_figures(con, kind, code, "2026-12"))
                        for kind, code in (("bassin_bmo", "5314"), ("epci", "243500139"), ("france", "FR")))
    finally:
        con.close()


def test_two_builds_of_the_same_files_give_the_same_bytes(tmp_path, monkeypatch):
    first = _demo_build(monkeypatch, tmp_path / "first")
    second = _demo_build(monkeypatch, tmp_path / "second")
    assert first == second and b'"sha256"' in first


# --- on marts built from the real files (REAL_DATA_DIR) -------------------------------------------------------------

ZE, EPCI = "insee_ze2020/Communes_to_ZE_2022.xlsx", "insee_epci/Intercommunalite_Metropole_au_01-01-2023.xlsx"
CHOMAGE = "insee_chomage/chomage-zone-t1-2003-t3-2023.xlsx"
BMO, DPAE = "bmo/Base_open_data_BMO_2024.xlsx", "dpae/dpae-mensuelles-france-entiere.csv"


@pytest.fixture(scope="module")
def real_note(tmp_path_factory):
    """Marts built from the real zonings, unemployment rates, BMO 2024 and national hires (no demo files)."""
    files = [real_file(name) for name in (ZE, EPCI, CHOMAGE, BMO, DPAE)]
    with marts_from(tmp_path_factory.mktemp("real-note"), files) as built:
        con = marts(built)
        try:
            yield {spec: note_figures(con, *spec.split(":"), "2026-12") for spec in (
                "zone_emploi:5315", "epci:243500139", "departement:35")}
        finally:
            con.close()


@pytest.fixture(scope="module")
def rates() -> pd.DataFrame:
    """The real workbook's zone rates, read here (one row per zone, one column per quarter)."""
    frame = pd.read_excel(real_file(CHOMAGE), sheet_name="txcho_ze", skiprows=5, dtype=str, engine="openpyxl")
    return frame.set_index("ZE2020")


def test_real_rennes_zone_rate(real_note, rates):
    figures = real_note["zone_emploi:5315"]
    assert shape_problems(figures) == []
    entry = _series(figures, "taux_chomage")["values"]["ze:5315"]
    rennes = rates.loc["5315"]
    assert (entry["period"], entry["previous_period"], entry["year_ago_period"]) == ("2023-T3", "2023-T2", "2022-T3")
    assert entry["value"] == float(rennes["2023-T3"]) == 6.0
    assert (entry["previous_value"], entry["year_ago_value"]) == (float(rennes["2023-T2"]), float(rennes["2022-T3"]))
    assert entry["change_previous"] == entry["change_1y"] == round(6.0 - 5.7, 6) == 0.3
    assert "zone" not in entry and entry["demo"] is False


def test_real_rennes_metropole_gets_its_majority_zone_s_rate(real_note, rates):
    figures = real_note["epci:243500139"]
    assert shape_problems(figures) == []
    zones = pd.read_excel(real_file(ZE), sheet_name="Composition_communale", skiprows=5, dtype=str,
                          engine="openpyxl").set_index("CODGEO")["ZE2020"]
    epci = pd.read_excel(real_file(EPCI), sheet_name="Composition_communale", skiprows=5, dtype=str,
                         engine="openpyxl")
    communes = epci.loc[epci["EPCI"] == "243500139", "CODGEO"]
    counts = zones.reindex(communes).value_counts()
    entry = _series(figures, "taux_chomage")["values"]["epci:243500139"]
    assert entry["zone"] == {"code": counts.index[0], "name": "Rennes", "share": round(counts.iloc[0] / len(communes),
                                                                                        6), "tied": False}
    assert counts.index[0] == "5315" and len(communes) == 43
    assert entry["value"] == float(rates.loc["5315", "2023-T3"]) and entry["change_1y"] == 0.3
    assert [place["spec"] for place in figures["places"]] == ["epci:243500139", "dep:35", "reg:53", "fr"]
    assert _series(figures, "projets_bmo")["unavailable"]["epci:243500139"] == "not_published_at_level"


def test_real_departement_35(real_note):
    figures = real_note["departement:35"]
    assert shape_problems(figures) == []
    # No job-seeker file of the project's source is among the real files (those in defm/ are other layouts).
    for series_id in ("demandeurs_a", "demandeurs_abc"):
        assert _series(figures, series_id)["unavailable"] == {"dep:35": "not_loaded", "reg:53": "not_loaded",
                                                             "fr": "not_loaded"}
    # The 2023 workbook has zones only: no département rate (a zone's rate is not a département's).
    assert _series(figures, "taux_chomage")["unavailable"]["dep:35"] == "no_data"
    with open(real_file("bmo/derived_BMO_2024_dept35.csv"), encoding="utf-8") as handle:
        cells = [row["met"] for row in csv.DictReader(handle, delimiter=";")]
    total = sum(int(cell) for cell in cells if cell.isdigit())  # '*': secret, not counted
    bmo = _series(figures, "projets_bmo")["values"]["dep:35"]
    assert (bmo["period"], bmo["value"]) == ("2024", total) and total == 52_119
    assert bmo["previous_value"] is None and bmo["change_1y"] is None
    assert bmo["difficult_share_is_lower_bound"] is True  # 149 uncounted secret cells in dép. 35
    # National hires: the newest quarter of the monthly file, each of its three months summed here.
    with open(real_file(DPAE), encoding="utf-8") as handle:
        months = list(csv.DictReader(handle, delimiter=";"))

    def quarter(year: int, number: int) -> int:
        return sum(int(row["dpae_brut"]) for row in months
                   if datetime.date.fromisoformat(row["dernier_jour_du_mois"]).year == year
                   and (datetime.date.fromisoformat(row["dernier_jour_du_mois"]).month - 1) // 3 + 1 == number)
    hires = _series(figures, "embauches")["values"]["fr"]
    assert (hires["period"], hires["value"]) == ("2023-T3", quarter(2023, 3))
    assert hires["previous_value"] == quarter(2023, 2)
    assert hires["change_previous"] is None  # raw hires: T2 → T3 is mostly the season (+37 %), never shown
    assert hires["change_1y"] == round(quarter(2023, 3) / quarter(2022, 3) - 1, 6)
