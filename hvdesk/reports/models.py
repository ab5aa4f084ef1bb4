"""What the printed documents are made from: plain, frozen values the services fill in.

The reports never see the database or Qt: a service reads the rows, decides what may be printed
(no safe word except on the police sheet), and hands one of these to a renderer. Times are aware
instants; the renderers show them in school time (Europe/London).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from hvdesk.domain.risk import BandThresholds, RiskBand
from hvdesk.domain.risk_matrix import HazardRow
from hvdesk.domain.visits import AuthorisationDecision

__all__ = [
    "AuthorisationData",
    "Decision",
    "DocumentContext",
    "IncidentData",
    "PoliceSheetData",
    "PoliceVisitor",
    "RiskAssessmentData",
    "SignOff",
    "StaffOnVisit",
    "TimelineRow",
    "VisitFormData",
]


@dataclass(frozen=True)
class DocumentContext:
    """What every page of a document carries: whose it is, how it is marked, when and what."""

    school_name: str
    marking: str
    generated_at: datetime
    record_label: str
    """Printed in the footer so a loose page finds its record ("Visit 123", "Blank form")."""
    is_drill: bool = False
    logo: bytes | None = None
    """A PNG or JPEG from the school's settings, printed in the header when present."""


@dataclass(frozen=True)
class StaffOnVisit:
    """A visitor as the forms name them."""

    name: str
    job_role: str
    role_on_visit: str | None = None


@dataclass(frozen=True)
class SignOff:
    """The safeguarding lead's approval as the form's authorisation box prints it."""

    name: str
    role: str
    decided_at: datetime


@dataclass(frozen=True)
class FollowUpLine:
    """An action the record requires: what, who owns it, by when, and whether it is done."""

    action: str
    owner: str
    due_on: date
    done_at: datetime | None = None


@dataclass(frozen=True)
class VisitFormData:
    """The Home Visit Form and the Record of Home Visit (seed 001, appendix 1)."""

    visit_id: int
    status: str
    staff: tuple[StaffOnVisit, ...]
    person_visited: str | None
    address: str
    pupil: str | None
    reason: str
    purpose: str
    planned_start: datetime
    planned_end: datetime
    authorised: SignOff | None = None
    # After the visit (the record); None where nothing has been written yet.
    departed_at: datetime | None = None
    arrived_at: datetime | None = None
    left_at: datetime | None = None
    child_seen: bool | None = None
    spoken_to: str | None = None
    observations: str | None = None
    opinions: str | None = None
    concerns_raised: str | None = None
    outcome: str | None = None
    action_required: str | None = None
    follow_ups: tuple[FollowUpLine, ...] = ()
    completed_at: datetime | None = None
    cancelled: str | None = None
    """Why the visit was cancelled, when it was."""
    recorded_on_safeguarding_system_at: datetime | None = None
    recorded_on_safeguarding_system_by: str | None = None


@dataclass(frozen=True)
class RiskAssessmentData:
    """A visit's latest risk assessment, with the bands it was scored against."""

    visit_id: int
    assessment_id: int
    created_at: datetime
    created_by: str | None
    staff: tuple[StaffOnVisit, ...]
    address: str
    pupil: str | None
    planned_start: datetime
    planned_end: datetime
    entry_mode: str
    thresholds: BandThresholds
    highest_residual_band: RiskBand | None
    hazards: tuple[HazardRow, ...]
    notes: str | None
    known_risks: tuple[str, ...] = ()
    safe_word_agreed: bool = False
    """Only whether one is agreed: the word itself is never printed here."""


@dataclass(frozen=True)
class Decision:
    """One decision on a visit request."""

    decision: AuthorisationDecision
    decided_by: str
    decided_by_role: str
    decided_at: datetime
    conditions: str | None
    comment: str | None
    approved_hash: str | None
    voided_at: datetime | None = None
    void_reason: str | None = None

    @property
    def in_force(self) -> bool:
        return self.decision is AuthorisationDecision.APPROVED and self.voided_at is None


@dataclass(frozen=True)
class AuthorisationData:
    """The plan of a visit and every decision taken on it."""

    visit_id: int
    status: str
    staff: tuple[StaffOnVisit, ...]
    pupil: str | None
    address: str
    reason: str
    purpose: str
    planned_start: datetime
    planned_end: datetime
    entry_mode: str
    announced: bool
    unannounced_reason: str | None
    lone_visit_justification: str | None
    out_of_hours: bool
    responsible_contact: str | None
    joint_visit_with: str | None
    urgent_unplanned: bool
    decisions: tuple[Decision, ...]
    """Oldest first."""

    @property
    def approval(self) -> Decision | None:
        """The approval in force (the latest approval not voided), or None: never invented."""
        approvals = [d for d in self.decisions if d.in_force]
        return approvals[-1] if approvals else None


@dataclass(frozen=True)
class TimelineRow:
    """One logged step of a visit: what, when, how it went and who recorded it."""

    at: datetime
    what: str
    outcome: str | None = None
    recorded_by: str | None = None
    note: str | None = None
    recorded_at: datetime | None = None
    """When it was logged, if that differs from when it happened."""


@dataclass(frozen=True)
class PoliceVisitor:
    """A member of staff as the police need to find them."""

    name: str
    job_role: str
    work_mobile: str | None
    description: str | None
    vehicle: str | None
    emergency_contact: str | None = None
    supervisor: str | None = None


@dataclass(frozen=True)
class PoliceSheetData:
    """Everything the police ask for when a colleague is missing, on one page."""

    visit_id: int
    stage: str
    visitors: tuple[PoliceVisitor, ...]
    vehicle: str | None
    address: str
    area: str
    location_notes: str | None
    pupil: str | None
    purpose: str
    planned_start: datetime
    planned_end: datetime
    scheduled_end: datetime
    known_risks: tuple[str, ...]
    safe_word: str | None
    departed_at: datetime | None
    arrived_at: datetime | None
    timeline: tuple[TimelineRow, ...]


@dataclass(frozen=True)
class IncidentData:
    """An incident with its whole escalation timeline and its review."""

    incident_id: int
    kind: str
    status: str
    occurred_at: datetime
    raised_at: datetime
    raised_by: str | None
    summary: str
    highest_stage: int | None
    resolution: str | None
    resolved_at: datetime | None
    resolved_by: str | None
    visit_id: int | None
    staff: tuple[StaffOnVisit, ...] = ()
    address: str | None = None
    pupil: str | None = None
    planned_start: datetime | None = None
    planned_end: datetime | None = None
    timeline: tuple[TimelineRow, ...] = field(default_factory=tuple)
    # The review, once written.
    what_happened: str | None = None
    debrief_held_at: datetime | None = None
    debrief_with: str | None = None
    support_offered: str | None = None
    lessons: str | None = None
    procedure_changes: str | None = None
    riddor_reportable: bool | None = None
    riddor_reported_at: datetime | None = None
    review_due_on: date | None = None
    signed_off_by: str | None = None
    signed_off_at: datetime | None = None
    closed: bool = False
    """The review is closed: a field left empty means nothing to add, not "to do"."""
