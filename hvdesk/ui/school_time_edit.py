"""Date-and-time fields in UK time (an incident's times, an amended visit's start and end, when
a record went on CPOMS): the office types wall-clock times (Europe/London); the services take
UTC instants. The edit works in UTC internally so the PC's own time zone (and its
daylight-saving gaps) never shifts what was typed."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QDate, QDateTime, QTime, QTimeZone
from PySide6.QtWidgets import QDateTimeEdit

from hvdesk.clock import SCHOOL_ZONE, school_time_to_utc, to_school_time

DISPLAY_FORMAT = "ddd dd MMM yyyy  HH:mm"


def to_qt(instant: datetime) -> QDateTime:
    """An instant as the wall-clock time the office reads, held as a plain value."""
    local = to_school_time(instant)
    return QDateTime(
        QDate(local.year, local.month, local.day), QTime(local.hour, local.minute), QTimeZone.utc()
    )


def from_qt(value: QDateTime) -> datetime:
    """What was typed (UK wall-clock time) as a UTC instant."""
    day, time = value.date(), value.time()
    local = datetime(
        day.year(), day.month(), day.day(), time.hour(), time.minute(), tzinfo=SCHOOL_ZONE
    )
    return school_time_to_utc(local)


def school_time_edit(
    instant: datetime, name: str, *, latest: datetime | None = None
) -> QDateTimeEdit:
    """A date-and-time field showing `instant` in UK time, not after `latest` if given."""
    edit = QDateTimeEdit()
    edit.setTimeZone(QTimeZone.utc())
    edit.setDisplayFormat(DISPLAY_FORMAT)
    edit.setCalendarPopup(True)
    edit.setAccessibleName(f"{name} (UK time)")
    if latest is not None:
        edit.setMaximumDateTime(to_qt(latest))
    edit.setDateTime(to_qt(instant))
    return edit
