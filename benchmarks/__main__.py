"""Every figure of issue 14, each against its floor: `python -m benchmarks [--quick] [--json]`.

`--quick` (under five minutes) runs each figure the least the issue allows (five interleaved
runs); without it, more runs and longer ones. `--json` prints a JSON list (figure, goal, min,
median, max, floor_median, ratio, and unit, floor, runs, judged_by, met) instead of the table.
Progress goes to stderr.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from benchmarks.harness import Figure, table

MODULES = (
    "recorded_call",
    "risk_pdf",
    "board",
    "deadline",
    "idle_cpu",
    "startup",
    "board_query",
)


def main() -> int:
    options = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    options.add_argument("--quick", action="store_true", help="the least runs (under 5 min)")
    options.add_argument("--json", action="store_true", help="a JSON list instead of a table")
    options.add_argument("--only", nargs="+", choices=MODULES, help="run only these")
    args = options.parse_args()
    found: list[Figure] = []
    started = time.perf_counter()
    for name in args.only or MODULES:
        begun = time.perf_counter()
        print(f"{name}...", file=sys.stderr, flush=True)
        module = __import__(f"benchmarks.{name}", fromlist=["figures"])
        found += module.figures(args.quick)
        print(f"{name}: {time.perf_counter() - begun:.0f} s", file=sys.stderr, flush=True)
    print(f"all: {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
    if args.json:
        print(json.dumps([f.as_json() for f in found], indent=2))
    else:
        print(table(found))
    return 0


if __name__ == "__main__":
    sys.exit(main())
