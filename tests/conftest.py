"""Shared fixtures: the bundled real reports under ``data/``."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Fuzzing budgets, chosen with GXTABLES_FUZZ: "ci" (default) keeps the whole suite within minutes;
# "nightly" runs many more examples (see the README).
settings.register_profile("ci", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow],
                          derandomize=True, print_blob=True)
settings.register_profile("nightly", max_examples=3000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large], print_blob=True)
settings.register_profile("dev", max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("GXTABLES_FUZZ", "ci"))

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
