"""Incidents: raised by hand or created when an escalation is resolved, then reviewed."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from hvdesk.domain.labels import LabelledEnum
from hvdesk.domain.people import Role


class IncidentKind(LabelledEnum):
    """What happened (the incident issue's list)."""

    ESCALATION = ("escalation", "Missed check-in escalation")
    AGGRESSIVE_ADULT = ("aggressive_adult", "Aggressive adult")
    THREAT = ("threat", "Threat")
    ALLEGATION = ("allegation", "Allegation against staff")
    CHILD_FOUND_ALONE = ("child_found_alone", "Child found alone")
    ANIMAL = ("animal", "Animal")
    ACCIDENT = ("accident", "Accident or injury")
    NEAR_MISS = ("near_miss", "Near miss")
    SAFE_WORD = ("safe_word", "Safe word used")


class IncidentStatus(LabelledEnum):
    """Review status: open -> under review -> closed."""

    OPEN = ("open", "Open")
    UNDER_REVIEW = ("under_review", "Under review")
    CLOSED = ("closed", "Closed")


# --- the review: who may do what, and when it is complete -------------------------------------
#
# Decisions where the policies leave room (000 and 003 ask for a review, a debrief, support and
# improvements; 001 names the headteacher for allegations):
# - Anyone signed in may raise an incident: whoever saw it writes it up, as soon as possible.
# - The review is written by the safeguarding leads, the headteacher or SLT (line managers
#   often hold the debrief); it is signed off, which closes it, only by the DSL, a deputy DSL
#   or the headteacher.
# - Nobody signs off the review of an incident on a visit they were on: those staff give their
#   account and are debriefed; someone independent of the visit closes it. They may still help
#   write the form.
# - Closing needs every part of the form: what happened, when and with whom the debrief was
#   held, the support offered, the lessons and the change to the procedure (writing "no change"
#   is a decision and is recorded as one); for an accident or injury, whether it is reportable
#   under RIDDOR and, if it is, when it was reported.

REVIEW_SIGNERS: frozenset[Role] = frozenset({Role.DSL, Role.DEPUTY_DSL, Role.HEADTEACHER})
REVIEWERS: frozenset[Role] = REVIEW_SIGNERS | {Role.SLT}

# Incidents the board creates by itself; the office raises the others by hand.
BOARD_KINDS: frozenset[IncidentKind] = frozenset({IncidentKind.ESCALATION, IncidentKind.SAFE_WORD})
RAISED_BY_HAND: tuple[IncidentKind, ...] = tuple(k for k in IncidentKind if k not in BOARD_KINDS)


def may_review(role: Role) -> bool:
    """Reading and writing an incident review (see the notes above)."""
    return role in REVIEWERS


def may_sign_off(role: Role) -> bool:
    """Signing off (closing) a review: the DSL, a deputy DSL or the headteacher."""
    return role in REVIEW_SIGNERS


def sign_off_refusals(
    role: Role, signer_staff_id: int | None, visitor_staff_ids: Collection[int]
) -> list[str]:
    """Every reason this user may not sign off this review, in words; empty if they may."""
    reasons: list[str] = []
    if not may_sign_off(role):
        reasons.append(
            "An incident review is signed off by the DSL, a deputy DSL or the headteacher."
        )
    if signer_staff_id is not None and signer_staff_id in visitor_staff_ids:
        reasons.append(
            "Nobody signs off the review of an incident on a visit they were on; ask another "
            "DSL, a deputy DSL or the headteacher."
        )
    return reasons


@dataclass(frozen=True)
class ReviewForm:
    """The review as written so far (times are aware UTC instants)."""

    what_happened: str | None = None
    debrief_held_at: datetime | None = None
    debrief_with: str | None = None
    support_offered: str | None = None
    lessons: str | None = None
    procedure_changes: str | None = None
    riddor_reportable: bool | None = None
    riddor_reported_at: datetime | None = None


def form_problems(
    form: ReviewForm, kind: IncidentKind, occurred_at: datetime, now: datetime
) -> list[str]:
    """What is wrong with the form as written (refused even when only saving)."""
    problems: list[str] = []
    if form.debrief_held_at is not None:
        if form.debrief_held_at > now:
            problems.append("The debrief cannot have been held in the future.")
        elif form.debrief_held_at < occurred_at:
            problems.append("The debrief cannot have been held before the incident happened.")
    problems += riddor_problems(
        kind, form.riddor_reportable, form.riddor_reported_at, occurred_at, now
    )
    return problems


def riddor_problems(
    kind: IncidentKind,
    reportable: bool | None,
    reported_at: datetime | None,
    occurred_at: datetime,
    now: datetime,
) -> list[str]:
    """RIDDOR applies to accidents and injuries only; a report date needs a reportable one."""
    if kind is not IncidentKind.ACCIDENT:
        if reportable is not None or reported_at is not None:
            return ["RIDDOR reporting applies only to an accident or injury."]
        return []
    if reported_at is None:
        return []
    if reportable is not True:
        return ["A RIDDOR report date is recorded only when the accident is reportable."]
    if reported_at > now:
        return ["The RIDDOR report cannot have been made in the future."]
    if reported_at < occurred_at:
        return ["The RIDDOR report cannot have been made before the accident happened."]
    return []


def review_gaps(form: ReviewForm, kind: IncidentKind) -> list[str]:
    """What is still missing before the review can be closed, in the form's order."""
    gaps: list[str] = []
    for value, what in (
        (form.what_happened, "what happened"),
        (form.debrief_held_at, "when the debrief was held"),
        (form.debrief_with, "who the debrief was held with"),
        (form.support_offered, "the support offered"),
        (form.lessons, "the lessons learned"),
        (form.procedure_changes, 'the change to the procedure (or "no change")'),
    ):
        if value is None or (isinstance(value, str) and not value.strip()):
            gaps.append(what)
    if kind is IncidentKind.ACCIDENT:
        if form.riddor_reportable is None:
            gaps.append("whether the accident is reportable under RIDDOR")
        elif form.riddor_reportable and form.riddor_reported_at is None:
            gaps.append("when the accident was reported under RIDDOR")
    return gaps


def review_due_on(raised_on: date, days: int) -> date:
    """The day the review is due: `days` calendar days after the day it was raised."""
    return raised_on + timedelta(days=days)


def is_overdue(status: IncidentStatus, due_on: date | None, today: date, *, is_drill: bool) -> bool:
    """A review not closed by the end of its due day; a drill's review is never overdue."""
    return (
        not is_drill
        and status is not IncidentStatus.CLOSED
        and due_on is not None
        and due_on < today
    )
