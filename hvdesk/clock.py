"""The one source of "now" for the whole application.

Everything that needs the time is handed a `Clock`; nothing else calls `datetime.now()` or
`time.time()` (a test greps for it). Tests move a `FakeClock`, so countdowns, escalation stages
and the demo's "relative to now" data are deterministic.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

SCHOOL_ZONE = ZoneInfo("Europe/London")


class Clock(Protocol):
    """Anything that can say what time it is, in UTC."""

    def now(self) -> datetime:
        """The current instant, timezone-aware, in UTC."""
        ...

    def monotonic(self) -> float:
        """Seconds on a clock that never goes backwards, for measuring staleness."""
        ...


class SystemClock:
    """The real clock of the office PC."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    def monotonic(self) -> float:
        return time.monotonic()


class FakeClock:
    """A clock tests set and advance by hand; it never moves on its own."""

    def __init__(self, start: datetime | None = None) -> None:
        start = start or datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
        if start.tzinfo is None:
            raise ValueError("FakeClock needs a timezone-aware start")
        self._now = start.astimezone(UTC)
        self._mono = 0.0

    def now(self) -> datetime:
        return self._now

    def monotonic(self) -> float:
        return self._mono

    def advance(self, delta: timedelta | float) -> datetime:
        """Move time forward by a timedelta or a number of seconds."""
        seconds = delta.total_seconds() if isinstance(delta, timedelta) else float(delta)
        if seconds < 0:
            raise ValueError("time only moves forward; use set() to jump")
        self._now += timedelta(seconds=seconds)
        self._mono += seconds
        return self._now

    def set(self, instant: datetime) -> None:
        """Jump the wall clock (as a PC's clock may jump); the monotonic clock is untouched."""
        if instant.tzinfo is None:
            raise ValueError("FakeClock needs a timezone-aware instant")
        self._now = instant.astimezone(UTC)


def to_school_time(instant: datetime) -> datetime:
    """An instant as the office reads it (Europe/London, BST or GMT)."""
    if instant.tzinfo is None:
        raise ValueError("naive datetimes are ambiguous; store and pass UTC")
    return instant.astimezone(SCHOOL_ZONE)


def school_time_to_utc(local: datetime) -> datetime:
    """A wall-clock time typed by the office (Europe/London) as a UTC instant."""
    if local.tzinfo is None:
        local = local.replace(tzinfo=SCHOOL_ZONE)
    return local.astimezone(UTC)


def format_school_time(instant: datetime | None, fmt: str = "%d %b %Y %H:%M") -> str:
    """Show an instant the way the office writes it; empty for no time."""
    if instant is None:
        return ""
    return to_school_time(instant).strftime(fmt)
