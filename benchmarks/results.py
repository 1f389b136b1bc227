"""benchmarks/RESULTS.md: bench.py writes the file, the other benchmarks each replace their own section in it."""

from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


def replace_section(heading: str, body: str, results: Path = RESULTS) -> None:
    """Put `heading` (a "## …" line) and `body` at the end of RESULTS.md in place of that section's earlier
    figures; the sections before it (bench.py's, the other benchmarks') stay as they are."""
    text = results.read_text(encoding="utf-8") if results.exists() else "# Benchmark results\n"
    before, _, after = text.partition(f"\n{heading}\n")
    # The sections written after this one keep their place after it.
    later = after[after.index("\n## ") + 1:] if "\n## " in after else ""
    text = before.rstrip() + f"\n\n{heading}\n\n{body.strip()}\n"
    results.write_text(text + (f"\n{later.strip()}\n" if later.strip() else ""), encoding="utf-8")
