"""Registries, files, demo data, README and CI agree with each other."""

import ast
import re
import tomllib
from pathlib import Path

from pipelines import paths
from pipelines.ingest import manifest
from pipelines.sources import SOURCES
from pipelines.warehouse.build import MARTS

README = (paths.ROOT / "README.md").read_text(encoding="utf-8")
REQUIRED = ["NAME", "PUBLISHER", "TITLE", "LICENCE", "URL", "KIND", "FIELDS", "recognise", "read"]


def test_every_source_module_has_the_interface_and_its_own_file():
    for name, source in SOURCES.items():
        missing = [attribute for attribute in REQUIRED if attribute not in vars(source.module)]
        assert not missing, f"{name} lacks {missing}"
        assert source.module.__name__ == f"pipelines.sources.{name}"


def test_staging_models_are_named_after_a_source():
    for sql in (paths.SQL_DIR / "staging").glob("*.sql"):
        match = re.fullmatch(r"stg_(\w+?)__(\w+)", sql.stem)
        assert match and match.group(1) in SOURCES, sql.name
    staged = {re.match(r"stg_(\w+?)__", s.stem).group(1) for s in (paths.SQL_DIR / "staging").glob("*.sql")}
    assert staged == set(SOURCES)


def test_marts_are_prefixed_by_kind_and_start_with_their_grain():
    assert set(MARTS) == {p.stem for p in (paths.SQL_DIR / "marts").glob("*.sql")}, "MARTS and sql/marts differ"
    for name in MARTS:
        assert re.match(r"(dim|fct|bridge|audit)_", name), name
        first_line = (paths.SQL_DIR / "marts" / f"{name}.sql").read_text().splitlines()[0]
        assert first_line.startswith("-- grain: one row per ("), name


def test_demo_files_are_recorded_with_matching_checksums():
    entries = manifest.load(paths.DEMO_MANIFEST)
    assert {entry["source"] for entry in entries} == set(SOURCES)
    for entry in entries:
        file = paths.DEMO_DIR / entry["path"]
        assert entry["demo"] is True
        assert list(SOURCES[entry["source"]].read(file).frame.columns) == SOURCES[entry["source"]].fields
        assert manifest.sha256_of(file) == entry["sha256"], f"{file.name}: rerun python -m pipelines.ingest.demo"
        assert SOURCES[entry["source"]].recognise(file)
    on_disk = {p.name for p in paths.DEMO_DIR.iterdir()} - {"manifest.json"}
    assert on_disk == {entry["path"] for entry in entries}


def test_the_committed_demo_files_are_what_the_demo_script_writes(tmp_path):
    """Regenerating the demo is reproducible byte for byte, and the committed files are not stale."""
    from pipelines.ingest.demo import make_demo

    written = {entry["path"]: entry["sha256"] for entry in make_demo(tmp_path)}
    assert written == {entry["path"]: entry["sha256"] for entry in manifest.load(paths.DEMO_MANIFEST)}


def test_demo_has_two_bmo_years_so_changes_show():
    periods = [e["period"] for e in manifest.load(paths.DEMO_MANIFEST) if e["source"] == "bmo"]
    assert len(periods) == 2 and int(periods[1]) == int(periods[0]) + 1


def test_readme_names_every_source_and_the_ci_runs_its_test_command():
    for name in SOURCES:
        assert f"`{name}`" in README, name
    quick_start = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"^(make \w+)$", quick_start, flags=re.MULTILINE)
    assert commands == ["make run", "make test"]
    ci = (paths.ROOT / ".ci" / "run").read_text()
    assert re.search(r"^make test$", ci, flags=re.MULTILINE) and "REAL_DATA_DIR=../shared/data/real" in ci


def test_makefile_has_the_documented_targets():
    makefile = (paths.ROOT / "Makefile").read_text()
    [phony] = re.findall(r"^\.PHONY:(.*)$", makefile, flags=re.MULTILINE)
    # every `make <target>` the README mentions, and those a fresh machine and CI need whatever it says
    documented = set(re.findall(r"`make (\w[\w-]*)", (paths.ROOT / "README.md").read_text(encoding="utf-8")))
    for target in sorted(documented | {"setup", "run", "build", "import", "fetch", "status", "figures", "test", "lint",
                                       "bench", "demo"}):
        assert re.search(rf"^{target}:", makefile, flags=re.MULTILINE), target
        assert target in phony.split(), f"{target} missing from .PHONY"


def test_dependencies_are_pinned_exactly():
    project = tomllib.loads((paths.ROOT / "pyproject.toml").read_text())["project"]
    for requirement in project["dependencies"] + project["optional-dependencies"]["dev"]:
        assert re.fullmatch(r"[\w.-]+==[\w.]+", requirement), requirement


# English words that have no business in a message a user reads (French only, DESIGN §1).
ENGLISH = re.compile(r"\b(the|missing|failed|unreadable|not|file|rows?|instead|error|checks?|unknown|empty|"
                     r"gave up|expected|found|invalid)\b", re.IGNORECASE)
MESSAGE_CALLS = {"InputError", "BuildError", "DownloadError", "TokenError", "_Retry", "error", "say", "print"}


def message_texts(tree: ast.AST):
    """The string literals (f-strings included) passed to the calls that build a message for the user."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
            if name in MESSAGE_CALLS:
                for argument in [*node.args, *(keyword.value for keyword in node.keywords)]:
                    for part in ast.walk(argument):
                        if isinstance(part, ast.Constant) and isinstance(part.value, str):
                            yield node.lineno, part.value


def test_messages_for_users_are_in_french_only():
    english = []
    for module in sorted((paths.ROOT / "pipelines").rglob("*.py")):
        for line, text in message_texts(ast.parse(module.read_text(encoding="utf-8"))):
            if ENGLISH.search(text):
                english.append(f"{module.name}:{line}: {text!r}")
    assert not english, "\n".join(english)


def test_french_dates_and_times():
    from datetime import datetime

    from pipelines.frformat import fmt_datetime

    assert fmt_datetime(datetime(2026, 12, 5, 9, 4)) == "5 décembre 2026 à 10 h 04"  # stored in UTC, said in Paris


def test_french_periods_and_dates():
    from pipelines.frformat import fmt_date, period_text

    assert period_text("2023-T1/2024-T4") == "T1 2023 à T4 2024" and period_text("2024T1/2025T2") == "T1 2024 à T2 2025"
    assert period_text("2000-01/2023-09") == "janvier 2000 à septembre 2023"
    assert period_text("2024") == "2024" and period_text("rome-v3") == "rome-v3"
    assert fmt_date("2026-12-05T23:30:00+00:00") == "6 déc. 2026"  # said in Paris


def test_every_source_has_its_notes_page_linked_from_a_short_docstring():
    """Research notes live in docs/sources/<name>.md; the module's docstring stays short and names that page."""
    pages = paths.ROOT / "docs" / "sources"
    for name, source in SOURCES.items():
        module = source.module  # the module's docstring, not the Source wrapper's
        page = f"docs/sources/{name}.md"
        assert (paths.ROOT / page).is_file(), f"{page} missing"
        docstring = (module.__doc__ or "").strip()
        assert page in docstring, f"{module.__name__}: its docstring does not name {page}"
        assert len(docstring.splitlines()) <= 8, f"{module.__name__}: docstring over 8 lines, move notes to {page}"
    extra = {p.name for p in pages.iterdir()} - {f"{name}.md" for name in SOURCES} - {"README.md"}
    assert not extra, f"docs/sources/ pages of no known source: {sorted(extra)}"


# --- Text from files is never markup (issue 11) --------------------------------------------------------------------
SHOWN_MODULES = sorted([*(paths.ROOT / "app_pages").rglob("*.py"), *(paths.ROOT / "pipelines" / "report").glob("*.py"),
                        paths.ROOT / "dashboard.py"])
ESCAPER = paths.ROOT / "pipelines" / "report" / "safe_text.py"
HTML_CALLS = {"html", "iframe"}  # Streamlit elements that take raw HTML (st.html, st.iframe with a document)


def _called(node: ast.Call) -> str | None:
    return node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)


def _functions(tree: ast.AST):
    """(enclosing function name or None, node) for every node of a module."""
    def walk(node, function):
        for child in ast.iter_child_nodes(node):
            inner = child.name if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef) else function
            yield inner, child
            yield from walk(child, inner)
    yield from walk(tree, None)


def markup_problems(module: Path) -> list[str]:
    """Where a page or an export could show a name from a file as markup: its own HTML escaping (one helper,
    safe_text), `unsafe_allow_html` outside ui.markdown_html (which takes safe_text.Markup only), a markup template
    that is not a literal, Markup made from anything but a literal, raw HTML elements fed with non-constants."""
    if module == ESCAPER:
        return []
    tree = ast.parse(module.read_text(encoding="utf-8"))
    where = module.relative_to(paths.ROOT)
    problems = []
    for function, node in _functions(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = [alias.name for alias in node.names] + [getattr(node, "module", None)]
            if {"html", "markupsafe"} & set(names):
                problems.append(f"{where}:{node.lineno}: imports html/markupsafe: escape with safe_text")
        if not isinstance(node, ast.Call):
            continue
        called = _called(node)
        if any(k.arg == "unsafe_allow_html" for k in node.keywords) and function != "markdown_html":
            problems.append(f"{where}:{node.lineno}: unsafe_allow_html outside ui.markdown_html")
        if called == "markup" and not (node.args and isinstance(node.args[0], ast.Constant)):
            problems.append(f"{where}:{node.lineno}: markup() template is not a literal")
        if called == "Markup" and node.args and not isinstance(node.args[0], ast.Constant) and function != "qr_svg":
            problems.append(f"{where}:{node.lineno}: Markup() of a non-literal")
        # ui.document_frame gives a whole document as a data: URL, an opaque origin that cannot reach the page.
        if called in HTML_CALLS and node.args and function != "document_frame":
            first = node.args[0]
            names = [n.id for n in ast.walk(first) if isinstance(n, ast.Name) and n.id != "json"]
            if any(isinstance(n, ast.JoinedStr) for n in ast.walk(first)) or any(not n.isupper() for n in names):
                problems.append(f"{where}:{node.lineno}: raw HTML built from non-constants")
    return problems


def test_text_from_files_reaches_pages_and_exports_through_safe_text_only():
    problems = [problem for module in SHOWN_MODULES for problem in markup_problems(module)]
    assert not problems, "\n".join(problems)


def test_the_markup_check_sees_what_it_refuses(tmp_path, monkeypatch):
    page = tmp_path / "page.py"
    page.write_text("import html\nst.markdown(f'<b>{label}</b>', unsafe_allow_html=True)\n"
                    "markup(f'<b>{label}</b>')\nMarkup(label)\nst.html(f'<b>{label}</b>')\n", encoding="utf-8")
    monkeypatch.setattr(paths, "ROOT", tmp_path)
    assert len(markup_problems(page)) == 5


def test_build_check_messages_are_french_only():
    """A failed build check is read by a user: its message is French, with no English translation beside it."""
    english = re.compile(r"\b(count|counted|several|files|value|kept|twice|projects|sector|negative)\b")
    for check in (paths.SQL_DIR / "checks").glob("*.sql"):
        sql = re.sub(r"--[^\n]*", "", check.read_text(encoding="utf-8"))  # comments are English, for us
        literals = re.findall(r"'((?:[^']|'')*)'", sql.split("\nfrom", 1)[0])
        assert not [text for text in literals if english.search(text)], check.name


# --- Escaped by default: every text a page builds for Streamlit's markdown ---------------------------------------
# Streamlit elements (and the pages' own wrappers of them) whose text arguments are read as markdown: labels,
# bodies, notices, help texts. Only the arguments built in place (f-string, `+`, `.format`, `.join`) are checked:
# each value interpolated in them must be escaped, or a fixed text of the code, or digits.
TEXT_CALLS = {"markdown", "caption", "info", "warning", "error", "success", "subheader", "title", "header", "write",
              "metric", "expander", "toggle", "checkbox", "selectbox", "multiselect", "radio", "segmented_control",
              "pills", "button", "download_button", "link_button", "popover", "status", "progress", "spinner",
              "toast", "text_input", "number_input", "slider", "select_slider", "update", "url_notice"}
TEXT_KEYWORDS = {"label", "body", "help", "text", "value", "delta", "caption", "placeholder"}
ESCAPERS = {"markdown_text", "markup", "Markup",
            "shown_text"}  # ui.shown_text: markdown_text of a value typed in a URL, cut short
# Formatters whose text is digits and fixed words of the code only, whatever row they are given.
FORMATTERS = {
    "fmt_int", "fmt_pct", "fmt_decimal", "fmt_change",  # pipelines.frformat: a number, "s" or "n.d."
    "fmt_count",  # a number and the singular/plural words given, literals at every call
    "fmt_date", "fmt_datetime",  # a date in French words and digits
    "change_over", "level_of_five", "share_text",  # figures: a formatted number and fixed words
    "change_label",  # figures: a formatted change, a year (an int of the marts) and fixed words
    "coverage_label", "share_secret_note",  # figures: counts and fixed words
    "len",  # an int
    "tension_help", "metiers_help",  # glossary: texts of the code (glossary.TERMS, DRIVERS)
    "projects", "difficult", "seasonal", "secret_notes", "coverage",  # overview: the formatters above, of a row
}
# Variables that hold a whole number by construction (never a text from a file).
NUMBERS = {"year"}  # the BMO survey year: ui.wanted_year's int, or the year picker's choice among those ints
NUMBER_TYPES = {"int", "float", "bool"}


def _bindings(tree: ast.AST) -> tuple[dict[str, list], set[str]]:
    """Every value assigned to a name of the module (any scope, the name alone; None for a binding whose value is
    unknown: loop target, parameter...), and the module's functions annotated to return a number."""
    bound: dict[str, list] = {}
    numeric = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                for name in ast.walk(target):
                    if isinstance(name, ast.Name):
                        bound.setdefault(name.id, []).append(node.value if target is name else None)
        elif isinstance(node, ast.AugAssign | ast.AnnAssign | ast.NamedExpr) and isinstance(node.target, ast.Name):
            bound.setdefault(node.target.id, []).append(node.value)
        elif isinstance(node, ast.For | ast.comprehension | ast.withitem):
            target = getattr(node, "target", None) or getattr(node, "optional_vars", None) or ast.Pass()
            # a loop over a literal list binds its name to the list's items (`for c in ("A", "ABC")`)
            items = node.iter if isinstance(target, ast.Name) and isinstance(getattr(node, "iter", None),
                                                                             ast.List | ast.Tuple) else None
            for name in ast.walk(target):
                if isinstance(name, ast.Name):
                    bound.setdefault(name.id, []).append(items)
        elif isinstance(node, ast.arg):
            number = isinstance(node.annotation, ast.Name) and node.annotation.id in NUMBER_TYPES
            bound.setdefault(node.arg, []).append(ast.Constant(0) if number else None)
        elif isinstance(node, ast.FunctionDef) and isinstance(node.returns, ast.Name) \
                and node.returns.id in NUMBER_TYPES:
            numeric.add(node.name)
    return bound, numeric


def _upper(name: str) -> bool:
    return name.isupper()  # a constant of the code: BLOCKS, SECRET_NOTE, figures.SHARE_RULE


def _safe(node, bound: dict, numeric: set, seen: frozenset = frozenset()) -> bool:
    """Whether a value interpolated in a markdown text is escaped, digits or a fixed text of the code."""
    def safe(child, names=seen):
        return _safe(child, bound, numeric, names)

    match node:
        case ast.Constant():
            return True
        case ast.JoinedStr():
            return all(safe(part) for part in node.values)
        case ast.FormattedValue():
            return safe(node.value)
        case ast.BinOp():  # `+` or `%` of texts, or arithmetic of numbers
            return safe(node.left) and safe(node.right)
        case ast.IfExp():
            return safe(node.body) and safe(node.orelse)
        case ast.List() | ast.Tuple():
            return all(safe(element) for element in node.elts)
        case ast.ListComp() | ast.GeneratorExp():
            return safe(node.elt)
        case ast.Name():
            if _upper(node.id) or node.id in NUMBERS or node.id in seen:
                return True
            values = bound.get(node.id)
            return bool(values) and all(value is not None and safe(value, seen | {node.id}) for value in values)
        case ast.Attribute():
            return _upper(node.attr)
        case ast.Subscript():  # an entry of a constant table (BLOCKS[0]); a row's field is data
            return isinstance(node.value, ast.Name | ast.Attribute) and safe(node.value) and \
                _upper(getattr(node.value, "id", getattr(node.value, "attr", "")))
        case ast.Call():
            called = _called(node)
            if called in ESCAPERS or called in FORMATTERS or called in numeric:
                return True
            if called in ("join", "format") and isinstance(node.func, ast.Attribute):
                return safe(node.func.value) and all(safe(arg) for arg in node.args) and \
                    all(safe(keyword.value) for keyword in node.keywords)
    return False


def _built(node) -> bool:
    """A text built in place: f-string, `+`, `%`, `.format(…)`, `.join(…)`."""
    return isinstance(node, ast.JoinedStr | ast.BinOp) or (
        isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("format", "join"))


def unescaped_texts(module: Path) -> list[str]:
    """The texts built for Streamlit's markdown (TEXT_CALLS) that interpolate a value neither escaped
    (safe_text.markdown_text, markup), nor formatted by one of FORMATTERS, nor a constant or a number."""
    tree = ast.parse(module.read_text(encoding="utf-8"))
    bound, numeric = _bindings(tree)
    problems = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _called(node) in TEXT_CALLS:
            texts = [*node.args, *(k.value for k in node.keywords if k.arg in TEXT_KEYWORDS)]
            if any(_built(text) and not _safe(text, bound, numeric) for text in texts):
                problems.append(f"{module.relative_to(paths.ROOT)}:{node.lineno}: {ast.unparse(node)[:100]}")
    return problems


def test_texts_built_for_streamlit_escape_every_value():
    """Escape by default: a name from a file interpolated in a caption, a notice or a label is written with
    safe_text.markdown_text, or it would be read as markdown (a link, an image, an icon, a colour)."""
    problems = [problem for module in sorted((paths.ROOT / "app_pages").rglob("*.py"))
                for problem in unescaped_texts(module)]
    assert not problems, "\n".join(problems)


def test_the_escape_check_sees_what_it_refuses(tmp_path, monkeypatch):
    page = tmp_path / "page.py"
    page.write_text(
        "label = row['name']\n"
        "st.caption(f'Source : {source}')\n"  # a variable holding a text
        "st.info('Territoire : ' + place['name'])\n"
        "col.selectbox('Métier de {}'.format(label), options)\n"
        "st.markdown(', '.join(f'**{m}**' for m in metiers))\n"
        "st.toggle('x', help=f'{lower_first(name)}')\n"  # a formatter that keeps its text
        "st.caption(f'{fmt_int(n)} · {markdown_text(label)} · {YEAR} {year} {len(x)}')\n"  # the right way
        "st.caption(label)\n", encoding="utf-8")  # a variable given alone: not a text built in place
    monkeypatch.setattr(paths, "ROOT", tmp_path)
    assert [problem.split(":")[1] for problem in unescaped_texts(page)] == ["2", "3", "4", "5", "6"]


def _multiselect_calls_without_select_all(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "multiselect":
            if not any(keyword.arg == "select_all" for keyword in node.keywords):
                yield f"{path}:{node.lineno}"


def test_multiselects_show_no_english_select_all_option():
    # Streamlit adds an English "Select all" option to a multiselect unless select_all=False.
    pages = [Path("dashboard.py"), *Path("app_pages").rglob("*.py")]
    assert [where for page in pages for where in _multiselect_calls_without_select_all(page)] == []


def test_the_select_all_check_sees_a_multiselect_without_it(tmp_path):
    page = tmp_path / "page.py"
    page.write_text('import streamlit as st\nst.multiselect("Territoires", ["a"])\n', encoding="utf-8")
    assert list(_multiselect_calls_without_select_all(page)) == [f"{page}:2"]
