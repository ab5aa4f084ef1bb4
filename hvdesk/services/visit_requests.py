"""Visit requests: drafting, and submitting for authorisation (the risk assessment matrix is
`risk_assessments.RiskAssessments`).

Each method is one unit of work, names the signed-in user, and raises a typed `HvdeskError` with
a message for the office, writing nothing, when it cannot do what was asked. Logs carry ids only.

Rules decided here:
* Any active account may draft a request; a request is edited only while it is a draft or sent
  back for changes (an authorised one changes through `Authorisations.amend`).
* Submitting runs every check of `domain.visit_request.check` with the facts read from the
  database now, plus the risk assessment: there must be one, its rows must be valid, and a
  HIGH residual risk may not be a lone visit. Any blocker refuses the submission and lists all.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from hvdesk.clock import Clock
from hvdesk.db.database import Database
from hvdesk.db.models import (
    Household,
    Professional,
    Pupil,
    Staff,
    Visit,
    VisitStaff,
)
from hvdesk.domain.policy import SchoolPolicy
from hvdesk.domain.risk import BandThresholds, RiskBand
from hvdesk.domain.risk_matrix import row_problems, summarise
from hvdesk.domain.text import trimmed
from hvdesk.domain.visit_request import (
    MAX_VISITORS,
    Booking,
    Problem,
    VisitorFacts,
    VisitRequestDraft,
    blockers,
    check,
    is_out_of_hours,
)
from hvdesk.domain.visits import AuthorisationDecision, VisitorRole, VisitStatus
from hvdesk.services.directory import school_policy
from hvdesk.services.identity import SignedInUser
from hvdesk.services.risk_assessments import latest_assessment, rows_of
from hvdesk.services.visit_request_common import (
    EDITABLE,
    RequestNotFound,
    RequestNotReady,
    RequestRefused,
    active_account,
    load_visit,
)

__all__ = [
    "EDITABLE",
    "RequestNotFound",
    "RequestNotReady",
    "RequestRefused",
    "SentBack",
    "VisitRequests",
]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SentBack:
    """Why the authoriser sent a request back, shown when it is reopened for changes."""

    comment: str
    by_name: str
    at: datetime


class VisitRequests:
    """Use cases of the visit request, before authorisation."""

    def __init__(self, database: Database, clock: Clock) -> None:
        self._database = database
        self._clock = clock

    # -- the request ---------------------------------------------------------------------------

    def save_draft(
        self, draft: VisitRequestDraft, by: SignedInUser, visit_id: int | None = None
    ) -> int:
        """Create a draft (no `visit_id`) or update one still editable; returns the visit id.

        Only what would make the record meaningless is refused here (unknown household, pupil,
        staff or social worker); everything else is reported by `problems` and `submit`.
        """
        now = self._clock.now()
        with self._database.session() as session:
            active_account(session, by)
            policy = school_policy(session)
            _check_references(session, draft)
            if visit_id is None:
                visit = Visit(status=VisitStatus.DRAFT, created_by_id=by.user_id, created_at=now)
                session.add(visit)
            else:
                visit = load_visit(session, visit_id)
                if visit.status not in EDITABLE:
                    raise RequestRefused(
                        f"Visit {visit.id} is {visit.status.label.lower()}: it can no longer be "
                        "edited as a draft.",
                        "An authorised visit is changed with an amendment.",
                    )
            apply_draft(visit, draft, policy)
            session.flush()
            saved = visit.id
        log.info("Visit %s draft saved by user %s", saved, by.user_id)
        return saved

    def draft(self, visit_id: int) -> VisitRequestDraft:
        """The request as stored, for the form."""
        with self._database.session() as session:
            return draft_from_visit(load_visit(session, visit_id))

    def problems(self, visit_id: int) -> list[Problem]:
        """Every problem (blockers and warnings) that submitting would find now."""
        now = self._clock.now()
        with self._database.session() as session:
            visit = load_visit(session, visit_id)
            return request_problems(session, visit, school_policy(session), now)

    def problems_for(self, draft: VisitRequestDraft, visit_id: int | None = None) -> list[Problem]:
        """Every problem submitting `draft` would meet now, before it is saved: what the form
        shows as the user edits. `visit_id` names the request being edited (its own booking
        is no clash, its risk assessment is checked); a new request has no assessment yet.
        A household that does not exist (the form passes 0 until one is chosen) is a problem
        here rather than a refusal, so the form can list it with the others."""
        now = self._clock.now()
        with self._database.session() as session:
            policy = school_policy(session)
            found: list[Problem] = []
            if session.get(Household, draft.household_id) is None:
                found.append(
                    Problem("household", "Pupil or household: search for one and choose it.")
                )
            if visit_id is None:
                found += check(draft, visitor_facts(session, draft.visitor_staff_ids), policy, now)
                found.append(Problem("risk", "Risk assessment: start and complete it."))
                return found
            visit = load_visit(session, visit_id)
            return found + request_problems(session, visit, policy, now, draft=draft)

    def sent_back(self, visit_id: int) -> SentBack | None:
        """The authoriser's comment when the request was last sent back for changes, while it
        waits for them (None otherwise)."""
        with self._database.session() as session:
            visit = load_visit(session, visit_id)
            if visit.status is not VisitStatus.CHANGES_REQUESTED:
                return None
            decisions = [
                a
                for a in visit.authorisations
                if a.decision is AuthorisationDecision.CHANGES_REQUESTED
            ]
            if not decisions:
                return None
            last = max(decisions, key=lambda a: (a.decided_at, a.id))
            return SentBack(last.comment or "", last.decided_by.display_name, last.decided_at)

    def submit(self, visit_id: int, by: SignedInUser) -> list[Problem]:
        """Send the request to the authorisers; returns the warnings that remain."""
        now = self._clock.now()
        with self._database.session() as session:
            active_account(session, by)
            visit = load_visit(session, visit_id)
            if visit.status not in EDITABLE:
                raise RequestRefused(
                    f"Visit {visit.id} is {visit.status.label.lower()}; only a draft or a request "
                    "sent back for changes can be submitted."
                )
            problems = request_problems(session, visit, school_policy(session), now)
            blocking = blockers(problems)
            if blocking:
                raise RequestNotReady(blocking)
            visit.status = VisitStatus.AWAITING_AUTHORISATION
            visit.submitted_at = now
        log.info("Visit %s submitted for authorisation by user %s", visit_id, by.user_id)
        return problems


# --- shared with the authorisation and lookup services -----------------------------------------


def apply_draft(visit: Visit, draft: VisitRequestDraft, policy: SchoolPolicy) -> None:
    """Copy the draft onto the visit (visitors in order: the first leads)."""
    visit.household_id = draft.household_id
    visit.pupil_id = draft.pupil_id
    visit.reason = draft.reason
    visit.reason_other = trimmed(draft.reason_other)
    visit.purpose = (draft.purpose or "").strip()
    visit.parent_could_come_in = draft.parent_could_come_in
    visit.parent_could_come_in_note = trimmed(draft.parent_could_come_in_note)
    visit.announced = draft.announced
    visit.unannounced_reason = trimmed(draft.unannounced_reason)
    visit.entry_mode = draft.entry_mode
    visit.planned_start = draft.planned_start
    visit.planned_end = draft.planned_end
    visit.lone_visit_justification = trimmed(draft.lone_visit_justification)
    visit.safe_word = trimmed(draft.safe_word)
    visit.responsible_contact_name = trimmed(draft.responsible_contact_name)
    visit.responsible_contact_phone = trimmed(draft.responsible_contact_phone)
    visit.social_worker_id = draft.social_worker_id
    visit.joint_visit = draft.joint_visit
    visit.resources_to_take = trimmed(draft.resources_to_take)
    visit.vehicle = trimmed(draft.vehicle)
    visit.out_of_hours = draft.planned_start < draft.planned_end and is_out_of_hours(
        draft.planned_start, draft.planned_end, policy
    )
    set_visitors(visit, draft.visitor_staff_ids)


def set_visitors(visit: Visit, staff_ids: Sequence[int]) -> None:
    """The visitors in order (the first leads), keeping the rows of those who stay."""
    wanted = list(dict.fromkeys(staff_ids))
    kept = {v.staff_id: v for v in visit.visitors}
    rows = []
    for position, staff_id in enumerate(wanted):
        row = kept.get(staff_id) or VisitStaff(staff_id=staff_id)
        row.role = VisitorRole.LEAD if position == 0 else VisitorRole.SECOND
        row.position = position
        rows.append(row)
    visit.visitors[:] = rows


def draft_from_visit(visit: Visit) -> VisitRequestDraft:
    return VisitRequestDraft(
        household_id=visit.household_id,
        planned_start=visit.planned_start,
        planned_end=visit.planned_end,
        reason=visit.reason,
        purpose=visit.purpose,
        pupil_id=visit.pupil_id,
        reason_other=visit.reason_other,
        parent_could_come_in=visit.parent_could_come_in,
        parent_could_come_in_note=visit.parent_could_come_in_note,
        announced=visit.announced,
        unannounced_reason=visit.unannounced_reason,
        entry_mode=visit.entry_mode,
        visitor_staff_ids=tuple(v.staff_id for v in visit.visitors),
        lone_visit_justification=visit.lone_visit_justification,
        safe_word=visit.safe_word,
        responsible_contact_name=visit.responsible_contact_name,
        responsible_contact_phone=visit.responsible_contact_phone,
        social_worker_id=visit.social_worker_id,
        joint_visit=visit.joint_visit,
        resources_to_take=visit.resources_to_take,
        vehicle=visit.vehicle,
    )


def visitor_facts(session: Session, staff_ids: Sequence[int]) -> dict[int, VisitorFacts]:
    """The facts the checks need about each visitor, their other bookings included."""
    if not staff_ids:
        return {}
    staff = session.scalars(sa.select(Staff).where(Staff.id.in_(staff_ids))).all()
    bookings: dict[int, list[Booking]] = {s.id: [] for s in staff}
    rows = session.execute(
        sa.select(
            VisitStaff.staff_id, Visit.id, Visit.planned_start, Visit.planned_end, Visit.status
        )
        .join(Visit, VisitStaff.visit_id == Visit.id)
        .where(
            VisitStaff.staff_id.in_(staff_ids),
            Visit.status.in_(
                [VisitStatus.AWAITING_AUTHORISATION, VisitStatus.AUTHORISED, VisitStatus.OUT]
            ),
        )
    )
    for staff_id, visit_id, start, end, status in rows:
        bookings[staff_id].append(Booking(visit_id, start, end, status))
    return {
        s.id: VisitorFacts(
            staff_id=s.id,
            name=s.full_name,
            work_mobile=s.work_mobile,
            emergency_contact_phone=s.emergency_contact_phone,
            safeguarding_trained_on=s.safeguarding_trained_on,
            dbs_level=s.dbs_level,
            dbs_checked_on=s.dbs_checked_on,
            active=s.active,
            bookings=tuple(bookings[s.id]),
        )
        for s in staff
    }


def request_problems(
    session: Session,
    visit: Visit,
    policy: SchoolPolicy,
    now: datetime,
    *,
    draft: VisitRequestDraft | None = None,
) -> list[Problem]:
    """The request's problems with facts read now, plus the risk assessment's; `draft` checks
    edits not yet saved in place of the stored request."""
    draft = draft if draft is not None else draft_from_visit(visit)
    problems = check(
        draft, visitor_facts(session, draft.visitor_staff_ids), policy, now, visit_id=visit.id
    )
    assessment = latest_assessment(visit)
    if assessment is None:
        problems.append(Problem("risk", "Risk assessment: start and complete it."))
        return problems
    rows = rows_of(assessment)
    row_errors = row_problems(rows)
    problems.extend(Problem("risk", f"Risk assessment: {text}") for text in row_errors)
    if not row_errors:
        bands = BandThresholds(assessment.band_low_max, assessment.band_medium_max)
        if summarise(rows, bands).highest_residual_band is RiskBand.HIGH and draft.is_lone:
            problems.append(
                Problem(
                    "risk",
                    "Risk assessment: the risk stays high after controls, so this cannot be a "
                    "lone visit; add a second visitor or controls that bring the risk down.",
                )
            )
    return problems


# --- helpers -------------------------------------------------------------------------------------


def _check_references(session: Session, draft: VisitRequestDraft) -> None:
    if session.get(Household, draft.household_id) is None:
        raise RequestRefused("Choose the household from the list.")
    if draft.pupil_id is not None:
        pupil = session.get(Pupil, draft.pupil_id)
        if pupil is None or pupil.household_id != draft.household_id:
            raise RequestRefused("Choose a pupil who lives at the chosen household.")
    if draft.social_worker_id is not None:
        worker = session.get(Professional, draft.social_worker_id)
        if worker is None or worker.household_id != draft.household_id:
            raise RequestRefused("Choose a social worker allocated to the chosen household.")
    ids = set(draft.visitor_staff_ids)
    if len(ids) > MAX_VISITORS:
        raise RequestRefused(f"At most {MAX_VISITORS} staff go on one visit.")
    if ids:
        found = set(session.scalars(sa.select(Staff.id).where(Staff.id.in_(ids))))
        if found != ids:
            raise RequestRefused("Choose the visitors from the staff list.")
    for name in ("planned_start", "planned_end"):
        value = getattr(draft, name)
        if not isinstance(value, datetime) or value.tzinfo is None:
            raise RequestRefused("Enter the planned date, start and end times.")
