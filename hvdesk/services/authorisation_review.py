"""Everything an authoriser reads before deciding on one visit request, as one read model.

Built inside the authorisation service's unit of work (`Authorisations.review`); kept apart so
the service module stays about decisions. No Qt: the review dialog only lays this out.

Rules decided here:
* The safe word is shown only to the visitors and the DSL or a deputy (issue 4); anyone else
  reading the request sees that one is agreed, not what it is.
* A visitor's DBS check and safeguarding training are judged on the day of the visit (school
  time) against the settings' validity years, as the request's checks judge them.
* Amendments read back with names, addresses and school times, not ids and ISO strings: the
  original value, the new one, the reason, who and when.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from hvdesk.clock import format_school_time, to_school_time
from hvdesk.db.models import (
    Authorisation,
    Household,
    Staff,
    UserAccount,
    Visit,
    VisitEvent,
)
from hvdesk.domain.people import DbsLevel
from hvdesk.domain.permissions import SAFEGUARDING_LEADS
from hvdesk.domain.policy import SchoolPolicy
from hvdesk.domain.risk import BandThresholds, RiskBand
from hvdesk.domain.risk_matrix import HazardRow, MatrixSummary, row_problems, summarise
from hvdesk.domain.visit_request import Problem, dbs_in_date_until, training_in_date_until
from hvdesk.domain.visits import (
    AuthorisationDecision,
    EntryMode,
    EventKind,
    VisitStatus,
    reason_text,
)

__all__ = [
    "AMENDABLE_LABELS",
    "AmendableValues",
    "AmendmentEntry",
    "DecisionEntry",
    "RequestReview",
    "VisitorCheck",
    "build_review",
    "read_amendments",
]

AMENDABLE_LABELS: dict[str, str] = {
    "planned_start": "Start time",
    "planned_end": "End time",
    "household_id": "Household",
    "visitors": "Visitors",
    "entry_mode": "Doorstep or enter",
    "risk": "Risk assessment",
    "purpose": "Purpose",
    "resources_to_take": "Resources to take",
    "vehicle": "Vehicle",
    "safe_word": "Safe word",
    "responsible_contact_name": "Responsible contact",
    "responsible_contact_phone": "Responsible contact's phone",
    "parent_could_come_in_note": "Why the parent cannot come in",
}

HIDDEN_SAFE_WORD = "(agreed; shown only to the visitors and the DSL)"


@dataclass(frozen=True)
class VisitorCheck:
    """One visitor with what the authoriser checks: part, phones, DBS and training."""

    staff_id: int
    name: str
    job_role: str
    part: str
    work_mobile: str
    training: str
    training_ok: bool
    dbs: str
    dbs_ok: bool


@dataclass(frozen=True)
class DecisionEntry:
    """An earlier decision on the request, with a void if a later amendment undid it."""

    decision: AuthorisationDecision
    by: str
    at: datetime
    text: str
    voided_at: datetime | None
    void_reason: str | None

    @property
    def label(self) -> str:
        return self.decision.label + (" (void)" if self.voided_at is not None else "")


@dataclass(frozen=True)
class AmendmentEntry:
    """One amendment after approval: the original, the new value, why, who and when."""

    field: str
    label: str
    before: str
    after: str
    reason: str
    by: str
    at: datetime
    voided_approval: bool


@dataclass(frozen=True)
class AmendableValues:
    """The stored values an amendment starts from (the safe word is None when hidden)."""

    planned_start: datetime
    planned_end: datetime
    visitor_ids: tuple[int, ...]
    entry_mode: EntryMode
    purpose: str
    resources_to_take: str
    vehicle: str
    safe_word: str | None
    responsible_contact_name: str
    responsible_contact_phone: str
    parent_could_come_in_note: str


@dataclass(frozen=True)
class RequestReview:
    """One visit request as the authoriser reads it."""

    visit_id: int
    status: VisitStatus
    submitted_at: datetime | None
    waiting: timedelta | None
    requested_by: str
    pupil: str
    address: str
    area: str
    reason: str
    purpose: str
    parent_could_come_in: str
    announced: str
    entry_mode: EntryMode
    planned_start: datetime
    planned_end: datetime
    lone: bool
    lone_justification: str
    out_of_hours: bool
    responsible_contact: str
    social_worker: str
    resources_to_take: str
    vehicle: str
    safe_word: str
    visitors: tuple[VisitorCheck, ...]
    bands: BandThresholds | None
    risk_rows: tuple[HazardRow, ...]
    risk_summary: MatrixSummary | None
    risk_notes: str
    problems: tuple[Problem, ...]
    approval_refusals: tuple[str, ...]
    decisions: tuple[DecisionEntry, ...]
    amendments: tuple[AmendmentEntry, ...]
    approval_current: bool
    values: AmendableValues

    @property
    def awaiting(self) -> bool:
        return self.status is VisitStatus.AWAITING_AUTHORISATION

    @property
    def amendable(self) -> bool:
        """Only an authorised visit is amended (a request is edited as a draft)."""
        return self.status is VisitStatus.AUTHORISED

    @property
    def resubmitted(self) -> bool:
        return bool(self.decisions)

    @property
    def highest_residual_band(self) -> RiskBand | None:
        return self.risk_summary.highest_residual_band if self.risk_summary else None


def build_review(
    session: Session,
    visit: Visit,
    *,
    viewer: UserAccount,
    policy: SchoolPolicy,
    now: datetime,
    rows: Sequence[HazardRow],
    bands: BandThresholds | None,
    risk_notes: str | None,
    problems: Sequence[Problem],
    approval_refusals: Sequence[str],
    approval_current: bool,
) -> RequestReview:
    """The read model of `visit` for `viewer` (rows, problems and refusals come from the
    authorisation service, which owns those rules)."""
    names = _user_names(session)
    visitor_ids = [v.staff_id for v in visit.visitors]
    sees_safe_word = viewer.role in SAFEGUARDING_LEADS or (
        viewer.staff_id is not None and viewer.staff_id in visitor_ids
    )
    safe_word = visit.safe_word or ""
    if safe_word and not sees_safe_word:
        safe_word = HIDDEN_SAFE_WORD
    pupil = visit.pupil
    worker = visit.social_worker
    valid_rows = bool(rows) and not row_problems(rows)
    return RequestReview(
        visit_id=visit.id,
        status=visit.status,
        submitted_at=visit.submitted_at,
        waiting=max(now - visit.submitted_at, timedelta(0))
        if visit.submitted_at and visit.status is VisitStatus.AWAITING_AUTHORISATION
        else None,
        requested_by=names.get(visit.created_by_id or 0, "not recorded"),
        pupil=f"{pupil.first_name} {pupil.last_name}" if pupil else "No pupil named",
        address=visit.household.address,
        area=visit.household.area,
        reason=reason_text(visit.reason, visit.reason_other),
        purpose=visit.purpose,
        parent_could_come_in=_could_come_in(visit),
        announced="Announced"
        if visit.announced
        else f"Unannounced: {visit.unannounced_reason or 'no reason given'}",
        entry_mode=visit.entry_mode,
        planned_start=visit.planned_start,
        planned_end=visit.planned_end,
        lone=visit.is_lone,
        lone_justification=visit.lone_visit_justification or "",
        out_of_hours=visit.out_of_hours,
        responsible_contact=", ".join(
            p for p in (visit.responsible_contact_name, visit.responsible_contact_phone) if p
        ),
        social_worker=(
            f"{worker.name}"
            + (f" ({worker.organisation})" if worker.organisation else "")
            + (": joint visit" if visit.joint_visit else ": not a joint visit")
            if worker
            else "None allocated to this visit"
        ),
        resources_to_take=visit.resources_to_take or "",
        vehicle=visit.vehicle or "",
        safe_word=safe_word,
        visitors=tuple(
            _visitor_check(v.staff, v.role.label, visit.planned_start, policy)
            for v in visit.visitors
        ),
        bands=bands,
        risk_rows=tuple(rows),
        risk_summary=summarise(rows, bands) if valid_rows and bands is not None else None,
        risk_notes=risk_notes or "",
        problems=tuple(problems),
        approval_refusals=tuple(approval_refusals),
        decisions=tuple(
            _decision_entry(a, names)
            for a in sorted(visit.authorisations, key=lambda a: (a.decided_at, a.id))
        ),
        amendments=tuple(read_amendments(session, visit.id, names)),
        approval_current=approval_current,
        values=AmendableValues(
            planned_start=visit.planned_start,
            planned_end=visit.planned_end,
            visitor_ids=tuple(visitor_ids),
            entry_mode=visit.entry_mode,
            purpose=visit.purpose,
            resources_to_take=visit.resources_to_take or "",
            vehicle=visit.vehicle or "",
            safe_word=visit.safe_word or "" if sees_safe_word else None,
            responsible_contact_name=visit.responsible_contact_name or "",
            responsible_contact_phone=visit.responsible_contact_phone or "",
            parent_could_come_in_note=visit.parent_could_come_in_note or "",
        ),
    )


def read_amendments(
    session: Session, visit_id: int, names: dict[int, str] | None = None
) -> list[AmendmentEntry]:
    """The visit's amendments, oldest first, in the office's words."""
    names = names if names is not None else _user_names(session)
    found = []
    for event, data in amendment_events(session, visit_id):
        field = str(data["amendment"])
        found.append(
            AmendmentEntry(
                field=field,
                label=AMENDABLE_LABELS.get(field, field),
                before=_shown(session, field, data.get("from")),
                after=_shown(session, field, data.get("to")),
                reason=str(data.get("reason") or ""),
                by=names.get(event.recorded_by_id or 0, "not recorded"),
                at=event.occurred_at,
                voided_approval=data.get("voided_authorisation") is not None,
            )
        )
    return found


def amendment_events(session: Session, visit_id: int) -> list[tuple[VisitEvent, dict[str, Any]]]:
    """The visit's amendment events, oldest first, each with its note's JSON (amendments are
    kept as NOTE events so the timeline stays one append-only list)."""
    events = session.scalars(
        sa.select(VisitEvent)
        .where(VisitEvent.visit_id == visit_id, VisitEvent.kind == EventKind.NOTE)
        .order_by(VisitEvent.occurred_at, VisitEvent.id)
    )
    found = []
    for event in events:
        data = amendment_note(event.note)
        if data is not None:
            found.append((event, data))
    return found


def amendment_note(note: str | None) -> dict[str, Any] | None:
    """The JSON of an amendment event's note, or None for any other note."""
    try:
        data = json.loads(note or "")
    except ValueError:
        return None
    return data if isinstance(data, dict) and "amendment" in data else None


# --- helpers -------------------------------------------------------------------------------------


def _user_names(session: Session) -> dict[int, str]:
    rows = session.execute(sa.select(UserAccount.id, UserAccount.display_name))
    return {user_id: name for user_id, name in rows}


def _could_come_in(visit: Visit) -> str:
    answer = {True: "Yes", False: "No", None: "Not answered"}[visit.parent_could_come_in]
    note = visit.parent_could_come_in_note
    return f"{answer}: {note}" if note else answer


def _visitor_check(staff: Staff, part: str, start: datetime, policy: SchoolPolicy) -> VisitorCheck:
    day = to_school_time(start).date()
    trained = staff.safeguarding_trained_on
    if trained is None:
        training, training_ok = "No safeguarding training recorded", False
    else:
        until = training_in_date_until(trained, policy)
        training_ok = until >= day
        state = f"in date until {until:%d %b %Y}" if training_ok else "out of date on the day"
        training = f"Trained {trained:%d %b %Y} ({state})"
    checked = staff.dbs_checked_on
    if staff.dbs_level is DbsLevel.NONE or checked is None:
        dbs, dbs_ok = "No DBS check recorded", False
    else:
        until = dbs_in_date_until(checked, policy)
        dbs_ok = until >= day
        state = f"in date until {until:%d %b %Y}" if dbs_ok else "out of date on the day"
        dbs = f"{staff.dbs_level.label}, checked {checked:%d %b %Y} ({state})"
    return VisitorCheck(
        staff_id=staff.id,
        name=staff.full_name,
        job_role=staff.job_role.label,
        part=part,
        work_mobile=staff.work_mobile or "no work mobile recorded",
        training=training,
        training_ok=training_ok,
        dbs=dbs,
        dbs_ok=dbs_ok,
    )


def _decision_entry(row: Authorisation, names: dict[int, str]) -> DecisionEntry:
    text = row.conditions if row.decision is AuthorisationDecision.APPROVED else row.comment
    return DecisionEntry(
        decision=row.decision,
        by=names.get(row.decided_by_id, "not recorded"),
        at=row.decided_at,
        text=text or "",
        voided_at=row.voided_at,
        void_reason=_void_reason_in_words(row.void_reason),
    )


def _void_reason_in_words(reason: str | None) -> str | None:
    """ "Amended planned_start, planned_end: why" as "Amended start time, end time: why"."""
    if reason is None or not reason.startswith("Amended ") or ": " not in reason:
        return reason
    fields, why = reason[len("Amended ") :].split(": ", 1)
    named = [AMENDABLE_LABELS.get(f.strip(), f.strip()).lower() for f in fields.split(",")]
    return f"Amended {', '.join(named)}: {why}"


def _shown(session: Session, field: str, value: Any) -> str:
    """An amendment's stored value (JSON) as the office reads it."""
    if value is None or value == "":
        return "(none)"
    if field in ("planned_start", "planned_end"):
        try:
            return format_school_time(datetime.fromisoformat(str(value)), "%a %d %b %Y %H:%M")
        except ValueError:
            return str(value)
    if field == "visitors" and isinstance(value, list):
        found = session.execute(
            sa.select(Staff.id, Staff.first_name + " " + Staff.last_name).where(
                Staff.id.in_([int(v) for v in value])
            )
        )
        staff = {staff_id: name for staff_id, name in found}
        return ", ".join(staff.get(int(v), f"staff {v}") for v in value)
    if field == "household_id":
        household = session.get(Household, int(value))
        return household.address if household else f"household {value}"
    if field == "entry_mode":
        try:
            return EntryMode(value).label
        except ValueError:
            return str(value)
    if field == "risk" and isinstance(value, list):
        return "; ".join(
            f"{r.get('hazard')} {r.get('residual_severity')}×{r.get('residual_likelihood')}"
            for r in value
            if isinstance(r, dict)
        )
    return str(value)
