"""The zoom on one sector (data, charts as data, slides): figures computed by hand from the small world."""

import pytest

from pipelines import paths
from pipelines.ingest import importer
from pipelines.ingest.demo import write_urssaf_csv
from pipelines.report import links, slides, zoom, zoom_charts
from pipelines.report.export_html import zoom_pack
from pipelines.warehouse import build
from tests.conftest import marts, write_world


def urssaf_row(commune, ape, values):
    return {"region_code": "53", "dept_code": "35", "ze_code": "5315", "epci_code": "243500139",
            "commune_code": commune, "ape_code": ape, "values": values}


# Rennes: building 100 -> 110 employees (2022 -> 2023, +10 %); agri-food 200 -> 201 (+0.5 %: stable);
# retail 300 -> 300. Cesson: building 20 -> 19, with 2024 unpublished (empty) everywhere in Cesson.
# Redon (bassin 5313, same département): building 50 -> 40, so the département differs from the bassin.
BASSIN_OF_RENNES = [
    urssaf_row("35238", "4120A", {2021: (9, 95), 2022: (10, 100), 2023: (11, 110)}),
    urssaf_row("35238", "1013A", {2021: (3, 190), 2022: (3, 200), 2023: (3, 201)}),
    urssaf_row("35238", "4711D", {2021: (5, 290), 2022: (5, 300), 2023: (5, 300)}),
    urssaf_row("35051", "4120A", {2021: (2, 21), 2022: (2, 20), 2023: (2, 19)}),
]
URSSAF = [*BASSIN_OF_RENNES, urssaf_row("35236", "4120A", {2021: (4, 45), 2022: (4, 50), 2023: (4, 40)}) | {
    "ze_code": "5313", "epci_code": "243500667"}]


def built(tmp_path, urssaf_rows):
    for file in write_world(tmp_path / "dl"):
        importer.import_file(file)
    importer.import_file(write_urssaf_csv(tmp_path / "urssaf.csv", urssaf_rows, range(2021, 2024)))
    build.build(say=lambda message: None)
    return marts(paths.MARTS_DB)


@pytest.fixture
def con(no_demo, tmp_path):
    connection = built(tmp_path, URSSAF)
    yield connection
    connection.close()


def test_names_and_french_wording():
    assert zoom.display_name("SAINT MALO") == "Saint Malo"
    assert zoom.display_name("LA ROCHE SUR YON") == "La Roche sur Yon"
    assert zoom.display_name("Cesson-Sévigné") == "Cesson-Sévigné"  # already in mixed case
    assert zoom.place_phrase({"type": "bassin_bmo", "name": "AVRANCHES", "code": "2501"}) == \
        "Dans le bassin d'emploi d'Avranches"
    assert zoom.place_phrase({"type": "zone_emploi", "name": "Rennes", "code": "5315"}) == \
        "Dans la zone d'emploi de Rennes"
    assert zoom.place_phrase({"type": "france", "name": "France", "code": "FR"}) == "En France"
    # "stable" below ±1 %
    assert zoom.change_words(0.0099)[0] == "est stable" and zoom.change_words(-0.0099)[0] == "est stable"
    assert zoom.change_words(0.01) == ("a progressé de", "+1,0\u202f%")
    assert zoom.change_words(-0.02) == ("a reculé de", "\u22122,0\u202f%")


def test_sentences_to_remember(con):
    btp = zoom.zoom(con, "btp", "bassin_bmo", "5314", 2024)
    # BMO 2024, Rennes: building 100 + 20 projects, 80 + 15 difficult; Rennes, all sectors: 177 / 300
    # difficult, exactly (J1X80's projects are secret too: in neither term, no lower bound); France, building:
    # 111 / 137. URSSAF: Rennes + Cesson building 120 -> 129 employees (+7.5 %).
    assert btp.takeaways[:2] == [
        "Dans le bassin d'emploi de Rennes, 79,2\u202f% des 120 projets de recrutement du BTP sont jugés difficiles "
        "en 2024, contre 59,0\u202f% tous secteurs confondus sur ce territoire et "
        "81,0\u202f% pour ce secteur en "
        "France.",
        "Sur ce territoire, l'emploi salarié du BTP a progressé de 7,5\u202f% en un an : 129 salariés fin 2023 "
        "(apprentis comptés depuis 2023)."]
    iaa = zoom.zoom(con, "iaa", "bassin_bmo", "5314", 2024)
    assert iaa.takeaways[1] == ("Sur ce territoire, l'emploi salarié de l'industrie agroalimentaire est stable "
                                   "sur un an (+0,5\u202f%) : 201 salariés fin 2023 (apprentis comptés depuis 2023).")
    france = zoom.zoom(con, "btp", "france", "FR", 2024)  # France, building: 111 / 137; all sectors: 346 / 531
    assert france.takeaways[0] == ("En France, 81,0\u202f% des 137 projets de recrutement du BTP sont jugés "
                                      "difficiles en 2024, contre au moins 65,2\u202f% tous secteurs confondus.")
    agriculture = zoom.zoom(con, "agriculture", "bassin_bmo", "5314", 2024)
    assert "relève surtout de la MSA" in agriculture.takeaways[1]
    assert agriculture.headline[0]["value"] == "non représentatif"  # never a small number
    ze = zoom.zoom(con, "btp", "zone_emploi", "5315")
    assert ze.bmo is None and ze.takeaways == [
        "Dans la zone d'emploi de Rennes, l'emploi salarié du BTP a progressé de 7,5\u202f% en un an : 129 salariés "
        "fin 2023 (apprentis comptés depuis 2023)."]


def test_headline_series_and_comparisons(con):
    btp = zoom.zoom(con, "btp", "bassin_bmo", "5314", 2024)
    cards = {card["key"]: card for card in btp.headline}
    assert (cards["employees"]["value"], cards["employees"]["detail"]) == (
        "129", "+7,5\u202f% sur un an ; apprentis comptés depuis 2023")
    assert (cards["projects"]["value"], cards["difficult"]["value"], cards["seasonal"]["value"]) == (
        "120", "79,2\u202f%", "12,5\u202f%")  # seasonal: 10 + 5 of 120
    assert [p["label"] for p in btp.places] == ["Bassin d'emploi BMO Rennes", "Département Département 35",
                                                   "Région Région 53", "France"]
    assert [(r["year"], r["employees"], r["establishments"]) for r in btp.employment_series] == [
        (2021, 116, 11), (2022, 120, 12), (2023, 129, 13)]
    # building's share of all employment in 2023: 129 of (110 + 201 + 300 + 19)
    assert btp.employment_series[-1]["share_of_employment"] == pytest.approx(129 / 630)
    rennes = [r for r in btp.employment_comparison if r["place"] == "Bassin d'emploi BMO Rennes"]
    assert [round(r["index"], 2) for r in rennes] == [100.0, round(100 * 120 / 116, 2), round(100 * 129 / 116, 2)]
    difficult = {(r["place"], r["sector_code"]): r["difficult_share"] for r in btp.projects_comparison}
    assert difficult[("France", "ensemble")] == pytest.approx(346 / 531)
    # France building 2024: Rennes 120 + Redon 10 + 7 = 137 projects, 95 + 9 + 7 = 111 difficult
    assert difficult[("France", "btp")] == pytest.approx(111 / 137)
    assert [m["metier_code"] for m in btp.metiers] == ["B1X31", "B0X30"]
    assert [(r["year"], r["projects"]) for r in btp.projects_series] == [(2024, 120), (2025, 140)]
    with pytest.raises(LookupError, match="secteur inconnu"):
        zoom.zoom(con, "tourisme", "bassin_bmo", "5314")


def test_charts_draw_what_their_table_says(con):
    btp = zoom.zoom(con, "btp", "bassin_bmo", "5314", 2024)
    charts = {chart.key: chart for chart in zoom_charts.zoom_charts(btp)}
    assert list(charts) == ["emploi", "etablissements", "emploi-comparaison", "part-emploi", "recrutements",
                            "difficultes", "metiers"]  # no tension file, no France Travail API in this world
    table = charts["emploi"].table()
    assert table.to_dict("list") == {"Année": [2021, 2022, 2023], "Salariés": [116, 120, 129]}
    assert charts["emploi"].break_at == 2023 and "apprentis" in charts["emploi"].notes[0]
    figure = zoom_charts.to_plotly(charts["emploi"])
    assert list(figure.data[0].y) == [116, 120, 129] and figure.layout.separators == ",\u202f"
    secret = charts["recrutements"].series[0]
    assert secret.values == [120, 140] and secret.labels == ["120", "140"]
    config = zoom_charts.plotly_config("emploi_btp")
    assert config["toImageButtonOptions"]["width"] == 1920 and config["toImageButtonOptions"]["height"] == 1080


def test_a_sector_without_employers_in_the_files_has_no_series_rather_than_zeros(con):
    digital = zoom.zoom(con, "numerique", "bassin_bmo", "5314", 2024)
    # no digital employer in the URSSAF file: no employment series at all, rather than zeros
    assert digital.employment_series == [] and "employees" not in {c["key"] for c in digital.headline}


def test_slides_carry_sector_territory_and_source(con):
    btp = zoom.zoom(con, "btp", "bassin_bmo", "5314", 2024)
    charts = zoom_charts.zoom_charts(btp)
    link = f"{links.DEFAULT_ZOOM_URL}?" + slides.view_query("btp", "bassin_bmo", "5314", 2024)
    deck = slides.build_slides(btp, charts, link)
    # cover, the words of the zoom, the figures, the charts, "À retenir", end (no tension in this world)
    assert len(deck) == 1 + 1 + len(btp.headline) + len(charts) + 1 + 1
    assert [deck[0].kind, deck[1].title, deck[-1].kind, deck[-2].title] == ["cover", "Les mots du zoom", "end",
                                                                            "À retenir"]
    assert deck[0].link == deck[-1].link == link and "territoire=bassin:5314&annee=2024" in link
    for slide in deck:
        assert "Bâtiment et travaux publics" in slide.subtitle and "Rennes (5314)" in slide.subtitle
        assert slide.source.startswith("Source")
    assert slides.qr_svg(link).startswith("<svg")


def test_no_comparison_with_places_summed_from_the_territorys_own_communes(no_demo, tmp_path):
    """Only the bassin's communes loaded: its département, région and France would repeat its figures."""
    con = built(tmp_path, BASSIN_OF_RENNES)
    try:
        bassin = zoom.zoom(con, "btp", "bassin_bmo", "5314", 2024)
        departement = zoom.zoom(con, "btp", "departement", "35", 2024)
    finally:
        con.close()
    assert {row["place"] for row in bassin.employment_comparison} == {"Bassin d'emploi BMO Rennes"}
    assert bassin.employment_comparison_notes == [
        "Pas de comparaison avec Département Département 35, Région Région 53, France : les fichiers Urssaf "
        "chargés n'y ont pas d'autres communes que celles du territoire."]
    assert "emploi-comparaison" not in {chart.key for chart in zoom_charts.zoom_charts(bassin)}
    # The département itself: 2 of its 3 communes are in the file. Issue 9: its sum is no headline, no card value
    # and no sentence to remember; it is shown only in charts and tables labelled as partial sums.
    cards = {card["key"]: card for card in departement.headline}
    assert (cards["employees"]["value"], cards["employees"]["source"]) == ("couverture partielle", "Urssaf, fin 2023")
    assert cards["employees"]["detail"].startswith("couverture partielle (2 communes sur 3) dans les fichiers Urssaf")
    assert "establishments" not in cards and not any("129" in card["value"] for card in departement.headline)
    assert departement.takeaways[1] == ("Sur ce territoire, les fichiers Urssaf chargés n'ont qu'une partie des "
                                           "communes, couverture partielle (2 communes sur 3) : pas de chiffre "
                                           "d'emploi salarié du BTP à citer.")
    assert not any("129" in sentence for sentence in departement.takeaways)
    charts = {chart.key: chart for chart in zoom_charts.zoom_charts(departement)}
    note = ("Somme partielle des communes chargées, pas le total du territoire : couverture partielle "
            "(2 communes sur 3).")
    for key in ("emploi", "etablissements"):
        assert charts[key].title.endswith("(somme partielle)") and charts[key].notes[0] == note
        assert list(charts[key].table().columns)[1].endswith("(somme partielle)")  # the CSV's column says so
    assert charts["emploi"].table().iloc[-1, 1] == 129  # the figure itself, in the labelled table
    assert all(chart.partial for chart in charts.values() if chart.key in zoom_charts.EMPLOYMENT_VIEWS)
    deck = slides.build_slides(departement, list(charts.values()))
    assert all("129" not in (slide.figure or {}).get("value", "") for slide in deck)
    # never a slide, never a curve: the end slide says which tables were left out, and why
    assert not any(slide.chart and slide.chart.key in zoom_charts.EMPLOYMENT_VIEWS for slide in deck)
    assert "Sans diapositive (sommes partielles) : " in deck[-1].source
    pack = zoom_pack(departement, list(charts.values()), deck)
    assert 'id="chart-emploi"' not in pack and "(somme partielle)</h3>" in pack
    # The bassin's 2 communes are all in the file: a complete figure, shown as one
    assert {card["key"]: card for card in bassin.headline}["employees"]["value"] == "129"


def test_a_partly_covered_comparison_place_says_its_coverage(con):
    btp = zoom.zoom(con, "btp", "bassin_bmo", "5314", 2024)
    # The file holds Rennes, Cesson and Redon: all 3 communes of the département, 3 of the 4 of the région.
    assert btp.employment_comparison_notes == [
        "Région Région 53 : somme partielle, couverture partielle (3 communes sur 4).",
        "France : somme partielle, couverture partielle (3 communes sur 4)."]
    chart = {chart.key: chart for chart in zoom_charts.zoom_charts(btp)}["emploi-comparaison"]
    assert chart.notes[:2] == btp.employment_comparison_notes
    assert chart.source == ("Source : Urssaf, fin d'année · Bassin d'emploi BMO Rennes, Département Département 35, "
                            "Région Région 53, France")
    departement = [r for r in btp.employment_comparison if r["place"] == "Département Département 35"]
    assert [r["employees"] for r in departement] == [116 + 45, 120 + 50, 129 + 40]
    assert "données de" not in {card["key"]: card for card in btp.headline}["employees"]["source"]


def test_only_the_slides_showing_demo_figures_say_so(con):
    btp = zoom.zoom(con, "btp", "bassin_bmo", "5314", 2024)
    btp.demo_parts = ["employment"]  # as if the URSSAF file were the demo one
    deck = slides.build_slides(btp, zoom_charts.zoom_charts(btp))
    marked = {slide.title for slide in deck if slide.kind in ("figure", "chart")
              and slide.source.endswith("Données fictives de démonstration")}
    assert marked == {"Salariés fin 2023", "Établissements employeurs", "Bâtiment et travaux publics : salariés, "
                      "2021–2023", "Bâtiment et travaux publics : établissements employeurs, 2021–2023",
                      "Évolution de l'emploi salarié du BTP (base 100 en 2021)", "Part du BTP dans l'emploi salarié"}
    assert deck[0].source.endswith("Données fictives de démonstration : emploi salarié (Urssaf)")


def test_the_job_seekers_chart_says_its_coverage_and_why_it_is_all_metiers(data_dir):
    build.build(say=lambda message: None)  # the demo files
    con = marts(paths.MARTS_DB)
    try:
        ze = zoom.zoom(con, "btp", "zone_emploi", "5315")
        latest = con.execute("""select communes_with_data from fct_job_seekers_by_territory_quarter
            where territory_type = 'zone_emploi' and territory_code = '5315' order by period desc limit 1""").fetchall()
    finally:
        con.close()
    chart = {chart.key: chart for chart in zoom_charts.zoom_charts(ze)}["demandeurs"]
    assert chart.source.endswith(f"données de {latest[0][0]} communes sur {ze.territory['territory_communes']}")
    assert chart.notes == ["Tous métiers : les demandeurs d'emploi par métier du secteur ne sont pas disponibles pour "
                           "ce territoire (l'API Marché du travail est lue par bassin d'emploi BMO)."]


def test_a_sub_sector_is_named_standing_alone(con):
    public_works = zoom.zoom(con, "travaux_publics", "bassin_bmo", "5314", 2024)
    assert public_works.sector["label"] == "Travaux publics"  # not the tables' "dont travaux publics"
    assert "Travaux publics" in [s["label"] for s in public_works.sectors]
    assert slides.build_slides(public_works, [])[0].title == "Zoom secteur : Travaux publics"


def test_long_metier_names_are_wrapped_on_the_bars_not_in_the_table():
    name = "Ingénieurs du bâtiment et des travaux publics, chefs de chantier et conducteurs de travaux (cadres)"
    chart = zoom_charts.Chart("metiers", "Métiers", "barh", "Métier", "Projets", "count", [name, "Couvreurs"],
                              [zoom_charts.Series("Projets", [134, 140], "#000000", ["134", "140"])], "Source : test")
    drawn = zoom_charts.to_plotly(chart).data[0]
    assert [label.replace("<br>", " ") for label in drawn.y] == [name, "Couvreurs"]
    assert all(len(line) <= 32 for line in drawn.y[0].split("<br>")) and drawn.y[1] == "Couvreurs"
    assert chart.table()["Métier"].tolist() == [name, "Couvreurs"]  # the data table keeps the whole name
    layout = zoom_charts.to_plotly(chart).layout  # the bars on their scale, their labels in the right margin
    assert layout.xaxis.range == (0, 140) and layout.margin.r >= zoom_charts.text_px("140", 16)


def test_one_french_value_format_for_every_data_table():
    assert zoom_charts.value_text(3291, "count") == "3\u202f291"
    assert zoom_charts.value_text(0.797, "share") == "79,7\u202f%"
    assert zoom_charts.value_text(100.0, "index") == "100,0" and zoom_charts.value_text(4.0, "class") == "4"
    assert zoom_charts.value_text(3.5, "class") == "3,5"
    assert zoom_charts.value_text(None, "count", "s") == "s" and zoom_charts.value_text(None, "count") == "n.d."
    assert zoom_charts.value_text(float("nan"), "share") == "n.d."


def test_the_metiers_shares_are_shares_in_a_count_chart(con):
    from pipelines.report.zoom_charts import shown_table

    btp = zoom.zoom(con, "btp", "bassin_bmo", "5314", 2024)
    chart = {chart.key: chart for chart in zoom_charts.zoom_charts(btp)}["metiers"]
    assert [chart.unit_of(series) for series in chart.series] == ["count", "share", "share"]
    # B1X31 in Rennes 2024: 80 of 100 projects difficult
    assert shown_table(chart)["Part jugée difficile"].tolist()[0] == "80,0\u202f%"


def test_a_share_with_secret_cells_is_said_as_a_lower_bound_everywhere(con, capsys):
    """Issue 9: one rule, decided in the marts (a secret cell of the numerator makes the share a lower bound of
    the share of the published projects), worded once (figures.share_text, share_secret_note)."""
    from pipelines.__main__ import main
    from pipelines.report import figures

    # France, building 2024: B1X31 in Rennes 100/80/10, in Redon 10/9/* and 7/7/0; B0X30 20/15/5
    row = con.execute("""select seasonal, projects, seasonal_secret_cells, cells, seasonal_share_is_lower_bound,
                                difficult_share_is_lower_bound
                         from fct_projects_by_territory_sector_year
                         where territory_type = 'france' and sector_code = 'btp' and year = 2024""").fetchall()
    assert row == [(15, 137, 1, 4, True, False)]
    by_metier = dict(con.execute("""select territory_type, seasonal_share_is_lower_bound
        from fct_metier_rank_by_territory_sector_year
        where metier_code = 'B1X31' and year = 2024 and territory_code in ('FR', '44')""").fetchall())
    assert by_metier == {"france": True, "departement": False}  # Loire-Atlantique: Redon's 7/7/0 only

    france = zoom.zoom(con, "btp", "france", "FR", 2024)
    cards = {card["key"]: card for card in france.headline}
    assert (cards["seasonal"]["value"], cards["seasonal"]["detail"]) == (
        "au moins 10,9\u202f%",
        "des projets de recrutement ; 1 cellule secrète non comptée (sur 4 aux projets publiés)")
    assert (cards["difficult"]["value"], cards["difficult"]["detail"]) == ("81,0\u202f%", "des projets de recrutement")
    charts = {chart.key: chart for chart in zoom_charts.zoom_charts(france)}
    seasonal = next(s for s in charts["difficultes"].series if s.name.startswith("Saisonniers"))
    assert seasonal.labels == ["au moins 10,9\u202f%"] and f"{figures.SHARE_RULE}." in charts["difficultes"].notes
    nantes = zoom.zoom(con, "agriculture", "bassin_bmo", "2201", 2024)  # A1X40 5/*/*: every cell secret
    assert [card["value"] for card in nantes.headline if card["key"] in ("difficult", "seasonal")] == ["s", "s"]

    assert main(["figures", "--territory", "fr", "--year", "2024"]) == 0
    out = capsys.readouterr().out
    assert "au moins 10,9\u202f%" in out and f"{figures.SHARE_RULE} :" in out
    assert ("  Bâtiment et travaux publics, saisonniers : 1 cellule secrète non comptée (sur 4 aux projets publiés)"
            in out)


def test_job_seekers_of_part_of_a_territory_are_labelled_partial_sums(con, tmp_path):
    """Issue 9: the Dares job seekers summed over 1 of the bassin's 2 communes (Rennes, not Cesson) are a partial
    sum: the overview's line and the zoom's chart say so, the figure only in the labelled chart and table."""
    from pipelines.ingest.demo import write_defm_csv
    from pipelines.report import figures

    con.close()
    importer.import_file(write_defm_csv(tmp_path / "defm.csv", [
        {"date": "2024-T4", "code_commune": "35238", "categorie": "A", "sexe": "Ensemble",
         "tranche_d_age": "Ensemble", "nombre_de_demandeurs_d_emploi": 1000}]))
    build.build(say=lambda message: None)
    again = marts(paths.MARTS_DB)
    try:
        btp = zoom.zoom(again, "btp", "bassin_bmo", "5314", 2024)
        data = figures.key_figures(again, "bassin_bmo", "5314", 2024)
    finally:
        again.close()
    assert data.job_seekers["A"]["partial_coverage"] == "couverture partielle (1 commune sur 2)"
    chart = {chart.key: chart for chart in zoom_charts.zoom_charts(btp)}["demandeurs"]
    assert chart.title.endswith("(somme partielle)") and chart.notes[0] == btp.job_seekers_partial
    assert chart.partial and not any(slide.chart is chart for slide in slides.build_slides(btp, [chart]))
    assert list(chart.table().columns) == ["Trimestre", "Demandeurs d'emploi (A) (somme partielle)"]
