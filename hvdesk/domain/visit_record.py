"""The record written after a visit: what it must hold, and who may write or tick it.

Pure rules over plain values; `hvdesk.services.visit_records` reads and writes the database.

Decisions where the policies leave room:
- Facts and opinions are separate fields (observations = what was seen and heard; opinions =
  the visitor's professional view), so a reader of the record can tell one from the other.
- Required: whether the child was seen, who was spoken to, what was observed, and the outcome.
  Opinions, concerns raised with the DSL and the action summary may be left empty.
- A follow-up needs an action, an owner (a member of staff) and a due date. A new due date may
  not be in the past; a follow-up kept unchanged may go on being overdue.
- Who may write the record: the visit's visitors, the person who requested it, and the DSL and
  deputy DSLs. Who may tick "recorded on the school's safeguarding system": the school office
  (reception), the DSL and deputies (who put records onto CPOMS), and anyone who may write the
  record (staff often log their own visits on CPOMS).
- Who sees every record, follow-up and the hand-off list: the DSL, deputies, the headteacher and
  the office. Everyone else sees the visits they went on or requested, and follow-ups they own.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from hvdesk.domain.conduct import ConductAnswers
from hvdesk.domain.people import Role
from hvdesk.domain.text import clean_text

MAX_SHORT_TEXT = 500
MAX_LONG_TEXT = 8000
MAX_ACTION_TEXT = 1000
MAX_FOLLOW_UPS = 20
MAX_DUE_AHEAD = timedelta(days=366)

RECORD_WRITERS: frozenset[Role] = frozenset({Role.DSL, Role.DEPUTY_DSL})
"""Roles that may write any visit's record (besides its visitors and requester)."""

CPOMS_TICKERS: frozenset[Role] = frozenset({Role.RECEPTION, Role.DSL, Role.DEPUTY_DSL})
"""Roles that may tick any visit as recorded on the safeguarding system."""

SEE_ALL: frozenset[Role] = frozenset({Role.RECEPTION, Role.DSL, Role.DEPUTY_DSL, Role.HEADTEACHER})
"""Roles that see every record, follow-up and the whole hand-off list."""


@dataclass(frozen=True)
class FollowUpDraft:
    """An open follow-up as typed in the record: `follow_up_id` names one already saved."""

    action: str
    owner_staff_id: int | None
    due_on: date | None
    follow_up_id: int | None = None


@dataclass(frozen=True)
class VisitRecordDraft:
    """What the visitor writes after the visit. Done follow-ups are not part of it: they stay
    as they were marked done."""

    child_seen: bool | None = None
    spoken_to: str | None = None
    observations: str | None = None
    opinions: str | None = None
    concerns_raised: str | None = None
    outcome: str | None = None
    action_required: str | None = None
    follow_ups: tuple[FollowUpDraft, ...] = field(default_factory=tuple)
    # In the home (issue 18): the answers to the rules of conduct; who was spoken to is then
    # built from them.
    conduct: ConductAnswers | None = None


@dataclass(frozen=True)
class RecordProblem:
    """One thing wrong with a draft: the field it is about (`follow_ups` with the row number,
    from 1, for a follow-up) and what to put right."""

    field: str
    message: str
    row: int | None = None


_REQUIRED = (
    ("spoken_to", "Say who was spoken to (write “nobody” if no one answered)."),
    ("observations", "Write what was seen and heard: the facts."),
    ("outcome", "Write the outcome of the visit."),
)

_LIMITS = {
    "spoken_to": MAX_SHORT_TEXT,
    "observations": MAX_LONG_TEXT,
    "opinions": MAX_LONG_TEXT,
    "concerns_raised": MAX_LONG_TEXT,
    "outcome": MAX_LONG_TEXT,
    "action_required": MAX_ACTION_TEXT,
}


def record_problems(
    draft: VisitRecordDraft,
    today: date,
    saved_due: Mapping[int, date] | None = None,
) -> list[RecordProblem]:
    """Everything wrong with the draft, all at once; empty when it may be saved.

    `today` is the school's date now; `saved_due` the due dates of the follow-ups already saved,
    so an unchanged overdue follow-up is not refused for being in the past.
    """
    saved_due = saved_due or {}
    problems: list[RecordProblem] = []
    if draft.child_seen is None:
        problems.append(RecordProblem("child_seen", "Say whether the child was seen."))
    for name, message in _REQUIRED:
        if clean_text(getattr(draft, name)) is None:
            problems.append(RecordProblem(name, message))
    for name, limit in _LIMITS.items():
        text = clean_text(getattr(draft, name))
        if text is not None and len(text) > limit:
            problems.append(
                RecordProblem(name, f"Keep this under {limit} characters (it has {len(text)}).")
            )
    if len(draft.follow_ups) > MAX_FOLLOW_UPS:
        problems.append(
            RecordProblem(
                "follow_ups",
                f"A record can hold at most {MAX_FOLLOW_UPS} open follow-ups; combine some.",
            )
        )
    for number, follow_up in enumerate(draft.follow_ups, start=1):
        problems.extend(_follow_up_problems(follow_up, number, today, saved_due))
    return problems


def _follow_up_problems(
    follow_up: FollowUpDraft, number: int, today: date, saved_due: Mapping[int, date]
) -> list[RecordProblem]:
    problems: list[RecordProblem] = []

    def problem(message: str) -> None:
        problems.append(RecordProblem("follow_ups", f"Follow-up {number}: {message}", number))

    action = clean_text(follow_up.action)
    if action is None:
        problem("say what is to be done.")
    elif len(action) > MAX_ACTION_TEXT:
        problem(f"keep the action under {MAX_ACTION_TEXT} characters.")
    if follow_up.owner_staff_id is None:
        problem("choose who will do it.")
    due = follow_up.due_on
    if due is None:
        problem("give the date it is due.")
    else:
        unchanged = (
            follow_up.follow_up_id is not None and saved_due.get(follow_up.follow_up_id) == due
        )
        if due < today and not unchanged:
            problem(f"the due date {due:%d %b %Y} is in the past; choose today or later.")
        elif due > today + MAX_DUE_AHEAD:
            problem(f"the due date {due:%d %b %Y} is more than a year away; check the year.")
    return problems


def may_write_record(
    role: Role,
    *,
    user_id: int,
    staff_id: int | None,
    visitor_staff_ids: Collection[int],
    requester_id: int | None,
) -> bool:
    """The visitors, the requester, and the DSL and deputies write a visit's record."""
    if role in RECORD_WRITERS:
        return True
    if staff_id is not None and staff_id in visitor_staff_ids:
        return True
    return requester_id is not None and requester_id == user_id


def may_tick_recorded(
    role: Role,
    *,
    user_id: int,
    staff_id: int | None,
    visitor_staff_ids: Collection[int],
    requester_id: int | None,
) -> bool:
    """The office and the safeguarding leads, and whoever may write the record."""
    return role in CPOMS_TICKERS or may_write_record(
        role,
        user_id=user_id,
        staff_id=staff_id,
        visitor_staff_ids=visitor_staff_ids,
        requester_id=requester_id,
    )


def may_see_all_records(role: Role) -> bool:
    """The safeguarding leads, the headteacher and the office see every record."""
    return role in SEE_ALL
