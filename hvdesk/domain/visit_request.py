"""The visit request and what must be true before it can be submitted. Pure: no database.

`check` returns every problem at once, each a sentence naming the field and what to do. A
problem is a BLOCKER (the request cannot be submitted) or a WARNING (shown, not blocking: no
visitor is safeguarding-trained, no safe word agreed yet).

Decisions where the policies leave room:
- A visitor with no DBS check on record, or one older than `SchoolPolicy.dbs_valid_years`, blocks;
  so does safeguarding training older than `safeguarding_training_valid_years`. Ages are
  measured on the day of the visit (school time), so a check that lapses before the visit blocks.
- Training missing altogether is not a blocker for that visitor; it counts towards the warning
  that no visitor is safeguarding-trained.
- "Already out or booked": another visit of the same visitor that is awaiting authorisation,
  authorised or out, whose planned time overlaps this one. Staff who are out are busy at least
  until now + the home-safe grace (they cannot be back and free any sooner), however long ago
  their visit was planned to end.
- Out of hours: the visit starts or ends outside the working hours, or on a day that is not a
  working day, in Europe/London; it then needs a named responsible contact with a valid phone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from hvdesk.clock import to_school_time
from hvdesk.domain.labels import LabelledEnum
from hvdesk.domain.people import DbsLevel
from hvdesk.domain.phones import is_mobile, parse_phone
from hvdesk.domain.policy import SchoolPolicy
from hvdesk.domain.retention import years_later
from hvdesk.domain.visits import EntryMode, VisitReason, VisitStatus

__all__ = [
    "Booking",
    "Problem",
    "ProblemSeverity",
    "VisitRequestDraft",
    "VisitorFacts",
    "blockers",
    "check",
    "dbs_in_date_until",
    "has_current_training",
    "is_out_of_hours",
    "normalise_uk_phone",
    "training_in_date_until",
    "visitor_problems",
]

# Statuses in which a visit holds its visitors' time.
BOOKED_STATUSES: frozenset[VisitStatus] = frozenset(
    {VisitStatus.AWAITING_AUTHORISATION, VisitStatus.AUTHORISED, VisitStatus.OUT}
)
MAX_VISITORS = 4


class ProblemSeverity(LabelledEnum):
    BLOCKER = ("blocker", "Must be put right before submitting")
    WARNING = ("warning", "Warning")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a request: which field, and a sentence saying what to do."""

    field: str
    message: str
    severity: ProblemSeverity = ProblemSeverity.BLOCKER

    @property
    def blocks(self) -> bool:
        return self.severity is ProblemSeverity.BLOCKER


@dataclass(frozen=True)
class Booking:
    """Another visit a visitor is on (or booked on)."""

    visit_id: int
    planned_start: datetime
    planned_end: datetime
    status: VisitStatus


@dataclass(frozen=True)
class VisitorFacts:
    """What the checks need to know about one visitor, read from the staff list."""

    staff_id: int
    name: str
    work_mobile: str | None
    emergency_contact_phone: str | None
    safeguarding_trained_on: date | None
    dbs_level: DbsLevel
    dbs_checked_on: date | None
    active: bool = True
    bookings: tuple[Booking, ...] = ()


@dataclass
class VisitRequestDraft:
    """A visit request as the requester fills it in (times are aware UTC instants)."""

    household_id: int
    planned_start: datetime
    planned_end: datetime
    reason: VisitReason
    purpose: str = ""
    pupil_id: int | None = None
    reason_other: str | None = None
    parent_could_come_in: bool | None = None
    parent_could_come_in_note: str | None = None
    announced: bool = True
    unannounced_reason: str | None = None
    entry_mode: EntryMode = EntryMode.DOORSTEP
    visitor_staff_ids: tuple[int, ...] = ()
    lone_visit_justification: str | None = None
    safe_word: str | None = None
    responsible_contact_name: str | None = None
    responsible_contact_phone: str | None = None
    social_worker_id: int | None = None
    joint_visit: bool = False
    resources_to_take: str | None = None
    vehicle: str | None = None

    @property
    def is_lone(self) -> bool:
        return len(self.visitor_staff_ids) == 1


def normalise_uk_phone(text: str | None) -> str | None:
    """A phone number as digits to dial: national digits for a UK number (07700900123),
    +country digits for one abroad (+48601234567); None if it is not a valid number.

    The name is kept for its callers; libphonenumber (`hvdesk.domain.phones`) decides.
    """
    phone = parse_phone(text)
    return None if phone is None else phone.digits


def is_out_of_hours(start: datetime, end: datetime, policy: SchoolPolicy) -> bool:
    """True if the visit starts or ends outside working hours or days (Europe/London)."""
    local_start, local_end = to_school_time(start), to_school_time(end)
    if local_start.date() != local_end.date():
        return True
    if local_start.weekday() not in policy.working_weekdays:
        return True
    return not (
        policy.working_day_start <= local_start.time()
        and local_end.time() <= policy.working_day_end
    )


def blockers(problems: Sequence[Problem]) -> list[Problem]:
    return [p for p in problems if p.blocks]


def check(
    draft: VisitRequestDraft,
    visitors: Mapping[int, VisitorFacts],
    policy: SchoolPolicy,
    now: datetime,
    *,
    visit_id: int | None = None,
) -> list[Problem]:
    """Every problem with the request, blockers and warnings, in the order of the form.

    `visitors` holds the facts of each visitor named on the draft (a missing one is a staff id
    that is not in the staff list); `visit_id` is the request's own id, so its own booking is not
    counted as a clash.
    """
    problems: list[Problem] = []
    add = problems.append
    if draft.reason is VisitReason.OTHER and not _filled(draft.reason_other):
        add(Problem("reason_other", 'Reason is "Other": say what the reason is.'))
    if not _filled(draft.purpose):
        add(Problem("purpose", "Purpose: say what the visit is for."))
    if draft.parent_could_come_in is None:
        add(
            Problem(
                "parent_could_come_in",
                'Answer "Could the parent come in instead?" (yes or no).',
            )
        )
    if not draft.announced and not _filled(draft.unannounced_reason):
        add(Problem("unannounced_reason", "An unannounced visit needs a reason: say why."))
    problems.extend(_time_problems(draft, now))
    problems.extend(_visitor_problems(draft, visitors, policy, now, visit_id))
    if draft.joint_visit and draft.social_worker_id is None:
        add(Problem("social_worker_id", "A joint visit: choose the allocated social worker."))
    if not _filled(draft.safe_word):
        add(
            Problem(
                "safe_word",
                "Safe word: none agreed yet; agree one with the office before the visit.",
                ProblemSeverity.WARNING,
            )
        )
    if draft.planned_start < draft.planned_end and is_out_of_hours(
        draft.planned_start, draft.planned_end, policy
    ):
        if not _filled(draft.responsible_contact_name):
            add(
                Problem(
                    "responsible_contact_name",
                    "Out of hours: name the responsible contact who will check on the visitors.",
                )
            )
        if normalise_uk_phone(draft.responsible_contact_phone) is None:
            add(
                Problem(
                    "responsible_contact_phone",
                    "Out of hours: give the responsible contact's phone as a valid phone number "
                    "(for example 07700 900123 or 01632 960123).",
                )
            )
    return problems


def _time_problems(draft: VisitRequestDraft, now: datetime) -> list[Problem]:
    problems: list[Problem] = []
    for name, value in (("planned_start", draft.planned_start), ("planned_end", draft.planned_end)):
        if value.tzinfo is None:
            raise ValueError(f"{name} must be timezone-aware (UTC)")
    if draft.planned_end <= draft.planned_start:
        problems.append(
            Problem("planned_end", "End time: the visit must end after it starts; correct it.")
        )
    if draft.planned_start < now:
        problems.append(
            Problem("planned_start", "Start time: this time has passed; choose a later one.")
        )
    return problems


def _visitor_problems(
    draft: VisitRequestDraft,
    visitors: Mapping[int, VisitorFacts],
    policy: SchoolPolicy,
    now: datetime,
    visit_id: int | None,
) -> list[Problem]:
    problems: list[Problem] = []
    add = problems.append
    ids = draft.visitor_staff_ids
    if not ids:
        add(Problem("visitors", "Visitors: choose who is going (a pair by default)."))
        return problems
    if len(set(ids)) != len(ids):
        add(Problem("visitors", "Visitors: the same person is listed twice; remove one."))
    if len(ids) > MAX_VISITORS:
        add(Problem("visitors", f"Visitors: at most {MAX_VISITORS} staff go on one visit."))
    if len(ids) == 1 and policy.pairs_by_default and not _filled(draft.lone_visit_justification):
        add(
            Problem(
                "lone_visit_justification",
                "A lone visit: visits are made in pairs, so say why this one is lone, "
                "or add a second visitor.",
            )
        )
    trained_any = False
    for staff_id in dict.fromkeys(ids):
        facts = visitors.get(staff_id)
        if facts is None or not facts.active:
            add(Problem("visitors", f"Visitors: staff {staff_id} is not on the staff list."))
            continue
        problems.extend(
            visitor_problems(
                facts, draft.planned_start, draft.planned_end, policy, now, visit_id=visit_id
            )
        )
        trained_any = trained_any or has_current_training(facts, policy, draft.planned_start)
    if not trained_any:
        add(
            Problem(
                "visitors",
                "No visitor has current safeguarding training; consider adding one who has.",
                ProblemSeverity.WARNING,
            )
        )
    return problems


def visitor_problems(
    facts: VisitorFacts,
    start: datetime,
    end: datetime,
    policy: SchoolPolicy,
    now: datetime,
    *,
    visit_id: int | None = None,
) -> list[Problem]:
    """What stops one (active) visitor going on a visit from `start` to `end`: phones, DBS,
    training, other bookings. Shared by `check` and the visitor list of the request form, so
    the form can say before anyone is chosen who cannot go and why."""
    problems: list[Problem] = []
    add = problems.append
    who = facts.name
    if not is_mobile(facts.work_mobile):
        add(
            Problem(
                "visitors",
                f"{who}: work mobile is missing or not a mobile number; "
                "add it on their staff record.",
            )
        )
    if normalise_uk_phone(facts.emergency_contact_phone) is None:
        add(
            Problem(
                "visitors",
                f"{who}: emergency contact's phone is missing or not a valid phone number; "
                "add it on their staff record.",
            )
        )
    day = _school_date(start)
    if facts.dbs_level is DbsLevel.NONE or facts.dbs_checked_on is None:
        add(
            Problem(
                "visitors",
                f"{who}: no DBS check on record; record it or choose another visitor.",
            )
        )
    elif dbs_in_date_until(facts.dbs_checked_on, policy) < day:
        add(
            Problem(
                "visitors",
                f"{who}: DBS check of {facts.dbs_checked_on:%d %b %Y} is older than "
                f"{policy.dbs_valid_years} years on the day of the visit; renew it or "
                "choose another visitor.",
            )
        )
    trained = facts.safeguarding_trained_on
    if trained is not None and not has_current_training(facts, policy, start):
        add(
            Problem(
                "visitors",
                f"{who}: safeguarding training of {trained:%d %b %Y} is older than "
                f"{policy.safeguarding_training_valid_years} years on the day of the "
                "visit; book a refresher or choose another visitor.",
            )
        )
    for booking in facts.bookings:
        if booking.visit_id == visit_id or booking.status not in BOOKED_STATUSES:
            continue
        # Overdue back from a visit: missing, not free. Not bookable for the rest of today
        # (another day's request is held by the sign-out check, which refuses anyone out).
        overdue = booking.status is VisitStatus.OUT and booking.planned_end <= now
        if overdue and _school_date(start) <= _school_date(now):
            add(
                Problem(
                    "visitors",
                    f"{who} is overdue back from visit {booking.visit_id}: they cannot be "
                    "booked on another visit today until they are back safe.",
                )
            )
            continue
        if _overlaps(start, end, booking, now, policy.home_safe_grace):
            doing = "is out on" if booking.status is VisitStatus.OUT else "is already booked on"
            add(
                Problem(
                    "visitors",
                    f"{who} {doing} visit {booking.visit_id} at that time; choose another "
                    "time or another visitor.",
                )
            )
    return problems


def has_current_training(facts: VisitorFacts, policy: SchoolPolicy, start: datetime) -> bool:
    """Safeguarding training on record and still in date on the day of the visit."""
    trained = facts.safeguarding_trained_on
    if trained is None:
        return False
    return _school_date(start) <= training_in_date_until(trained, policy)


def _overlaps(
    start: datetime, end: datetime, booking: Booking, now: datetime, grace: timedelta
) -> bool:
    busy_until = booking.planned_end
    if booking.status is VisitStatus.OUT:
        busy_until = max(busy_until, now + grace)  # still out: busy until they can be back
    return booking.planned_start < end and start < busy_until


def _school_date(instant: datetime) -> date:
    return to_school_time(instant).date()


def training_in_date_until(trained_on: date, policy: SchoolPolicy) -> date:
    """The last day safeguarding training taken on `trained_on` is in date (the request form and
    the authoriser's checks count it the same way)."""
    return years_later(trained_on, policy.safeguarding_training_valid_years)


def dbs_in_date_until(checked_on: date, policy: SchoolPolicy) -> date:
    """The last day a DBS check made on `checked_on` is in date."""
    return years_later(checked_on, policy.dbs_valid_years)


def _filled(text: str | None) -> bool:
    return text is not None and bool(text.strip())
