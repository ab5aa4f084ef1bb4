"""Retention review: records past their date are listed for the DSL, who may delete them; a
legal hold blocks deletion. A deletion is logged by category, rule, count, who and when, never
with what was deleted.

A batch is all-or-nothing: if any record in it is not yet due, or is held, nothing is deleted.
Holds reach down: a hold on a household or a pupil holds their visits; a hold on a visit holds
its incidents. Automatic backups are pruned to the number to keep (Settings), so a deleted
record leaves the backups within that many days.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from hvdesk.clock import Clock, to_school_time
from hvdesk.db.database import Database
from hvdesk.db.models import (
    Household,
    Incident,
    KnownRisk,
    LegalHold,
    Pupil,
    RetentionDeletion,
    RiskAssessment,
    Staff,
    UserAccount,
    Visit,
)
from hvdesk.domain.incidents import IncidentStatus
from hvdesk.domain.permissions import may_manage_retention
from hvdesk.domain.policy import SchoolPolicy
from hvdesk.domain.retention import (
    RetentionCategory,
    incident_review_date,
    pupil_review_date,
    rule_text,
    staff_review_date,
    visit_review_date,
)
from hvdesk.errors import HvdeskError
from hvdesk.services import audit
from hvdesk.services.accounts import NotPermitted
from hvdesk.services.directory import school_policy
from hvdesk.services.identity import SignedInUser
from hvdesk.services.visit_request_common import active_account

log = logging.getLogger(__name__)

RECORD_TYPES: dict[RetentionCategory, str] = {
    RetentionCategory.VISIT: "visit",
    RetentionCategory.PUPIL: "pupil",
    RetentionCategory.INCIDENT: "incident",
    RetentionCategory.STAFF_DETAILS: "staff",
}
HOLDABLE = ("household", "pupil", "visit", "incident", "staff")
STAFF_DETAIL_FIELDS = (
    "email",
    "work_mobile",
    "emergency_contact_name",
    "emergency_contact_relationship",
    "emergency_contact_phone",
    "vehicle_make",
    "vehicle_model",
    "vehicle_colour",
    "vehicle_registration",
    "description",
)


class RetentionRefused(HvdeskError):
    """A deletion or hold that cannot be done; nothing was changed."""

    title = "Not deleted"


@dataclass(frozen=True)
class DueRecord:
    """One record past its retention date. `label` names it without personal data."""

    category: RetentionCategory
    record_type: str
    record_id: int
    label: str
    review_on: date
    held_by: str | None  # the reason of the hold that blocks deletion, if any


@dataclass(frozen=True)
class DeletionRow:
    """One line of the deletion log (what was deleted is, by design, not in it)."""

    entry_id: int
    category: str
    rule: str
    record_count: int
    deleted_at: datetime
    deleted_by: str

    @property
    def category_label(self) -> str:
        try:
            return RetentionCategory(self.category).label
        except ValueError:
            return self.category


@dataclass(frozen=True)
class HoldRow:
    hold_id: int
    record_type: str
    record_id: int
    reason: str
    placed_at: datetime


class Retention:
    """The retention review of one database."""

    def __init__(self, database: Database, clock: Clock) -> None:
        self._database = database
        self._clock = clock

    def due(self, by: SignedInUser) -> list[DueRecord]:
        """Every record past its date, oldest date first (held ones included, marked)."""
        today = to_school_time(self._clock.now()).date()
        with self._database.session() as session:
            self._require(session, by)
            policy = school_policy(session)
            holds = _active_holds(session)
            found = [
                *_due_visits(session, policy, today, holds),
                *_due_pupils(session, policy, today, holds),
                *_due_incidents(session, policy, today, holds),
                *_due_staff(session, policy, today, holds),
            ]
        return sorted(found, key=lambda r: (r.review_on, r.record_type, r.record_id))

    def delete(
        self, category: RetentionCategory, record_ids: Sequence[int], by: SignedInUser
    ) -> int:
        """Delete (staff: erase the details of) these records; returns the log entry's id."""
        wanted = sorted(set(record_ids))
        if not wanted:
            raise RetentionRefused("No records were chosen.", "Choose the records to delete.")
        today = to_school_time(self._clock.now()).date()
        with audit.writing_as(self._database, by, self._clock) as session:
            self._require(session, by)
            policy = school_policy(session)
            holds = _active_holds(session)
            due = {r.record_id: r for r in _FINDERS[category](session, policy, today, holds)}
            missing = [i for i in wanted if i not in due]
            held = [i for i in wanted if i in due and due[i].held_by is not None]
            if missing or held:
                problems = []
                if missing:
                    problems.append(f"not yet due for deletion: {_ids(missing)}")
                if held:
                    problems.append(f"under a legal hold: {_ids(held)}")
                raise RetentionRefused(
                    f"Nothing was deleted: {RECORD_TYPES[category]} {'; '.join(problems)}.",
                    "Refresh the list and choose only records that are due and not held.",
                )
            _remove(session, category, wanted)
            entry = RetentionDeletion(
                category=category.value,
                rule=rule_text(category, policy),
                record_type=RECORD_TYPES[category],
                record_count=len(wanted),
                deleted_at=self._clock.now(),
                deleted_by_id=by.user_id,
            )
            session.add(entry)
            session.flush()
            entry_id = entry.id
        log.info(
            "Retention: %s %s record(s) deleted by user %s (log %s)",
            len(wanted),
            category.value,
            by.user_id,
            entry_id,
        )
        return entry_id

    def deletions(self, by: SignedInUser) -> list[DeletionRow]:
        """The deletion log, newest first."""
        with audit.writing_as(self._database, by, self._clock) as session:
            self._require(session, by)
            entries = session.execute(
                sa.select(RetentionDeletion, UserAccount.display_name)
                .outerjoin(UserAccount, UserAccount.id == RetentionDeletion.deleted_by_id)
                .order_by(RetentionDeletion.deleted_at.desc(), RetentionDeletion.id.desc())
            )
            return [
                DeletionRow(d.id, d.category, d.rule, d.record_count, d.deleted_at, name or "")
                for d, name in entries
            ]

    # -- legal holds ---------------------------------------------------------------------------

    def place_hold(self, record_type: str, record_id: int, reason: str, by: SignedInUser) -> int:
        why = reason.strip()
        if record_type not in HOLDABLE:
            raise RetentionRefused(f"A legal hold cannot be placed on “{record_type}”.")
        if not why:
            raise RetentionRefused(
                "Say why the record is held (a claim, an investigation, a court order).",
                "Nothing was held.",
            )
        with audit.writing_as(self._database, by, self._clock) as session:
            self._require(session, by)
            if _load(session, record_type, record_id) is None:
                raise RetentionRefused(f"There is no {record_type} {record_id}.")
            hold = LegalHold(
                record_type=record_type,
                record_id=record_id,
                reason=why,
                placed_at=self._clock.now(),
                placed_by_id=by.user_id,
            )
            session.add(hold)
            session.flush()
            hold_id = hold.id
        log.info(
            "Legal hold %s placed on %s %s by user %s", hold_id, record_type, record_id, by.user_id
        )
        return hold_id

    def lift_hold(self, hold_id: int, by: SignedInUser) -> None:
        with audit.writing_as(self._database, by, self._clock) as session:
            self._require(session, by)
            hold = session.get(LegalHold, hold_id)
            if hold is None or hold.lifted_at is not None:
                raise RetentionRefused(f"Legal hold {hold_id} is not in force.")
            hold.lifted_at = self._clock.now()
            hold.lifted_by_id = by.user_id
        log.info("Legal hold %s lifted by user %s", hold_id, by.user_id)

    def holds(self, by: SignedInUser) -> list[HoldRow]:
        with self._database.session() as session:
            self._require(session, by)
            rows = session.scalars(
                sa.select(LegalHold)
                .where(LegalHold.lifted_at.is_(None))
                .order_by(LegalHold.placed_at)
            )
            return [HoldRow(h.id, h.record_type, h.record_id, h.reason, h.placed_at) for h in rows]

    @staticmethod
    def _require(session: Session, by: SignedInUser) -> None:
        account = active_account(session, by)
        if not may_manage_retention(account.role):
            raise NotPermitted(
                "Retention review and legal holds are for the DSL and deputy DSLs.",
                "Ask the DSL.",
            )


# --- finding what is due ------------------------------------------------------------------------


def _active_holds(session: Session) -> dict[tuple[str, int], str]:
    rows = session.execute(
        sa.select(LegalHold.record_type, LegalHold.record_id, LegalHold.reason).where(
            LegalHold.lifted_at.is_(None)
        )
    )
    return {(t, i): reason for t, i, reason in rows}


def _held(holds: dict[tuple[str, int], str], *keys: tuple[str, int | None]) -> str | None:
    for record_type, record_id in keys:
        if record_id is not None and (record_type, record_id) in holds:
            return holds[(record_type, record_id)]
    return None


def _past_review(
    category: RetentionCategory,
    today: date,
    candidates: Iterable[tuple[int, str, date, str | None]],
) -> list[DueRecord]:
    """The candidates (id, label, review date, hold) whose review date has come, as records of
    `category`: one rule for every kind of record."""
    return [
        DueRecord(category, RECORD_TYPES[category], record_id, label, review_on, held)
        for record_id, label, review_on, held in candidates
        if review_on <= today
    ]


def _due_visits(
    session: Session, policy: SchoolPolicy, today: date, holds: dict[tuple[str, int], str]
) -> list[DueRecord]:
    rows = session.execute(
        sa.select(
            Visit.id, Visit.planned_start, Visit.pupil_id, Visit.household_id, Pupil.date_of_birth
        ).outerjoin(Pupil, Pupil.id == Visit.pupil_id)
    )
    candidates = []
    for visit_id, start, pupil_id, household_id, born in rows:
        visit_day = to_school_time(start).date()
        candidates.append(
            (
                visit_id,
                f"Visit {visit_id} of {visit_day:%d %b %Y}",
                visit_review_date(born, visit_day, policy),
                _held(holds, ("visit", visit_id), ("pupil", pupil_id), ("household", household_id)),
            )
        )
    return _past_review(RetentionCategory.VISIT, today, candidates)


def _due_pupils(
    session: Session, policy: SchoolPolicy, today: date, holds: dict[tuple[str, int], str]
) -> list[DueRecord]:
    with_visits = sa.select(Visit.pupil_id).where(Visit.pupil_id.is_not(None))
    rows = session.execute(
        sa.select(Pupil.id, Pupil.date_of_birth, Pupil.household_id).where(
            Pupil.id.not_in(with_visits)
        )
    )
    candidates = (
        (
            pupil_id,
            f"Pupil record {pupil_id} (born {born.year})",
            pupil_review_date(born, policy),
            _held(holds, ("pupil", pupil_id), ("household", household_id)),
        )
        for pupil_id, born, household_id in rows
    )
    return _past_review(RetentionCategory.PUPIL, today, candidates)


def _due_incidents(
    session: Session, policy: SchoolPolicy, today: date, holds: dict[tuple[str, int], str]
) -> list[DueRecord]:
    rows = session.execute(
        sa.select(Incident.id, Incident.occurred_at, Incident.visit_id).where(
            Incident.status == IncidentStatus.CLOSED
        )
    )
    candidates = []
    for incident_id, occurred, visit_id in rows:
        day = to_school_time(occurred).date()
        candidates.append(
            (
                incident_id,
                f"Incident {incident_id} of {day:%d %b %Y}",
                incident_review_date(day, policy),
                _held(holds, ("incident", incident_id), ("visit", visit_id)),
            )
        )
    return _past_review(RetentionCategory.INCIDENT, today, candidates)


def _due_staff(
    session: Session, policy: SchoolPolicy, today: date, holds: dict[tuple[str, int], str]
) -> list[DueRecord]:
    has_details = sa.or_(*(getattr(Staff, f).is_not(None) for f in STAFF_DETAIL_FIELDS))
    rows = session.execute(
        sa.select(Staff.id, Staff.left_on).where(Staff.left_on.is_not(None), has_details)
    )
    candidates = (
        (
            staff_id,
            f"Staff member {staff_id} (left {left_on:%b %Y})",
            staff_review_date(left_on, policy),
            _held(holds, ("staff", staff_id)),
        )
        for staff_id, left_on in rows
        if left_on is not None
    )
    return _past_review(RetentionCategory.STAFF_DETAILS, today, candidates)


_FINDERS = {
    RetentionCategory.VISIT: _due_visits,
    RetentionCategory.PUPIL: _due_pupils,
    RetentionCategory.INCIDENT: _due_incidents,
    RetentionCategory.STAFF_DETAILS: _due_staff,
}


# --- deleting -------------------------------------------------------------------------------------


def _remove(session: Session, category: RetentionCategory, ids: Sequence[int]) -> None:
    if category is RetentionCategory.VISIT:
        # Incidents outlive their visit under their own rule: they lose only the link.
        session.execute(sa.update(Incident).where(Incident.visit_id.in_(ids)).values(visit_id=None))
        # A later assessment of the same household may have started from one of these.
        doomed = sa.select(RiskAssessment.id).where(RiskAssessment.visit_id.in_(ids))
        session.execute(
            sa.update(RiskAssessment)
            .where(RiskAssessment.based_on_id.in_(doomed))
            .values(based_on_id=None)
        )
        for visit in session.scalars(sa.select(Visit).where(Visit.id.in_(ids))):
            session.delete(visit)  # the ORM cascades events, visitors, assessments, follow-ups
    elif category is RetentionCategory.PUPIL:
        for pupil in session.scalars(sa.select(Pupil).where(Pupil.id.in_(ids))):
            session.delete(pupil)
    elif category is RetentionCategory.INCIDENT:
        session.execute(
            sa.update(KnownRisk).where(KnownRisk.incident_id.in_(ids)).values(incident_id=None)
        )
        for incident in session.scalars(sa.select(Incident).where(Incident.id.in_(ids))):
            session.delete(incident)
    else:
        for staff in session.scalars(sa.select(Staff).where(Staff.id.in_(ids))):
            for name in STAFF_DETAIL_FIELDS:
                setattr(staff, name, None)
    session.flush()


def _load(session: Session, record_type: str, record_id: int) -> object | None:
    model: type[object] = {
        "household": Household,
        "pupil": Pupil,
        "visit": Visit,
        "incident": Incident,
        "staff": Staff,
    }[record_type]
    return session.get(model, record_id)


def _ids(ids: Sequence[int]) -> str:
    return ", ".join(str(i) for i in ids)
