"""Authorisation: the authorisers' queue, the signed approval, and amendments after it.

Each method is one unit of work naming the signed-in user; a refusal raises `NotPermitted` (from
the accounts service) or a `RequestRefused` with a message for the office, writing nothing.

Rules decided here:
* The queue is for the roles that may authorise (`SchoolPolicy.authorising_roles`).
* Approving is a signature: the password is re-entered (`Accounts.confirm_password`, whose wrong
  attempts count towards the same lock as signing in) only after the permission rules pass, and
  every rule is checked again in the unit of work that writes the approval. The request is also
  re-validated: a visitor booked elsewhere since submission blocks the approval.
* Permission rules (`permissions.authorisation_refusals`): the settings' authorising roles;
  nobody decides on a visit they are going on; lone and out-of-hours visits need the roles the
  settings name; a high residual risk needs the DSL or a deputy and is never lone. Sending back
  and refusing need an authorising role and not to be going on the visit.
* The approval stores a SHA-256 over a canonical JSON of what was approved: the visit, its
  household and address, planned start and end, entry mode (doorstep or enter changes the risk),
  the visitors in order, the risk rows and bands, and the conditions.
* Amending an authorised visit: a change to the substance (`SUBSTANCE_FIELDS`: times, household,
  visitors, entry mode, risk rows) voids the approval and returns the visit to the queue
  (submitted again now); other fields (`OTHER_FIELDS`) keep the approval. Either way the
  amendment is a NOTE event whose note is JSON: field, from, to, reason (who and when are the
  event's `recorded_by_id` and `recorded_at`). A risk change writes a new assessment based on the
  approved one, so the approved rows stay as they were signed.
* Amendments are made by authorisers, the requester, or the visitors; only while authorised.
  Several fields may change in one amendment (a visit moved later changes its start and end):
  they are checked together, each gets its own NOTE event, and one approval is voided.
* Reading a request in full (`review`) is for the authorisers, the requester and the visitors.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from hvdesk.clock import Clock
from hvdesk.db.database import Database
from hvdesk.db.models import (
    Authorisation,
    Household,
    RiskAssessment,
    Staff,
    UserAccount,
    Visit,
    VisitEvent,
    VisitStaff,
)
from hvdesk.domain.permissions import authorisation_refusals, may_authorise
from hvdesk.domain.policy import SchoolPolicy
from hvdesk.domain.risk import BandThresholds, RiskBand
from hvdesk.domain.risk_matrix import HazardRow
from hvdesk.domain.text import trimmed
from hvdesk.domain.visit_request import Problem, blockers, check, normalise_uk_phone
from hvdesk.domain.visits import AuthorisationDecision, EntryMode, EventKind, VisitStatus
from hvdesk.services import audit
from hvdesk.services.accounts import Accounts, NotPermitted
from hvdesk.services.authorisation_review import RequestReview, amendment_events, build_review
from hvdesk.services.directory import StaffChoice, school_policy
from hvdesk.services.identity import SignedInUser
from hvdesk.services.risk_assessments import latest_assessment, replace_rows, rows_of
from hvdesk.services.visit_request_common import (
    RequestNotReady,
    RequestRefused,
    active_account,
    load_visit,
)
from hvdesk.services.visit_requests import (
    apply_draft,
    draft_from_visit,
    request_problems,
    visitor_facts,
)

__all__ = [
    "OTHER_FIELDS",
    "SUBSTANCE_FIELDS",
    "Authorisations",
    "QueueItem",
    "StaffChoice",
    "substance_hash",
]

log = logging.getLogger(__name__)

SUBSTANCE_FIELDS: frozenset[str] = frozenset(
    {"planned_start", "planned_end", "household_id", "visitors", "entry_mode", "risk"}
)
OTHER_FIELDS: frozenset[str] = frozenset(
    {
        "purpose",
        "resources_to_take",
        "vehicle",
        "safe_word",
        "responsible_contact_name",
        "responsible_contact_phone",
        "parent_could_come_in_note",
    }
)


@dataclass(frozen=True)
class QueueItem:
    """A request waiting for a decision, as the authoriser's queue lists it."""

    visit_id: int
    submitted_at: datetime
    waiting: timedelta
    planned_start: datetime
    planned_end: datetime
    area: str
    visitors: tuple[str, ...]
    lone: bool
    out_of_hours: bool
    highest_residual_band: RiskBand | None
    resubmitted: bool
    pupil: str = ""
    reason: str = ""
    status: VisitStatus = VisitStatus.AWAITING_AUTHORISATION

    @property
    def risk_summary(self) -> str:
        band = self.highest_residual_band.label if self.highest_residual_band else "not assessed"
        flags = [f for f, on in (("lone", self.lone), ("out of hours", self.out_of_hours)) if on]
        return f"Highest residual risk: {band}" + (f" ({', '.join(flags)})" if flags else "")


class Authorisations:
    """The authorisers' use cases."""

    def __init__(self, database: Database, clock: Clock, accounts: Accounts) -> None:
        self._database = database
        self._clock = clock
        self._accounts = accounts

    def queue(self, by: SignedInUser) -> list[QueueItem]:
        """Requests awaiting authorisation, oldest submission first."""
        now = self._clock.now()
        with self._database.session() as session:
            self._require_authoriser(session, by)
            visits = _listed_visits(session, Visit.status == VisitStatus.AWAITING_AUTHORISATION)
            items = [_queue_item(visit, now) for visit in visits]
        return sorted(items, key=lambda i: (i.submitted_at, i.visit_id))

    def upcoming_authorised(self, by: SignedInUser) -> list[QueueItem]:
        """Authorised visits not yet over, soonest first: what an authoriser may still amend
        (the waiting time is zero: nobody is waiting for them)."""
        now = self._clock.now()
        with self._database.session() as session:
            self._require_authoriser(session, by)
            visits = _listed_visits(
                session, Visit.status == VisitStatus.AUTHORISED, Visit.planned_end > now
            )
            items = [replace(_queue_item(visit, now), waiting=timedelta(0)) for visit in visits]
        return sorted(items, key=lambda i: (i.planned_start, i.visit_id))

    def review(self, visit_id: int, by: SignedInUser) -> RequestReview:
        """Everything about one request an authoriser reads before deciding, with the
        reasons this user could not approve it now (empty if they could)."""
        now = self._clock.now()
        with audit.writing_as(self._database, by, self._clock) as session:
            account = active_account(session, by)
            visit = load_visit(session, visit_id)
            policy = school_policy(session)
            if not _authoriser_or_involved(account, visit, policy, by):
                raise NotPermitted(
                    "A visit request is read in full by the authorisers, the requester and the "
                    "visitors."
                )
            # The review shows the family's address, known risks and the pupil: a view.
            audit.note_view(session, "households", visit.household_id)
            if visit.pupil_id is not None:
                audit.note_view(session, "pupils", visit.pupil_id)
            assessment = latest_assessment(visit)
            problems = request_problems(session, visit, policy, now)
            refusals: list[str] = []
            if visit.status is VisitStatus.AWAITING_AUTHORISATION:
                refusals = _permission_refusals(account, visit, policy) + [
                    p.message for p in blockers(problems)
                ]
            approval = approval_in_force(visit.authorisations)
            return build_review(
                session,
                visit,
                viewer=account,
                policy=policy,
                now=now,
                rows=rows_of(assessment) if assessment else [],
                bands=BandThresholds(assessment.band_low_max, assessment.band_medium_max)
                if assessment
                else None,
                risk_notes=assessment.notes if assessment else None,
                problems=problems,
                approval_refusals=refusals,
                approval_current=approval is not None
                and approval.approved_hash == substance_hash(visit, approval.conditions),
            )

    def staff_choices(self, by: SignedInUser) -> list[StaffChoice]:
        """Active staff by surname, for choosing visitors in an amendment."""
        with self._database.session() as session:
            active_account(session, by)
            staff = session.scalars(
                sa.select(Staff)
                .where(Staff.active.is_(True))
                .order_by(Staff.last_name, Staff.first_name, Staff.id)
            ).all()
            return [StaffChoice(s.id, s.full_name, s.job_role.label) for s in staff]

    def approve(
        self,
        visit_id: int,
        by: SignedInUser,
        password: str,
        conditions: str | None = None,
    ) -> int:
        """Sign the approval; returns the authorisation's id."""
        with self._database.session() as session:
            self._approvable(session, visit_id, by)  # refuse before asking for the signature
        self._accounts.confirm_password(by, password)
        now = self._clock.now()
        conditions = trimmed(conditions)
        with self._database.session() as session:
            visit = self._approvable(session, visit_id, by)
            digest = substance_hash(visit, conditions)
            decision = Authorisation(
                visit_id=visit.id,
                decision=AuthorisationDecision.APPROVED,
                decided_by_id=by.user_id,
                decided_at=now,
                conditions=conditions,
                approved_hash=digest,
            )
            session.add(decision)
            visit.status = VisitStatus.AUTHORISED
            session.flush()
            decision_id = decision.id
        log.info(
            "Visit %s approved by user %s (authorisation %s)", visit_id, by.user_id, decision_id
        )
        return decision_id

    def send_back(self, visit_id: int, by: SignedInUser, comment: str) -> int:
        """Return the request to the requester with a comment saying what to change."""
        return self._decide(
            visit_id, by, AuthorisationDecision.CHANGES_REQUESTED, comment, "what to change"
        )

    def refuse(self, visit_id: int, by: SignedInUser, reason: str) -> int:
        """Refuse the request with a reason (final)."""
        return self._decide(visit_id, by, AuthorisationDecision.REFUSED, reason, "why")

    def amend(
        self,
        visit_id: int,
        by: SignedInUser,
        field: str,
        new_value: Any,
        reason: str,
    ) -> int:
        """Change one field of an authorised visit; returns the amendment event's id.

        `new_value` is a UTC datetime for times, an int for the household, a sequence of staff
        ids for visitors, an `EntryMode`, a sequence of `HazardRow` for the risk, else text.
        """
        return self.amend_many(visit_id, by, {field: new_value}, reason)[0]

    def amend_many(
        self,
        visit_id: int,
        by: SignedInUser,
        changes: Mapping[str, Any],
        reason: str,
    ) -> list[int]:
        """Change several fields of an authorised visit in one go (values as for `amend`),
        checked together; returns the amendment events' ids, one per field that changed."""
        why = trimmed(reason)
        if why is None:
            raise RequestRefused("Say why the visit is being changed; nothing was changed.")
        if not changes:
            raise RequestRefused("Nothing was changed: change at least one field.")
        for field in changes:
            if field not in SUBSTANCE_FIELDS | OTHER_FIELDS:
                raise RequestRefused(f"“{field}” cannot be amended on an authorised visit.")
        now = self._clock.now()
        with self._database.session() as session:
            account = active_account(session, by)
            visit = load_visit(session, visit_id)
            policy = school_policy(session)
            if visit.status is not VisitStatus.AUTHORISED:
                raise RequestRefused(
                    f"Visit {visit.id} is {visit.status.label.lower()}: only an authorised visit "
                    "is amended (a request not yet authorised is edited as a draft)."
                )
            if not _authoriser_or_involved(account, visit, policy, by):
                raise NotPermitted(
                    "An authorised visit is amended by an authoriser, the requester or a visitor."
                )
            old = {field: _field_value(visit, field) for field in changes}
            substance = {f: v for f, v in changes.items() if f in SUBSTANCE_FIELDS}
            new: dict[str, Any] = {}
            if substance:
                new.update(self._amend_substance(session, visit, substance, policy, by, now))
            for field, value in changes.items():
                if field not in SUBSTANCE_FIELDS:
                    new[field] = _amend_other(visit, field, value)
            changed = [field for field in changes if new[field] != old[field]]
            if not changed:
                named = ", ".join(f"“{f}”" for f in changes)
                raise RequestRefused(f"The new value of {named} is the same as the old one.")
            voided = None
            changed_substance = [f for f in changed if f in SUBSTANCE_FIELDS]
            if changed_substance:
                approval = approval_in_force(visit.authorisations)
                if approval is not None:
                    approval.voided_at = now
                    approval.void_reason = f"Amended {', '.join(changed_substance)}: {why}"
                    voided = approval.id
                visit.status = VisitStatus.AWAITING_AUTHORISATION
                visit.submitted_at = now
            events = []
            for field in changed:
                note = {
                    "amendment": field,
                    "from": old[field],
                    "to": new[field],
                    "reason": why,
                    "voided_authorisation": voided if field in SUBSTANCE_FIELDS else None,
                }
                event = VisitEvent(
                    visit_id=visit.id,
                    kind=EventKind.NOTE,
                    occurred_at=now,
                    recorded_at=now,
                    recorded_by_id=by.user_id,
                    note=json.dumps(note, sort_keys=True, ensure_ascii=False),
                )
                session.add(event)
                events.append(event)
            session.flush()
            event_ids = [event.id for event in events]
        log.info(
            "Visit %s amended (%s) by user %s, events %s%s",
            visit_id,
            ", ".join(changed),
            by.user_id,
            event_ids,
            f", authorisation {voided} voided" if voided else "",
        )
        return event_ids

    def amendments(self, visit_id: int) -> list[dict[str, Any]]:
        """The visit's amendments, oldest first, with who (user id) and when."""
        with self._database.session() as session:
            return [
                {**data, "by_user_id": event.recorded_by_id, "at": event.occurred_at}
                for event, data in amendment_events(session, visit_id)
            ]

    def approval_is_current(self, visit_id: int) -> bool:
        """True if the visit has an approval that is not voided and whose hash still matches."""
        with self._database.session() as session:
            visit = load_visit(session, visit_id)
            approval = approval_in_force(visit.authorisations)
            return approval is not None and approval.approved_hash == substance_hash(
                visit, approval.conditions
            )

    # -- plumbing ------------------------------------------------------------------------------

    def _approvable(self, session: Session, visit_id: int, by: SignedInUser) -> Visit:
        account = active_account(session, by)
        visit = load_visit(session, visit_id)
        _require_awaiting(visit)
        policy = school_policy(session)
        reasons = _permission_refusals(account, visit, policy)
        if reasons:
            raise NotPermitted(" ".join(reasons), "Ask someone who may approve this visit.")
        blocking = blockers(request_problems(session, visit, policy, self._clock.now()))
        if blocking:
            raise RequestNotReady(blocking, "approved")
        return visit

    def _decide(
        self,
        visit_id: int,
        by: SignedInUser,
        decision: AuthorisationDecision,
        text: str,
        asked: str,
    ) -> int:
        words = trimmed(text)
        if words is None:
            raise RequestRefused(f"Say {asked}; nothing was recorded.")
        now = self._clock.now()
        with self._database.session() as session:
            account = active_account(session, by)
            visit = load_visit(session, visit_id)
            _require_awaiting(visit)
            reasons = authorisation_refusals(
                account.role,
                school_policy(session),
                authoriser_staff_id=account.staff_id,
                visitor_staff_ids=[v.staff_id for v in visit.visitors],
                lone=False,
                out_of_hours=False,
            )
            if reasons:
                raise NotPermitted(" ".join(reasons))
            row = Authorisation(
                visit_id=visit.id,
                decision=decision,
                decided_by_id=by.user_id,
                decided_at=now,
                comment=words,
            )
            session.add(row)
            visit.status = (
                VisitStatus.CHANGES_REQUESTED
                if decision is AuthorisationDecision.CHANGES_REQUESTED
                else VisitStatus.REFUSED
            )
            session.flush()
            row_id = row.id
        log.info("Visit %s %s by user %s", visit_id, decision.value, by.user_id)
        return row_id

    def _require_authoriser(self, session: Session, by: SignedInUser) -> None:
        account = active_account(session, by)
        if not may_authorise(account.role, school_policy(session)):
            raise NotPermitted(
                "Only the roles that authorise visits see the authorisation queue.",
            )

    def _amend_substance(
        self,
        session: Session,
        visit: Visit,
        changes: Mapping[str, Any],
        policy: SchoolPolicy,
        by: SignedInUser,
        now: datetime,
    ) -> dict[str, Any]:
        """Apply the substance changes together (one check of the request); returns each
        field's new value as JSON-ready data."""
        draft_changes = {f: v for f, v in changes.items() if f != "risk"}
        if draft_changes:
            self._amend_request(session, visit, draft_changes, policy, now)
        if "risk" in changes:
            self._amend_risk(visit, changes["risk"], by, now)
            session.flush()  # the new assessment gets its id, so it reads as the latest
        return {field: _field_value(visit, field) for field in changes}

    def _amend_risk(self, visit: Visit, value: Any, by: SignedInUser, now: datetime) -> None:
        rows = list(value)
        if not all(isinstance(r, HazardRow) for r in rows):
            raise RequestRefused("The risk is amended with the rows of the matrix.")
        current = latest_assessment(visit)
        if current is None:
            raise RequestRefused(f"Visit {visit.id} has no risk assessment to amend.")
        fresh = RiskAssessment(
            visit_id=visit.id,
            household_id=visit.household_id,
            based_on_id=current.id,
            band_low_max=current.band_low_max,
            band_medium_max=current.band_medium_max,
            notes=current.notes,
            created_by_id=by.user_id,
            created_at=now,
        )
        replace_rows(fresh, rows)
        visit.risk_assessments.append(fresh)

    def _amend_request(
        self,
        session: Session,
        visit: Visit,
        changes: Mapping[str, Any],
        policy: SchoolPolicy,
        now: datetime,
    ) -> None:
        draft = draft_from_visit(visit)
        for field, value in changes.items():
            if field in ("planned_start", "planned_end"):
                if not isinstance(value, datetime) or value.tzinfo is None:
                    raise RequestRefused("Give the new time as a date and time.")
                if field == "planned_start":
                    draft = replace(draft, planned_start=value)
                else:
                    draft = replace(draft, planned_end=value)
            elif field == "household_id":
                if not isinstance(value, int) or session.get(Household, value) is None:
                    raise RequestRefused("Choose the household from the list.")
                draft = replace(draft, household_id=value, pupil_id=None, social_worker_id=None)
                draft = replace(draft, joint_visit=False)
            elif field == "visitors":
                draft = replace(draft, visitor_staff_ids=tuple(int(v) for v in value))
            elif field == "entry_mode":
                draft = replace(draft, entry_mode=EntryMode(value))
        problems: list[Problem] = blockers(
            check(
                draft,
                visitor_facts(session, draft.visitor_staff_ids),
                policy,
                now,
                visit_id=visit.id,
            )
        )
        if problems:
            raise RequestNotReady(problems, "amended")
        apply_draft(visit, draft, policy)


def _authoriser_or_involved(
    account: UserAccount, visit: Visit, policy: SchoolPolicy, by: SignedInUser
) -> bool:
    """Who reads a request in full and amends an authorised visit: an authoriser, the
    requester or one of the visitors."""
    return (
        may_authorise(account.role, policy)
        or visit.created_by_id == by.user_id
        or (by.staff_id is not None and by.staff_id in {v.staff_id for v in visit.visitors})
    )


# --- the hash of what was approved -----------------------------------------------------------


def substance_hash(visit: Visit, conditions: str | None) -> str:
    """SHA-256 (hex) of a canonical JSON of exactly what an approval covers."""
    assessment = latest_assessment(visit)
    payload = {
        "visit_id": visit.id,
        "household_id": visit.household_id,
        "address": visit.household.address,
        "planned_start": _iso(visit.planned_start),
        "planned_end": _iso(visit.planned_end),
        "entry_mode": visit.entry_mode.value,
        "visitors": [[v.staff_id, v.role.value] for v in visit.visitors],
        "risk": None
        if assessment is None
        else {
            "bands": [assessment.band_low_max, assessment.band_medium_max],
            "rows": [_row_json(r) for r in rows_of(assessment)],
        },
        "conditions": conditions,
    }
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


# --- helpers -------------------------------------------------------------------------------------


def _field_value(visit: Visit, field: str) -> Any:
    """A field's value as JSON-ready data, for the amendment note and comparison."""
    if field == "risk":
        current = latest_assessment(visit)
        return [_row_json(r) for r in rows_of(current)] if current else None
    if field == "visitors":
        return [v.staff_id for v in visit.visitors]
    value = getattr(visit, field)
    if isinstance(value, datetime):
        return _iso(value)
    if isinstance(value, EntryMode):
        return value.value
    return value


def _amend_other(visit: Visit, field: str, value: Any) -> Any:
    text = trimmed(None if value is None else str(value))
    if (
        field == "responsible_contact_phone"
        and text is not None
        and normalise_uk_phone(text) is None
    ):
        raise RequestRefused(
            "The responsible contact's phone is not a valid UK number (for example 07700 900123)."
        )
    if field == "purpose" and text is None:
        raise RequestRefused("The purpose cannot be empty.")
    setattr(visit, field, text if text is not None or field != "purpose" else "")
    return text


def _permission_refusals(account: UserAccount, visit: Visit, policy: SchoolPolicy) -> list[str]:
    """Every permission rule that stops `account` approving `visit`, in words."""
    assessment = latest_assessment(visit)
    return authorisation_refusals(
        account.role,
        policy,
        authoriser_staff_id=account.staff_id,
        visitor_staff_ids=[v.staff_id for v in visit.visitors],
        lone=visit.is_lone,
        out_of_hours=visit.out_of_hours,
        highest_residual_band=assessment.highest_residual_band if assessment else None,
    )


def _listed_visits(session: Session, *where: Any) -> list[Visit]:
    """Visits (no drills) for the authorisers' lists, with what a list row shows loaded."""
    return list(
        session.scalars(
            sa.select(Visit)
            .where(Visit.is_drill.is_(False), *where)
            .options(
                selectinload(Visit.visitors).joinedload(VisitStaff.staff),
                selectinload(Visit.risk_assessments),
                selectinload(Visit.authorisations),
                selectinload(Visit.household),
                selectinload(Visit.pupil),
            )
        ).all()
    )


def _queue_item(visit: Visit, now: datetime) -> QueueItem:
    submitted = visit.submitted_at or visit.created_at
    assessment = latest_assessment(visit)
    pupil = visit.pupil
    return QueueItem(
        visit_id=visit.id,
        submitted_at=submitted,
        waiting=max(now - submitted, timedelta(0)),
        planned_start=visit.planned_start,
        planned_end=visit.planned_end,
        area=visit.household.area,
        visitors=tuple(v.staff.full_name for v in visit.visitors),
        lone=visit.is_lone,
        out_of_hours=visit.out_of_hours,
        highest_residual_band=assessment.highest_residual_band if assessment else None,
        resubmitted=bool(visit.authorisations),
        pupil=f"{pupil.first_name} {pupil.last_name}" if pupil else "",
        reason=visit.reason.label,
        status=visit.status,
    )


def approval_in_force(authorisations: Iterable[Authorisation]) -> Authorisation | None:
    """The approval a visit goes out on: the latest approval not voided (None if there is none);
    the same for the queue, the printed forms and the CPOMS summary."""
    approvals = [
        a
        for a in authorisations
        if a.decision is AuthorisationDecision.APPROVED and a.voided_at is None
    ]
    return max(approvals, key=lambda a: (a.decided_at, a.id)) if approvals else None


def _require_awaiting(visit: Visit) -> None:
    if visit.status is not VisitStatus.AWAITING_AUTHORISATION:
        raise RequestRefused(
            f"Visit {visit.id} is {visit.status.label.lower()}, not awaiting authorisation; "
            "nothing was recorded."
        )


def _row_json(row: HazardRow) -> dict[str, Any]:
    return {
        "hazard": row.hazard,
        "who_at_risk": row.who_at_risk,
        "severity": row.severity,
        "likelihood": row.likelihood,
        "controls": row.controls,
        "residual_severity": row.residual_severity,
        "residual_likelihood": row.residual_likelihood,
        "source": row.source,
        "known_risk_id": row.known_risk_id,
    }


def _iso(instant: datetime) -> str:
    return instant.isoformat(timespec="seconds")
