"""benchmarks/load.py speaks Streamlit's websocket protocol: two sessions on a served dashboard both run their
script to the end, without error; and its figures go to their own section of benchmarks/RESULTS.md."""

import asyncio
import os
from concurrent.futures import ThreadPoolExecutor

import pytest

from pipelines import paths


@pytest.fixture
def benchmarks(monkeypatch):
    monkeypatch.syspath_prepend(str(paths.ROOT / "benchmarks"))
    import load
    import results

    return load, results


def run(coroutine_function, *args, **kwargs):
    """The driver's coroutine run to the end in its own thread: the browser tests' Playwright keeps an event loop
    running in the test thread, where asyncio.run is refused."""
    with ThreadPoolExecutor(1) as thread:
        return thread.submit(lambda: asyncio.run(coroutine_function(*args, **kwargs))).result()


def test_two_sessions_open_the_zoom_over_the_websocket(benchmarks, demo_server):
    load, _ = benchmarks
    page, query = load.VIEWS["zoom"]
    sessions = run(load.open_views, demo_server.url, page, query, 2, timeout=60)
    assert len(sessions) == 2
    for session in sessions:
        assert session.errors == [] and session.finished is not None
        assert session.elements > 20 and 0 < session.last_element <= session.finished
    # an error shown by the page is reported, not missed
    [lost] = run(load.open_views, demo_server.url, "nulle-part", "", 1, timeout=60)
    assert lost.errors
    assert load.cpu_seconds(os.getpid()) > 0


def test_results_sections_replace_only_their_own(benchmarks, tmp_path):
    _, results = benchmarks
    file = tmp_path / "RESULTS.md"
    file.write_text("# Benchmark results\n\nbench.py\n\n## A\n\nold a\n\n## B\n\nold b\n", encoding="utf-8")
    results.replace_section("## A", "new a", file)
    results.replace_section("## C", "new c", file)
    assert file.read_text(encoding="utf-8") == (
        "# Benchmark results\n\nbench.py\n\n## A\n\nnew a\n\n## B\n\nold b\n\n## C\n\nnew c\n")
