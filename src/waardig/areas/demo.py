"""The reference areas shipped with Waardig, loaded through the ordinary areas import."""

from pathlib import Path

from waardig.areas.importers import AreasImporter
from waardig.core.access import SYSTEM
from waardig.core.imports import run_import

DATA_DIR = Path(__file__).parent / "data"
REFERENCE_FILE = DATA_DIR / "pv31-limburg.csv"


def load_reference_areas(path: Path = REFERENCE_FILE) -> None:
    result = run_import(AreasImporter(SYSTEM), path.read_bytes(), path.name, dry_run=False)
    if not result.ok:
        raise RuntimeError(f"reference areas did not load: {result.errors}")
