"""What a subject access export holds: everything about one pupil, adult or member of staff,
read in one session and laid out as sections of plain text for hvdesk.reports.subject_access,
with the third parties it names.

The rules (also printed on the export's front page, `NOTES`):

* Pupil: their record; their household, the adults linked to them, other pupils there and the
  professionals working with the family; every visit about them (the request's fields, staff
  on it, risk assessment rows, authorisations, the timeline, the after-visit record and its
  follow-ups), incidents on those visits, the household's known risks (safeguarding history
  included: the DSL considers exemptions before sending), requests about them, and the audit
  trail's entries about every record printed.
* Adult: the same, for their household and the households of the pupils linked to them, and
  for visits to their household or about those pupils.
* Member of staff: their staff record (emergency contact, vehicle, DBS), their hvdesk
  accounts, the visits they went on (a family's address is left out: it is the family's data,
  not theirs; the household is named by number and area), follow-ups they own, incidents on
  their visits, and the audit entries about those records and made under their accounts.
* Never printed: the safe word (a safety control, printed only on the police sheet), password
  hashes, and, outside a staff member's own export, staff's vehicles and emergency contacts.

Third parties are decided in hvdesk.domain.subject_access: other pupils, other adults, other
professionals, and named contacts (a contact on a record who is not on the staff list). Staff
acting in their job are never marked.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload, selectinload

from hvdesk.clock import format_school_time, to_school_time
from hvdesk.db.models import (
    Adult,
    AuditEntry,
    Authorisation,
    FollowUp,
    Household,
    Incident,
    Pupil,
    PupilAdult,
    RiskAssessment,
    Staff,
    SubjectAccessRequest,
    UserAccount,
    Visit,
    VisitStaff,
)
from hvdesk.domain.subject_access import PartyKind, SubjectKind, ThirdParty
from hvdesk.errors import HvdeskError
from hvdesk.reports.access_pack import (
    PackSection,
    RecordEntry,
    Register,
    SubjectAccessPack,
)

__all__ = ["NOTES", "RECORD_TYPE", "SubjectNotHeld", "build_pack", "year_label"]

RECORD_TYPE = "subject_access_requests"

_DAY = "%d %b %Y"
_WHEN = "%d %b %Y %H:%M"


class SubjectNotHeld(HvdeskError):
    """The person a request is about is no longer on record (deleted under retention)."""

    title = "Nothing held"


def build_pack(session: Session, request: SubjectAccessRequest) -> SubjectAccessPack:
    """Everything held about the request's subject, as the export prints it."""
    return _PackBuilder(session, request).build()


def year_label(year_group: int | None) -> str:
    """ "Reception", "Year 5", or "" when not recorded."""
    if year_group is None:
        return ""
    return "Reception" if year_group == 0 else f"Year {year_group}"


def _when(instant: datetime | None) -> str:
    return format_school_time(instant, _WHEN)


def _day(value: date | None) -> str:
    return f"{value:{_DAY}}" if value is not None else ""


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("Yes" if value else "No")


def _without_aside(name: str) -> str:
    """ "Zeynep Çelik (Wife)" -> "Zeynep Çelik": the name a contact field holds."""
    return name.split("(", 1)[0].strip()


NOTES = (
    "Third parties (marked): other pupils, adults other than the subject (parents and carers "
    "included: if the requester is entitled to their own details, leave those unredacted), "
    "other professionals such as social workers, and named contacts (emergency contacts, "
    "people the office called who are not staff).",
    "Not marked: the subject, and staff acting in their job (visitors, authorisers, whoever "
    "logged a step, follow-up owners); their names are normally disclosed.",
    "Left out of every export: visits' safe words (a safety control) and password hashes.",
    "Safeguarding history and the opinions in visit records may fall under an exemption "
    "(for example where disclosure could cause serious harm): the DSL decides before sending.",
    "The audit trail keeps which fields changed, not what they said, so its entries name no "
    "one but the member of staff who made the change.",
)
_NOTE_STAFF = (
    "For a member of staff, families' addresses are left out (the household is named by "
    "number and area) and the pupils and adults of the visits are third parties."
)
_NOTE_FAMILY = (
    "Staff's vehicles and emergency contacts are not in a family's export: they are the "
    "staff's own data, not the family's."
)


class _PackBuilder:
    """Reads everything held about one subject in one session and lays it out as sections."""

    def __init__(self, session: Session, request: SubjectAccessRequest) -> None:
        self.session = session
        self.request = request
        self.kind = SubjectKind(request.subject_type)
        self.subject_id = request.subject_id
        self.parties: list[ThirdParty] = []
        self.kept: set[str] = set()
        self.records: dict[str, set[int]] = {}
        self.staff_names = {s.full_name for s in session.scalars(sa.select(Staff))}
        self.accounts = {a.id: a for a in session.scalars(sa.select(UserAccount))}
        self.names = {i: a.display_name for i, a in self.accounts.items()}

    # -- recording what is in the pack --

    def _seen(self, record_type: str, ids: Iterable[int]) -> None:
        self.records.setdefault(record_type, set()).update(ids)

    def _party(self, name: str | None, kind: PartyKind, relation: str) -> None:
        if name and name.strip():
            self.parties.append(ThirdParty(name.strip(), kind, relation))

    def _contact(self, name: str | None, relation: str) -> None:
        """A contact named on a record: a third party unless they are on the staff list."""
        if not name:
            return
        plain = _without_aside(name)
        if plain and plain not in self.staff_names and plain not in self.names.values():
            self._party(plain, PartyKind.CONTACT, relation)

    def _user(self, user_id: int | None) -> str:
        return self.names.get(user_id, "") if user_id is not None else ""

    # -- the whole pack --

    def build(self) -> SubjectAccessPack:
        if self.kind is SubjectKind.PUPIL:
            name, sections = self._pupil()
        elif self.kind is SubjectKind.ADULT:
            name, sections = self._adult()
        else:
            name, sections = self._staff()
        sections.append(self._requests())
        sections.append(self._audit())
        subject_words = {name}
        never = sorted(
            (subject_words | self.staff_names | set(self.names.values()))
            - {p.name for p in self.parties if p.name != name}
        )
        parties = [p for p in self.parties if p.name != name]
        notes = (*NOTES, _NOTE_STAFF if self.kind is SubjectKind.STAFF else _NOTE_FAMILY)
        return SubjectAccessPack(
            request_id=self.request.id,
            subject_kind=self.kind.label,
            subject_name=name,
            requested_by=self.request.requested_by,
            received_on=self.request.received_on,
            due_on=self.request.due_on,
            sections=tuple(sections),
            third_parties=tuple(parties),
            never_marked=tuple([name, *never]),
            notes=notes,
        )

    # -- pupil --

    def _pupil(self) -> tuple[str, list[PackSection]]:
        pupil = self.session.get(Pupil, self.subject_id)
        if pupil is None:
            raise SubjectNotHeld(
                f"The pupil of request {self.request.id} is no longer on record.",
                "Their records were deleted under the retention rules; reply that nothing is held.",
            )
        self._seen("pupils", [pupil.id])
        record = RecordEntry(
            heading=f"Pupil {pupil.id}: {pupil.full_name}",
            reference=f"Pupil {pupil.id}",
            fields=(
                ("Name", pupil.full_name),
                ("Date of birth", _day(pupil.date_of_birth)),
                ("Year group", year_label(pupil.year_group) or "Not recorded"),
                ("School system (MIS) number", pupil.mis_id or "None"),
                ("On roll", _yes_no(pupil.active)),
                ("Household", f"Household {pupil.household_id}" if pupil.household_id else "None"),
            ),
        )
        households = [pupil.household] if pupil.household is not None else []
        linked = [(link.adult, link) for link in pupil.adult_links]
        for adult, link in linked:
            self._party(adult.full_name, PartyKind.ADULT, link.relationship_to_pupil.label)
        visits = self._visits(sa.select(Visit).where(Visit.pupil_id == pupil.id))
        sections = [
            PackSection("The pupil's record", "As held on the pupil list.", (record,)),
            self._households(households, linked_adults=linked, subject_pupil=pupil.id),
            *self._visit_sections(visits, staff_view=False),
            self._known_risks(households),
        ]
        return pupil.full_name, sections

    # -- adult --

    def _adult(self) -> tuple[str, list[PackSection]]:
        adult = self.session.get(Adult, self.subject_id)
        if adult is None:
            raise SubjectNotHeld(
                f"The adult of request {self.request.id} is no longer on record.",
                "Their records were deleted; reply that nothing is held.",
            )
        self._seen("adults", [adult.id])
        links = list(adult.pupil_links)
        record = RecordEntry(
            heading=f"Adult {adult.id}: {adult.full_name}",
            reference=f"Adult {adult.id}",
            fields=(
                ("Name", adult.full_name),
                ("Phone", adult.phone or "None"),
                ("E-mail", adult.email or "None"),
                ("Preferred language", adult.preferred_language or "Not recorded"),
                ("Household", f"Household {adult.household_id}" if adult.household_id else "None"),
            ),
            registers=(
                Register(
                    "Pupils they are linked to",
                    ("Pupil", "Relationship", "Parental responsibility", "Lives with the pupil"),
                    tuple(
                        (
                            link.pupil.full_name,
                            link.relationship_to_pupil.label,
                            _yes_no(link.parental_responsibility),
                            _yes_no(link.lives_with_pupil),
                        )
                        for link in links
                    ),
                    (0.4, 0.2, 0.2, 0.2),
                ),
            ),
        )
        for link in links:
            self._party(
                link.pupil.full_name,
                PartyKind.PUPIL,
                f"Pupil ({link.relationship_to_pupil.label.lower()} is this adult)",
            )
        self._seen("pupils", [link.pupil_id for link in links])
        household_ids = {adult.household_id} | {link.pupil.household_id for link in links}
        households = [
            h
            for h in self.session.scalars(
                sa.select(Household).where(Household.id.in_({i for i in household_ids if i}))
            )
        ]
        pupil_ids = [link.pupil_id for link in links]
        condition: sa.ColumnElement[bool] = Visit.pupil_id.in_(pupil_ids)
        if adult.household_id is not None:
            condition = sa.or_(condition, Visit.household_id == adult.household_id)
        visits = self._visits(sa.select(Visit).where(condition))
        sections = [
            PackSection("The adult's record", "As held with the family's details.", (record,)),
            self._households(households, linked_adults=[], subject_adult=adult.id),
            *self._visit_sections(visits, staff_view=False),
            self._known_risks(households),
        ]
        return adult.full_name, sections

    # -- staff --

    def _staff(self) -> tuple[str, list[PackSection]]:
        staff = self.session.get(Staff, self.subject_id)
        if staff is None:
            raise SubjectNotHeld(
                f"The member of staff of request {self.request.id} is no longer on record.",
                "Their record was deleted; reply that nothing is held.",
            )
        self._seen("staff", [staff.id])
        self._party(staff.emergency_contact_name, PartyKind.CONTACT, "Their emergency contact")
        vehicle = " ".join(
            p for p in (staff.vehicle_colour, staff.vehicle_make, staff.vehicle_model) if p
        )
        if staff.vehicle_registration:
            vehicle = (
                f"{vehicle}, {staff.vehicle_registration}"
                if vehicle
                else staff.vehicle_registration
            )
        emergency = ", ".join(
            p
            for p in (
                staff.emergency_contact_name,
                f"({staff.emergency_contact_relationship})"
                if staff.emergency_contact_relationship
                else None,
                staff.emergency_contact_phone,
            )
            if p
        )
        accounts = [a for a in self.accounts.values() if a.staff_id == staff.id]
        self._seen("user_accounts", [a.id for a in accounts])
        record = RecordEntry(
            heading=f"Staff {staff.id}: {staff.full_name}",
            reference=f"Staff {staff.id}",
            fields=(
                ("Name", staff.full_name),
                ("Job", staff.job_role.label),
                ("E-mail", staff.email or "None"),
                ("Work mobile", staff.work_mobile or "None"),
                ("Emergency contact", emergency or "None"),
                ("Vehicle", vehicle or "None"),
                ("Description (for the police sheet)", staff.description or "None"),
                ("Safeguarding training", _day(staff.safeguarding_trained_on) or "Not recorded"),
                (
                    "DBS check",
                    f"{staff.dbs_level.label}"
                    + (f", checked {_day(staff.dbs_checked_on)}" if staff.dbs_checked_on else ""),
                ),
                ("Supervisor", staff.supervisor.full_name if staff.supervisor else "None"),
                ("Active", _yes_no(staff.active)),
                ("Left on", _day(staff.left_on) or "Still at the school"),
            ),
            registers=(
                Register(
                    "hvdesk accounts",
                    ("Username", "Role", "Active", "Created", "Last signed in"),
                    tuple(
                        (
                            a.username,
                            a.role.label,
                            _yes_no(a.active),
                            _when(a.created_at),
                            _when(a.last_sign_in_at) or "Never",
                        )
                        for a in accounts
                    ),
                    (0.18, 0.3, 0.1, 0.21, 0.21),
                ),
            ),
        )
        went_on = sa.select(VisitStaff.visit_id).where(VisitStaff.staff_id == staff.id)
        visits = self._visits(sa.select(Visit).where(Visit.id.in_(went_on)))
        for visit in visits:
            if visit.pupil is not None:
                self._party(visit.pupil.full_name, PartyKind.PUPIL, "Pupil visited")
                for link in visit.pupil.adult_links:
                    self._party(
                        link.adult.full_name,
                        PartyKind.ADULT,
                        f"{link.relationship_to_pupil.label} of a pupil visited",
                    )
            for adult in visit.household.adults:
                self._party(adult.full_name, PartyKind.ADULT, "Adult at a household visited")
        owned = list(
            self.session.scalars(
                sa.select(FollowUp)
                .where(FollowUp.owner_staff_id == staff.id)
                .order_by(FollowUp.due_on, FollowUp.id)
            )
        )
        sections = [
            PackSection("The staff member's record", "Their staff record and accounts.", (record,)),
            *self._visit_sections(visits, staff_view=True, extra_follow_ups=owned),
        ]
        return staff.full_name, sections

    # -- households --

    def _households(
        self,
        households: Sequence[Household],
        *,
        linked_adults: Sequence[tuple[Adult, PupilAdult]],
        subject_pupil: int | None = None,
        subject_adult: int | None = None,
    ) -> PackSection:
        self._seen("households", [h.id for h in households])
        entries = []
        for position, home in enumerate(households):
            # The adults linked to the pupil go with the pupil's own home (the first), even
            # one who lives elsewhere; then everyone else recorded at the household.
            linked = linked_adults if position == 0 else []
            linked_ids = {adult.id for adult, _ in linked}
            rows: list[tuple[str, ...]] = [
                (
                    adult.full_name,
                    link.relationship_to_pupil.label,
                    _yes_no(link.parental_responsibility),
                    _yes_no(link.lives_with_pupil),
                    adult.phone or "",
                    adult.email or "",
                    adult.preferred_language or "",
                )
                for adult, link in linked
            ]
            for adult in home.adults:
                if adult.id in linked_ids or adult.id == subject_adult:
                    continue
                self._party(adult.full_name, PartyKind.ADULT, "Adult at the household")
                rows.append(
                    (
                        adult.full_name,
                        "At the household",
                        "",
                        "",
                        adult.phone or "",
                        adult.email or "",
                        adult.preferred_language or "",
                    )
                )
            self._seen("adults", [a.id for a in home.adults] + sorted(linked_ids))
            pupils = [p for p in home.pupils if p.id != subject_pupil]
            for pupil in pupils:
                self._party(pupil.full_name, PartyKind.PUPIL, "Pupil at the same household")
            for professional in home.professionals:
                self._party(professional.name, PartyKind.PROFESSIONAL, professional.role.label)
            self._seen("professionals", [p.id for p in home.professionals])
            entries.append(
                RecordEntry(
                    heading=f"Household {home.id}: {home.address}",
                    reference=f"Household {home.id}",
                    fields=(
                        ("Address", home.address),
                        ("Area", home.area),
                        ("Home phone", home.home_phone or "None"),
                        ("Notes on finding the home", home.location_notes or "None"),
                        ("Recorded", _when(home.created_at)),
                    ),
                    registers=(
                        Register(
                            "Adults",
                            (
                                "Name",
                                "Relation",
                                "Parental resp.",
                                "Lives with pupil",
                                "Phone",
                                "E-mail",
                                "Language",
                            ),
                            tuple(rows),
                            (0.2, 0.13, 0.1, 0.1, 0.15, 0.2, 0.12),
                            frozenset(range(len(rows))),
                        ),
                        Register(
                            "Other pupils at the household",
                            ("Name", "Year", "On roll"),
                            tuple(
                                (p.full_name, year_label(p.year_group), _yes_no(p.active))
                                for p in pupils
                            ),
                            (0.5, 0.25, 0.25),
                            frozenset(range(len(pupils))),
                        ),
                        Register(
                            "Other professionals working with the family",
                            ("Name", "Role", "Organisation", "Phone", "E-mail"),
                            tuple(
                                (
                                    p.name,
                                    p.role.label,
                                    p.organisation or "",
                                    p.phone or "",
                                    p.email or "",
                                )
                                for p in home.professionals
                            ),
                            (0.22, 0.2, 0.22, 0.15, 0.21),
                            frozenset(range(len(home.professionals))),
                        ),
                    ),
                )
            )
        return PackSection(
            "Households and linked adults",
            "The home and the people recorded with it. Everyone here but the subject is a "
            "third party.",
            tuple(entries),
        )

    # -- visits and what hangs from them --

    def _visits(self, query: sa.Select[Visit]) -> list[Visit]:
        visits = list(
            self.session.scalars(
                query.options(
                    selectinload(Visit.visitors).joinedload(VisitStaff.staff),
                    joinedload(Visit.household).selectinload(Household.adults),
                    joinedload(Visit.pupil)
                    .selectinload(Pupil.adult_links)
                    .joinedload(PupilAdult.adult),
                    selectinload(Visit.authorisations),
                    selectinload(Visit.events),
                    selectinload(Visit.risk_assessments).selectinload(RiskAssessment.hazards),
                    selectinload(Visit.follow_ups).joinedload(FollowUp.owner),
                    joinedload(Visit.social_worker),
                ).order_by(Visit.planned_start, Visit.id)
            ).unique()
        )
        self._seen("visits", [v.id for v in visits])
        return visits

    def _visit_sections(
        self,
        visits: Sequence[Visit],
        *,
        staff_view: bool,
        extra_follow_ups: Sequence[FollowUp] = (),
    ) -> list[PackSection]:
        for visit in visits:
            if visit.social_worker is not None:
                self._party(
                    visit.social_worker.name,
                    PartyKind.PROFESSIONAL,
                    visit.social_worker.role.label,
                )
            self._contact(visit.responsible_contact_name, "Responsible contact for a visit")
            for event in visit.events:
                self._contact(event.contact_name, "Contact named on a visit's timeline")
        incidents = list(
            self.session.scalars(
                sa.select(Incident)
                .where(Incident.visit_id.in_([v.id for v in visits]))
                .order_by(Incident.occurred_at, Incident.id)
            )
        )
        return [
            PackSection(
                "Visits",
                "Each visit as requested and planned: why, when, who went."
                + (" Families' addresses are left out." if staff_view else ""),
                tuple(self._visit_entry(v, staff_view) for v in visits),
            ),
            PackSection(
                "Risk assessments",
                "The dynamic risk assessment of each visit, row by row.",
                tuple(self._assessment_entry(v, a) for v in visits for a in v.risk_assessments),
            ),
            PackSection(
                "Authorisations",
                "Every decision on a visit request (approved, refused, voided).",
                self._authorisation_entries(visits),
            ),
            PackSection(
                "Timeline events",
                "Every logged step of each visit: departures, arrivals, calls, escalation.",
                tuple(self._timeline_entry(v) for v in visits if v.events),
            ),
            PackSection(
                "After-visit records",
                "What was recorded after each visit: facts and opinions are separate fields.",
                tuple(self._record_entry(v) for v in visits if _has_record(v)),
            ),
            PackSection(
                "Follow-up actions",
                "Actions a visit record required, with owner and due date."
                + (" Includes actions they own on other visits." if extra_follow_ups else ""),
                self._follow_up_entries(visits, extra_follow_ups),
            ),
            PackSection(
                "Incidents",
                "Incidents raised on these visits and their review.",
                tuple(self._incident_entry(i) for i in incidents),
            ),
        ]

    def _visit_entry(self, visit: Visit, staff_view: bool) -> RecordEntry:
        day = format_school_time(visit.planned_start, "%a %d %b %Y")
        staff = "\n".join(
            f"{vs.staff.full_name}, {vs.staff.job_role.label} ({vs.role.label.lower()})"
            for vs in visit.visitors
        )
        home = (
            f"Household {visit.household_id} ({visit.household.area})"
            if staff_view
            else f"{visit.household.address} (household {visit.household_id})"
        )
        announced = (
            "Yes" if visit.announced else f"No: {visit.unannounced_reason or 'no reason recorded'}"
        )
        could_come_in = _yes_no(visit.parent_could_come_in)
        if visit.parent_could_come_in_note:
            could_come_in = f"{could_come_in}: {visit.parent_could_come_in_note}".lstrip(": ")
        fields: list[tuple[str, str]] = [
            ("Status", visit.status.label + (" (practice drill)" if visit.is_drill else "")),
            ("Pupil", visit.pupil.full_name if visit.pupil is not None else "None named"),
            ("Home", home),
            (
                "Reason",
                visit.reason.label + (f": {visit.reason_other}" if visit.reason_other else ""),
            ),
            ("Purpose", visit.purpose),
            (
                "Planned",
                f"{_when(visit.planned_start)} to {format_school_time(visit.planned_end, '%H:%M')}",
            ),
            ("Announced to the family", announced),
            ("Could the parent come in instead?", could_come_in or "Not recorded"),
            ("Doorstep or enter", visit.entry_mode.label),
            ("Staff on the visit", staff or "None named"),
        ]
        if visit.lone_visit_justification:
            fields.append(("Why a lone visit", visit.lone_visit_justification))
        if visit.out_of_hours:
            fields.append(
                (
                    "Out of hours",
                    f"Yes; responsible contact: {visit.responsible_contact_name or 'none'}",
                )
            )
        if visit.joint_visit or visit.social_worker is not None:
            worker = visit.social_worker
            fields.append(
                (
                    "Joint visit",
                    _yes_no(visit.joint_visit)
                    + (f", with {worker.name} ({worker.role.label})" if worker else ""),
                )
            )
        if visit.resources_to_take:
            fields.append(("Resources to take", visit.resources_to_take))
        if staff_view and visit.vehicle:
            fields.append(("Vehicle", visit.vehicle))
        if visit.urgent_unplanned:
            fields.append(("Urgent, unplanned", "Yes"))
        if visit.cancellation_cause is not None:
            fields.append(("Cancelled", visit.cancellation_cause.label))
        fields.append(
            (
                "Requested",
                " ".join(
                    p
                    for p in (
                        _when(visit.created_at),
                        f"by {self._user(visit.created_by_id)}" if visit.created_by_id else "",
                    )
                    if p
                )
                + (f"; submitted {_when(visit.submitted_at)}" if visit.submitted_at else ""),
            )
        )
        return RecordEntry(f"Visit {visit.id} · {day}", f"Visit {visit.id}", tuple(fields))

    def _assessment_entry(self, visit: Visit, assessment: RiskAssessment) -> RecordEntry:
        self._seen("risk_assessments", [assessment.id])
        self._seen("hazards", [h.id for h in assessment.hazards])
        return RecordEntry(
            heading=f"Risk assessment {assessment.id} (visit {visit.id})",
            reference=f"Visit {visit.id}",
            fields=(
                (
                    "Made",
                    f"{_when(assessment.created_at)}"
                    + (
                        f" by {self._user(assessment.created_by_id)}"
                        if assessment.created_by_id
                        else ""
                    ),
                ),
                (
                    "Highest risk after controls",
                    assessment.highest_residual_band.label
                    if assessment.highest_residual_band is not None
                    else "Not scored",
                ),
                ("Notes", assessment.notes or "None"),
            ),
            registers=(
                Register(
                    "",
                    ("Hazard", "Who is at risk", "Before", "Controls", "After"),
                    tuple(
                        (
                            h.hazard,
                            h.who_at_risk,
                            f"{h.severity} × {h.likelihood} = {h.severity * h.likelihood}",
                            h.controls or "",
                            f"{h.residual_severity} × {h.residual_likelihood} = "
                            f"{h.residual_severity * h.residual_likelihood}",
                        )
                        for h in assessment.hazards
                    ),
                    (0.22, 0.16, 0.12, 0.38, 0.12),
                ),
            ),
        )

    def _authorisation_entries(self, visits: Sequence[Visit]) -> tuple[RecordEntry, ...]:
        entries = []
        for visit in visits:
            if not visit.authorisations:
                continue
            self._seen("authorisations", [a.id for a in visit.authorisations])
            entries.append(
                RecordEntry(
                    heading=f"Authorisation of visit {visit.id}",
                    reference=f"Visit {visit.id}",
                    registers=(
                        Register(
                            "",
                            ("Decision", "By", "When", "Conditions and comment", "Voided"),
                            tuple(
                                _decision(a, self._user(a.decided_by_id))
                                for a in visit.authorisations
                            ),
                            (0.13, 0.18, 0.17, 0.32, 0.2),
                        ),
                    ),
                )
            )
        return tuple(entries)

    def _timeline_entry(self, visit: Visit) -> RecordEntry:
        self._seen("visit_events", [e.id for e in visit.events])
        rows = []
        for event in visit.events:
            what = event.action.label if event.action is not None else event.kind.label
            if event.stage:
                what += f" (stage {event.stage})"
            details = [
                p
                for p in (
                    event.outcome.label if event.outcome is not None else None,
                    event.contact_name,
                    f"reference {event.reference}" if event.reference else None,
                    f"next call by {format_school_time(event.new_deadline, '%H:%M')}"
                    if event.new_deadline
                    else None,
                )
                if p
            ]
            rows.append(
                (
                    _when(event.occurred_at),
                    what,
                    ", ".join(details),
                    self._user(event.recorded_by_id),
                    event.note or "",
                )
            )
        return RecordEntry(
            heading=f"Timeline of visit {visit.id}",
            reference=f"Visit {visit.id}",
            registers=(
                Register(
                    "",
                    ("When", "What", "Outcome", "Recorded by", "Note"),
                    tuple(rows),
                    (0.17, 0.22, 0.2, 0.14, 0.27),
                ),
            ),
        )

    def _record_entry(self, visit: Visit) -> RecordEntry:
        written = _when(visit.record_written_at)
        if visit.record_written_by_id:
            written += f" by {self._user(visit.record_written_by_id)}"
        on_system = _when(visit.recorded_on_safeguarding_system_at)
        if visit.recorded_on_safeguarding_system_by_id:
            on_system += f" by {self._user(visit.recorded_on_safeguarding_system_by_id)}"
        fields = [
            ("Child seen", _yes_no(visit.child_seen) or "Not recorded"),
            ("Spoken to", visit.spoken_to or ""),
            ("Observations (facts)", visit.observations or ""),
            ("Opinions", visit.opinions or ""),
            ("Concerns raised", visit.concerns_raised or ""),
            ("Outcome", visit.outcome or ""),
            ("Action required", visit.action_required or ""),
            ("Visit completed", _when(visit.completed_at)),
            ("Record written", written.strip()),
            ("Put on the safeguarding system (CPOMS)", on_system.strip()),
        ]
        return RecordEntry(
            heading=f"Record of visit {visit.id}",
            reference=f"Visit {visit.id}",
            fields=tuple((label, value) for label, value in fields if value),
        )

    def _follow_up_entries(
        self, visits: Sequence[Visit], extra: Sequence[FollowUp]
    ) -> tuple[RecordEntry, ...]:
        entries = []
        shown: set[int] = set()
        groups: list[tuple[str, str, list[FollowUp]]] = [
            (f"Follow-ups of visit {v.id}", f"Visit {v.id}", list(v.follow_ups))
            for v in visits
            if v.follow_ups
        ]
        for group in groups:
            shown.update(f.id for f in group[2])
        others = [f for f in extra if f.id not in shown]
        if others:
            groups.append(("Follow-ups they own on other visits", "Follow-ups owned", others))
        for heading, reference, follow_ups in groups:
            self._seen("follow_ups", [f.id for f in follow_ups])
            entries.append(
                RecordEntry(
                    heading=heading,
                    reference=reference,
                    registers=(
                        Register(
                            "",
                            ("Visit", "Action", "Owner", "Due", "Done"),
                            tuple(_follow_up(f, self._user(f.done_by_id)) for f in follow_ups),
                            (0.08, 0.37, 0.17, 0.12, 0.26),
                        ),
                    ),
                )
            )
        return tuple(entries)

    def _incident_entry(self, incident: Incident) -> RecordEntry:
        self._seen("incidents", [incident.id])
        raised = _when(incident.raised_at)
        if incident.raised_by_id:
            raised += f" by {self._user(incident.raised_by_id)}"
        fields = [
            ("Kind", incident.kind.label + (" (practice drill)" if incident.is_drill else "")),
            ("Status", incident.status.label),
            ("Visit", f"Visit {incident.visit_id}" if incident.visit_id else "None"),
            ("Occurred", _when(incident.occurred_at)),
            ("Raised", raised),
            ("Summary", incident.summary),
            (
                "Highest stage reached",
                f"Stage {incident.highest_stage}" if incident.highest_stage else "",
            ),
            ("Resolution", incident.resolution or ""),
            (
                "Resolved",
                _when(incident.resolved_at)
                + (f" by {self._user(incident.resolved_by_id)}" if incident.resolved_by_id else ""),
            ),
            ("What happened", incident.what_happened or ""),
            (
                "Debrief",
                " ".join(
                    p for p in (_when(incident.debrief_held_at), incident.debrief_with or "") if p
                ),
            ),
            ("Support offered", incident.support_offered or ""),
            ("Lessons", incident.lessons or ""),
            ("Changes to the procedure", incident.procedure_changes or ""),
            ("Review due", _day(incident.review_due_on)),
            (
                "Signed off",
                _when(incident.signed_off_at)
                + (
                    f" by {self._user(incident.signed_off_by_id)}"
                    if incident.signed_off_by_id
                    else ""
                ),
            ),
        ]
        return RecordEntry(
            heading=f"Incident {incident.id} · {_day(to_school_time(incident.occurred_at).date())}",
            reference=f"Incident {incident.id}",
            fields=tuple((label, value) for label, value in fields if value.strip()),
        )

    # -- known risks, requests, the audit trail --

    def _known_risks(self, households: Sequence[Household]) -> PackSection:
        entries = []
        for home in households:
            risks = list(home.known_risks)
            self._seen("known_risks", [r.id for r in risks])
            entries.append(
                RecordEntry(
                    heading=f"Known risks at household {home.id}",
                    reference=f"Household {home.id}",
                    registers=(
                        Register(
                            "",
                            ("Kind", "Description", "Recorded", "Ended"),
                            tuple(
                                (
                                    r.kind.label,
                                    r.description
                                    + (
                                        f" (from incident {r.incident_id})" if r.incident_id else ""
                                    ),
                                    _when(r.recorded_at)
                                    + (
                                        f" by {self._user(r.recorded_by_id)}"
                                        if r.recorded_by_id
                                        else ""
                                    ),
                                    _when(r.ended_at) or "In force",
                                )
                                for r in risks
                            ),
                            (0.2, 0.42, 0.23, 0.15),
                        ),
                    ),
                )
            )
        return PackSection(
            "Known risks",
            "What staff are told before visiting the household, and its safeguarding history.",
            tuple(entries),
        )

    def _requests(self) -> PackSection:
        requests = list(
            self.session.scalars(
                sa.select(SubjectAccessRequest)
                .where(
                    SubjectAccessRequest.subject_type == self.kind.value,
                    SubjectAccessRequest.subject_id == self.subject_id,
                )
                .order_by(SubjectAccessRequest.received_on, SubjectAccessRequest.id)
            )
        )
        self._seen(RECORD_TYPE, [r.id for r in requests])
        rows = tuple(
            (
                str(r.id),
                r.requested_by,
                _day(r.received_on),
                _day(r.due_on),
                _when(r.exported_at) or "Not yet",
                _when(r.completed_at) or "Open",
            )
            for r in requests
        )
        return PackSection(
            "Subject access requests",
            "Requests for this person's records, this one included.",
            (
                RecordEntry(
                    heading="Requests",
                    reference="Requests",
                    registers=(
                        Register(
                            "",
                            ("No.", "Requested by", "Received", "Due", "Exported", "Completed"),
                            rows,
                            (0.07, 0.27, 0.15, 0.15, 0.18, 0.18),
                        ),
                    ),
                ),
            ),
        )

    def _audit(self) -> PackSection:
        conditions = [
            sa.and_(AuditEntry.record_type == record_type, AuditEntry.record_id.in_(sorted(ids)))
            for record_type, ids in sorted(self.records.items())
            if ids
        ]
        account_ids: list[int] = []
        if self.kind is SubjectKind.STAFF:
            account_ids = sorted(self.records.get("user_accounts", set()))
            if account_ids:
                conditions.append(AuditEntry.user_id.in_(account_ids))
        entries: list[AuditEntry] = []
        if conditions:
            entries = list(
                self.session.scalars(
                    sa.select(AuditEntry).where(sa.or_(*conditions)).order_by(AuditEntry.id)
                )
            )
        rows = tuple(_audit_row(entry) for entry in entries)
        about = (
            "Every entry of the audit trail about a record in this export"
            + (", and every action recorded under their accounts" if account_ids else "")
            + ": who created, changed, viewed, printed or exported it, and when."
        )
        return PackSection(
            "Audit trail",
            about,
            (
                RecordEntry(
                    heading=f"{len(rows)} entr{'y' if len(rows) == 1 else 'ies'}",
                    reference="Audit trail",
                    registers=(
                        Register(
                            "",
                            ("Entry", "When", "Who", "What", "Record", "Fields"),
                            rows,
                            (0.07, 0.15, 0.13, 0.1, 0.2, 0.35),
                        ),
                    ),
                ),
            )
            if rows
            else (),
        )


def _has_record(visit: Visit) -> bool:
    return any(
        value is not None
        for value in (
            visit.child_seen,
            visit.spoken_to,
            visit.observations,
            visit.opinions,
            visit.concerns_raised,
            visit.outcome,
            visit.action_required,
            visit.record_written_at,
        )
    )


def _decision(authorisation: Authorisation, by: str) -> tuple[str, ...]:
    said = "\n".join(
        p
        for p in (
            f"Conditions: {authorisation.conditions}" if authorisation.conditions else "",
            authorisation.comment or "",
        )
        if p
    )
    voided = _when(authorisation.voided_at)
    if authorisation.void_reason:
        voided += f": {authorisation.void_reason}"
    return (authorisation.decision.label, by, _when(authorisation.decided_at), said, voided)


def _follow_up(follow_up: FollowUp, done_by: str) -> tuple[str, ...]:
    done = "Not yet"
    if follow_up.done_at is not None:
        done = _when(follow_up.done_at) + (f" by {done_by}" if done_by else "")
        if follow_up.done_note:
            done += f": {follow_up.done_note}"
    return (
        str(follow_up.visit_id),
        follow_up.action,
        follow_up.owner.full_name if follow_up.owner is not None else "",
        _day(follow_up.due_on),
        done,
    )


_ACTIONS = {
    "create": "Created",
    "update": "Changed",
    "delete": "Deleted",
    "view": "Viewed",
    "print": "Printed",
    "export": "Exported",
    "sign_in": "Signed in",
    "sign_in_failed": "Sign-in refused",
    "audit_viewed": "Read the audit trail",
}


def _audit_row(entry: AuditEntry) -> tuple[str, ...]:
    record = " ".join(p for p in (entry.record_type or "", str(entry.record_id or "")) if p)
    return (
        str(entry.id),
        _when(entry.at),
        entry.username or "(unknown)",
        _ACTIONS.get(entry.action, entry.action),
        record,
        _audit_details(entry.action, entry.details),
    )


def _audit_details(action: str, stored: str | None) -> str:
    """The names of the fields changed (for a new record, how many were filled in) and any
    other detail kept (ids and kinds only: the trail never holds what a text field said)."""
    if not stored:
        return ""
    try:
        details = json.loads(stored)
    except ValueError:
        return stored
    if not isinstance(details, dict):
        return str(details)
    parts: list[str] = []
    fields = details.get("fields")
    if isinstance(fields, list) and fields:
        if action == "create":
            parts.append(f"{len(fields)} field{'s' if len(fields) != 1 else ''} filled in")
        else:
            parts.append(", ".join(str(f).replace("_", " ") for f in fields))
    for key, value in sorted(details.items()):
        if key not in ("fields", "values", "key"):
            parts.append(f"{key}: {value}")
    return "; ".join(parts)
