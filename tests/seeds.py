"""The province's own documents (../shared/seeds beside the repository), for the tests that
check our readers against the real thing; where they are not there, those tests skip."""

from pathlib import Path

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"


def seed(name: str) -> Path:
    return SEEDS / name
