"""What every figure of issue 14 shares: the measured thing and its floor, run in the same
process, interleaved (floor, thing, floor, thing...), at least five times each, reported as
min/median/max of each and the ratio of the medians.

A goal is written as the issue's table writes it: "<= 1.3x" is met by the ratio, "<= 250 ms"
(or MiB, or %) by the median in that unit, or by the maximum where the issue asks for the worst
case (`judged_by`: the deadline's alert, worst of 50; the poll's longest stall).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass

MIN_RUNS = 5


@dataclass(frozen=True)
class Figure:
    """One line of the table."""

    figure: str
    goal: str
    min: float
    median: float
    max: float
    floor_median: float
    ratio: float
    unit: str
    """What min/median/max/floor_median are in: "ms", "MiB" or "%"."""
    floor: str
    """What the floor is."""
    runs: int
    judged_by: str
    """Which value the goal is about: "ratio", "median" or "max"."""

    @property
    def met(self) -> bool:
        limit = float(self.goal.split()[1].rstrip("x%"))
        value = {"ratio": self.ratio, "median": self.median, "max": self.max}[self.judged_by]
        return value <= limit

    def as_json(self) -> dict[str, object]:
        found: dict[str, object] = asdict(self)
        for key in ("min", "median", "max", "floor_median", "ratio"):
            found[key] = round(float(found[key]), 3)
        found["met"] = self.met
        return found


def figure(
    name: str,
    goal: str,
    values: list[float],
    floors: list[float],
    *,
    unit: str = "ms",
    floor: str,
    worst: bool = False,
) -> Figure:
    """A figure from the runs of the thing and of its floor (same unit); `worst`: the goal
    is about the maximum, not the median."""
    median = statistics.median(values)
    floor_median = statistics.median(floors)
    return Figure(
        figure=name,
        goal=goal,
        min=min(values),
        median=median,
        max=max(values),
        floor_median=floor_median,
        ratio=median / floor_median if floor_median else float("inf"),
        unit=unit,
        floor=floor,
        runs=len(values),
        judged_by="ratio" if goal.endswith("x") else "max" if worst else "median",
    )


def interleaved(
    thing: Callable[[], float], floor: Callable[[], float], runs: int
) -> tuple[list[float], list[float]]:
    """Run the floor and the thing by turns, `runs` times each (at least five): each call
    returns one run's value."""
    values: list[float] = []
    floors: list[float] = []
    for _ in range(max(runs, MIN_RUNS)):
        floors.append(floor())
        values.append(thing())
    return values, floors


def mean_ms(action: Callable[[], object], repeat: int) -> float:
    """Mean wall-clock milliseconds of `repeat` calls (one run of a fast thing)."""
    started = time.perf_counter()
    for _ in range(repeat):
        action()
    return (time.perf_counter() - started) * 1000 / repeat


def table(figures: list[Figure]) -> str:
    """The plain-text table: figure, goal, median, ratio (and the floor's median, met)."""
    header = ("figure", "goal", "median", "max", "floor median", "ratio", "met")
    rows = [
        (
            f.figure,
            f.goal,
            f"{f.median:.3g} {f.unit}",
            f"{f.max:.3g} {f.unit}",
            f"{f.floor_median:.3g} {f.unit}",
            f"{f.ratio:.2f}x",
            "yes" if f.met else "NO",
        )
        for f in figures
    ]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in [header, *rows]]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)
