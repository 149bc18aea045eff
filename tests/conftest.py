"""Shared fixtures: the bundled real reports under ``data/``."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent.parent / "data"
SEEDS = DATA / "seeds"
DEV = DATA / "dev"
DEGRADED = DATA / "dev-degraded"


def corpus_cases(folder: Path) -> list[tuple[Path, dict]]:
    """(text path, expected record) for every report of a corpus folder that has an expected file."""
    out = []
    for path in sorted(folder.glob("*.txt")):
        exp = folder / "expected" / f"{path.stem}.json"
        if exp.exists():
            out.append((path, json.loads(exp.read_text(encoding="utf-8"))))
    return out


@pytest.fixture(scope="session")
def seed_paths() -> dict[str, Path]:
    return {p.name[:3]: p for p in sorted(SEEDS.glob("*.txt"))}
