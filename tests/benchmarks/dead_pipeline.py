"""How many tests still pass when the pipeline is dead: the first stage made to raise.

    python tests/benchmarks/dead_pipeline.py [--stage normalize] [--list] [pytest arguments…]

Runs the whole test suite in this process with one stage replaced by a function that raises, then
prints how many tests passed anyway. A test that passes on a dead pipeline checks nothing about
reading (a report came back, an "internal error" one); the few that may pass are those of code that
never parses (the template files, the record layer on hand-made records, the structure of the
package, reading a file's bytes). Target: at most 80. ``--list`` names the tests that passed.

Stages that can be broken (default ``normalize``, the first): every module attribute bound to the
stage's function is replaced before the tests are collected, so ``from .normalize import
raw_to_normalized`` sees the broken one too; worker processes are forked and inherit it.
"""
from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

STAGES = {
    "normalize": ("gxtables.normalize", "raw_to_normalized"),
    "locate": ("gxtables.locate", "normalized_to_layout"),
    "tokenize": ("gxtables.tokenize", "region_to_tokens"),
    "align": ("gxtables.align", "tokens_to_reading"),
}


class StageBroken(RuntimeError):
    """Raised by the broken stage."""


class BreakStage:
    """A pytest plugin: replaces one stage everywhere before collection, counts the outcomes."""

    def __init__(self, module: str, name: str) -> None:
        self.module, self.name = module, name
        self.passed: list[str] = []
        self.failed = 0

    def pytest_configure(self, config: pytest.Config) -> None:
        import gxtables

        original = getattr(importlib.import_module(self.module), self.name)

        def broken(*args: object, **kwargs: object) -> object:
            raise StageBroken(f"{self.name} broken on purpose")

        for info in pkgutil.walk_packages(gxtables.__path__, "gxtables."):
            if info.name.endswith("__main__"):  # runs the command line when imported
                continue
            try:
                mod = importlib.import_module(info.name)
            except ImportError:  # an optional dependency missing (pdf, dask): its tests skip anyway
                continue
            for attr, value in list(vars(mod).items()):
                if value is original:
                    setattr(mod, attr, broken)

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.when == "call" and report.passed:
            self.passed.append(report.nodeid)
        elif report.failed:
            self.failed += 1


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--stage", choices=sorted(STAGES), default="normalize")
    ap.add_argument("--list", action="store_true", help="name the tests that passed")
    args, rest = ap.parse_known_args()
    sys.path.insert(0, str(ROOT))
    plugin = BreakStage(*STAGES[args.stage])
    pytest.main([str(ROOT / "tests"), "-q", "-p", "no:cacheprovider", "--no-header", "-rN",
                 "--tb=no", *rest], plugins=[plugin])
    if args.list:
        print("\n".join(sorted(plugin.passed)))
    print(f"{len(plugin.passed)} tests passed with {STAGES[args.stage][1]} raising ({plugin.failed} failed); target ≤ 80")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
