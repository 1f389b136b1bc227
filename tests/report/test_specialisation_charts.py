"""The specialisation and shift-share charts laid out for the page at 1280 px: no text over another (legend above
the plot, under a wrapped title), long names wrapped, a long list of groups drawn as its two ends."""

from pipelines.read.specialisation import Coverage, Place, Quotient, Shift, ShiftShare, Specialisation, band
from pipelines.report import specialisation as report

TERRITORY = Place("territoire", "bassin_bmo", ("5314",), ("Rennes",))
FRANCE = Place("fr", "france", ("FR",), ("France",))
LONG = "Techniciens et agents de maîtrise en intervention technique en hygiène sécurité environnement industriel"


def quotient(index: int, value: float) -> Quotient:
    return Quotient("famille", f"F{index:02d}", f"{LONG} {index}", 10, 100, 10, 100, share=0.1,
                    reference_share=0.1 / value, quotient=value, band=band(value))


def specialisation(rows: list[Quotient]) -> Specialisation:
    return Specialisation("bmo", 2024, [2024], TERRITORY, FRANCE, Coverage(1, 1), Coverage(1, 1), rows[:4], rows)


def title_lines(figure) -> list[str]:
    return figure.layout.title.text.split("<br>")


def test_a_quotient_chart_keeps_its_texts_apart():
    rows = [quotient(index, 0.2 + index / 10) for index in range(40)]
    result = specialisation(rows)
    figure = report.quotient_chart(result, rows, report.lq_title(result, detail=True))
    bars = figure.data[0]
    # 40 families: the 12 most and the 12 least over-represented drawn, the title says so
    assert len(bars.y) == report.CHART_ROWS == 24
    assert list(bars.x) == [row.quotient for row in rows[:12] + rows[-12:]]
    assert "les 12 plus et les 12 moins surreprésentées sur 40" in figure.layout.title.text.replace("<br>", " ")
    # the title wrapped to the page's width, the legend above the plot and below the title
    assert len(title_lines(figure)) > 1 and all(len(line) <= 70 for line in title_lines(figure))
    assert figure.layout.legend.y >= 1 and figure.layout.legend.yanchor == "bottom"
    assert figure.layout.margin.t >= 20 * 1.3 * len(title_lines(figure)) + 16 * 1.6
    # each name on two lines at most, its code kept; the bars' labels have room on the right
    assert all(name.count("<br>") <= 1 and name.endswith(")") for name in bars.y)
    assert figure.layout.margin.r >= max(report.text_px(text, 16) for text in bars.text) > 0


def test_a_short_list_is_drawn_whole_under_its_own_title():
    rows = [quotient(index, 0.5 + index / 4) for index in range(4)]
    result = specialisation(rows)
    title = report.lq_title(result, detail=False)
    figure = report.quotient_chart(result, rows, title)
    assert len(figure.data[0].y) == 4 and figure.layout.title.text.replace("<br>", " ") == title


def test_the_shift_share_chart_has_its_legend_above_the_plot():
    shifts = [Shift(f"S{index}", f"{LONG} {index}", 100, 120, 1000, 1100, 20.0, 10.0, 5.0, 5.0, 0.2, 0.1)
              for index in range(5)]
    total = Shift("ensemble", "Ensemble", 500, 600, 5000, 5500, 100.0, 50.0, 25.0, 25.0, 0.2, 0.1)
    result = ShiftShare(2019, 2024, [2019, 2024], Place("territoire", "departement", ("35",), ("Ille-et-Vilaine",)),
                        FRANCE, 0.1, shifts, total, Coverage(1, 1), Coverage(1, 1), True)
    figure = report.shift_chart(result)
    assert figure.layout.legend.y >= 1 and figure.layout.legend.yanchor == "bottom"
    assert len(title_lines(figure)) > 1 and all(len(line) <= 70 for line in title_lines(figure))
    assert all(name.count("<br>") <= 1 for name in figure.data[0].y)


def test_a_reference_summed_over_part_of_its_communes_is_said_in_the_sentence():
    """The real URSSAF file holds the Rouen zone only: "France" is then 218 communes, said where it is compared."""
    shifts = [Shift("S1", "Construction", 100, 120, 1000, 1100, 20.0, 10.0, 5.0, 5.0, 0.2, 0.1)]
    total = Shift("ensemble", "Ensemble", 100, 120, 1000, 1100, 20.0, 10.0, 5.0, 5.0, 0.2, 0.1)
    partial = Coverage(1, 1, communes_with_data=218, commune_count=34955)
    result = ShiftShare(2006, 2022, [2006, 2022], Place("territoire", "bassin_bmo", ("2801",), ("Rouen",)), FRANCE,
                        0.1, shifts, total, Coverage(1, 1), partial, False)
    assert "au rythme de la France (somme partielle : 218 communes sur 34\u202f955) (" in \
        report.shift_sentence(result)
    rows = [quotient(index, 0.5 + index) for index in range(4)]
    lq = Specialisation("urssaf", 2022, [2022], TERRITORY, FRANCE, Coverage(1, 1), partial, rows, rows)
    assert "référence France (somme partielle : 218 communes sur 34\u202f955)" in report.lq_sentence(lq)
