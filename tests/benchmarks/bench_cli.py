"""(f) `gxtables check` of one report against `import pandas` alone, each a fresh Python process.

    python tests/benchmarks/bench_cli.py [--runs 15] [--report data/dev/g002.txt]

The commands are run in turns (so that load on the machine falls on all alike), each in a new
interpreter started from this checkout, and the median CPU time (user + system, of the child process
and its children) and wall time of each are printed with their ratio to importing pandas. Compiled
bytecode is kept in a temporary folder (``PYTHONPYCACHEPREFIX``), as an installed package has its
``.pyc`` files: a run with ``PYTHONDONTWRITEBYTECODE`` would time the compiling of gxtables' sources. Target: check within 1.2× of importing pandas —
a command imports what it needs, when it needs it. ``hyperfine -N 'python -c "import pandas"'
'python -m gxtables check REPORT'`` gives the wall times as well, on a quiet machine.
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import DATA, machine

ROOT = DATA.parent


def _run(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """CPU seconds (user + system) and wall seconds of one run of ``argv``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(argv, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT, env=env)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime, wall


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--report", type=Path, default=DATA / "dev" / "g002.txt")
    args = ap.parse_args()
    commands = {
        "python -c 'import pandas'": [sys.executable, "-c", "import pandas"],
        f"gxtables check {args.report.name}": [sys.executable, "-m", "gxtables", "check", str(args.report.resolve())],
        "python -c 'import gxtables'": [sys.executable, "-c", "import gxtables"],
    }
    pycache = tempfile.mkdtemp(prefix="gxtables-pycache-")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(PYTHONPATH=str(ROOT), PYTHONPYCACHEPREFIX=pycache)
    for argv in commands.values():  # write the bytecode, warm the file system cache
        _run(argv, env)
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for _ in range(args.runs):
        for name, argv in commands.items():
            times[name].append(_run(argv, env))
    print(f"{machine()}; median of {args.runs} runs each, in turns")
    med = {name: (statistics.median(c for c, _ in t), statistics.median(w for _, w in t)) for name, t in times.items()}
    base = med["python -c 'import pandas'"]
    for name, (cpu, wall) in med.items():
        print(f"  {name:<32} CPU {cpu * 1000:6.0f} ms ({cpu / base[0]:4.2f}×)   wall {wall * 1000:6.0f} ms ({wall / base[1]:4.2f}×)")
    print("  target: gxtables check within 1.2× of import pandas")
    import shutil

    shutil.rmtree(pycache, ignore_errors=True)


if __name__ == "__main__":
    main()
