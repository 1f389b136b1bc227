"""One wording per figure: the overview, the zoom's cards and the command line say a figure the same way,
because all three call the one function of report/figures.py that words it."""

from pipelines import paths
from pipelines.__main__ import main
from pipelines.report import figures, zoom
from tests.conftest import marts
from tests.pages.test_dashboard import app, texts


def test_the_tension_level_and_the_employment_change_read_the_same_everywhere(demo_marts, capsys):
    con = marts(paths.MARTS_DB)
    data = figures.key_figures(con, "bassin_bmo", "5314")
    btp = next(sector for sector in data.sectors if sector["sector_code"] == "btp")
    level, change = btp["tension"]["tension_level"], btp["employment"]["establishments_change_1y"]
    cards = {card["key"]: card for card in zoom.zoom(con, "btp", "bassin_bmo", "5314").headline}
    con.close()

    assert cards["tension"]["value"] == figures.level_of_five(level)
    assert cards["establishments"]["detail"] == figures.change_over(change)
    overview = texts(app())
    assert f"**Tension** : {figures.level_of_five(level)}" in overview
    assert f"({figures.change_over(change)}, " in overview
    assert main(["figures", "--territory", "bassin:5314"]) == 0
    line = next(line for line in capsys.readouterr().out.splitlines() if line.startswith(btp["label"])
                and figures.level_text(level) in line)
    assert btp["tension"]["main_driver_label"] in line
