"""Incidents: raised by hand, reviewed, signed off (issue 6; policies 000 and 003).

Each method is one unit of work, names the signed-in user, and raises a typed `HvdeskError`
with a message for the office, writing nothing, when it cannot do what was asked. Who may do
what is decided in `hvdesk.domain.incidents` (see its notes) and enforced here. Logs carry ids.

Rules decided here:
* An incident is raised by hand during or after any visit, or with no visit at all. The board's
  own kinds (a missed check-in escalation, the safe word) are created by the board, not here.
  When it happened may not be in the future, nor before the visit was requested.
* The review is due `incident_review_days` calendar days after the day (UK) it was raised.
  Incidents created by the board before this setting existed carry no due day; theirs is worked
  out from when they were raised, the same way.
* open -> under review -> closed. Saving the form of an open incident starts its review.
  Signing off closes it, and needs the whole form (see `review_gaps`) and, for an escalation
  or the safe word, the escalation resolved on the board. A closed review is a signed record:
  it is read, never edited.
* Changes to the household's known risks are new `KnownRisk` rows with the incident's id,
  written in the same unit of work as the form; the household's next risk assessment picks
  them up (`visit_requests.household_facts`). They need an incident on a (real) visit: an
  incident with no visit has no household, and a drill's household is a placeholder.
  Safeguarding history, like everywhere else, is for the DSL and deputy DSLs only.
* Drill incidents are kept apart: listed only when drills are asked for, never overdue.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload

from hvdesk.clock import Clock, format_school_time, to_school_time
from hvdesk.db.database import Database
from hvdesk.db.models import (
    Incident,
    KnownRisk,
    Visit,
    VisitEvent,
    VisitStaff,
)
from hvdesk.domain.households import RiskKind
from hvdesk.domain.incidents import (
    BOARD_KINDS,
    IncidentKind,
    IncidentStatus,
    ReviewForm,
    form_problems,
    is_overdue,
    may_review,
    review_due_on,
    review_gaps,
    riddor_problems,
    sign_off_refusals,
)
from hvdesk.domain.permissions import may_see_safeguarding_history
from hvdesk.domain.policy import SchoolPolicy
from hvdesk.domain.text import trimmed
from hvdesk.domain.visits import VisitStatus
from hvdesk.errors import HvdeskError
from hvdesk.services.accounts import NotPermitted
from hvdesk.services.acting import current_identity, display_names
from hvdesk.services.directory import school_policy
from hvdesk.services.identity import SignedInUser
from hvdesk.services.timeline import event_details, event_heading

__all__ = [
    "MAX_TEXT",
    "IncidentListRow",
    "IncidentNotFound",
    "IncidentRefused",
    "IncidentReview",
    "Incidents",
    "KnownRiskLine",
    "NewKnownRisk",
    "ReviewIncomplete",
    "TimelineLine",
    "VisitChoice",
    "VisitOfIncident",
    "incident_rows",
]

log = logging.getLogger(__name__)

MAX_TEXT = 8000
LINKABLE_VISIT_DAYS = 60
_NOT_LINKABLE = (VisitStatus.DRAFT, VisitStatus.REFUSED)


class IncidentRefused(HvdeskError):
    """What was asked does not fit the incident as it stands; nothing was saved."""

    title = "Nothing was saved"


class IncidentNotFound(IncidentRefused):
    """The incident or visit asked for does not exist."""

    title = "Not found"


class ReviewIncomplete(IncidentRefused):
    """Closing a review that still has gaps; lists every gap at once."""

    title = "Review not complete"

    def __init__(self, gaps: Sequence[str]) -> None:
        self.gaps = tuple(gaps)
        super().__init__(
            "The review cannot be closed yet: it still needs " + _listed(self.gaps) + ".",
            "Complete the form and save it, then sign off.",
        )


# --- read-models ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class IncidentListRow:
    """One incident in the Incidents list."""

    id: int
    kind: str
    """The kind as the office reads it (`kind_code` is the stored value)."""
    kind_code: IncidentKind
    status: IncidentStatus
    occurred_at: datetime
    visit_id: int | None
    summary: str
    review_due_on: date | None
    overdue: bool
    is_drill: bool

    @property
    def status_label(self) -> str:
        return self.status.label


@dataclass(frozen=True)
class VisitChoice:
    """A visit an incident can be linked to, as the raise form lists it."""

    visit_id: int
    label: str


@dataclass(frozen=True)
class TimelineLine:
    """One logged step of the visit, in the order it happened."""

    at: datetime
    what: str
    details: str | None
    recorded_by: str | None
    note: str | None


@dataclass(frozen=True)
class KnownRiskLine:
    """A known risk of the household, and whether this incident's review added it."""

    id: int
    kind: RiskKind
    description: str
    recorded_at: datetime
    ended_at: datetime | None
    from_this_incident: bool


@dataclass(frozen=True)
class NewKnownRisk:
    """A known risk the review adds to the household."""

    kind: RiskKind
    description: str


@dataclass(frozen=True)
class VisitOfIncident:
    """The visit an incident happened on, as the reviewer needs it beside the form."""

    id: int
    status: VisitStatus
    planned_start: datetime
    planned_end: datetime
    address: str
    pupil: str | None
    visitors: tuple[str, ...]
    visitor_staff_ids: tuple[int, ...]
    household_id: int


@dataclass(frozen=True)
class IncidentReview:
    """An incident with its visit's whole timeline and the review form as written so far."""

    id: int
    kind: IncidentKind
    status: IncidentStatus
    is_drill: bool
    occurred_at: datetime
    raised_at: datetime
    raised_by: str | None
    summary: str
    highest_stage: int | None
    resolution: str | None
    resolved_at: datetime | None
    resolved_by: str | None
    visit: VisitOfIncident | None
    timeline: tuple[TimelineLine, ...]
    form: ReviewForm
    review_due_on: date | None
    overdue: bool
    review_started_at: datetime | None
    review_started_by: str | None
    signed_off_at: datetime | None
    signed_off_by: str | None
    known_risks: tuple[KnownRiskLine, ...]
    gaps: tuple[str, ...]
    """What is still missing before the review can be closed."""
    sign_off_refusals: tuple[str, ...]
    """Why the reader may not sign it off (empty if they may, once the form is complete)."""
    awaiting_resolution: bool
    """An escalation or safe-word incident still open on the board."""
    may_add_known_risks: bool
    may_add_safeguarding_history: bool

    @property
    def closed(self) -> bool:
        return self.status is IncidentStatus.CLOSED


# --- the service ---------------------------------------------------------------------------------


class Incidents:
    """Use cases of incidents after the board: raise, review, sign off, and the lists."""

    def __init__(self, database: Database, clock: Clock) -> None:
        self._database = database
        self._clock = clock

    # -- lists ---------------------------------------------------------------------------------

    def list_incidents(
        self, status: IncidentStatus | None = None, *, drills: bool = False
    ) -> list[IncidentListRow]:
        """Incidents (drills, or everything but drills), most recent first."""
        with self._database.session() as session:
            rows = incident_rows(session, self._clock.now(), drills=drills)
        return [r for r in rows if status is None or r.status is status]

    def overdue(self) -> list[IncidentListRow]:
        """Reviews past their due day and not closed, the longest overdue first."""
        with self._database.session() as session:
            rows = incident_rows(session, self._clock.now())
        late = [r for r in rows if r.overdue]
        return sorted(late, key=lambda r: (r.review_due_on or date.min, r.id))

    def visits_to_link(self, days: int = LINKABLE_VISIT_DAYS) -> list[VisitChoice]:
        """Visits an incident may be raised on: out now, or planned to start in the last
        `days` days up to tomorrow, the most recent first (drills included, marked)."""
        now = self._clock.now()
        with self._database.session() as session:
            visits = session.scalars(
                sa.select(Visit)
                .where(
                    Visit.status.not_in(_NOT_LINKABLE),
                    sa.or_(
                        Visit.status == VisitStatus.OUT,
                        Visit.planned_start.between(
                            now - timedelta(days=days), now + timedelta(days=1)
                        ),
                    ),
                )
                .options(joinedload(Visit.household), joinedload(Visit.pupil))
                .order_by(Visit.planned_start.desc(), Visit.id.desc())
            ).all()
            return [VisitChoice(v.id, _visit_label(v)) for v in visits]

    # -- raising -------------------------------------------------------------------------------

    def raise_incident(
        self,
        by: SignedInUser,
        kind: IncidentKind,
        occurred_at: datetime,
        summary: str,
        *,
        visit_id: int | None = None,
        riddor_reportable: bool | None = None,
        riddor_reported_at: datetime | None = None,
    ) -> int:
        """Record an incident seen during or after a visit (or with none); returns its id."""
        now = self._clock.now()
        text = trimmed(summary)
        problems: list[str] = []
        if kind in BOARD_KINDS:
            problems.append(
                f"“{kind.label}” incidents are created by the board when an escalation is "
                "resolved or the safe word is logged; choose what happened from the list."
            )
        if text is None:
            problems.append("Write a short summary of what happened.")
        elif len(text) > MAX_TEXT:
            problems.append(f"The summary is too long (at most {MAX_TEXT} characters).")
        if occurred_at.tzinfo is None:
            raise ValueError("occurred_at must be an aware UTC instant")
        if occurred_at > now:
            problems.append("When it happened cannot be in the future.")
        problems += riddor_problems(kind, riddor_reportable, riddor_reported_at, occurred_at, now)
        with self._database.session() as session:
            by = current_identity(session, by)
            visit = None
            if visit_id is not None:
                visit = session.get(Visit, visit_id)
                if visit is None:
                    raise IncidentNotFound(
                        f"There is no visit {visit_id}; nothing was saved.",
                        "Choose the visit from the list, or raise the incident without one.",
                    )
                if visit.status in _NOT_LINKABLE:
                    problems.append(
                        f"Visit {visit.id} is {visit.status.label.lower()}: it never went ahead."
                    )
                elif occurred_at < visit.created_at:
                    problems.append(
                        f"Visit {visit.id} was only requested on "
                        f"{format_school_time(visit.created_at)}; check when it happened."
                    )
            if problems:
                raise IncidentRefused(
                    " ".join(problems), "Nothing was saved; correct it and try again."
                )
            assert text is not None
            policy = school_policy(session)
            incident = Incident(
                visit_id=visit.id if visit is not None else None,
                kind=kind,
                status=IncidentStatus.OPEN,
                occurred_at=occurred_at,
                raised_at=now,
                raised_by_id=by.user_id,
                summary=text,
                riddor_reportable=riddor_reportable,
                riddor_reported_at=riddor_reported_at,
                review_due_on=_due_on(now, policy),
                is_drill=visit.is_drill if visit is not None else False,
            )
            session.add(incident)
            session.flush()
            incident_id = incident.id
        log.info("Incident %s raised by user %s (visit %s)", incident_id, by.user_id, visit_id)
        return incident_id

    # -- the review ----------------------------------------------------------------------------

    def review(self, incident_id: int, by: SignedInUser) -> IncidentReview:
        """The incident, its visit's whole timeline and its review, for a reviewer."""
        now = self._clock.now()
        with self._database.session() as session:
            by = current_identity(session, by)
            _require_reviewer(by, "read an incident review")
            incident = _load(session, incident_id)
            return _review_view(session, incident, by, now, school_policy(session))

    def start_review(self, incident_id: int, by: SignedInUser) -> None:
        """open -> under review, recording who started it and when."""
        now = self._clock.now()
        with self._database.session() as session:
            by = current_identity(session, by)
            _require_reviewer(by, "start an incident review")
            incident = _load(session, incident_id)
            if incident.status is not IncidentStatus.OPEN:
                raise IncidentRefused(
                    f"The review of incident {incident.id} is already "
                    f"{incident.status.label.lower()}; nothing was changed."
                )
            _start(incident, by, now, school_policy(session))
        log.info("Incident %s review started by user %s", incident_id, by.user_id)

    def save_review(
        self,
        incident_id: int,
        form: ReviewForm,
        by: SignedInUser,
        new_risks: Sequence[NewKnownRisk] = (),
    ) -> None:
        """Save the review form as written (gaps allowed) and add the household's new known
        risks, in one unit of work; an open incident's review starts with it."""
        now = self._clock.now()
        with self._database.session() as session:
            by = current_identity(session, by)
            _require_reviewer(by, "write an incident review")
            incident = _load(session, incident_id)
            self._write_form(session, incident, form, new_risks, by, now)
        log.info(
            "Incident %s review saved by user %s (%s known risks added)",
            incident_id,
            by.user_id,
            len(new_risks),
        )

    def sign_off(
        self,
        incident_id: int,
        by: SignedInUser,
        form: ReviewForm | None = None,
        new_risks: Sequence[NewKnownRisk] = (),
    ) -> None:
        """Sign the review off and close it; with `form`, save it first in the same unit of
        work (a refusal writes nothing, form included)."""
        now = self._clock.now()
        with self._database.session() as session:
            by = current_identity(session, by)
            incident = _load(session, incident_id)
            reasons = sign_off_refusals(by.role, by.staff_id, _visitor_ids(incident))
            if reasons:
                raise NotPermitted(" ".join(reasons), "Nothing was signed; save the form instead.")
            if form is not None:
                self._write_form(session, incident, form, new_risks, by, now)
            elif incident.status is IncidentStatus.CLOSED:
                raise _closed(incident)
            if incident.status is not IncidentStatus.UNDER_REVIEW:
                raise IncidentRefused(
                    f"Incident {incident.id} is not under review yet; nothing was signed.",
                    "Start the review and write the form first.",
                )
            if _awaiting_resolution(incident):
                raise IncidentRefused(
                    f"The escalation of incident {incident.id} is still open on the board; "
                    "nothing was signed.",
                    "Resolve it on the board first, saying how it ended.",
                )
            gaps = review_gaps(_form_of(incident), incident.kind)
            if gaps:
                raise ReviewIncomplete(gaps)
            incident.status = IncidentStatus.CLOSED
            incident.signed_off_by_id = by.user_id
            incident.signed_off_at = now
        log.info("Incident %s review signed off by user %s", incident_id, by.user_id)

    def _write_form(
        self,
        session: Session,
        incident: Incident,
        form: ReviewForm,
        new_risks: Sequence[NewKnownRisk],
        by: SignedInUser,
        now: datetime,
    ) -> None:
        if incident.status is IncidentStatus.CLOSED:
            raise _closed(incident)
        form = _cleaned(form)
        problems = form_problems(form, incident.kind, incident.occurred_at, now)
        problems += _text_problems(form)
        problems += _risk_problems(incident, new_risks, by)
        if problems:
            raise IncidentRefused(
                " ".join(problems), "Nothing was saved; correct it and try again."
            )
        policy = school_policy(session)
        if incident.status is IncidentStatus.OPEN:
            _start(incident, by, now, policy)
        elif incident.review_due_on is None:
            incident.review_due_on = _due_on(incident.raised_at, policy)
        incident.what_happened = form.what_happened
        incident.debrief_held_at = form.debrief_held_at
        incident.debrief_with = form.debrief_with
        incident.support_offered = form.support_offered
        incident.lessons = form.lessons
        incident.procedure_changes = form.procedure_changes
        incident.riddor_reportable = form.riddor_reportable
        incident.riddor_reported_at = form.riddor_reported_at
        if new_risks:
            assert incident.visit is not None
            for risk in new_risks:
                session.add(
                    KnownRisk(
                        household_id=incident.visit.household_id,
                        kind=risk.kind,
                        description=risk.description.strip(),
                        recorded_by_id=by.user_id,
                        recorded_at=now,
                        incident_id=incident.id,
                    )
                )
        session.flush()


# --- the list read-model (also the Incidents page's query) -------------------------------------


def incident_rows(
    session: Session, now: datetime, *, drills: bool = False
) -> list[IncidentListRow]:
    """Incidents (drills only, or all but drills), the most recent first, each with the day its
    review is due and whether that has passed."""
    policy = school_policy(session)
    today = to_school_time(now).date()
    stmt = (
        sa.select(
            Incident.id,
            Incident.kind,
            Incident.status,
            Incident.occurred_at,
            Incident.raised_at,
            Incident.visit_id,
            Incident.summary,
            Incident.review_due_on,
            Incident.is_drill,
        )
        .where(Incident.is_drill.is_(drills))
        .order_by(Incident.occurred_at.desc(), Incident.id.desc())
    )
    rows: list[IncidentListRow] = []
    for r in session.execute(stmt):
        due = r.review_due_on or _due_on(r.raised_at, policy)
        rows.append(
            IncidentListRow(
                id=r.id,
                kind=r.kind.label,
                kind_code=r.kind,
                status=r.status,
                occurred_at=r.occurred_at,
                visit_id=r.visit_id,
                summary=r.summary,
                review_due_on=due,
                overdue=is_overdue(r.status, due, today, is_drill=r.is_drill),
                is_drill=r.is_drill,
            )
        )
    return rows


# --- helpers -------------------------------------------------------------------------------------


def _require_reviewer(by: SignedInUser, doing: str) -> None:
    if not may_review(by.role):
        raise NotPermitted(
            f"{by.role.label} accounts cannot {doing}.",
            "Incident reviews are written by the DSL, a deputy DSL, the headteacher or SLT.",
        )


def _load(session: Session, incident_id: int) -> Incident:
    incident = session.scalars(
        sa.select(Incident)
        .where(Incident.id == incident_id)
        .options(
            joinedload(Incident.visit).joinedload(Visit.household),
            joinedload(Incident.visit).joinedload(Visit.pupil),
            joinedload(Incident.visit).selectinload(Visit.visitors).joinedload(VisitStaff.staff),
            joinedload(Incident.visit)
            .selectinload(Visit.events)
            .joinedload(VisitEvent.recorded_by),
        )
    ).one_or_none()
    if incident is None:
        raise IncidentNotFound(
            f"There is no incident {incident_id}.", "Check the number in the Incidents list."
        )
    return incident


def _start(incident: Incident, by: SignedInUser, now: datetime, policy: SchoolPolicy) -> None:
    incident.status = IncidentStatus.UNDER_REVIEW
    incident.review_started_at = now
    incident.review_started_by_id = by.user_id
    if incident.review_due_on is None:
        incident.review_due_on = _due_on(incident.raised_at, policy)


def _due_on(raised_at: datetime, policy: SchoolPolicy) -> date:
    return review_due_on(to_school_time(raised_at).date(), policy.incident_review_days)


def _visitor_ids(incident: Incident) -> tuple[int, ...]:
    if incident.visit is None:
        return ()
    return tuple(vs.staff_id for vs in incident.visit.visitors)


def _awaiting_resolution(incident: Incident) -> bool:
    return incident.kind in BOARD_KINDS and incident.resolved_at is None


def _closed(incident: Incident) -> IncidentRefused:
    return IncidentRefused(
        f"The review of incident {incident.id} is closed and signed off; it is a signed record "
        "and cannot be changed.",
        "Raise a new incident if something new has come to light.",
    )


def _form_of(incident: Incident) -> ReviewForm:
    return ReviewForm(
        what_happened=incident.what_happened,
        debrief_held_at=incident.debrief_held_at,
        debrief_with=incident.debrief_with,
        support_offered=incident.support_offered,
        lessons=incident.lessons,
        procedure_changes=incident.procedure_changes,
        riddor_reportable=incident.riddor_reportable,
        riddor_reported_at=incident.riddor_reported_at,
    )


def _cleaned(form: ReviewForm) -> ReviewForm:
    return ReviewForm(
        what_happened=trimmed(form.what_happened),
        debrief_held_at=form.debrief_held_at,
        debrief_with=trimmed(form.debrief_with),
        support_offered=trimmed(form.support_offered),
        lessons=trimmed(form.lessons),
        procedure_changes=trimmed(form.procedure_changes),
        riddor_reportable=form.riddor_reportable,
        riddor_reported_at=form.riddor_reported_at,
    )


def _text_problems(form: ReviewForm) -> list[str]:
    long = [
        label
        for label, value in (
            ("What happened", form.what_happened),
            ("Debrief held with", form.debrief_with),
            ("Support offered", form.support_offered),
            ("Lessons", form.lessons),
            ("Changes to the procedure", form.procedure_changes),
        )
        if value is not None and len(value) > MAX_TEXT
    ]
    return [f"{label} is too long (at most {MAX_TEXT} characters)." for label in long]


def _risk_problems(
    incident: Incident, new_risks: Sequence[NewKnownRisk], by: SignedInUser
) -> list[str]:
    if not new_risks:
        return []
    if incident.visit is None:
        return [
            "This incident is not linked to a visit, so there is no household to add a known "
            "risk to."
        ]
    if incident.is_drill or incident.visit.is_drill:
        return ["A drill's household is a placeholder: known risks are not added from a drill."]
    problems: list[str] = []
    for number, risk in enumerate(new_risks, start=1):
        if not risk.description.strip():
            problems.append(f"Describe new known risk {number}.")
        elif len(risk.description) > MAX_TEXT:
            problems.append(f"New known risk {number} is too long.")
        if not risk.kind.is_operational and not may_see_safeguarding_history(by.role):
            problems.append("Only the DSL or a deputy DSL records safeguarding history.")
    return problems


def _review_view(
    session: Session,
    incident: Incident,
    by: SignedInUser,
    now: datetime,
    policy: SchoolPolicy,
) -> IncidentReview:
    names = display_names(
        session,
        (
            incident.raised_by_id,
            incident.resolved_by_id,
            incident.review_started_by_id,
            incident.signed_off_by_id,
        ),
    )
    visit = incident.visit
    risks: tuple[KnownRiskLine, ...] = ()
    if visit is not None:
        may_see_history = may_see_safeguarding_history(by.role)
        risks = tuple(
            KnownRiskLine(
                r.id, r.kind, r.description, r.recorded_at, r.ended_at, r.incident_id == incident.id
            )
            for r in session.scalars(
                sa.select(KnownRisk)
                .where(KnownRisk.household_id == visit.household_id)
                .order_by(KnownRisk.recorded_at, KnownRisk.id)
            )
            if r.kind.is_operational or may_see_history
        )
    due = incident.review_due_on or _due_on(incident.raised_at, policy)
    form = _form_of(incident)
    return IncidentReview(
        id=incident.id,
        kind=incident.kind,
        status=incident.status,
        is_drill=incident.is_drill,
        occurred_at=incident.occurred_at,
        raised_at=incident.raised_at,
        raised_by=names.get(incident.raised_by_id),
        summary=incident.summary,
        highest_stage=incident.highest_stage,
        resolution=incident.resolution,
        resolved_at=incident.resolved_at,
        resolved_by=names.get(incident.resolved_by_id),
        visit=_visit_of(visit) if visit is not None else None,
        timeline=tuple(_line(e) for e in visit.events) if visit is not None else (),
        form=form,
        review_due_on=due,
        overdue=is_overdue(
            incident.status, due, to_school_time(now).date(), is_drill=incident.is_drill
        ),
        review_started_at=incident.review_started_at,
        review_started_by=names.get(incident.review_started_by_id),
        signed_off_at=incident.signed_off_at,
        signed_off_by=names.get(incident.signed_off_by_id),
        known_risks=risks,
        gaps=tuple(review_gaps(form, incident.kind)),
        sign_off_refusals=tuple(sign_off_refusals(by.role, by.staff_id, _visitor_ids(incident))),
        awaiting_resolution=_awaiting_resolution(incident),
        may_add_known_risks=visit is not None and not (incident.is_drill or visit.is_drill),
        may_add_safeguarding_history=may_see_safeguarding_history(by.role),
    )


def _visit_of(visit: Visit) -> VisitOfIncident:
    return VisitOfIncident(
        id=visit.id,
        status=visit.status,
        planned_start=visit.planned_start,
        planned_end=visit.planned_end,
        address=visit.household.address,
        pupil=visit.pupil.full_name if visit.pupil is not None else None,
        visitors=tuple(vs.staff.full_name for vs in visit.visitors),
        visitor_staff_ids=tuple(vs.staff_id for vs in visit.visitors),
        household_id=visit.household_id,
    )


def _line(event: VisitEvent) -> TimelineLine:
    return TimelineLine(
        at=event.occurred_at,
        what=event_heading(event),
        details=event_details(event),
        recorded_by=event.recorded_by.display_name if event.recorded_by is not None else None,
        note=event.note,
    )


def _visit_label(visit: Visit) -> str:
    when = format_school_time(visit.planned_start, "%a %d %b %H:%M")
    who = visit.pupil.full_name if visit.pupil is not None else visit.household.area or "household"
    drill = "DRILL · " if visit.is_drill else ""
    return f"{drill}#{visit.id} · {when} · {who} ({visit.status.label.lower()})"


def _listed(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
