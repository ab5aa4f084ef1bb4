"""The demo school's after-visit paperwork: who wrote each record, and the follow-ups it set.

Called once by the demo seeder after every visit is written (`add_follow_ups`). Each completed
visit's "action required" becomes one or two follow-ups, owned by the member of staff the action
names (the attendance officer, the SENCo...) or else the lead visitor, due a few days after the
record was written. Most past ones are done, with a note; a few are left overdue, and the recent
ones are still open, so the Follow-ups list has something in every state. Records written in the
last few days are not yet on CPOMS (the seeder leaves them unticked), which fills the hand-off list.

Deterministic for a given clock time: its own random generator, seeded from `now`, so the rest
of the demo is the same with or without it.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from hvdesk.clock import SCHOOL_ZONE, to_school_time
from hvdesk.db.models import FollowUp, Staff, UserAccount, Visit, VisitStaff
from hvdesk.domain.people import JobRole, Role
from hvdesk.domain.visits import VisitStatus

# Who an action names, by the words it starts with (the demo's outcomes name job roles).
_OWNERS: tuple[tuple[str, JobRole], ...] = (
    ("attendance officer", JobRole.ATTENDANCE_OFFICER),
    ("pastoral lead", JobRole.PASTORAL_LEAD),
    ("senco", JobRole.SENCO),
    ("family support worker", JobRole.FAMILY_SUPPORT_WORKER),
    ("dsl", JobRole.DSL),
    ("class teacher", JobRole.TEACHER),
    ("teacher", JobRole.TEACHER),
)

DONE_NOTES: tuple[str, ...] = (
    "Done as agreed.",
    "Done; parent informed by phone.",
    "Completed and logged on CPOMS.",
    "Done. No further concerns.",
    "Done; DSL updated at the weekly meeting.",
    "Done; follow-up letter sent home.",
)

RECENT = timedelta(days=30)


def add_follow_ups(session: Session, now: datetime) -> int:
    """Name each written record's author and add its follow-ups; returns how many were added.

    Needs the visits flushed (it inserts rows that point at them). The caller commits.
    """
    rng = random.Random(f"follow-ups {now.isoformat()}")
    today = to_school_time(now).date()
    staff = list(session.scalars(select(Staff).where(Staff.active.is_(True)).order_by(Staff.id)))
    by_job: dict[JobRole, list[int]] = defaultdict(list)
    for member in staff:
        by_job[member.job_role].append(member.id)
    users = list(session.scalars(select(UserAccount).order_by(UserAccount.id)))
    user_of_staff = {u.staff_id: u.id for u in users if u.staff_id is not None}
    leads = [u.id for u in users if u.role in (Role.DSL, Role.DEPUTY_DSL)]
    lead_of: dict[int, int] = {
        visit_id: staff_id
        for visit_id, staff_id in session.execute(
            select(VisitStaff.visit_id, VisitStaff.staff_id).where(VisitStaff.position == 0)
        )
    }
    visits = session.execute(
        select(Visit.id, Visit.completed_at, Visit.action_required)
        .where(
            Visit.status == VisitStatus.COMPLETED,
            Visit.completed_at.is_not(None),
            Visit.is_drill.is_(False),
        )
        .order_by(Visit.planned_start, Visit.id)
    )
    rows: list[dict[str, Any]] = []
    authors: list[dict[str, Any]] = []
    for visit_id, written, action_required in visits:
        assert written is not None  # the query asks for written records only
        lead = lead_of.get(visit_id)
        writer = user_of_staff.get(lead) if lead is not None else None
        writer = writer or (leads[visit_id % len(leads)] if leads else None)
        authors.append(
            {"id": visit_id, "record_written_at": written, "record_written_by_id": writer}
        )
        for position, action in enumerate(_actions(action_required)):
            owner = _owner(action, by_job, rng) or lead
            due = to_school_time(written).date() + timedelta(days=_days_to_do(action, rng))
            row: dict[str, Any] = {
                "visit_id": visit_id,
                "position": position,
                "action": action,
                "owner_staff_id": owner,
                "due_on": due,
                "created_at": written,
                "created_by_id": writer,
                "done_at": None,
                "done_by_id": None,
                "done_note": None,
            }
            done_at = _done_at(written, due, now, rng) if _is_done(due, today, rng) else None
            if done_at is not None:
                row["done_at"] = done_at
                row["done_by_id"] = (user_of_staff.get(owner) if owner else None) or writer
                row["done_note"] = rng.choice(DONE_NOTES)
            rows.append(row)
    if authors:  # one bulk UPDATE by primary key (the visits in the session are not dirtied)
        session.execute(update(Visit), authors)
    if rows:
        session.execute(insert(FollowUp).execution_options(render_nulls=True), rows)
    return len(rows)


def _actions(text: str | None) -> list[str]:
    """The separate actions of an "action required" summary (at most two)."""
    if not text:
        return []
    parts = [p.strip().rstrip(".") for p in text.split(";")]
    # "DSL informed" is done as it is written: nothing to follow up.
    todo = [p for p in parts if p and not p.lower().endswith("informed")]
    return [p[0].upper() + p[1:] + "." for p in todo][:2]


def _owner(action: str, by_job: dict[JobRole, list[int]], rng: random.Random) -> int | None:
    lowered = action.lower()
    for words, job in _OWNERS:
        if lowered.startswith(words) or f" {words} " in f" {lowered} ":
            candidates = by_job.get(job)
            if candidates:
                return rng.choice(candidates)
    return None


def _days_to_do(action: str, rng: random.Random) -> int:
    lowered = action.lower()
    if "today" in lowered:
        return 0
    if "tomorrow" in lowered:
        return 1
    if "two weeks" in lowered:
        return 14
    if "this week" in lowered:
        return 4
    return rng.randint(5, 10)


def _is_done(due: date, today: date, rng: random.Random) -> bool:
    """Done long ago nearly always; lately, mostly; not yet due, only sometimes."""
    if due < today - timedelta(days=RECENT.days):
        return rng.random() < 0.99
    if due < today:
        return rng.random() < 0.85
    return rng.random() < 0.2


def _done_at(written: datetime, due: date, now: datetime, rng: random.Random) -> datetime | None:
    """In office hours, after the record was written, around the due date, never after now;
    None when there has not been time to do it yet."""
    day = due - timedelta(days=rng.randint(0, 3))
    local = datetime.combine(day, time(rng.randint(9, 15), rng.randrange(60)), SCHOOL_ZONE)
    earliest = written + timedelta(hours=1)
    latest = now - timedelta(minutes=20)
    if earliest > latest:
        return None
    moment = local.astimezone(UTC)
    if moment < earliest:  # due the day after: done soon after the record, in office hours
        first = to_school_time(earliest)
        day = first.date() + timedelta(days=1 if first.hour >= 15 else 0)
        office = datetime.combine(day, time(rng.randint(9, 15), rng.randrange(60)), SCHOOL_ZONE)
        moment = max(earliest + timedelta(minutes=10), office.astimezone(UTC))
    return min(moment, latest).replace(microsecond=0)
