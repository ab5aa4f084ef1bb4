"""The end-of-day check (issue 13): a colleague still out when the school's end-of-day time
passes stays on the list, across midnight and a restart, until confirmed home safe or resolved.

Derived, not remembered: a visit is on the list once the end-of-day check of the school day it
began on (Europe/London) has passed, for as long as it is still open. So the list at 00:05 the
next day is the list of 17:31, and a restart reads it back unchanged.
"""

from __future__ import annotations

from datetime import datetime

from hvdesk.clock import SCHOOL_ZONE, to_school_time
from hvdesk.domain.policy import SchoolPolicy

__all__ = ["end_of_day_check_at", "past_end_of_day"]


def end_of_day_check_at(day_of: datetime, policy: SchoolPolicy) -> datetime:
    """The end-of-day check of the school day `day_of` falls on, as an aware instant."""
    local = to_school_time(day_of)
    return datetime.combine(local.date(), policy.end_of_day_check, SCHOOL_ZONE)


def past_end_of_day(day_of: datetime, policy: SchoolPolicy, at: datetime) -> bool:
    """The end-of-day check of `day_of`'s school day has passed by `at`."""
    return at >= end_of_day_check_at(day_of, policy)
