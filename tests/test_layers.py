"""The layers of pipelines/ (README, "How the code is laid out"): an import goes only downwards.

Every module's imports are parsed (those inside functions too). A layer may import itself and the layers
below it; the base modules (paths, errors, frformat, datalock, atomic) are below every layer, except that `read` returns
numbers and reasons, never wording, and so may not use frformat either."""

import ast
from pathlib import Path

from pipelines import paths

BASE = {"pipelines", "pipelines.paths", "pipelines.errors", "pipelines.frformat", "pipelines.datalock",
        "pipelines.atomic"}
# layer: the layers (packages under pipelines/) it may import, besides itself and BASE.
ALLOWED = {
    "sources": set(),
    "warehouse": {"sources"},
    "read": set(),
    "ingest": {"sources", "warehouse", "read"},
    "report": {"read"},
    "pages": {"read", "report"},
    # Freezes editions of the monthly note (issue 13): writes data/editions/ from read's figures and report's note.
    "publish": {"read", "report"},
    "cli": {"sources", "ingest", "warehouse", "read", "report", "publish"},
}
READ_BASE = {"pipelines", "pipelines.paths", "pipelines.errors"}
# The one exception to "pages only read": the explorer's "Créer un périmètre" view saves a list of communes and
# rebuilds the marts, so that the perimeter becomes a territory (issue 12). It does so through this one ingest
# module, which writes data/ as every writer does (under the data lock, atomically); no other page may import it,
# and that view may import no other ingest module.
PAGE_WRITERS = {("app_pages/shared/explorer/perimeter.py", "pipelines.ingest.perimeters")}


def layer_of(path: Path) -> str:
    parts = path.relative_to(paths.ROOT).with_suffix("").parts
    if parts[0] in ("app_pages", "dashboard"):
        return "pages"
    if parts == ("pipelines", "__main__"):
        return "cli"
    if len(parts) > 2:
        return parts[1]
    return "base"


def imports(path: Path) -> list[tuple[int, str]]:
    """(line, module) of every import of the file, `from a import b` giving a.b when b is a module."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            modules = [f"{node.module}.{alias.name}" for alias in node.names
                       if node.module.startswith("pipelines") and _is_module(f"{node.module}.{alias.name}")]
            found += [(node.lineno, module) for module in modules or [node.module]]
    return found


def _is_module(dotted: str) -> bool:
    file = paths.ROOT.joinpath(*dotted.split("."))
    return file.with_suffix(".py").exists() or (file / "__init__.py").exists()


def target_layer(module: str) -> str | None:
    """The layer an imported pipelines module belongs to ('base' for BASE), None outside pipelines."""
    if not module.startswith("pipelines"):
        return None
    if module in BASE:
        return "base"
    parts = module.split(".")
    return "cli" if parts[1] == "__main__" else parts[1]


def code_files() -> list[Path]:
    return [*sorted((paths.ROOT / "pipelines").rglob("*.py")), *sorted((paths.ROOT / "app_pages").rglob("*.py")),
            paths.ROOT / "dashboard.py"]


def violations() -> list[str]:
    found = []
    for file in code_files():
        layer = layer_of(file)
        where = file.relative_to(paths.ROOT)
        for line, module in imports(file):
            target = target_layer(module)
            if layer in ("base", "sources", "warehouse", "read", "ingest", "report", "publish", "cli") \
                    and module.split(".")[0] == "streamlit":
                found.append(f"{where}:{line} imports streamlit (only pages may)")
            if layer == "pages" and module.split(".")[0] == "duckdb":
                found.append(f"{where}:{line} opens DuckDB itself (pages read the marts through pipelines.read)")
            if target is None or target == layer or (where.as_posix(), module) in PAGE_WRITERS:
                continue
            if layer == "read" and target == "base":
                if module not in READ_BASE:
                    found.append(f"{where}:{line} imports {module}: read returns numbers, report words them")
                continue
            if target == "base" and layer != "base":
                continue
            if target not in ALLOWED.get(layer, set()):
                found.append(f"{where}:{line} ({layer}) imports {module} ({target})")
    return found


def test_imports_point_down_the_layers():
    assert violations() == []


def test_the_check_sees_an_import_pointing_up(tmp_path, monkeypatch):
    """The rule fails on what it should: a source importing ingest, a page importing duckdb."""
    fake = tmp_path / "root"
    (fake / "pipelines" / "sources").mkdir(parents=True)
    (fake / "pipelines" / "ingest").mkdir()
    (fake / "app_pages").mkdir()
    (fake / "pipelines" / "ingest" / "__init__.py").write_text("")
    (fake / "pipelines" / "ingest" / "http.py").write_text("")
    (fake / "pipelines" / "sources" / "bad.py").write_text("def f():\n    from pipelines.ingest import http\n")
    (fake / "pipelines" / "read").mkdir()
    (fake / "pipelines" / "read" / "worded.py").write_text("from pipelines.frformat import fmt_int\n")
    (fake / "pipelines" / "report").mkdir()
    (fake / "pipelines" / "report" / "page_like.py").write_text("import streamlit as st\n")
    (fake / "app_pages" / "page.py").write_text("import duckdb\n")
    # Only the perimeter view may import the perimeter writer, and only it of ingest.
    (fake / "pipelines" / "ingest" / "perimeters.py").write_text("")
    (fake / "app_pages" / "shared" / "explorer").mkdir(parents=True)
    (fake / "app_pages" / "shared" / "explorer" / "perimeter.py").write_text(
        "from pipelines.ingest import perimeters\nfrom pipelines.ingest import http\n")
    (fake / "app_pages" / "shared" / "explorer" / "ranking.py").write_text("from pipelines.ingest import perimeters\n")
    (fake / "dashboard.py").write_text("")
    monkeypatch.setattr(paths, "ROOT", fake)
    found = violations()
    assert any("sources/bad.py:2 (sources) imports pipelines.ingest.http (ingest)" in line for line in found)
    assert any("read/worded.py:1 imports pipelines.frformat" in line for line in found)
    assert any("report/page_like.py:1 imports streamlit" in line for line in found)
    assert any("app_pages/page.py:1 opens DuckDB itself" in line for line in found)
    assert any("explorer/perimeter.py:2 (pages) imports pipelines.ingest.http (ingest)" in line for line in found)
    assert any("explorer/ranking.py:1 (pages) imports pipelines.ingest.perimeters (ingest)" in line for line in found)
    assert len(found) == 6


def test_the_marts_are_opened_in_read_only():
    """Outside read/ (and warehouse/, which writes them), no code connects to the marts file itself."""
    opened = []
    for file in code_files():
        if layer_of(file) in ("read", "warehouse"):
            continue
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and ast.unparse(node.func).endswith("duckdb.connect") and node.args \
                    and "MARTS" in ast.unparse(node.args[0]):
                opened.append(f"{file.relative_to(paths.ROOT)}:{node.lineno}")
    assert opened == []


# What runs a query: the marts' query helpers, and a connection's own methods.
QUERY_HELPERS = {"records", "connect"}
QUERY_METHODS = {"execute", "sql", "query", "fetchall", "fetchone", "fetchdf", "df", "read_sql"}
# Methods only a connection has, whatever its name (pandas has query and df-like names: those need `con`).
ANY_RECEIVER = {"execute", "sql", "fetchall", "fetchone", "fetchdf", "read_sql"}


def queries(path: Path) -> list[str]:
    """Where a module runs a query itself: imports a query helper of read.marts, or calls a connection's method
    on a name `con`."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module == "pipelines.read.marts":
            found += [f"{node.lineno}: imports {alias.name}" for alias in node.names if alias.name in QUERY_HELPERS]
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and (
                (node.func.attr in QUERY_METHODS and ast.unparse(node.func.value) == "con")
                or node.func.attr in ANY_RECEIVER
                or (node.func.attr in QUERY_HELPERS and ast.unparse(node.func.value) == "marts")):
            found.append(f"{node.lineno}: {ast.unparse(node.func)}")
    return found


def test_report_runs_no_query():
    """report words what read returns: a query there (even a one-line max(year)) belongs in read/."""
    found = [f"{file.relative_to(paths.ROOT)}:{line}" for file in code_files() if layer_of(file) == "report"
             for line in queries(file)]
    assert found == []


def test_the_query_check_sees_a_query(tmp_path):
    module = tmp_path / "worded.py"
    module.write_text("from pipelines.read.marts import records, communes_partial\n"
                      "def f(con):\n    return con.execute('select 1')\n"
                      "def g(db):\n    return db.sql('select 1'), marts.records(db, 'select 1', [])\n")
    assert queries(module) == ["1: imports records", "3: con.execute", "5: db.sql", "5: marts.records"]
