"""The export buttons of the Zoom secteur page: PNG of each chart, offline HTML pack, PDF of the slides.

Placeholder until the exports land (pipelines/export_html.py, pipelines/export_pdf.py): the page calls
render() where the buttons go.
"""


def render(zoomed: dict, charts: list, slides: list) -> None:
    return None
