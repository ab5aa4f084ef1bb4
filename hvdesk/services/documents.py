"""Printable documents: read a record, decide what may be printed, hand it to hvdesk.reports.

Each kind of document is made from a read-model of plain values (hvdesk.reports.models) filled
here in one session, so the renderers never touch the database. Rules decided here:

* The safe word is printed on the police sheet only. Anywhere else, a free-text field that
  happens to contain it (a note such as "used the safe word kestrel") has it replaced by
  "[safe word]". A drill's safe word is the word DRILL itself, and is left alone.
* An authorisation is printed only if one was recorded: no approval, no name in the box.
* Known risks are the operational ones in force now (as the board shows them); safeguarding
  history is never printed.
* Times are stored in UTC; the documents print them in school time (Europe/London).
* Need-to-know: a document of a record is made only for a signed-in account that is active now
  (read again in the document's own session, never taken from the caller's object), and an
  incident report, which carries the review (debrief, support offered, lessons), only for the
  roles that review incidents. The blank form names nobody and needs no one.

reportlab is imported only when a document is rendered (it costs about 100 ms to import).
Log lines carry record ids only, never names.
"""

from __future__ import annotations

import base64
import binascii
import logging
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload, selectinload

from hvdesk.clock import Clock
from hvdesk.db.database import Database
from hvdesk.db.models import (
    Authorisation,
    Household,
    Incident,
    KnownRisk,
    Pupil,
    PupilAdult,
    RiskAssessment,
    Setting,
    UserAccount,
    Visit,
    VisitEvent,
    VisitStaff,
)
from hvdesk.domain.incidents import IncidentStatus, may_review
from hvdesk.domain.risk import BandThresholds
from hvdesk.domain.risk_matrix import HazardRow
from hvdesk.domain.safe_word import redact_safe_word
from hvdesk.domain.uk_formats import name_with_year_group
from hvdesk.domain.visits import EventKind, VisitStatus, reason_text
from hvdesk.errors import HvdeskError
from hvdesk.reports.models import (
    AuthorisationData,
    Decision,
    DocumentContext,
    FollowUpLine,
    IncidentData,
    PoliceSheetData,
    PoliceVisitor,
    RiskAssessmentData,
    SignOff,
    StaffOnVisit,
    TimelineRow,
    VisitFormData,
)
from hvdesk.services import audit
from hvdesk.services.acting import display_names, require_active_account
from hvdesk.services.authorisation import approval_in_force
from hvdesk.services.board import BoardService, PoliceSheet
from hvdesk.services.directory import school_policy
from hvdesk.services.drill import DRILL_SAFE_WORD
from hvdesk.services.identity import SignedInUser
from hvdesk.services.timeline import event_details, event_heading

__all__ = [
    "LOGO_SETTING",
    "DocumentError",
    "DocumentKind",
    "DocumentService",
    "NoBlankVersion",
    "NoSuchRecord",
    "NotReadyToPrint",
    "NotYours",
]

log = logging.getLogger(__name__)

LOGO_SETTING = "school_logo"
"""Settings key of the school's logo: a PNG or JPEG, base64-encoded (optional)."""

_RECORDED_LATE = 60  # seconds: a step logged later than this shows when it was logged


class DocumentKind(StrEnum):
    """The documents hvdesk prints, by the names the command line uses."""

    VISIT_FORM = "visit-form"
    VISIT_RECORD = "visit-record"
    RISK_ASSESSMENT = "risk-assessment"
    AUTHORISATION = "authorisation"
    POLICE_SHEET = "police-sheet"
    INCIDENT = "incident"

    @property
    def label(self) -> str:
        """The document's title ("Home Visit Form")."""
        return _TITLES[self]

    @property
    def record(self) -> str:
        """What the record id names: an incident for the incident report, else a visit."""
        return "incident" if self is DocumentKind.INCIDENT else "visit"

    @property
    def has_blank(self) -> bool:
        """Only the Home Visit Form has a blank version (for when the system is down)."""
        return self is DocumentKind.VISIT_FORM


_TITLES = {
    DocumentKind.VISIT_FORM: "Home Visit Form",
    DocumentKind.VISIT_RECORD: "Record of Home Visit",
    DocumentKind.RISK_ASSESSMENT: "Risk assessment",
    DocumentKind.AUTHORISATION: "Authorisation certificate",
    DocumentKind.POLICE_SHEET: "Police information sheet",
    DocumentKind.INCIDENT: "Incident report",
}


class DocumentError(HvdeskError):
    """A document that cannot be made; the message says why and what to do."""

    title = "Cannot make the document"


class NoSuchRecord(DocumentError):
    """The visit or incident asked for does not exist."""

    title = "Not found"


class NotReadyToPrint(DocumentError):
    """The record exists but lacks what the document is made of (no risk assessment yet)."""

    title = "Nothing to print yet"


class NotYours(DocumentError):
    """Nobody is signed in, or the account may not see what this document holds."""

    title = "Not permitted"


class NoBlankVersion(DocumentError):
    """A blank version was asked for a document that has none."""

    title = "No blank version"


class DocumentService:
    """Makes each document as PDF bytes from one record, read in one session."""

    def __init__(self, database: Database, clock: Clock) -> None:
        self._database = database
        self._clock = clock

    # --- the one entry point ---------------------------------------------------------------

    def render(
        self,
        kind: DocumentKind | str,
        record_id: int | None,
        *,
        by: SignedInUser | None = None,
        exported: bool = False,
    ) -> bytes:
        """The document `kind` of record `record_id` (a visit, or an incident for the incident
        report) as PDF bytes; `None` asks for the blank Home Visit Form.

        A document of a record is made for `by` (None: the account signed in to this window;
        refused if nobody is) and goes into the audit trail as exported (saved to a file), or,
        without `exported`, as printed: for a print made through a dialog, use `make` and then
        `record_printed` once the job is with the printer."""
        kind = _kind(kind)
        if record_id is None:
            return self._render(kind, None, by)
        who = _who(by)
        pdf = self._render(kind, record_id, who)
        self._record(kind, record_id, who, exported=exported)
        return pdf

    def make(
        self, kind: DocumentKind | str, record_id: int | None, *, by: SignedInUser | None = None
    ) -> bytes:
        """The document, made for `by` as `render` makes it, but recorded nowhere yet: the
        print dialog may still be cancelled, or the printer fail."""
        kind = _kind(kind)
        return self._render(kind, record_id, _who(by) if record_id is not None else by)

    def record_printed(
        self, kind: DocumentKind | str, record_id: int | None, *, by: SignedInUser | None = None
    ) -> None:
        """Record in the audit trail that the document was handed to the printer (a blank form
        names nobody and is not recorded)."""
        if record_id is not None:
            self._record(_kind(kind), record_id, _who(by), exported=False)

    def _record(
        self, kind: DocumentKind, record_id: int, by: SignedInUser, *, exported: bool
    ) -> None:
        table = "incidents" if kind is DocumentKind.INCIDENT else "visits"
        audit.record_document(
            self._database, self._clock, by, kind.value, table, record_id, exported=exported
        )

    def _render(self, kind: DocumentKind, record_id: int | None, by: SignedInUser | None) -> bytes:
        if record_id is None:
            if not kind.has_blank:
                raise NoBlankVersion(
                    f"The {kind.label.lower()} has no blank version.",
                    "Give a visit number, or print the blank Home Visit Form (visit-form blank).",
                )
            from hvdesk.reports.visit_forms import home_visit_form

            return home_visit_form(self.blank_context(), None)
        log.info("Rendering %s for %s %d", kind.value, kind.record, record_id)
        if kind is DocumentKind.VISIT_FORM:
            from hvdesk.reports.visit_forms import home_visit_form

            context, form = self.visit_form(record_id, by)
            return home_visit_form(context, form)
        if kind is DocumentKind.VISIT_RECORD:
            from hvdesk.reports.visit_forms import record_of_home_visit

            context, form = self.visit_form(record_id, by)
            return record_of_home_visit(context, form)
        if kind is DocumentKind.RISK_ASSESSMENT:
            from hvdesk.reports.risk_assessment import risk_assessment

            return risk_assessment(*self.risk_assessment(record_id, by))
        if kind is DocumentKind.AUTHORISATION:
            from hvdesk.reports.authorisation import authorisation_certificate

            return authorisation_certificate(*self.authorisation(record_id, by))
        if kind is DocumentKind.POLICE_SHEET:
            from hvdesk.reports.police_sheet import police_sheet

            return police_sheet(*self.police_sheet(record_id, by))
        from hvdesk.reports.incident import incident_report

        return incident_report(*self.incident(record_id, by))

    @staticmethod
    def filename(kind: DocumentKind | str, record_id: int | None) -> str:
        """A file name to offer when saving ("visit-123-risk-assessment.pdf"): ids only, never
        a name, so a file listing gives nobody away."""
        kind = _kind(kind)
        if record_id is None:
            return f"blank-{kind.value}.pdf"
        return f"{kind.record}-{record_id}-{kind.value}.pdf"

    # --- read-models -----------------------------------------------------------------------

    def blank_context(self) -> DocumentContext:
        """The page furniture of a blank form (the school's name and marking, no record)."""
        with self._database.session() as session:
            return self._context(session, "Blank form", is_drill=False)

    def visit_form(
        self, visit_id: int, by: SignedInUser | None = None
    ) -> tuple[DocumentContext, VisitFormData]:
        """What the Home Visit Form and the Record of Home Visit print."""
        with self._database.session() as session:
            _reader(session, by)
            visit = _visit(session, visit_id)
            clean = _redactor(visit)
            events = {e.kind: e for e in reversed(visit.events)}  # the first of each kind
            cancelled: str | None = None
            if visit.status is VisitStatus.CANCELLED:
                note = events[EventKind.CANCELLED].note if EventKind.CANCELLED in events else None
                cause = visit.cancellation_cause.label if visit.cancellation_cause else "Cancelled"
                cancelled = f"{cause}: {clean(note)}" if note else cause
            cpoms_by = _display_name(session, visit.recorded_on_safeguarding_system_by_id)
            form = VisitFormData(
                visit_id=visit.id,
                status=visit.status.label,
                staff=_staff(visit),
                person_visited=_person_visited(visit),
                address=visit.household.address,
                pupil=_pupil(visit.pupil),
                reason=reason_text(visit.reason, visit.reason_other),
                purpose=clean(visit.purpose) or "",
                planned_start=visit.planned_start,
                planned_end=visit.planned_end,
                authorised=_sign_off(visit.authorisations),
                departed_at=_at(events.get(EventKind.SIGNED_OUT)),
                arrived_at=_at(events.get(EventKind.ARRIVED)),
                left_at=_at(events.get(EventKind.LEFT)),
                child_seen=visit.child_seen,
                spoken_to=clean(visit.spoken_to),
                observations=clean(visit.observations),
                opinions=clean(visit.opinions),
                concerns_raised=clean(visit.concerns_raised),
                outcome=clean(visit.outcome),
                action_required=clean(visit.action_required),
                follow_ups=tuple(
                    FollowUpLine(
                        action=clean(f.action) or "",
                        owner=f.owner.full_name if f.owner is not None else "Not named",
                        due_on=f.due_on,
                        done_at=f.done_at,
                    )
                    for f in visit.follow_ups
                ),
                completed_at=visit.completed_at,
                cancelled=cancelled,
                recorded_on_safeguarding_system_at=visit.recorded_on_safeguarding_system_at,
                recorded_on_safeguarding_system_by=cpoms_by,
            )
            return self._context(session, f"Visit {visit.id}", visit.is_drill), form

    def risk_assessment(
        self, visit_id: int, by: SignedInUser | None = None
    ) -> tuple[DocumentContext, RiskAssessmentData]:
        """The visit's latest risk assessment."""
        with self._database.session() as session:
            _reader(session, by)
            visit = _visit(session, visit_id)
            if not visit.risk_assessments:
                raise NotReadyToPrint(
                    f"Visit {visit_id} has no risk assessment yet.",
                    "Complete the visit's risk assessment first.",
                )
            assessment = session.scalars(
                sa.select(RiskAssessment)
                .where(RiskAssessment.visit_id == visit_id)
                .options(selectinload(RiskAssessment.hazards))
                .order_by(RiskAssessment.created_at.desc(), RiskAssessment.id.desc())
                .limit(1)
            ).one()
            clean = _redactor(visit)
            now = self._clock.now()
            risk_ids = [h.known_risk_id for h in assessment.hazards if h.known_risk_id is not None]
            # A row is printed as raised for a known risk only while that risk is operational.
            linked = {
                r.id
                for r in session.scalars(sa.select(KnownRisk).where(KnownRisk.id.in_(risk_ids)))
                if r.kind.is_operational
            }
            data = RiskAssessmentData(
                visit_id=visit.id,
                assessment_id=assessment.id,
                created_at=assessment.created_at,
                created_by=_display_name(session, assessment.created_by_id),
                staff=_staff(visit),
                address=visit.household.address,
                pupil=_pupil(visit.pupil),
                planned_start=visit.planned_start,
                planned_end=visit.planned_end,
                entry_mode=visit.entry_mode.label,
                thresholds=BandThresholds(assessment.band_low_max, assessment.band_medium_max),
                highest_residual_band=assessment.highest_residual_band,
                hazards=tuple(
                    HazardRow(
                        hazard=clean(h.hazard) or "",
                        who_at_risk=clean(h.who_at_risk) or "",
                        severity=h.severity,
                        likelihood=h.likelihood,
                        controls=clean(h.controls),
                        residual_severity=h.residual_severity,
                        residual_likelihood=h.residual_likelihood,
                        source=h.source,
                        known_risk_id=h.known_risk_id if h.known_risk_id in linked else None,
                    )
                    for h in assessment.hazards
                ),
                notes=clean(assessment.notes),
                known_risks=tuple(clean(r) or "" for r in _known_risks(visit.household, now)),
                safe_word_agreed=bool(visit.safe_word),
            )
            return self._context(session, f"Visit {visit.id}", visit.is_drill), data

    def authorisation(
        self, visit_id: int, by: SignedInUser | None = None
    ) -> tuple[DocumentContext, AuthorisationData]:
        """The plan of the visit and every decision on it (the approval in force, if any)."""
        with self._database.session() as session:
            _reader(session, by)
            visit = _visit(session, visit_id)
            clean = _redactor(visit)
            contact = ", ".join(
                p for p in (visit.responsible_contact_name, visit.responsible_contact_phone) if p
            )
            social_worker = visit.social_worker
            joint = None
            if visit.joint_visit:
                joint = "Yes"
                if social_worker is not None:
                    joint = ", ".join(
                        p
                        for p in (
                            social_worker.name,
                            social_worker.role.label,
                            social_worker.organisation,
                        )
                        if p
                    )
            data = AuthorisationData(
                visit_id=visit.id,
                status=visit.status.label,
                staff=_staff(visit),
                pupil=_pupil(visit.pupil),
                address=visit.household.address,
                reason=reason_text(visit.reason, visit.reason_other),
                purpose=clean(visit.purpose) or "",
                planned_start=visit.planned_start,
                planned_end=visit.planned_end,
                entry_mode=visit.entry_mode.label,
                announced=visit.announced,
                unannounced_reason=clean(visit.unannounced_reason),
                lone_visit_justification=(
                    clean(visit.lone_visit_justification) if visit.is_lone else None
                ),
                out_of_hours=visit.out_of_hours,
                responsible_contact=contact or None,
                joint_visit_with=joint,
                urgent_unplanned=visit.urgent_unplanned,
                decisions=tuple(
                    Decision(
                        decision=a.decision,
                        decided_by=a.decided_by.display_name,
                        decided_by_role=a.decided_by.role.label,
                        decided_at=a.decided_at,
                        conditions=clean(a.conditions),
                        comment=clean(a.comment),
                        approved_hash=a.approved_hash,
                        voided_at=a.voided_at,
                        void_reason=clean(a.void_reason),
                    )
                    for a in visit.authorisations
                ),
            )
            return self._context(session, f"Visit {visit.id}", visit.is_drill), data

    def police_sheet(
        self, visit_id: int, by: SignedInUser | None = None
    ) -> tuple[DocumentContext, PoliceSheetData]:
        """The police information sheet, from the board's own read of the visit (so the sheet
        and the board can never disagree about the stage or the scheduled end)."""
        with self._database.session() as session:
            _reader(session, by)
            visit = _visit(session, visit_id)
            context = self._context(session, f"Visit {visit.id}", visit.is_drill)
        sheet = BoardService(self._database, self._clock).police_sheet(visit_id)
        return replace(context, generated_at=sheet.generated_at), _police_sheet(sheet)

    def incident(
        self, incident_id: int, by: SignedInUser | None = None
    ) -> tuple[DocumentContext, IncidentData]:
        """An incident with its visit's whole timeline and its review: for the roles that
        review incidents only (the debrief and the support offered are need-to-know)."""
        with self._database.session() as session:
            reader = _reader(session, by)
            if not may_review(reader.role):
                raise NotYours(
                    f"{reader.role.label} accounts cannot print or save incident reports: "
                    "they hold the review (debrief, support offered, lessons).",
                    "Ask the DSL, a deputy DSL or a senior leader.",
                )
            incident = session.scalars(
                sa.select(Incident)
                .where(Incident.id == incident_id)
                .options(
                    joinedload(Incident.visit)
                    .selectinload(Visit.visitors)
                    .joinedload(VisitStaff.staff),
                    joinedload(Incident.visit).joinedload(Visit.household),
                    joinedload(Incident.visit).joinedload(Visit.pupil),
                    joinedload(Incident.visit)
                    .selectinload(Visit.events)
                    .joinedload(VisitEvent.recorded_by),
                )
            ).one_or_none()
            if incident is None:
                raise NoSuchRecord(
                    f"There is no incident {incident_id}.",
                    "Check the incident number in the Incidents list.",
                )
            visit = incident.visit
            clean = _redactor(visit) if visit is not None else _keep
            names = display_names(
                session, (incident.raised_by_id, incident.resolved_by_id, incident.signed_off_by_id)
            )
            data = IncidentData(
                incident_id=incident.id,
                kind=incident.kind.label,
                status=incident.status.label,
                occurred_at=incident.occurred_at,
                raised_at=incident.raised_at,
                raised_by=names.get(incident.raised_by_id),
                summary=clean(incident.summary) or "",
                highest_stage=incident.highest_stage,
                resolution=clean(incident.resolution),
                resolved_at=incident.resolved_at,
                resolved_by=names.get(incident.resolved_by_id),
                visit_id=incident.visit_id,
                staff=_staff(visit) if visit is not None else (),
                address=visit.household.address if visit is not None else None,
                pupil=_pupil(visit.pupil) if visit is not None else None,
                planned_start=visit.planned_start if visit is not None else None,
                planned_end=visit.planned_end if visit is not None else None,
                timeline=(
                    tuple(_timeline_row(e, clean) for e in visit.events)
                    if visit is not None
                    else ()
                ),
                what_happened=clean(incident.what_happened),
                debrief_held_at=incident.debrief_held_at,
                debrief_with=clean(incident.debrief_with),
                support_offered=clean(incident.support_offered),
                lessons=clean(incident.lessons),
                procedure_changes=clean(incident.procedure_changes),
                riddor_reportable=incident.riddor_reportable,
                riddor_reported_at=incident.riddor_reported_at,
                review_due_on=incident.review_due_on,
                signed_off_by=names.get(incident.signed_off_by_id),
                signed_off_at=incident.signed_off_at,
                closed=incident.status is IncidentStatus.CLOSED,
            )
            is_drill = incident.is_drill or (visit is not None and visit.is_drill)
            return self._context(session, f"Incident {incident.id}", is_drill), data

    # --- shared ----------------------------------------------------------------------------

    def _context(self, session: Session, record_label: str, is_drill: bool) -> DocumentContext:
        policy = school_policy(session)
        return DocumentContext(
            school_name=policy.school_name,
            marking=policy.document_marking,
            generated_at=self._clock.now(),
            record_label=record_label,
            is_drill=is_drill,
            logo=_logo(session),
        )


# --- reading -------------------------------------------------------------------------------------


def _who(by: SignedInUser | None) -> SignedInUser:
    """The caller's user, else the window's; a record's document is never made for nobody."""
    who = by or audit.signed_in_user()
    if who is None:
        raise NotYours(
            "Sign in to print or save a record: documents hold personal data.",
            "Sign in, then try again (on the command line: --user YOUR-USERNAME).",
        )
    return who


def _reader(session: Session, by: SignedInUser | None) -> UserAccount:
    """The account the document is made for, as the database has it now."""
    return require_active_account(session, _who(by), NotYours, nothing_done="no document was made")


def _kind(kind: DocumentKind | str) -> DocumentKind:
    try:
        return DocumentKind(kind)
    except ValueError:
        known = ", ".join(k.value for k in DocumentKind)
        raise DocumentError(
            f"There is no document called {kind!r}.", f"Choose one of {known}."
        ) from None


def _visit(session: Session, visit_id: int) -> Visit:
    visit = session.scalars(
        sa.select(Visit)
        .where(Visit.id == visit_id)
        .options(
            selectinload(Visit.visitors).joinedload(VisitStaff.staff),
            joinedload(Visit.household).selectinload(Household.known_risks),
            joinedload(Visit.pupil).selectinload(Pupil.adult_links).joinedload(PupilAdult.adult),
            selectinload(Visit.authorisations).joinedload(Authorisation.decided_by),
            selectinload(Visit.events).joinedload(VisitEvent.recorded_by),
            selectinload(Visit.risk_assessments),
            joinedload(Visit.social_worker),
        )
    ).one_or_none()
    if visit is None:
        raise NoSuchRecord(
            f"There is no visit {visit_id}.", "Check the visit number in the Visits list."
        )
    return visit


def _logo(session: Session) -> bytes | None:
    stored = session.scalar(sa.select(Setting.value).where(Setting.key == LOGO_SETTING))
    if not isinstance(stored, str) or not stored.strip():
        return None
    try:
        return base64.b64decode(stored.split(",", 1)[-1], validate=True)
    except (binascii.Error, ValueError):
        log.warning("The %s setting is not base64; printing without a logo.", LOGO_SETTING)
        return None


def _display_name(session: Session, user_id: int | None) -> str | None:
    if user_id is None:
        return None
    return session.scalar(sa.select(UserAccount.display_name).where(UserAccount.id == user_id))


def _staff(visit: Visit) -> tuple[StaffOnVisit, ...]:
    return tuple(
        StaffOnVisit(
            name=vs.staff.full_name, job_role=vs.staff.job_role.label, role_on_visit=vs.role.label
        )
        for vs in visit.visitors
    )


def _pupil(pupil: Pupil | None) -> str | None:
    return name_with_year_group(pupil.full_name, pupil.year_group) if pupil is not None else None


def _person_visited(visit: Visit) -> str | None:
    """The adults with parental responsibility for the pupil, one per line (only they may be
    spoken to: 000, 001); without a pupil, the household's adults."""
    if visit.pupil is not None:
        links = [link for link in visit.pupil.adult_links if link.parental_responsibility]
        links.sort(key=lambda link: (not link.lives_with_pupil, link.adult.last_name))
        if links:
            return "\n".join(
                f"{link.adult.full_name} ({link.relationship_to_pupil.label})" for link in links
            )
    adults = visit.household.adults
    return "\n".join(a.full_name for a in adults) or None


def _sign_off(authorisations: Sequence[Authorisation]) -> SignOff | None:
    """The approval in force (the latest approval not voided), or None."""
    latest = approval_in_force(authorisations)
    if latest is None:
        return None
    return SignOff(
        name=latest.decided_by.display_name,
        role=latest.decided_by.role.label,
        decided_at=latest.decided_at,
    )


def _at(event: VisitEvent | None) -> datetime | None:
    return event.occurred_at if event is not None else None


def _known_risks(household: Household, at: datetime) -> list[str]:
    """Operational known risks in force at `at` (safeguarding history is never printed)."""
    return [
        f"{r.kind.label}: {r.description}"
        for r in household.known_risks
        if r.kind.is_operational and r.recorded_at <= at and (r.ended_at is None or r.ended_at > at)
    ]


def _keep(text: str | None) -> str | None:
    return text


def _redactor(visit: Visit) -> Callable[[str | None], str | None]:
    """A function that takes the visit's safe word out of free text (see the module's rules)."""
    word = (visit.safe_word or "").strip()
    if not word or (visit.is_drill and word == DRILL_SAFE_WORD):
        return _keep

    def clean(text: str | None) -> str | None:
        return redact_safe_word(text, word)

    return clean


def _timeline_row(event: VisitEvent, clean: Callable[[str | None], str | None]) -> TimelineRow:
    """One step of the timeline with every detail logged with it."""
    late = (event.recorded_at - event.occurred_at).total_seconds() > _RECORDED_LATE
    return TimelineRow(
        at=event.occurred_at,
        what=event_heading(event),
        outcome=clean(event_details(event)),
        recorded_by=event.recorded_by.display_name if event.recorded_by is not None else None,
        note=clean(event.note),
        recorded_at=event.recorded_at if late else None,
    )


def _police_sheet(sheet: PoliceSheet) -> PoliceSheetData:
    """The board's police sheet as the renderer takes it."""
    visitors = tuple(
        PoliceVisitor(
            name=v.name,
            job_role=v.job_role,
            work_mobile=v.work_mobile,
            description=v.description,
            vehicle=v.vehicle,
            emergency_contact=_joined(
                _joined(
                    v.emergency_contact_name,
                    f"({v.emergency_contact_relationship})"
                    if v.emergency_contact_relationship
                    else None,
                ),
                v.emergency_contact_phone,
                separator=", ",
            ),
            supervisor=_joined(v.supervisor_name, v.supervisor_phone, separator=", "),
        )
        for v in sheet.visitors
    )
    state = sheet.state
    return PoliceSheetData(
        visit_id=sheet.visit_id,
        stage=state.headline,
        visitors=visitors,
        vehicle=sheet.vehicle,
        address=sheet.address,
        area=sheet.area,
        location_notes=sheet.location_notes,
        pupil=sheet.pupil_name,
        purpose=sheet.purpose,
        planned_start=sheet.planned_start,
        planned_end=sheet.planned_end,
        scheduled_end=sheet.scheduled_end,
        known_risks=sheet.known_risks,
        safe_word=sheet.safe_word,
        departed_at=state.departed_at,
        arrived_at=state.arrived_at,
        timeline=tuple(
            TimelineRow(
                at=line.at,
                what=line.what,
                outcome=line.outcome,
                recorded_by=line.recorded_by,
                note=line.note,
            )
            for line in sheet.timeline
        ),
    )


def _joined(*parts: str | None, separator: str = " ") -> str | None:
    text = separator.join(p for p in parts if p)
    return text or None
