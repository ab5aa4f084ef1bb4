"""Pupils, their families and staff as the office edits them: the drafts, what makes one
unusable, and who may change which part. Pure: no database.

Who may edit what (decided here; the service enforces it field by field, so a form that shows
a field it should not still cannot save it):
- Pupils, households and adults (names, dates, MIS id, address, area, who holds parental
  responsibility): the administrator (keeps the roll in step with the MIS), the DSL and deputy
  DSLs (own the family records safeguarding relies on).
- Phone numbers of a family (adults' phones, the home phone): also reception, who take the call
  when a parent rings with a new number.
- Known risks: every signed-in role may record an operational risk (a dog, an aggressive adult,
  do not enter alone): whoever learns of it must be able to warn the next visitor. Ending one
  (which takes a warning away from visitors) and anything about safeguarding history is for the
  DSL and deputies only, who alone may see that history
  (`permissions.may_see_safeguarding_history`).
- Staff records: job, checks (safeguarding training, DBS), supervisor and leaving date belong to
  the administrator, the DSL, deputies and the headteacher. The details the office needs if a
  colleague goes missing (work mobile, emergency contact, vehicle, description) may also be kept
  up to date by reception, who hold the work mobiles, and by each member of staff on their own
  record.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from enum import Enum

from hvdesk.domain.households import Relationship, RiskKind
from hvdesk.domain.people import DbsLevel, JobRole, Role
from hvdesk.domain.permissions import SAFEGUARDING_LEADS
from hvdesk.domain.text import trimmed
from hvdesk.domain.uk_formats import (
    YEAR_GROUPS,
    is_uk_mobile,
    normalise_uk_postcode,
    tidy_uk_phone,
)

__all__ = [
    "AdultDraft",
    "FieldProblem",
    "HouseholdDraft",
    "NewRisk",
    "PeopleRights",
    "PupilDraft",
    "StaffDraft",
    "StaffPart",
    "check_pupil",
    "check_staff",
    "rights_for",
    "tidy_pupil",
    "tidy_staff",
]

FAMILY_EDITORS: frozenset[Role] = frozenset({Role.ADMINISTRATOR, Role.DSL, Role.DEPUTY_DSL})
PHONE_EDITORS: frozenset[Role] = FAMILY_EDITORS | {Role.RECEPTION}
STAFF_MANAGERS: frozenset[Role] = frozenset(
    {Role.ADMINISTRATOR, Role.DSL, Role.DEPUTY_DSL, Role.HEADTEACHER}
)
STAFF_SAFETY_EDITORS: frozenset[Role] = STAFF_MANAGERS | {Role.RECEPTION}

NAME_MAX = 80
ADDRESS_MAX = 200
OLDEST_PUPIL_YEARS = 25


class StaffPart(Enum):
    """The two parts of a staff record, edited by different people."""

    JOB_AND_CHECKS = "job_and_checks"
    IF_MISSING = "if_missing"


@dataclass(frozen=True)
class PeopleRights:
    """What one signed-in user may change; the dialogs grey out the rest."""

    edit_family_details: bool
    edit_family_phones: bool
    add_operational_risks: bool
    manage_safeguarding_history: bool
    end_risks: bool
    import_from_mis: bool
    add_staff: bool
    edit_staff_job_and_checks: bool
    edit_staff_if_missing: bool
    own_staff_id: int | None

    def may_edit_staff(self, staff_id: int | None, part: StaffPart) -> bool:
        """Whether this user may change that part of that staff record (None: a new one)."""
        if part is StaffPart.JOB_AND_CHECKS:
            return self.edit_staff_job_and_checks
        if self.edit_staff_if_missing:
            return True
        return staff_id is not None and staff_id == self.own_staff_id


def rights_for(role: Role | None, own_staff_id: int | None = None) -> PeopleRights:
    """The editing rights of a role (None: nobody signed in, who may change nothing)."""
    if role is None:
        return PeopleRights(False, False, False, False, False, False, False, False, False, None)
    return PeopleRights(
        edit_family_details=role in FAMILY_EDITORS,
        edit_family_phones=role in PHONE_EDITORS,
        add_operational_risks=True,
        manage_safeguarding_history=role in SAFEGUARDING_LEADS,
        end_risks=role in SAFEGUARDING_LEADS,
        import_from_mis=role in FAMILY_EDITORS,
        add_staff=role in STAFF_MANAGERS,
        edit_staff_job_and_checks=role in STAFF_MANAGERS,
        edit_staff_if_missing=role in STAFF_SAFETY_EDITORS,
        own_staff_id=own_staff_id,
    )


@dataclass(frozen=True)
class FieldProblem:
    """One thing wrong with a form: the field (as the dialog names it) and what to do."""

    field: str
    message: str


@dataclass(frozen=True)
class HouseholdDraft:
    """The home a pupil lives at, as typed."""

    address_line1: str
    town: str
    postcode: str
    area: str
    address_line2: str | None = None
    home_phone: str | None = None
    location_notes: str | None = None


@dataclass(frozen=True)
class AdultDraft:
    """An adult linked to the pupil (`adult_id` None: a new adult)."""

    first_name: str
    last_name: str
    relationship: Relationship
    parental_responsibility: bool
    phone: str | None = None
    lives_with_pupil: bool = True
    adult_id: int | None = None


@dataclass(frozen=True)
class NewRisk:
    """A known risk to record at the pupil's household when the form is saved."""

    kind: RiskKind
    description: str


@dataclass(frozen=True)
class PupilDraft:
    """A pupil and their home as the form holds them.

    `household_id` names the household being edited; None means "find the household at this
    address (same first line and postcode) or make a new one" (a new pupil, or one who moved
    on their own while the rest of the household stays).
    """

    first_name: str
    last_name: str
    date_of_birth: date | None
    household: HouseholdDraft
    year_group: int | None = None
    mis_id: str | None = None
    on_roll: bool = True
    household_id: int | None = None
    adults: tuple[AdultDraft, ...] = ()
    new_risks: tuple[NewRisk, ...] = ()
    ended_risk_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class StaffDraft:
    """A staff record as the form holds it."""

    first_name: str
    last_name: str
    job_role: JobRole
    email: str | None = None
    supervisor_id: int | None = None
    left_on: date | None = None
    safeguarding_trained_on: date | None = None
    dbs_level: DbsLevel = DbsLevel.NONE
    dbs_checked_on: date | None = None
    work_mobile: str | None = None
    emergency_contact_name: str | None = None
    emergency_contact_relationship: str | None = None
    emergency_contact_phone: str | None = None
    vehicle_make: str | None = None
    vehicle_model: str | None = None
    vehicle_colour: str | None = None
    vehicle_registration: str | None = None
    description: str | None = None


STAFF_IF_MISSING_FIELDS: frozenset[str] = frozenset(
    {
        "work_mobile",
        "emergency_contact_name",
        "emergency_contact_relationship",
        "emergency_contact_phone",
        "vehicle_make",
        "vehicle_model",
        "vehicle_colour",
        "vehicle_registration",
        "description",
    }
)
STAFF_JOB_FIELDS: frozenset[str] = frozenset(
    f.name for f in fields(StaffDraft) if f.name not in STAFF_IF_MISSING_FIELDS
)


def check_pupil(draft: PupilDraft, today: date) -> list[FieldProblem]:
    """Every problem with a pupil form, in the order of the form (tidy it first)."""
    problems: list[FieldProblem] = []
    add = problems.append
    _name(problems, "first_name", "First name", draft.first_name)
    _name(problems, "last_name", "Surname", draft.last_name)
    dob = draft.date_of_birth
    if dob is None:
        add(FieldProblem("date_of_birth", "Date of birth: type it as dd/mm/yyyy."))
    elif dob > today:
        add(FieldProblem("date_of_birth", "Date of birth: that date is in the future."))
    elif dob.year < today.year - OLDEST_PUPIL_YEARS:
        add(
            FieldProblem(
                "date_of_birth",
                f"Date of birth: {dob:%d/%m/%Y} would make the pupil over "
                f"{OLDEST_PUPIL_YEARS}; check the year.",
            )
        )
    if draft.year_group is not None and draft.year_group not in YEAR_GROUPS:
        add(FieldProblem("year_group", "Year group: choose Nursery, Reception or Year 1 to 14."))
    if draft.mis_id is not None and len(draft.mis_id) > 40:
        add(FieldProblem("mis_id", "MIS ID: at most 40 characters."))
    problems.extend(check_household(draft.household))
    for number, adult in enumerate(draft.adults, start=1):
        who = f"Adult {number}"
        if not adult.first_name.strip() or not adult.last_name.strip():
            add(FieldProblem(f"adult_{number}", f"{who}: type their first name and surname."))
        if adult.phone and tidy_uk_phone(adult.phone) is None:
            add(
                FieldProblem(
                    f"adult_{number}",
                    f"{who}: phone {adult.phone!r} is not a phone number "
                    "(for example 07700 900123 or 0113 496 0123).",
                )
            )
    for risk in draft.new_risks:
        if not risk.description.strip():
            add(FieldProblem("risks", f"Known risk ({risk.kind.label}): describe it."))
    return problems


def check_household(home: HouseholdDraft) -> list[FieldProblem]:
    problems: list[FieldProblem] = []
    add = problems.append
    if not home.address_line1.strip():
        add(FieldProblem("address_line1", "Address: type the first line (number and street)."))
    elif len(home.address_line1) > ADDRESS_MAX:
        add(FieldProblem("address_line1", f"Address: at most {ADDRESS_MAX} characters a line."))
    if not home.town.strip():
        add(FieldProblem("town", "Town: type the town or city."))
    if not home.postcode.strip():
        add(FieldProblem("postcode", "Postcode: type it (for example LS1 1AA)."))
    elif normalise_uk_postcode(home.postcode) is None:
        add(
            FieldProblem(
                "postcode",
                f"Postcode: {home.postcode.strip()!r} is not a UK postcode "
                "(for example LS1 1AA or SW1A 2AA).",
            )
        )
    if not home.area.strip():
        add(
            FieldProblem(
                "area",
                "Area: type the neighbourhood; the board shows it instead of the address.",
            )
        )
    if home.home_phone and tidy_uk_phone(home.home_phone) is None:
        add(
            FieldProblem(
                "home_phone",
                f"Home phone: {home.home_phone!r} is not a phone number "
                "(for example 0113 496 0123).",
            )
        )
    return problems


def check_staff(
    draft: StaffDraft, today: date, *, staff_id: int | None = None
) -> list[FieldProblem]:
    """Every problem with a staff form, in the order of the form (tidy it first)."""
    problems: list[FieldProblem] = []
    add = problems.append
    _name(problems, "first_name", "First name", draft.first_name)
    _name(problems, "last_name", "Surname", draft.last_name)
    if draft.email and ("@" not in draft.email or "." not in draft.email.split("@")[-1]):
        add(FieldProblem("email", f"Email: {draft.email!r} is not an email address."))
    if draft.supervisor_id is not None and draft.supervisor_id == staff_id:
        add(FieldProblem("supervisor_id", "Supervisor: choose someone else, not themselves."))
    if draft.left_on is not None and draft.left_on > today:
        add(
            FieldProblem(
                "left_on", "Left on: that date is in the future; record it once they have left."
            )
        )
    trained = draft.safeguarding_trained_on
    if trained is not None and trained > today:
        add(FieldProblem("safeguarding_trained_on", "Safeguarding training: date in the future."))
    if draft.dbs_level is not DbsLevel.NONE and draft.dbs_checked_on is None:
        add(FieldProblem("dbs_checked_on", "DBS check: type the date of the check."))
    if draft.dbs_level is DbsLevel.NONE and draft.dbs_checked_on is not None:
        add(FieldProblem("dbs_level", "DBS check: choose the level of the check on that date."))
    if draft.dbs_checked_on is not None and draft.dbs_checked_on > today:
        add(FieldProblem("dbs_checked_on", "DBS check: that date is in the future."))
    if draft.work_mobile and not is_uk_mobile(draft.work_mobile):
        add(
            FieldProblem(
                "work_mobile",
                f"Work mobile: {draft.work_mobile!r} is not a mobile number "
                "(07… for example 07700 900123).",
            )
        )
    if draft.emergency_contact_phone and tidy_uk_phone(draft.emergency_contact_phone) is None:
        add(
            FieldProblem(
                "emergency_contact_phone",
                f"Emergency contact phone: {draft.emergency_contact_phone!r} is not a phone number "
                "(for example 07700 900123 or 0113 496 0123).",
            )
        )
    if draft.emergency_contact_phone and not draft.emergency_contact_name:
        add(
            FieldProblem(
                "emergency_contact_name", "Emergency contact: type who answers that phone."
            )
        )
    if draft.emergency_contact_name and not draft.emergency_contact_phone:
        add(FieldProblem("emergency_contact_phone", "Emergency contact: type their phone number."))
    vehicle = (draft.vehicle_make, draft.vehicle_model, draft.vehicle_colour)
    if any(vehicle) and not draft.vehicle_registration:
        add(
            FieldProblem(
                "vehicle_registration",
                "Vehicle: type the registration too; the police ask for it first.",
            )
        )
    reg = draft.vehicle_registration
    if reg and (len(reg.replace(" ", "")) > 8 or not reg.replace(" ", "").isalnum()):
        add(
            FieldProblem(
                "vehicle_registration",
                f"Vehicle registration: {reg!r} is not a registration (letters and digits, "
                "for example AB12 CDE).",
            )
        )
    return problems


def tidy_pupil(draft: PupilDraft) -> PupilDraft:
    """Trim spaces, put postcodes and valid phones in the office's format, empty text to None."""
    home = draft.household
    tidy_home = HouseholdDraft(
        address_line1=home.address_line1.strip(),
        address_line2=trimmed(home.address_line2),
        town=home.town.strip(),
        postcode=normalise_uk_postcode(home.postcode) or home.postcode.strip(),
        area=home.area.strip(),
        home_phone=_phone(home.home_phone),
        location_notes=trimmed(home.location_notes),
    )
    adults = tuple(
        AdultDraft(
            first_name=a.first_name.strip(),
            last_name=a.last_name.strip(),
            relationship=a.relationship,
            parental_responsibility=a.parental_responsibility,
            phone=_phone(a.phone),
            lives_with_pupil=a.lives_with_pupil,
            adult_id=a.adult_id,
        )
        for a in draft.adults
    )
    return PupilDraft(
        first_name=draft.first_name.strip(),
        last_name=draft.last_name.strip(),
        date_of_birth=draft.date_of_birth,
        household=tidy_home,
        year_group=draft.year_group,
        mis_id=trimmed(draft.mis_id),
        on_roll=draft.on_roll,
        household_id=draft.household_id,
        adults=adults,
        new_risks=tuple(NewRisk(r.kind, r.description.strip()) for r in draft.new_risks),
        ended_risk_ids=draft.ended_risk_ids,
    )


def tidy_staff(draft: StaffDraft) -> StaffDraft:
    """Trim spaces, format valid phones, capitalise registrations, empty text to None."""
    reg = trimmed(draft.vehicle_registration)
    return StaffDraft(
        first_name=draft.first_name.strip(),
        last_name=draft.last_name.strip(),
        job_role=draft.job_role,
        email=trimmed(draft.email),
        supervisor_id=draft.supervisor_id,
        left_on=draft.left_on,
        safeguarding_trained_on=draft.safeguarding_trained_on,
        dbs_level=draft.dbs_level,
        dbs_checked_on=draft.dbs_checked_on,
        work_mobile=_phone(draft.work_mobile),
        emergency_contact_name=trimmed(draft.emergency_contact_name),
        emergency_contact_relationship=trimmed(draft.emergency_contact_relationship),
        emergency_contact_phone=_phone(draft.emergency_contact_phone),
        vehicle_make=trimmed(draft.vehicle_make),
        vehicle_model=trimmed(draft.vehicle_model),
        vehicle_colour=trimmed(draft.vehicle_colour),
        vehicle_registration=reg.upper() if reg else None,
        description=trimmed(draft.description),
    )


def _name(problems: list[FieldProblem], key: str, label: str, value: str) -> None:
    if not value.strip():
        problems.append(FieldProblem(key, f"{label}: type it."))
    elif len(value) > NAME_MAX:
        problems.append(FieldProblem(key, f"{label}: at most {NAME_MAX} characters."))


def _phone(text: str | None) -> str | None:
    """A valid number in the office's format; anything else kept as typed for the check."""
    cleaned = trimmed(text)
    if cleaned is None:
        return None
    return tidy_uk_phone(cleaned) or cleaned
