"""The board watches itself: stale data and clock jumps are said in red, not trusted.

Two things can make countdowns lie. The data can stop refreshing (the database is locked, the
disk is gone, the app stalled): then the last good read grows old. Or the PC's wall clock can
jump (a sleep/wake, a manual change, a time sync): then "deadline - now" is computed against a
clock that no longer agrees with the time that really passed. The watchdog compares, between
ticks, how far the wall clock moved with how far the monotonic clock moved; a mismatch of more
than `jump_tolerance` is a jump. It is pure (no Qt), so it is tested with a FakeClock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from hvdesk.clock import Clock, format_school_time

STALE_AFTER = timedelta(seconds=15)
JUMP_TOLERANCE = timedelta(seconds=60)


@dataclass(frozen=True)
class BoardProblem:
    """Why the board cannot be trusted right now, in the office's words."""

    since: datetime
    """The last instant the board's data was known good (wall clock of that read)."""
    reason: str

    @property
    def text(self) -> str:
        return (
            f"Board not updating since {format_school_time(self.since, '%H:%M:%S')} — {self.reason}"
        )


def _duration(seconds: float) -> str:
    seconds = abs(round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes} min"
    if minutes:
        return f"{minutes} min {secs} s"
    return f"{secs} s"


class BoardWatchdog:
    """Tracks the last good read and the clocks between ticks."""

    def __init__(
        self,
        clock: Clock,
        *,
        stale_after: timedelta = STALE_AFTER,
        jump_tolerance: timedelta = JUMP_TOLERANCE,
    ) -> None:
        self.clock = clock
        self.stale_after = stale_after.total_seconds()
        self.jump_tolerance = jump_tolerance.total_seconds()
        self._read_wall: datetime | None = None
        self._read_mono: float | None = None
        self._tick_wall = clock.now()
        self._tick_mono = clock.monotonic()
        self._jump: BoardProblem | None = None
        self.last_error = ""

    def read_succeeded(self) -> None:
        """A fresh snapshot was read: the data is good as of now (and any jump is absorbed,
        since the snapshot was evaluated on the clock as it is now)."""
        self._read_wall = self.clock.now()
        self._read_mono = self.clock.monotonic()
        self._jump = None
        self.last_error = ""

    def read_failed(self, why: str) -> None:
        self.last_error = why

    def check(self) -> BoardProblem | None:
        """Called on every tick: what, if anything, makes the board untrustworthy now."""
        wall, mono = self.clock.now(), self.clock.monotonic()
        wall_moved = (wall - self._tick_wall).total_seconds()
        mono_moved = mono - self._tick_mono
        self._tick_wall, self._tick_mono = wall, mono
        if abs(wall_moved - mono_moved) > self.jump_tolerance:
            jumped = wall_moved - mono_moved
            direction = "forward" if jumped > 0 else "back"
            since = self._read_wall if self._read_wall is not None else wall
            self._jump = BoardProblem(
                since,
                f"the PC's clock jumped {direction} by {_duration(jumped)} (sleep, or the time "
                "was changed). Reading the board again; check the countdowns against a phone.",
            )
        if self._jump is not None:
            return self._jump
        if self._read_mono is None or self._read_wall is None:
            return None
        if mono - self._read_mono > self.stale_after:
            reason = self.last_error or "the database has not answered"
            return BoardProblem(
                self._read_wall,
                f"{reason} The countdowns below may be out of date: phone staff directly if in "
                "doubt.",
            )
        return None

    @property
    def clock_jumped(self) -> bool:
        return self._jump is not None
