"""Shared fixtures: the bundled real reports under ``data/``."""
from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterable
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


INTERNAL_ERROR = "internal error"  # how a report whose reading raised inside the pipeline begins its reason


def assert_read(*reports) -> None:
    """Every stage ran to its end on each report. ``parse`` never raises: a stage that raised leaves a
    report with no cells whose reason begins "internal error", which a test of what is *not* there
    (no cells, no figures, not a report, the same bytes twice) would accept as an answer."""
    for r in reports:
        assert not (r.reason or "").startswith(INTERNAL_ERROR), r.reason


def assert_frame_read(frame) -> None:
    """The same for the rows of a frame of many reports (a corpus summary, a wide frame)."""
    reasons = frame["reason"].dropna().astype(str)
    assert not reasons.str.startswith(INTERNAL_ERROR).any(), reasons[reasons.str.startswith(INTERNAL_ERROR)].tolist()[:3]


def unrefused(cases: Iterable[tuple[object, str]], build: Callable[[object], object], error: type[Exception]) -> list:
    """The cases of a table of wrong inputs (input, pattern of the message) that ``build(input)`` does
    not refuse with ``error`` and a message matching the pattern, each with what happened instead:
    a whole table checked in one test, every miss named."""
    missed = []
    for given, pattern in cases:
        try:
            build(given)
        except error as exc:
            if not re.search(pattern, str(exc)):
                missed.append((given, str(exc)))
        else:
            missed.append((given, "accepted"))
    return missed


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
