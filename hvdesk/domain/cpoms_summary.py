"""The plain-text summary of a visit that the office pastes into CPOMS (the school's
safeguarding system), in one fixed layout.

Fixed because the office learns where to look and CPOMS keeps it as typed: the same headings in
the same order every time, a heading even when its section is empty ("None recorded."), times in
school time (Europe/London) with the zone said once, and nothing that depends on when or where
it was made. The same visit always gives the same text, byte for byte.

Pure: the service fills `CpomsVisit` from the database (with the safe word already taken out).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from hvdesk.clock import to_school_time

NONE_RECORDED = "None recorded."
RULE = "=" * 60
LABEL_WIDTH = 18


@dataclass(frozen=True)
class CpomsFollowUp:
    """A follow-up action as the summary lists it."""

    action: str
    owner: str
    due_on: date
    done_on: date | None = None


@dataclass(frozen=True)
class CpomsVisitor:
    name: str
    job_role: str
    lead: bool = False


@dataclass(frozen=True)
class CpomsVisit:
    """Everything the summary prints, as plain values; instants are aware UTC."""

    visit_id: int
    planned_start: datetime
    planned_end: datetime
    pupil: str | None
    address: str
    area: str
    visitors: Sequence[CpomsVisitor]
    reason: str
    purpose: str
    child_seen: bool | None
    spoken_to: str | None
    observations: str | None
    opinions: str | None
    concerns_raised: str | None
    outcome: str | None
    action_required: str | None
    arrived_at: datetime | None = None
    left_at: datetime | None = None
    cancelled: str | None = None
    follow_ups: Sequence[CpomsFollowUp] = field(default_factory=tuple)
    authorised_by: str | None = None
    authorised_role: str | None = None
    authorised_at: datetime | None = None
    retrospective: bool = False
    written_by: str | None = None
    written_at: datetime | None = None
    conduct: Sequence[tuple[str, str]] = field(default_factory=tuple)
    """In the home (issue 18): each answer to the rules of conduct, (question, answer)."""


def _day(instant: datetime) -> str:
    return to_school_time(instant).strftime("%a %d %b %Y")


def _hm(instant: datetime) -> str:
    return to_school_time(instant).strftime("%H:%M")


def _at(instant: datetime) -> str:
    return f"{to_school_time(instant).strftime('%d %b %Y')} at {_hm(instant)}"


def _when(visit: CpomsVisit) -> str:
    start, end = visit.planned_start, visit.planned_end
    if to_school_time(start).date() == to_school_time(end).date():
        return f"{_day(start)}, {_hm(start)} to {_hm(end)} (planned)"
    return f"{_day(start)} {_hm(start)} to {_day(end)} {_hm(end)} (planned)"


def _actual(visit: CpomsVisit) -> str | None:
    parts = [
        f"{label} {_hm(instant)}"
        for label, instant in (("arrived", visit.arrived_at), ("left", visit.left_at))
        if instant is not None
    ]
    if not parts:
        return None
    said = ", ".join(parts)
    return said[0].upper() + said[1:]


def _visitors(visitors: Sequence[CpomsVisitor]) -> str:
    if not visitors:
        return NONE_RECORDED
    return "; ".join(
        f"{v.name} ({v.job_role}{', lead visitor' if v.lead else ''})" for v in visitors
    )


def _yes_no(value: bool | None) -> str:
    if value is None:
        return "Not recorded"
    return "Yes" if value else "No"


def _section(title: str, body: str | None) -> list[str]:
    return ["", title.upper(), body if body else NONE_RECORDED]


def _follow_ups(visit: CpomsVisit) -> str:
    lines: list[str] = []
    if visit.action_required:
        lines.append(f"Action required: {visit.action_required}")
    for number, item in enumerate(visit.follow_ups, start=1):
        done = f" Done {item.done_on:%d %b %Y}." if item.done_on is not None else ""
        lines.append(
            f"{number}. {item.action} (Owner: {item.owner}. Due: {item.due_on:%d %b %Y}.){done}"
        )
    return "\n".join(lines) or NONE_RECORDED


def _authorisation(visit: CpomsVisit) -> str:
    if visit.authorised_by and visit.authorised_at is not None:
        role = f" ({visit.authorised_role})" if visit.authorised_role else ""
        text = f"Approved by {visit.authorised_by}{role} on {_at(visit.authorised_at)}."
        if visit.retrospective:
            text += " Approved after the visit (urgent departure)."
        return text
    if visit.retrospective:
        return "Urgent departure: no approval recorded yet (retrospective approval needed)."
    return "No approval recorded."


def cpoms_summary(visit: CpomsVisit) -> str:
    """The summary to paste into CPOMS, ending with a newline."""
    title = f"HOME VISIT RECORD - hvdesk visit {visit.visit_id}"
    lines = [title, RULE]
    details = [
        ("Date and time", _when(visit)),
        ("Actual times", _actual(visit)),
        ("Pupil", visit.pupil or "No pupil named"),
        ("Address visited", visit.address),
        ("Area", visit.area),
        ("Visitors", _visitors(visit.visitors)),
        ("Reason", visit.reason),
        ("Purpose", visit.purpose or NONE_RECORDED),
        ("Cancelled", visit.cancelled),
    ]
    lines += [
        f"{label + ':':<{LABEL_WIDTH}}{value}" for label, value in details if value is not None
    ]
    lines += _section("Child seen", _yes_no(visit.child_seen))
    lines += _section("Spoken to", visit.spoken_to)
    lines += _section("Observations (facts: what was seen and heard)", visit.observations)
    lines += _section("Opinions (professional view)", visit.opinions)
    lines += _section("Concerns raised with the DSL", visit.concerns_raised)
    lines += _section("Outcome", visit.outcome)
    if visit.conduct:  # issue 18
        said = "\n".join(f"- {q.rstrip('.')}: {a}" for q, a in visit.conduct)
        lines += _section("In the home: the rules of conduct", said)
    lines += _section("Actions (owner and due date)", _follow_ups(visit))
    lines += _section("Authorisation", _authorisation(visit))
    written = None
    if visit.written_by and visit.written_at is not None:
        written = f"Written by {visit.written_by} on {_at(visit.written_at)}."
    lines += _section("Record", written)
    lines += ["", RULE, "Times are UK time (Europe/London). From hvdesk, the home-visit desk."]
    return "\n".join(lines) + "\n"
