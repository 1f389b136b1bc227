"""ui.marts_read: the one cached reader the views share (duplicate D16: each view held its own cached wrapper over
ui's private connection). Calls counted by the read functions themselves (no timing)."""

import ast
import re

import pytest
import streamlit as st

from app_pages.shared import ui
from pipelines import paths
from pipelines.warehouse import build

calls: list[tuple] = []


def count_rows(con, table: str, *, extra: int = 0) -> int:
    calls.append(("count_rows", table, extra))
    return con.execute(f"select count(*) from {table}").fetchone()[0] + extra


def count_rows_too(con, table: str, *, extra: int = 0) -> int:
    calls.append(("count_rows_too", table, extra))
    return -1


def refuse(con, why: str) -> None:
    calls.append(("refuse", why))
    raise LookupError(why)


@pytest.fixture
def fresh(world):
    st.cache_data.clear()
    calls.clear()
    return world


def test_a_read_is_made_once_per_function_arguments_and_marts_version(fresh):
    territories = ui.marts_read(count_rows, "dim_territory")
    assert ui.marts_read(count_rows, "dim_territory") == territories and len(calls) == 1
    assert ui.marts_read(count_rows, "dim_territory", extra=2) == territories + 2  # keyword arguments count
    assert ui.marts_read(count_rows_too, "dim_territory") == -1  # another function never shares a result
    assert len(calls) == 3
    build.build(say=lambda message: None)  # a rebuild: read again, from the new file
    assert ui.marts_read(count_rows, "dim_territory") == territories and len(calls) == 4


def test_a_refusal_is_raised_each_time_not_kept(fresh):
    for _ in range(2):
        with pytest.raises(LookupError, match="pas de chiffre"):
            ui.marts_read(refuse, "pas de chiffre")
    assert len(calls) == 2


def test_no_view_reaches_the_private_connection_or_wraps_it_again():
    """Every page module reads the marts through ui's public helpers, not through its private connection."""
    private = re.compile(r"\bui\._shared\b")
    offenders = [str(path.relative_to(paths.ROOT)) for path in (paths.ROOT / "app_pages").rglob("*.py")
                 if private.search(path.read_text(encoding="utf-8"))]
    assert offenders == []


def _copying_wrappers(source: str) -> list[str]:
    """Functions cached with st.cache_data that open the marts themselves: each a second copy of ui.marts_read
    (shared resources, cache_resource, may open them)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef) and any(
                "cache_data" in ast.unparse(decorator) for decorator in node.decorator_list) and any(
                "marts_connection" in ast.unparse(call) for call in ast.walk(node) if isinstance(call, ast.Call)):
            found.append(node.name)
    return found


def test_no_view_caches_its_own_copy_of_a_marts_read():
    offenders = [f"{path.relative_to(paths.ROOT)}:{name}" for path in (paths.ROOT / "app_pages").rglob("*.py")
                 if path.name != "ui.py" for name in _copying_wrappers(path.read_text(encoding="utf-8"))]
    assert offenders == []


def test_the_wrapper_check_sees_one():
    source = ("@st.cache_data\ndef _years(signature):\n    with ui.marts_connection(signature) as con:\n"
              "        return read.years(con)\n")
    assert _copying_wrappers(source) == ["_years"]


def test_a_lambda_is_refused_its_name_could_be_shared():
    with pytest.raises(TypeError):
        ui.marts_read(lambda con: 1)
