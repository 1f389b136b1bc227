"""Note mensuelle: the elected officials' two-page note of a territory. Its published editions (frozen files under
data/editions/, never rebuilt from today's marts), the differences between any two, and a preview of this month's
note from the marts in service, not published.

Every choice lives in the URL (?territoire=epci:243500139&vue=editions&edition=2026-12r2), so a link reopens it.
"""

from datetime import UTC, datetime

import pandas as pd
import streamlit as st

from app_pages.shared import ui
from pipelines.frformat import fmt_count, period_text
from pipelines.read import editions as archive
from pipelines.read import note as note_read
from pipelines.report import figures
from pipelines.report.conventions import DEMO_NOTICE
from pipelines.report.edition_diff import diff_table, edition_text
from pipelines.report.note import build_note, demo_parts
from pipelines.report.note_html import note_html
from pipelines.report.note_model import Table
from pipelines.report.note_pdf import note_pdf
from pipelines.report.safe_text import markdown_text

VIEWS = {"editions": "Éditions publiées", "comparer": "Comparer deux éditions", "apercu": "Aperçu du mois"}
def table_frame(table: Table) -> pd.DataFrame:
    """A note table as a page table (cells may hold line breaks: they are kept as spaces)."""
    return pd.DataFrame([[cell.replace("\n", " · ") for cell in row] for row in table.rows],
                        columns=[column.replace("\n", " ") for column in table.columns])


def demo_warning(data: dict) -> None:
    """The page says it, as every page does, when the note shows figures from the fictitious demo files."""
    if parts := demo_parts(data):
        st.warning(f"**{DEMO_NOTICE}** : {markdown_text(' ; '.join(parts))}.", icon="⚠️")


def show_note(html: str) -> None:
    # A whole A4 document with its own styles (every text escaped by note_html, no script): in a frame of its own.
    ui.document_frame(html, height=1200)


def wanted_month() -> str:
    asked = ui.url_param("mois")
    current = datetime.now(UTC).strftime("%Y-%m")
    if asked and not archive.MONTH.fullmatch(asked):
        ui.url_notice(f"Mois « {ui.shown_text(asked)} » illisible (attendu AAAA-MM) ; affiché à la place : "
                      f"{markdown_text(period_text(current))}.")
        return current
    return asked or current


st.title("Note mensuelle aux élus")
level_slot, territory_slot = st.columns([1, 3])
territory_type, territory_code = ui.territory_picker(level_slot, territory_slot, key="note-territory",
                                                    facts=ui.NOTE_FACTS)
spec = figures.territory_spec(territory_type, territory_code)
published = archive.editions(spec)
for problem in archive.skipped(spec):  # a damaged folder of the archive: said, the other editions still shown
    st.warning(markdown_text(problem), icon="⚠️")
url_view = ui.wanted_option("vue", VIEWS, "editions" if published else "apercu", "Vue", feminine=True)
view = st.segmented_control("Vue", list(VIEWS), default=url_view, format_func=VIEWS.get, key="note-view") or url_view
st.query_params["vue"] = view
command = f"python -m pipelines note --territoire {spec}"

if view == "apercu":
    month = wanted_month()
    st.query_params["mois"] = month
    data = ui.marts_read(note_read.note_figures, territory_type, territory_code, month)
    previous = archive.previous_month_edition(spec, month)
    note = build_note(data, archive.figures_of(previous) if previous else None)
    st.info(f"Aperçu de la note {markdown_text(figures.of_name(period_text(month)))}, calculé sur les marts en "
            "service : **non publié**. Pour publier cette édition (figée, avec ses fichiers sources) :")
    st.code(f"{command} --mois {month}", language=None)
    demo_warning(data)
    html = note_html(note)
    stem = f"note-{archive.folder_name(spec)}-{month}-apercu"
    left, right = st.columns(2)
    left.download_button("Télécharger l'aperçu (PDF)", note_pdf(note), file_name=f"{stem}.pdf",
                         mime="application/pdf", key="draft-pdf")
    right.download_button("Télécharger l'aperçu (HTML)", html.encode("utf-8"), file_name=f"{stem}.html",
                          mime="text/html", key="draft-html")
    show_note(html)
elif not published:
    st.info("Aucune édition publiée pour ce territoire. Publiez la note du mois avec la commande ci-dessous (et voir "
            "l'aperçu du mois).")
    st.code(command, language=None)
elif view == "editions":
    # An edition as the command line names it: '2026-12' is the month's latest revision, '2026-12r1' an earlier one.
    keys = [archive.reference(edition, published) for edition in published]
    asked = ui.url_param("edition")
    if asked and asked not in keys:
        ui.url_notice(f"Édition « {ui.shown_text(asked)} » inconnue pour ce territoire ; affichée à la place : la "
                      "plus récente.")
    index = keys.index(asked) if asked in keys else len(keys) - 1
    chosen = st.selectbox("Édition", range(len(published)), index=index, key="note-edition",
                          format_func=lambda i: edition_text(published[i]))
    edition = published[chosen]
    st.query_params["edition"] = keys[chosen]
    demo_warning(archive.figures_of(edition))
    st.caption(f"{fmt_count(len(published), 'édition publiée', 'éditions publiées')} pour ce territoire. Une édition "
               "est figée : ses chiffres ne changent plus, même après de nouveaux imports.")
    stem = f"note-{archive.folder_name(spec)}-{keys[chosen]}"
    files = (("Note (PDF)", "note.pdf", "application/pdf", ".pdf"), ("Note (HTML)", "note.html", "text/html", ".html"),
             ("Chiffres (JSON)", "figures.json", "application/json", "-chiffres.json"),
             ("Fichiers sources (JSON)", "sources.json", "application/json", "-sources.json"))
    for slot, (what, name, mime, suffix) in zip(st.columns(len(files)), files, strict=True):
        slot.download_button(what, (edition.folder / name).read_bytes(), icon=":material/download:",
                             file_name=stem + suffix, mime=mime, key=f"edition-{name}")
    show_note((edition.folder / "note.html").read_text(encoding="utf-8"))
else:  # comparer
    if len(published) < 2:
        st.info("Une seule édition publiée pour ce territoire : rien à comparer encore.")
    else:
        labels = [edition_text(edition) for edition in published]
        old_slot, new_slot = st.columns(2)
        old = old_slot.selectbox("Édition de départ", range(len(published)), index=len(published) - 2,
                                 format_func=labels.__getitem__, key="note-old")
        new = new_slot.selectbox("Édition d'arrivée", range(len(published)), index=len(published) - 1,
                                 format_func=labels.__getitem__, key="note-new")
        newer = archive.figures_of(published[new])
        table = diff_table(archive.diff(archive.figures_of(published[old]), newer), newer)
        if table.rows:
            st.dataframe(table_frame(table), hide_index=True, width="stretch")
        else:
            st.info("Aucune différence de chiffres entre ces deux éditions.")
        for line in table.notes:
            st.caption(markdown_text(line))
