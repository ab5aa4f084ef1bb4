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

import sqlalchemy as sa
from sqlalchemy.orm import Session

from hvdesk.db.models import (
    Adult,
    FollowUp,
    Household,
    Pupil,
    Staff,
    SubjectAccessRequest,
    Visit,
    VisitStaff,
)
from hvdesk.domain.subject_access import PartyKind, SubjectKind
from hvdesk.errors import HvdeskError
from hvdesk.reports.access_pack import PackSection, RecordEntry, Register, SubjectAccessPack
from hvdesk.services.subject_access_audit import RECORD_TYPE, audit_section, requests_section
from hvdesk.services.subject_access_households import households_section, known_risks_section
from hvdesk.services.subject_access_ledger import PackLedger, day, when, year_label, yes_no
from hvdesk.services.subject_access_visits import load_visits, visit_sections

__all__ = ["NOTES", "RECORD_TYPE", "SubjectNotHeld", "build_pack", "year_label"]


class SubjectNotHeld(HvdeskError):
    """The person a request is about is no longer on record (deleted under retention)."""

    title = "Nothing held"


def build_pack(session: Session, request: SubjectAccessRequest) -> SubjectAccessPack:
    """Everything held about the request's subject, as the export prints it."""
    return _PackBuilder(session, request).build()


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
    """The subject's own record and the order of the sections; the sections themselves are
    written by the subject_access_* modules over one shared ledger."""

    def __init__(self, session: Session, request: SubjectAccessRequest) -> None:
        self.ledger = PackLedger(session, request)
        self.request = request
        self.kind = self.ledger.kind
        self.subject_id = request.subject_id

    # -- the whole pack --

    def build(self) -> SubjectAccessPack:
        if self.kind is SubjectKind.PUPIL:
            name, sections = self._pupil()
        elif self.kind is SubjectKind.ADULT:
            name, sections = self._adult()
        else:
            name, sections = self._staff()
        sections.append(requests_section(self.ledger))
        sections.append(audit_section(self.ledger))
        subject_words = {name}
        never = sorted(
            (subject_words | self.ledger.staff_names | set(self.ledger.names.values()))
            - {p.name for p in self.ledger.parties if p.name != name}
        )
        parties = [p for p in self.ledger.parties if p.name != name]
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
        pupil = self.ledger.session.get(Pupil, self.subject_id)
        if pupil is None:
            raise SubjectNotHeld(
                f"The pupil of request {self.request.id} is no longer on record.",
                "Their records were deleted under the retention rules; reply that nothing is held.",
            )
        self.ledger.seen("pupils", [pupil.id])
        record = RecordEntry(
            heading=f"Pupil {pupil.id}: {pupil.full_name}",
            reference=f"Pupil {pupil.id}",
            fields=(
                ("Name", pupil.full_name),
                ("Date of birth", day(pupil.date_of_birth)),
                ("Year group", year_label(pupil.year_group) or "Not recorded"),
                ("School system (MIS) number", pupil.mis_id or "None"),
                ("On roll", yes_no(pupil.active)),
                ("Household", f"Household {pupil.household_id}" if pupil.household_id else "None"),
            ),
        )
        households = [pupil.household] if pupil.household is not None else []
        linked = [(link.adult, link) for link in pupil.adult_links]
        for adult, link in linked:
            self.ledger.party(adult.full_name, PartyKind.ADULT, link.relationship_to_pupil.label)
        visits = load_visits(self.ledger, sa.select(Visit).where(Visit.pupil_id == pupil.id))
        sections = [
            PackSection("The pupil's record", "As held on the pupil list.", (record,)),
            households_section(
                self.ledger, households, linked_adults=linked, subject_pupil=pupil.id
            ),
            *visit_sections(self.ledger, visits, staff_view=False),
            known_risks_section(self.ledger, households),
        ]
        return pupil.full_name, sections

    # -- adult --

    def _adult(self) -> tuple[str, list[PackSection]]:
        adult = self.ledger.session.get(Adult, self.subject_id)
        if adult is None:
            raise SubjectNotHeld(
                f"The adult of request {self.request.id} is no longer on record.",
                "Their records were deleted; reply that nothing is held.",
            )
        self.ledger.seen("adults", [adult.id])
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
                            yes_no(link.parental_responsibility),
                            yes_no(link.lives_with_pupil),
                        )
                        for link in links
                    ),
                    (0.4, 0.2, 0.2, 0.2),
                ),
            ),
        )
        for link in links:
            self.ledger.party(
                link.pupil.full_name,
                PartyKind.PUPIL,
                f"Pupil ({link.relationship_to_pupil.label.lower()} is this adult)",
            )
        self.ledger.seen("pupils", [link.pupil_id for link in links])
        household_ids = {adult.household_id} | {link.pupil.household_id for link in links}
        households = [
            h
            for h in self.ledger.session.scalars(
                sa.select(Household).where(Household.id.in_({i for i in household_ids if i}))
            )
        ]
        pupil_ids = [link.pupil_id for link in links]
        condition: sa.ColumnElement[bool] = Visit.pupil_id.in_(pupil_ids)
        if adult.household_id is not None:
            condition = sa.or_(condition, Visit.household_id == adult.household_id)
        visits = load_visits(self.ledger, sa.select(Visit).where(condition))
        sections = [
            PackSection("The adult's record", "As held with the family's details.", (record,)),
            households_section(self.ledger, households, linked_adults=[], subject_adult=adult.id),
            *visit_sections(self.ledger, visits, staff_view=False),
            known_risks_section(self.ledger, households),
        ]
        return adult.full_name, sections

    # -- staff --

    def _staff(self) -> tuple[str, list[PackSection]]:
        staff = self.ledger.session.get(Staff, self.subject_id)
        if staff is None:
            raise SubjectNotHeld(
                f"The member of staff of request {self.request.id} is no longer on record.",
                "Their record was deleted; reply that nothing is held.",
            )
        self.ledger.seen("staff", [staff.id])
        self.ledger.party(
            staff.emergency_contact_name, PartyKind.CONTACT, "Their emergency contact"
        )
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
        accounts = [a for a in self.ledger.accounts.values() if a.staff_id == staff.id]
        self.ledger.seen("user_accounts", [a.id for a in accounts])
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
                ("Safeguarding training", day(staff.safeguarding_trained_on) or "Not recorded"),
                (
                    "DBS check",
                    f"{staff.dbs_level.label}"
                    + (f", checked {day(staff.dbs_checked_on)}" if staff.dbs_checked_on else ""),
                ),
                ("Supervisor", staff.supervisor.full_name if staff.supervisor else "None"),
                ("Active", yes_no(staff.active)),
                ("Left on", day(staff.left_on) or "Still at the school"),
            ),
            registers=(
                Register(
                    "hvdesk accounts",
                    ("Username", "Role", "Active", "Created", "Last signed in"),
                    tuple(
                        (
                            a.username,
                            a.role.label,
                            yes_no(a.active),
                            when(a.created_at),
                            when(a.last_sign_in_at) or "Never",
                        )
                        for a in accounts
                    ),
                    (0.18, 0.3, 0.1, 0.21, 0.21),
                ),
            ),
        )
        went_on = sa.select(VisitStaff.visit_id).where(VisitStaff.staff_id == staff.id)
        visits = load_visits(self.ledger, sa.select(Visit).where(Visit.id.in_(went_on)))
        for visit in visits:
            if visit.pupil is not None:
                self.ledger.party(visit.pupil.full_name, PartyKind.PUPIL, "Pupil visited")
                for link in visit.pupil.adult_links:
                    self.ledger.party(
                        link.adult.full_name,
                        PartyKind.ADULT,
                        f"{link.relationship_to_pupil.label} of a pupil visited",
                    )
            for adult in visit.household.adults:
                self.ledger.party(adult.full_name, PartyKind.ADULT, "Adult at a household visited")
        owned = list(
            self.ledger.session.scalars(
                sa.select(FollowUp)
                .where(FollowUp.owner_staff_id == staff.id)
                .order_by(FollowUp.due_on, FollowUp.id)
            )
        )
        sections = [
            PackSection("The staff member's record", "Their staff record and accounts.", (record,)),
            *visit_sections(self.ledger, visits, staff_view=True, extra_follow_ups=owned),
        ]
        return staff.full_name, sections

    # -- households --
