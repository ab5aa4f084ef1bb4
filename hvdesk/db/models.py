"""The stored records of the office: typed SQLAlchemy 2 models, portable to PostgreSQL.

Times are instants in UTC (`UTCDateTime`); enums are stored by value as strings. The live
escalation stage is never stored: it is derived from `VisitEvent` rows, the policy and the clock.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from hvdesk.db.types import UTCDateTime, enum_column
from hvdesk.domain.households import ProfessionalRole, Relationship, RiskKind
from hvdesk.domain.incidents import IncidentKind, IncidentStatus
from hvdesk.domain.people import DbsLevel, JobRole, Role
from hvdesk.domain.risk import RiskBand
from hvdesk.domain.visits import (
    ActionOutcome,
    AuthorisationDecision,
    CancellationCause,
    EntryMode,
    EscalationAction,
    EventKind,
    VisitorRole,
    VisitReason,
    VisitStatus,
)

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


def _fk(target: str, *, nullable: bool = True, ondelete: str | None = None) -> Any:
    return mapped_column(sa.ForeignKey(target, ondelete=ondelete), nullable=nullable, index=True)


class Setting(Base):
    """One changed school setting (the defaults live in `SchoolPolicy`)."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(sa.String(80), primary_key=True)
    value: Mapped[Any] = mapped_column(sa.JSON)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_by_id: Mapped[int | None] = _fk("user_accounts.id")


class Staff(Base):
    """A member of staff who may go on visits, with what the office needs if they go missing."""

    __tablename__ = "staff"

    id: Mapped[int] = mapped_column(primary_key=True)
    first_name: Mapped[str] = mapped_column(sa.String(80))
    last_name: Mapped[str] = mapped_column(sa.String(80), index=True)
    job_role: Mapped[JobRole] = mapped_column(enum_column(JobRole))
    email: Mapped[str | None] = mapped_column(sa.String(200))
    work_mobile: Mapped[str | None] = mapped_column(sa.String(40))
    emergency_contact_name: Mapped[str | None] = mapped_column(sa.String(160))
    emergency_contact_relationship: Mapped[str | None] = mapped_column(sa.String(80))
    emergency_contact_phone: Mapped[str | None] = mapped_column(sa.String(40))
    vehicle_make: Mapped[str | None] = mapped_column(sa.String(60))
    vehicle_model: Mapped[str | None] = mapped_column(sa.String(60))
    vehicle_colour: Mapped[str | None] = mapped_column(sa.String(40))
    vehicle_registration: Mapped[str | None] = mapped_column(sa.String(16))
    description: Mapped[str | None] = mapped_column(sa.Text)
    safeguarding_trained_on: Mapped[date | None] = mapped_column(sa.Date)
    dbs_level: Mapped[DbsLevel] = mapped_column(enum_column(DbsLevel), default=DbsLevel.NONE)
    dbs_checked_on: Mapped[date | None] = mapped_column(sa.Date)
    supervisor_id: Mapped[int | None] = _fk("staff.id")
    active: Mapped[bool] = mapped_column(default=True)
    left_on: Mapped[date | None] = mapped_column(sa.Date)

    supervisor: Mapped[Staff | None] = relationship(remote_side=[id])

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class UserAccount(Base):
    """Someone who signs in to hvdesk; the role decides what the services let them do."""

    __tablename__ = "user_accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(80), unique=True)
    display_name: Mapped[str] = mapped_column(sa.String(160))
    role: Mapped[Role] = mapped_column(enum_column(Role))
    staff_id: Mapped[int | None] = _fk("staff.id")
    password_hash: Mapped[str | None] = mapped_column(sa.String(300))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_sign_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    failed_sign_ins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)

    staff: Mapped[Staff | None] = relationship()


class Household(Base):
    """A home staff may visit: the address, its area (shown on a public board) and its risks."""

    __tablename__ = "households"

    id: Mapped[int] = mapped_column(primary_key=True)
    address_line1: Mapped[str] = mapped_column(sa.String(200))
    address_line2: Mapped[str | None] = mapped_column(sa.String(200))
    town: Mapped[str] = mapped_column(sa.String(100))
    postcode: Mapped[str] = mapped_column(sa.String(10), index=True)
    area: Mapped[str] = mapped_column(sa.String(100))
    home_phone: Mapped[str | None] = mapped_column(sa.String(40))
    location_notes: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    known_risks: Mapped[list[KnownRisk]] = relationship(
        back_populates="household", cascade="all, delete-orphan", order_by="KnownRisk.recorded_at"
    )
    adults: Mapped[list[Adult]] = relationship(back_populates="household")
    pupils: Mapped[list[Pupil]] = relationship(back_populates="household")
    professionals: Mapped[list[Professional]] = relationship(
        back_populates="household", cascade="all, delete-orphan"
    )

    @property
    def address(self) -> str:
        parts = [self.address_line1, self.address_line2, self.town, self.postcode]
        return ", ".join(p for p in parts if p)


class KnownRisk(Base):
    """Something staff must know before going to a household, with who recorded it and when."""

    __tablename__ = "known_risks"

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = _fk("households.id", nullable=False, ondelete="CASCADE")
    kind: Mapped[RiskKind] = mapped_column(enum_column(RiskKind))
    description: Mapped[str] = mapped_column(sa.Text)
    recorded_by_id: Mapped[int | None] = _fk("user_accounts.id")
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set when an incident review added this risk, so the next assessment can say why.
    incident_id: Mapped[int | None] = _fk("incidents.id")

    household: Mapped[Household] = relationship(back_populates="known_risks")
    recorded_by: Mapped[UserAccount | None] = relationship()


class Adult(Base):
    """An adult connected to pupils; only those with parental responsibility are spoken to."""

    __tablename__ = "adults"

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int | None] = _fk("households.id")
    first_name: Mapped[str] = mapped_column(sa.String(80))
    last_name: Mapped[str] = mapped_column(sa.String(80), index=True)
    phone: Mapped[str | None] = mapped_column(sa.String(40))
    email: Mapped[str | None] = mapped_column(sa.String(200))
    preferred_language: Mapped[str | None] = mapped_column(sa.String(60))

    household: Mapped[Household | None] = relationship(back_populates="adults")
    pupil_links: Mapped[list[PupilAdult]] = relationship(back_populates="adult")

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class Pupil(Base):
    """A child on roll, living at a household."""

    __tablename__ = "pupils"

    id: Mapped[int] = mapped_column(primary_key=True)
    mis_id: Mapped[str | None] = mapped_column(sa.String(40), unique=True)
    first_name: Mapped[str] = mapped_column(sa.String(80))
    last_name: Mapped[str] = mapped_column(sa.String(80), index=True)
    date_of_birth: Mapped[date] = mapped_column(sa.Date)
    year_group: Mapped[int | None] = mapped_column()
    household_id: Mapped[int | None] = _fk("households.id")
    active: Mapped[bool] = mapped_column(default=True)

    household: Mapped[Household | None] = relationship(back_populates="pupils")
    adult_links: Mapped[list[PupilAdult]] = relationship(
        back_populates="pupil", cascade="all, delete-orphan"
    )

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class PupilAdult(Base):
    """How an adult is related to a pupil, and whether they hold parental responsibility."""

    __tablename__ = "pupil_adults"

    pupil_id: Mapped[int] = mapped_column(
        sa.ForeignKey("pupils.id", ondelete="CASCADE"), primary_key=True
    )
    adult_id: Mapped[int] = mapped_column(
        sa.ForeignKey("adults.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    relationship_to_pupil: Mapped[Relationship] = mapped_column(enum_column(Relationship))
    parental_responsibility: Mapped[bool] = mapped_column(default=False)
    lives_with_pupil: Mapped[bool] = mapped_column(default=True)

    pupil: Mapped[Pupil] = relationship(back_populates="adult_links")
    adult: Mapped[Adult] = relationship(back_populates="pupil_links")


class Professional(Base):
    """Another professional allocated to a family (social worker, Early Help...)."""

    __tablename__ = "professionals"

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = _fk("households.id", nullable=False, ondelete="CASCADE")
    name: Mapped[str] = mapped_column(sa.String(160))
    role: Mapped[ProfessionalRole] = mapped_column(enum_column(ProfessionalRole))
    organisation: Mapped[str | None] = mapped_column(sa.String(160))
    phone: Mapped[str | None] = mapped_column(sa.String(40))
    email: Mapped[str | None] = mapped_column(sa.String(200))

    household: Mapped[Household] = relationship(back_populates="professionals")


class Visit(Base):
    """One planned home visit, from request to record."""

    __tablename__ = "visits"
    # The board's query: visits by status, within a range of planned starts (issue 3).
    __table_args__ = (sa.Index("ix_visits_status_planned_start", "status", "planned_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = _fk("households.id", nullable=False)
    pupil_id: Mapped[int | None] = _fk("pupils.id")
    reason: Mapped[VisitReason] = mapped_column(enum_column(VisitReason))
    reason_other: Mapped[str | None] = mapped_column(sa.String(200))
    purpose: Mapped[str] = mapped_column(sa.Text)
    parent_could_come_in: Mapped[bool | None] = mapped_column()
    parent_could_come_in_note: Mapped[str | None] = mapped_column(sa.Text)
    announced: Mapped[bool] = mapped_column(default=True)
    unannounced_reason: Mapped[str | None] = mapped_column(sa.Text)
    entry_mode: Mapped[EntryMode] = mapped_column(enum_column(EntryMode))
    planned_start: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    planned_end: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[VisitStatus] = mapped_column(enum_column(VisitStatus), index=True)
    lone_visit_justification: Mapped[str | None] = mapped_column(sa.Text)
    out_of_hours: Mapped[bool] = mapped_column(default=False)
    responsible_contact_name: Mapped[str | None] = mapped_column(sa.String(160))
    responsible_contact_phone: Mapped[str | None] = mapped_column(sa.String(40))
    social_worker_id: Mapped[int | None] = _fk("professionals.id")
    joint_visit: Mapped[bool] = mapped_column(default=False)
    resources_to_take: Mapped[str | None] = mapped_column(sa.Text)
    vehicle: Mapped[str | None] = mapped_column(sa.String(120))
    safe_word: Mapped[str | None] = mapped_column(sa.String(80))
    is_drill: Mapped[bool] = mapped_column(default=False)
    urgent_unplanned: Mapped[bool] = mapped_column(default=False)
    created_by_id: Mapped[int | None] = _fk("user_accounts.id")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # After the visit: facts and opinions are separate fields.
    child_seen: Mapped[bool | None] = mapped_column()
    spoken_to: Mapped[str | None] = mapped_column(sa.Text)
    observations: Mapped[str | None] = mapped_column(sa.Text)
    opinions: Mapped[str | None] = mapped_column(sa.Text)
    concerns_raised: Mapped[str | None] = mapped_column(sa.Text)
    outcome: Mapped[str | None] = mapped_column(sa.Text)
    action_required: Mapped[str | None] = mapped_column(sa.Text)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    record_written_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    record_written_by_id: Mapped[int | None] = _fk("user_accounts.id")
    cancellation_cause: Mapped[CancellationCause | None] = mapped_column(
        enum_column(CancellationCause)
    )
    recorded_on_safeguarding_system_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    recorded_on_safeguarding_system_by_id: Mapped[int | None] = _fk("user_accounts.id")

    household: Mapped[Household] = relationship()
    pupil: Mapped[Pupil | None] = relationship()
    social_worker: Mapped[Professional | None] = relationship()
    visitors: Mapped[list[VisitStaff]] = relationship(
        back_populates="visit", cascade="all, delete-orphan", order_by="VisitStaff.position"
    )
    events: Mapped[list[VisitEvent]] = relationship(
        back_populates="visit",
        cascade="all, delete-orphan",
        order_by="(VisitEvent.occurred_at, VisitEvent.id)",
    )
    authorisations: Mapped[list[Authorisation]] = relationship(
        back_populates="visit", cascade="all, delete-orphan", order_by="Authorisation.decided_at"
    )
    risk_assessments: Mapped[list[RiskAssessment]] = relationship(
        back_populates="visit", cascade="all, delete-orphan", order_by="RiskAssessment.created_at"
    )
    follow_ups: Mapped[list[FollowUp]] = relationship(
        back_populates="visit", cascade="all, delete-orphan", order_by="FollowUp.position"
    )

    @property
    def is_lone(self) -> bool:
        return len(self.visitors) == 1


class VisitStaff(Base):
    """A member of staff going on a visit (a pair visit has two)."""

    __tablename__ = "visit_staff"

    visit_id: Mapped[int] = mapped_column(
        sa.ForeignKey("visits.id", ondelete="CASCADE"), primary_key=True
    )
    staff_id: Mapped[int] = mapped_column(sa.ForeignKey("staff.id"), primary_key=True, index=True)
    role: Mapped[VisitorRole] = mapped_column(enum_column(VisitorRole))
    position: Mapped[int] = mapped_column(default=0)

    visit: Mapped[Visit] = relationship(back_populates="visitors")
    staff: Mapped[Staff] = relationship()


class RiskAssessment(Base):
    """The dynamic risk assessment of a visit; bands are copied in so history never shifts."""

    __tablename__ = "risk_assessments"

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = _fk("visits.id", nullable=False, ondelete="CASCADE")
    household_id: Mapped[int] = _fk("households.id", nullable=False)
    based_on_id: Mapped[int | None] = _fk("risk_assessments.id")
    band_low_max: Mapped[int] = mapped_column()
    band_medium_max: Mapped[int] = mapped_column()
    highest_residual_band: Mapped[RiskBand | None] = mapped_column(enum_column(RiskBand))
    notes: Mapped[str | None] = mapped_column(sa.Text)
    created_by_id: Mapped[int | None] = _fk("user_accounts.id")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    visit: Mapped[Visit] = relationship(back_populates="risk_assessments")
    hazards: Mapped[list[Hazard]] = relationship(
        back_populates="assessment", cascade="all, delete-orphan", order_by="Hazard.position"
    )


class Hazard(Base):
    """One row of the risk matrix: before and after controls."""

    __tablename__ = "hazards"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = _fk("risk_assessments.id", nullable=False, ondelete="CASCADE")
    position: Mapped[int] = mapped_column(default=0)
    source: Mapped[str] = mapped_column(sa.String(20), default="standard")
    hazard: Mapped[str] = mapped_column(sa.String(200))
    who_at_risk: Mapped[str] = mapped_column(sa.String(200))
    severity: Mapped[int] = mapped_column()
    likelihood: Mapped[int] = mapped_column()
    controls: Mapped[str | None] = mapped_column(sa.Text)
    residual_severity: Mapped[int] = mapped_column()
    residual_likelihood: Mapped[int] = mapped_column()
    known_risk_id: Mapped[int | None] = _fk("known_risks.id")

    assessment: Mapped[RiskAssessment] = relationship(back_populates="hazards")


class Authorisation(Base):
    """A signed decision on a visit request; the hash pins exactly what was approved."""

    __tablename__ = "authorisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = _fk("visits.id", nullable=False, ondelete="CASCADE")
    decision: Mapped[AuthorisationDecision] = mapped_column(enum_column(AuthorisationDecision))
    decided_by_id: Mapped[int] = _fk("user_accounts.id", nullable=False)
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime)
    conditions: Mapped[str | None] = mapped_column(sa.Text)
    comment: Mapped[str | None] = mapped_column(sa.Text)
    approved_hash: Mapped[str | None] = mapped_column(sa.String(64))
    voided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    void_reason: Mapped[str | None] = mapped_column(sa.Text)

    visit: Mapped[Visit] = relationship(back_populates="authorisations")
    decided_by: Mapped[UserAccount] = relationship()


class VisitEvent(Base):
    """One entry on a visit's timeline, with when it happened and who recorded it."""

    __tablename__ = "visit_events"
    __table_args__ = (sa.Index("ix_visit_events_visit_time", "visit_id", "occurred_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(
        sa.ForeignKey("visits.id", ondelete="CASCADE"), nullable=False
    )
    kind: Mapped[EventKind] = mapped_column(enum_column(EventKind))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    recorded_by_id: Mapped[int | None] = _fk("user_accounts.id")
    staff_id: Mapped[int | None] = _fk("staff.id")
    action: Mapped[EscalationAction | None] = mapped_column(enum_column(EscalationAction))
    outcome: Mapped[ActionOutcome | None] = mapped_column(enum_column(ActionOutcome))
    stage: Mapped[int | None] = mapped_column()
    new_deadline: Mapped[datetime | None] = mapped_column(UTCDateTime)
    contact_name: Mapped[str | None] = mapped_column(sa.String(160))
    reference: Mapped[str | None] = mapped_column(sa.String(80))
    note: Mapped[str | None] = mapped_column(sa.Text)

    visit: Mapped[Visit] = relationship(back_populates="events")
    recorded_by: Mapped[UserAccount | None] = relationship()


class Incident(Base):
    """Something to review: an escalation once resolved, or an event raised by hand."""

    __tablename__ = "incidents"

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int | None] = _fk("visits.id")
    kind: Mapped[IncidentKind] = mapped_column(enum_column(IncidentKind))
    status: Mapped[IncidentStatus] = mapped_column(enum_column(IncidentStatus), index=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime)
    raised_by_id: Mapped[int | None] = _fk("user_accounts.id")
    summary: Mapped[str] = mapped_column(sa.Text)
    highest_stage: Mapped[int | None] = mapped_column()
    resolution: Mapped[str | None] = mapped_column(sa.Text)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_by_id: Mapped[int | None] = _fk("user_accounts.id")
    riddor_reportable: Mapped[bool | None] = mapped_column()
    riddor_reported_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    what_happened: Mapped[str | None] = mapped_column(sa.Text)
    debrief_held_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    debrief_with: Mapped[str | None] = mapped_column(sa.Text)
    support_offered: Mapped[str | None] = mapped_column(sa.Text)
    lessons: Mapped[str | None] = mapped_column(sa.Text)
    procedure_changes: Mapped[str | None] = mapped_column(sa.Text)
    review_due_on: Mapped[date | None] = mapped_column(sa.Date)
    signed_off_by_id: Mapped[int | None] = _fk("user_accounts.id")
    signed_off_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    review_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    review_started_by_id: Mapped[int | None] = _fk("user_accounts.id")
    is_drill: Mapped[bool] = mapped_column(default=False)

    visit: Mapped[Visit | None] = relationship()


class BoardShift(Base):
    """Who was watching the board, from when to when, and to whom they handed it over."""

    __tablename__ = "board_shifts"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = _fk("user_accounts.id", nullable=False)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    handed_to_id: Mapped[int | None] = _fk("user_accounts.id")

    user: Mapped[UserAccount] = relationship(foreign_keys=[user_id])
    handed_to: Mapped[UserAccount | None] = relationship(foreign_keys=[handed_to_id])


class FollowUp(Base):
    """An action the visit record requires, with an owner and a due date, tracked to done."""

    __tablename__ = "follow_ups"

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = _fk("visits.id", nullable=False, ondelete="CASCADE")
    position: Mapped[int] = mapped_column(default=0)
    action: Mapped[str] = mapped_column(sa.Text)
    owner_staff_id: Mapped[int | None] = _fk("staff.id")
    due_on: Mapped[date] = mapped_column(sa.Date, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = _fk("user_accounts.id")
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    done_by_id: Mapped[int | None] = _fk("user_accounts.id")
    done_note: Mapped[str | None] = mapped_column(sa.Text)

    visit: Mapped[Visit] = relationship(back_populates="follow_ups")
    owner: Mapped[Staff | None] = relationship()


class AuditEntry(Base):
    """One line of the append-only audit trail; each carries the hash of the one before.

    The table refuses UPDATE and DELETE (triggers in migration 0004); `entry_hash` chains
    every entry to its predecessor so that an edit made around the triggers is still found.
    """

    __tablename__ = "audit_entries"
    __table_args__ = (sa.Index("ix_audit_entries_record", "record_type", "record_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    user_id: Mapped[int | None] = mapped_column(index=True)  # no FK: the trail outlives rows
    username: Mapped[str | None] = mapped_column(sa.String(80))
    action: Mapped[str] = mapped_column(sa.String(40))
    record_type: Mapped[str | None] = mapped_column(sa.String(40))
    record_id: Mapped[int | None] = mapped_column()
    details: Mapped[str | None] = mapped_column(sa.Text)
    prev_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)  # the chain cannot fork
    entry_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)


class LegalHold(Base):
    """A record that must not be deleted under retention until the hold is lifted."""

    __tablename__ = "legal_holds"

    id: Mapped[int] = mapped_column(primary_key=True)
    record_type: Mapped[str] = mapped_column(sa.String(40))
    record_id: Mapped[int] = mapped_column()
    reason: Mapped[str] = mapped_column(sa.Text)
    placed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    placed_by_id: Mapped[int | None] = _fk("user_accounts.id")
    lifted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    lifted_by_id: Mapped[int | None] = _fk("user_accounts.id")


class RetentionDeletion(Base):
    """That records were deleted under a retention rule: category, rule, who, when; no content."""

    __tablename__ = "retention_deletions"

    id: Mapped[int] = mapped_column(primary_key=True)
    category: Mapped[str] = mapped_column(sa.String(60))
    rule: Mapped[str] = mapped_column(sa.String(200))
    record_type: Mapped[str] = mapped_column(sa.String(40))
    record_count: Mapped[int] = mapped_column()
    deleted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    deleted_by_id: Mapped[int | None] = _fk("user_accounts.id")


class SubjectAccessRequest(Base):
    """A request for everything held about one person, with its one-month deadline."""

    __tablename__ = "subject_access_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_type: Mapped[str] = mapped_column(sa.String(20))  # pupil, adult or staff
    subject_id: Mapped[int] = mapped_column()
    requested_by: Mapped[str] = mapped_column(sa.String(160))
    received_on: Mapped[date] = mapped_column(sa.Date)
    due_on: Mapped[date] = mapped_column(sa.Date, index=True)
    logged_at: Mapped[datetime] = mapped_column(UTCDateTime)
    logged_by_id: Mapped[int | None] = _fk("user_accounts.id")
    exported_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    exported_by_id: Mapped[int | None] = _fk("user_accounts.id")
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    note: Mapped[str | None] = mapped_column(sa.Text)


class BackupRecord(Base):
    """A backup made, a restore tested, a restore or a rekey: when, which file, if it worked."""

    __tablename__ = "backup_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(20))  # backup, restore_test, restore, rekey
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    file_name: Mapped[str | None] = mapped_column(sa.String(260))
    ok: Mapped[bool] = mapped_column()
    detail: Mapped[str | None] = mapped_column(sa.Text)
    by_id: Mapped[int | None] = _fk("user_accounts.id")


class BoardStamp(Base):
    """One counter the database moves on (triggers, migration 0005) whenever a table the board
    shows is written, so the board can tell in one read that nothing changed (issue 14)."""

    __tablename__ = "board_stamp"

    id: Mapped[int] = mapped_column(primary_key=True)
    changes: Mapped[int] = mapped_column(sa.Integer)


# --- issue 15: the school sets itself up ---------------------------------------------------


class SettingChange(Base):
    """One change of a school setting: which, from what, to what, by whom and when (the
    governors' annual pack lists a year of them; setting values are not personal data)."""

    __tablename__ = "setting_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(80), index=True)
    old_value: Mapped[Any] = mapped_column(sa.JSON)
    new_value: Mapped[Any] = mapped_column(sa.JSON)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    changed_by_id: Mapped[int | None] = _fk("user_accounts.id")


class SchoolSetup(Base):
    """The first-run assistant's progress (one row; the logo is the `school_logo` setting)."""

    __tablename__ = "school_setup"

    id: Mapped[int] = mapped_column(primary_key=True)
    recovery_key_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    completed_by_id: Mapped[int | None] = _fk("user_accounts.id")
