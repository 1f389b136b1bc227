"""The peer group of a view, carried by the URL (?pairs=5313,5316: codes of the territory's level), for any page:
read and checked (`wanted_pairs`), written (`set_pairs`), and shown beside the territory, its département, its
région and France (`comparison_section`). Numbers from pipelines/read/similar.py, words from
pipelines/report/similar.py."""

from urllib.parse import urlencode

import streamlit as st

from app_pages.shared import ui
from pipelines.frformat import display_name, lower_first
from pipelines.read import similar as read_similar
from pipelines.report import figures
from pipelines.report import similar as similar_report
from pipelines.report.safe_text import markdown_text

PARAM = "pairs"
LEVEL_KEY = "pairs-level"  # session state: (level, pairs as written) of the last reading of the group
MAX_PAIRS = 30  # a peer group larger than this is no longer a group of peers
# A code is at most 60 characters (a list of communes; 10 for any other, territories.CODE_PATTERN), and a comma.
MAX_CHARS = MAX_PAIRS * 61


def level_names(territory_type: str) -> dict[str, str]:
    """Code → name of every territory of the level (cached with the page queries)."""
    rows = ui.query("select territory_code, territory_name from dim_territory where territory_type = ? "
                    "order by territory_name, territory_code", (territory_type,))
    return dict(zip(rows["territory_code"], map(display_name, rows["territory_name"]), strict=True))


PREFIXES = {kind: prefix for prefix, kind in figures.TERRITORY_PREFIXES.items()}


def _normalised(territory_type: str, code: str) -> str | None:
    """A code as the marts store it (bassin '101' is '0101', commune '1001' is '01001'), or None if malformed."""
    try:
        return figures.parse_territory(f"{PREFIXES[territory_type]}:{code}")[1]
    except ValueError:
        return None


def wanted_pairs(place: tuple[str, str]) -> list[str]:
    """The peer group of the URL: codes of territories of the place's level, in the order given, each once, the
    place itself left out. Codes of no territory of that level are named in a notice and left out."""
    written = st.query_params.get(PARAM, "")[:MAX_CHARS + 1]
    asked = [code.strip() for code in written.split(",") if code.strip()]
    # The link holds codes without their level, and a bassin's code can be a zone d'emploi's (5313): the same group,
    # read before for a territory of another level (the user picked a new level), is dropped and said so. A new
    # group (another link) is read at the level of its territory.
    previous, st.session_state[LEVEL_KEY] = st.session_state.get(LEVEL_KEY), (place[0], written)
    if asked and previous is not None and previous[1] == written and previous[0] != place[0]:
        ui.url_notice(f"Groupe de pairs retiré : il réunissait des territoires d'un autre niveau "
                      f"({markdown_text(lower_first(figures.TERRITORY_LABELS[previous[0]]))}).")
        del st.query_params[PARAM]
        return []
    if not asked or place[0] == "france":
        return []
    names = level_names(place[0])
    codes = [_normalised(place[0], code) for code in asked]
    unknown = [code for code, known in zip(asked, codes, strict=True) if known not in names]
    if unknown:
        ui.url_notice(f"Pairs « {ui.shown_text(', '.join(unknown))} » inconnus au niveau "
                      f"{markdown_text(figures.TERRITORY_LABELS[place[0]])} ; ignorés.")
    kept = [code for code in dict.fromkeys(codes) if code in names and code != place[1]]
    if len(kept) > MAX_PAIRS:
        ui.url_notice(f"Groupe de pairs de {len(kept)} territoires : seuls les {MAX_PAIRS} premiers sont gardés.")
        kept = kept[:MAX_PAIRS]
    if kept != asked:  # the link now says what is shown (a notice was given for what was not a peer)
        set_pairs(kept)
    return kept


def link_with_group(link: str, place: tuple[str, str]) -> str:
    """`link` with the URL's peer group appended (its known codes only, silently: wanted_pairs says the rest), so
    that a shared link reopens the view with its group."""
    names = level_names(place[0]) if place[0] != "france" else {}
    codes = [code for code in (c.strip() for c in st.query_params.get(PARAM, "")[:MAX_CHARS].split(","))
             if code in names and code != place[1]]
    return f"{link}&{urlencode({PARAM: ','.join(dict.fromkeys(codes))})}" if codes else link


def set_pairs(codes: list[str]) -> None:
    """Write the peer group in the URL; an empty group stays as ?pairs= (a reload keeps it empty)."""
    st.query_params[PARAM] = ",".join(codes)


def comparison(place: tuple[str, str], codes: list[str], year: int | None) -> similar_report.Comparison:
    return ui.marts_read(similar_report.comparison, *place, list(codes), year)


def _similar_or_refusal(con, territory_type: str, territory_code: str, count: int,
                        factor: float | None) -> read_similar.Similar | str:
    try:
        return read_similar.similar(con, territory_type, territory_code, count, factor)
    except LookupError as refusal:  # said on the page rather than cached as an error
        return str(refusal)


def similar(place: tuple[str, str], count: int, factor: float | None) -> read_similar.Similar | str:
    """The most similar territories (pipelines.read.similar.similar), cached; a French sentence when there is
    no mix to compare."""
    return ui.marts_read(_similar_or_refusal, *place, count, factor)


def comparison_section(place: tuple[str, str], year: int | None, key: str, sector_code: str | None = None,
                       codes: list[str] | None = None) -> None:
    """The territory beside its peer group (the URL's, or `codes`), département, région and France: one sector's
    table (`sector_code`, or a picker), with the rule that makes the group's figures. Nothing without a group."""
    codes = wanted_pairs(place) if codes is None else codes
    if not codes:
        return
    compared = comparison(place, codes, year)
    st.subheader("Comparaison avec le groupe de pairs", help=similar_report.CAVEAT)
    if sector_code is None:
        sectors = compared.sectors
        sector_code = st.selectbox("Secteur", list(sectors), format_func=sectors.get, key=f"{key}-pairs-sector")
    rows, caveat = compared.rows[sector_code], compared.caveats.get(sector_code)
    shown, missing = similar_report.comparison_shown(rows, caveat)
    st.dataframe(shown, hide_index=True, width="stretch", key=f"{key}-pairs-table")
    note = similar_report.comparison_note(compared.employment_year, compared.bmo_year)
    st.caption(markdown_text(f"{missing} {note}" if missing else note))
    stem = f"groupe_de_pairs_{figures.territory_spec(*place).replace(':', '-')}_{sector_code}"
    ui.table_downloads(similar_report.comparison_download(rows, caveat), stem, f"{key}-pairs",
                       similar_report.comparison_about(compared, sector_code, note))
