"""(a) gxtables.parse against the floor: one regex pass that only finds the numbers in the same texts.

    python tests/benchmarks/bench_floor.py [--repeat 5]

The floor uses the tokenizer's own number pattern (``gxtables.tokenize.RE_NUMBER``, same regex
engine) and converts every match to a float; the plain ``re`` line is printed for reference. Target:
parse within 15× of the floor. Both are timed side by side in this run, best of ``--repeat``.
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import best_of, bundled_texts, machine

import gxtables
from gxtables.tokenize import RE_NUMBER

RE_PLAIN = re.compile(r"\d+(?:\.\d+)?")  # digits with an optional decimal part, stdlib engine


def floor(texts: list[str]) -> None:
    for t in texts:
        [float(m["num"].replace(",", "")) for m in RE_NUMBER.finditer(t)]


def floor_plain(texts: list[str]) -> None:
    for t in texts:
        [float(x) for x in RE_PLAIN.findall(t)]


def parse_all(texts: list[str]) -> None:
    for t in texts:
        gxtables.parse(t)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    named = bundled_texts()
    texts = [t for _, t in named]
    parse_all(texts)  # warm caches (templates, OpenCC) outside the timing
    chars = sum(len(t) for t in texts)
    f = best_of(lambda: floor(texts), args.repeat)
    fp = best_of(lambda: floor_plain(texts), args.repeat)
    p = best_of(lambda: parse_all(texts), args.repeat)
    per = [(best_of(lambda t=t: gxtables.parse(t), args.repeat), name) for name, t in named]
    print(f"{machine()}; {len(texts)} bundled texts, {chars} characters, CPU time, best of {args.repeat} (cold caches)")
    print(f"floor  (RE_NUMBER pass): {f * 1000:9.2f} ms  {len(texts) / f:10.0f} texts/s")
    print(f"floor  (plain re pass) : {fp * 1000:9.2f} ms  {len(texts) / fp:10.0f} texts/s")
    print(f"gxtables.parse         : {p * 1000:9.2f} ms  {len(texts) / p:10.0f} texts/s")
    print(f"ratio parse / floor    : {p / f:9.1f}×   (target ≤ 15×; vs plain re: {p / fp:.1f}×)")
    per.sort(reverse=True)
    print(f"the slowest text alone ({per[0][1]}) takes {per[0][0] * 1000:.0f} ms of it")
    print("slowest texts: " + ", ".join(f"{n} {s * 1000:.1f} ms" for s, n in per[:5]))


if __name__ == "__main__":
    main()
