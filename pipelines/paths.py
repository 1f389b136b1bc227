"""Where things live. One override, ZOOM_SECTEURS_DATA, moves raw files and marts (tests use it)."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("ZOOM_SECTEURS_DATA", ROOT / "data")).resolve()
RAW_DIR = DATA_DIR / "raw"
MANIFEST = RAW_DIR / "manifest.json"
MARTS_DIR = DATA_DIR / "marts"
MARTS_DB = MARTS_DIR / "marts.duckdb"
# Held by every command that writes under DATA_DIR, one at a time (pipelines/datalock.py).
LOCK_FILE = DATA_DIR / ".writing.lock"
# Territories the user makes up from a list of communes (an intercommunality, a "pays"...).
COMMUNE_LISTS = DATA_DIR / "listes_communes.toml"
# The same, made in the explorer's page (pipelines/ingest/perimeters.py writes it; the user's own file above is
# never rewritten by the dashboard).
PERIMETERS = DATA_DIR / "perimetres.toml"
# Published monthly notes, frozen (pipelines/publish/editions.py writes them; nothing else ever touches them).
EDITIONS_DIR = DATA_DIR / "editions"
# Demo files are part of the code base: they always come from the repository.
DEMO_DIR = ROOT / "data" / "raw" / "demo"
DEMO_MANIFEST = DEMO_DIR / "manifest.json"
SQL_DIR = Path(__file__).resolve().parent / "warehouse" / "sql"
SECTORS_TOML = Path(__file__).resolve().parent / "warehouse" / "sectors.toml"
# Insee's NAF rév. 2 divisions -> A38 sections (code, French label): a seed of dim_a38.
NAF_A38_CSV = Path(__file__).resolve().parent / "warehouse" / "naf_a38.csv"


def shown(path: Path) -> str:
    """A path as a user typed it: relative to the current folder when it is inside it."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
