"""How dates, times and countdowns read on screen (UK style, school time)."""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta

from hvdesk.clock import format_school_time, to_school_time

DATE_FORMAT = "%d %b %Y"


def show_date(value: date | None) -> str:
    """A calendar date as the office writes it (04 Mar 2016); empty for none."""
    return value.strftime(DATE_FORMAT) if value is not None else ""


def show_school_date(value: datetime | None) -> str:
    """The school's calendar date of a stored UTC instant (04 Mar 2016), without the time."""
    return format_school_time(value, DATE_FORMAT)


def show_date_time(value: datetime | None) -> str:
    """A stored UTC instant in school time (23 Nov 2026 10:30)."""
    return format_school_time(value)


def show_when_by(value: datetime | None, by: str | None) -> str:
    """When something was done and, if known, by whom (23 Nov 2026 10:30 by Jo Smith)."""
    return show_date_time(value) + (f" by {by}" if by else "")


def show_time(value: datetime | None) -> str:
    """A stored UTC instant as the school's clock time only (10:30), for today's board."""
    return format_school_time(value, "%H:%M")


def show_time_near(value: datetime | None, now: datetime) -> str:
    """Clock time alone for today (school time), with the date for any other day, so a visit
    signed out yesterday never reads as this morning."""
    if value is None:
        return ""
    if to_school_time(value).date() == to_school_time(now).date():
        return format_school_time(value, "%H:%M")
    return format_school_time(value, "%a %d %b %H:%M")


def countdown(remaining: timedelta) -> str:
    """Time left as mm:ss (minutes run past 59), with a minus sign once overdue.

    Overdue time rounds up, so a visit half a second late reads -00:01 rather than a
    reassuring 00:00; time left rounds down for the same reason.
    """
    seconds = remaining.total_seconds()
    if seconds >= 0:
        whole = math.floor(seconds)
        sign = ""
    else:
        whole = math.ceil(-seconds)
        sign = "-"
    minutes, secs = divmod(whole, 60)
    return f"{sign}{minutes:02d}:{secs:02d}"


def sort_instant(value: datetime | None) -> float:
    """A sort key for optional instants: missing ones first."""
    return value.timestamp() if value is not None else float("-inf")


def sort_date(value: date | None) -> int:
    return value.toordinal() if value is not None else 0
