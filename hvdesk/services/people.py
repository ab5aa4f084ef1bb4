"""Pupils, their households and adults, known risks, and staff: reading and editing them.

Each method is one unit of work that names the signed-in user, checks what their role may change
(`domain.people_records`, field by field: a form that shows a field it should not still cannot
save it) and raises a typed `HvdeskError` for the office, writing nothing, when it cannot do what
was asked. Logs carry ids only.

Need-to-know is enforced here, not in the dialog: every signed-in role reads a household's
operational risks; only the DSL and deputy DSLs read (or are even told of) its safeguarding
history.

Households: editing a pupil edits the household they live at (so a sibling's record shows the
same address). A pupil with no `household_id` on the draft joins the household already at that
address (same first line and postcode, compared without case or spaces) or a new one: that is how
a new pupil joins a sibling, and how one child who moves on their own leaves the others behind.
Adults removed from a pupil's form are unlinked from that pupil, not deleted: a sibling may still
be linked to them.

Audit: writes go through `audit.writing_as`, so the trail names the user; `pupil()` records a
view of the pupil's record (reading a household's risks alone, for a list, does not).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from hvdesk.clock import Clock, to_school_time
from hvdesk.db.database import Database
from hvdesk.db.models import Adult, Household, KnownRisk, Pupil, PupilAdult, Staff, UserAccount
from hvdesk.domain.households import RiskKind
from hvdesk.domain.people_records import (
    STAFF_IF_MISSING_FIELDS,
    STAFF_JOB_FIELDS,
    AdultDraft,
    FieldProblem,
    HouseholdDraft,
    NewRisk,
    PeopleRights,
    PupilDraft,
    StaffDraft,
    StaffPart,
    check_pupil,
    check_staff,
    rights_for,
    tidy_pupil,
    tidy_staff,
)
from hvdesk.domain.permissions import may_see_operational_risks, may_see_safeguarding_history
from hvdesk.domain.uk_formats import normalise_uk_postcode
from hvdesk.errors import HvdeskError
from hvdesk.services import audit
from hvdesk.services.accounts import NotPermitted
from hvdesk.services.acting import current_identity
from hvdesk.services.directory import StaffChoice
from hvdesk.services.identity import SignedInUser

__all__ = [
    "PeopleService",
    "PersonNotFound",
    "PersonNotSaved",
    "PupilRecord",
    "RiskView",
    "StaffChoice",
    "StaffRecord",
    "apply_household",
    "find_household",
    "household_key",
    "pupil_draft",
]

log = logging.getLogger(__name__)


class PersonNotSaved(HvdeskError):
    """A form has problems; `problems` lists every one. Nothing was saved."""

    title = "Not saved"

    def __init__(self, problems: Sequence[FieldProblem]) -> None:
        lines = "\n".join(f"• {p.message}" for p in problems)
        super().__init__(f"Nothing was saved:\n{lines}", "Put these right and save again.")
        self.problems = list(problems)


class PersonNotFound(HvdeskError):
    title = "Not found"


@dataclass(frozen=True)
class RiskView:
    """A known risk as the signed-in user may see it."""

    id: int
    kind: RiskKind
    description: str
    recorded_by: str | None
    recorded_at: datetime
    ended_at: datetime | None
    from_incident_id: int | None

    @property
    def current(self) -> bool:
        return self.ended_at is None


@dataclass(frozen=True)
class PupilRecord:
    """A pupil's record for the form: the draft as stored, plus what the form only shows."""

    id: int
    draft: PupilDraft
    risks: tuple[RiskView, ...]
    household_pupils: tuple[str, ...]  # the other pupils at the same household


@dataclass(frozen=True)
class StaffRecord:
    id: int
    draft: StaffDraft
    active: bool


def household_key(address_line1: str, postcode: str) -> tuple[str, str]:
    """How two addresses are judged the same household: first line and postcode, ignoring
    case, spaces and punctuation around them."""
    line = " ".join(address_line1.replace(",", " ").casefold().split())
    code = normalise_uk_postcode(postcode) or postcode.strip().upper()
    return line, code.replace(" ", "")


class PeopleService:
    """Use cases over pupils, families and staff."""

    def __init__(self, database: Database, clock: Clock) -> None:
        self._database = database
        self._clock = clock

    def rights(self, by: SignedInUser | None) -> PeopleRights:
        """What this user may change, from their account as it is now (for greying out; the
        methods below enforce it, each in its own unit of work)."""
        if by is None:
            return rights_for(None)
        with self._database.session() as session:
            return _rights(current_identity(session, by))

    def today(self) -> date:
        """The school's date now (Europe/London), which the forms' checks measure against."""
        return to_school_time(self._clock.now()).date()

    # -- pupils --------------------------------------------------------------------------------

    def pupil(self, pupil_id: int, by: SignedInUser) -> PupilRecord:
        """A pupil with their household, adults and the known risks `by` may see. Opening a
        pupil's record is itself recorded on the audit trail (a view)."""
        with self._database.session() as session:
            by = current_identity(session, by)
            pupil = _load_pupil(session, pupil_id)
            record = _pupil_record(session, pupil, by)
        audit.record_view(self._database, self._clock, by, "pupils", pupil_id)
        return record

    def household_risks(self, household_id: int, by: SignedInUser) -> list[RiskView]:
        """The known risks of a household that `by` may see (ended ones included, last)."""
        with self._database.session() as session:
            by = current_identity(session, by)
            return _visible_risks(session, household_id, by)

    def save_pupil(self, draft: PupilDraft, by: SignedInUser, pupil_id: int | None = None) -> int:
        """Create (no `pupil_id`) or update a pupil with their household, adults and risk
        changes, all in one transaction; returns the pupil's id."""
        draft = tidy_pupil(draft)
        now = self._clock.now()
        with audit.writing_as(self._database, by, self._clock) as session:
            by = current_identity(session, by)
            rights = _rights(by)
            problems = check_pupil(draft, self.today())
            pupil = _load_pupil(session, pupil_id) if pupil_id is not None else None
            if draft.mis_id is not None:
                holder = session.scalars(
                    sa.select(Pupil.id).where(Pupil.mis_id == draft.mis_id)
                ).first()
                if holder is not None and holder != pupil_id:
                    problems.append(
                        FieldProblem(
                            "mis_id",
                            f"MIS ID: {draft.mis_id} is already another pupil's (pupil "
                            f"{holder}); check it against the MIS.",
                        )
                    )
            if problems:
                raise PersonNotSaved(problems)
            _check_pupil_rights(session, draft, pupil, rights)
            if pupil is None:
                pupil = Pupil(
                    first_name=draft.first_name,
                    last_name=draft.last_name,
                    date_of_birth=draft.date_of_birth,
                )
                session.add(pupil)
            household = _household_for(session, draft, now)
            _apply_pupil(pupil, draft, household)
            session.flush()
            _apply_adults(session, pupil, household, draft.adults)
            for risk in draft.new_risks:
                _add_risk(session, household.id, risk, by, now)
            for risk_id in draft.ended_risk_ids:
                _end_risk(session, risk_id, by, now, household_id=household.id)
            session.flush()
            saved = pupil.id
        log.info("Pupil %s saved by user %s", saved, by.user_id)
        return saved

    def add_known_risk(
        self, household_id: int, kind: RiskKind, description: str, by: SignedInUser
    ) -> int:
        """Record a known risk at a household (safeguarding history: DSL and deputies only)."""
        risk = NewRisk(kind, description.strip())
        if not risk.description:
            raise PersonNotSaved(
                [FieldProblem("risks", f"Known risk ({kind.label}): describe it.")]
            )
        now = self._clock.now()
        with audit.writing_as(self._database, by, self._clock) as session:
            by = current_identity(session, by)
            if session.get(Household, household_id) is None:
                raise PersonNotFound(f"There is no household {household_id}.")
            _check_risk_rights([risk], (), _rights(by))
            risk_id = _add_risk(session, household_id, risk, by, now)
        log.info(
            "Known risk %s added to household %s by user %s", risk_id, household_id, by.user_id
        )
        return risk_id

    def end_known_risk(self, risk_id: int, by: SignedInUser) -> None:
        """Mark a known risk as no longer current (DSL and deputies): it stays on record."""
        now = self._clock.now()
        with audit.writing_as(self._database, by, self._clock) as session:
            by = current_identity(session, by)
            _check_risk_rights((), (risk_id,), _rights(by))
            _end_risk(session, risk_id, by, now, household_id=None)
        log.info("Known risk %s ended by user %s", risk_id, by.user_id)

    # -- staff ---------------------------------------------------------------------------------

    def staff_member(self, staff_id: int, by: SignedInUser) -> StaffRecord:
        with self._database.session() as session:
            by = current_identity(session, by)
            staff = session.get(Staff, staff_id)
            if staff is None:
                raise PersonNotFound(f"There is no member of staff {staff_id}.")
            return StaffRecord(staff.id, _staff_draft(staff), staff.active)

    def staff_choices(
        self, *, excluding: int | None = None, keeping: int | None = None
    ) -> list[StaffChoice]:
        """Colleagues on the staff list who may supervise (not `excluding`), by surname, and
        `keeping` (a supervisor already recorded) even if they have left, so that a form shows
        what is stored rather than silently changing it."""
        with self._database.session() as session:
            rows = session.execute(
                sa.select(Staff.id, Staff.first_name, Staff.last_name)
                .where(
                    sa.or_(Staff.active.is_(True), Staff.id == (keeping or 0)),
                    Staff.id != (excluding or 0),
                )
                .order_by(Staff.last_name, Staff.first_name, Staff.id)
            )
            return [StaffChoice(r.id, f"{r.first_name} {r.last_name}") for r in rows]

    def save_staff(self, draft: StaffDraft, by: SignedInUser, staff_id: int | None = None) -> int:
        """Create (no `staff_id`) or update a staff record; returns its id."""
        draft = tidy_staff(draft)
        with audit.writing_as(self._database, by, self._clock) as session:
            by = current_identity(session, by)
            rights = _rights(by)
            staff = session.get(Staff, staff_id) if staff_id is not None else None
            if staff_id is not None and staff is None:
                raise PersonNotFound(f"There is no member of staff {staff_id}.")
            problems = check_staff(draft, self.today(), staff_id=staff_id)
            if staff is None or draft.supervisor_id != staff.supervisor_id:
                problems.extend(_supervisor_problems(session, draft.supervisor_id, staff_id))
            if problems:
                raise PersonNotSaved(problems)
            if staff is None:
                if not rights.add_staff:
                    raise NotPermitted(
                        "Your role may not add staff.",
                        "Ask the administrator, the DSL or the headteacher.",
                    )
                staff = Staff(first_name=draft.first_name, last_name=draft.last_name)
                session.add(staff)
            else:
                _check_staff_rights(tidy_staff(_staff_draft(staff)), draft, staff.id, rights)
            _apply_staff(staff, draft)
            session.flush()
            saved = staff.id
        log.info("Staff %s saved by user %s", saved, by.user_id)
        return saved


# --- reading ------------------------------------------------------------------------------------


def _rights(by: SignedInUser) -> PeopleRights:
    """What `by` may change; `by` must come from `current_identity` (the account as it is)."""
    return rights_for(by.role, by.staff_id)


def _load_pupil(session: Session, pupil_id: int) -> Pupil:
    pupil = session.scalars(
        sa.select(Pupil)
        .where(Pupil.id == pupil_id)
        .options(
            selectinload(Pupil.household),
            selectinload(Pupil.adult_links).joinedload(PupilAdult.adult),
        )
    ).one_or_none()
    if pupil is None:
        raise PersonNotFound(f"There is no pupil {pupil_id}.")
    return pupil


def _pupil_record(session: Session, pupil: Pupil, by: SignedInUser) -> PupilRecord:
    home = pupil.household
    risks: list[RiskView] = []
    others: tuple[str, ...] = ()
    if home is not None:
        risks = _visible_risks(session, home.id, by)
        others = tuple(
            f"{first} {last}"
            for first, last in session.execute(
                sa.select(Pupil.first_name, Pupil.last_name)
                .where(Pupil.household_id == home.id, Pupil.id != pupil.id)
                .order_by(Pupil.last_name, Pupil.first_name)
            )
        )
    return PupilRecord(pupil.id, pupil_draft(pupil), tuple(risks), others)


def pupil_draft(pupil: Pupil) -> PupilDraft:
    home = pupil.household
    household = (
        HouseholdDraft(
            address_line1=home.address_line1,
            address_line2=home.address_line2,
            town=home.town,
            postcode=home.postcode,
            area=home.area,
            home_phone=home.home_phone,
            location_notes=home.location_notes,
        )
        if home is not None
        else HouseholdDraft("", "", "", "")
    )
    links = sorted(
        pupil.adult_links, key=lambda link: (not link.parental_responsibility, link.adult_id)
    )
    return PupilDraft(
        first_name=pupil.first_name,
        last_name=pupil.last_name,
        date_of_birth=pupil.date_of_birth,
        household=household,
        year_group=pupil.year_group,
        mis_id=pupil.mis_id,
        on_roll=pupil.active,
        household_id=pupil.household_id,
        adults=tuple(
            AdultDraft(
                first_name=link.adult.first_name,
                last_name=link.adult.last_name,
                relationship=link.relationship_to_pupil,
                parental_responsibility=link.parental_responsibility,
                phone=link.adult.phone,
                lives_with_pupil=link.lives_with_pupil,
                adult_id=link.adult_id,
            )
            for link in links
        ),
    )


def _visible_risks(session: Session, household_id: int, by: SignedInUser) -> list[RiskView]:
    """Need-to-know: the operational risks for every signed-in role, the safeguarding
    history only for the DSL and deputies (others are not told it exists)."""
    if not may_see_operational_risks(by.role):
        return []
    stmt = (
        sa.select(KnownRisk, UserAccount.display_name)
        .outerjoin(UserAccount, KnownRisk.recorded_by_id == UserAccount.id)
        .where(KnownRisk.household_id == household_id)
    )
    if not may_see_safeguarding_history(by.role):
        stmt = stmt.where(KnownRisk.kind != RiskKind.SAFEGUARDING_HISTORY)
    found = [
        RiskView(
            id=risk.id,
            kind=risk.kind,
            description=risk.description,
            recorded_by=name,
            recorded_at=risk.recorded_at,
            ended_at=risk.ended_at,
            from_incident_id=risk.incident_id,
        )
        for risk, name in session.execute(stmt)
    ]
    found.sort(key=lambda r: (not r.current, -r.recorded_at.timestamp(), r.id))
    return found


def _staff_draft(staff: Staff) -> StaffDraft:
    return StaffDraft(**{f.name: getattr(staff, f.name) for f in fields(StaffDraft)})


# --- permissions --------------------------------------------------------------------------------


def _family_details(draft: PupilDraft) -> tuple[object, ...]:
    """Everything on a pupil form but phone numbers and risk changes."""
    home = draft.household
    return (
        draft.first_name,
        draft.last_name,
        draft.date_of_birth,
        draft.year_group,
        draft.mis_id,
        draft.on_roll,
        draft.household_id,
        home.address_line1,
        home.address_line2,
        home.town,
        home.postcode,
        home.area,
        home.location_notes,
        tuple(
            (
                a.adult_id,
                a.first_name,
                a.last_name,
                a.relationship,
                a.parental_responsibility,
                a.lives_with_pupil,
            )
            for a in draft.adults
        ),
    )


def _family_phones(draft: PupilDraft) -> tuple[object, ...]:
    return (draft.household.home_phone, tuple((a.adult_id, a.phone) for a in draft.adults))


def _check_pupil_rights(
    session: Session, draft: PupilDraft, pupil: Pupil | None, rights: PeopleRights
) -> None:
    _check_risk_rights(draft.new_risks, draft.ended_risk_ids, rights)
    if pupil is None:
        if not rights.edit_family_details:
            raise NotPermitted(
                "Your role may not add pupils.", "Ask the administrator or the DSL to add them."
            )
        return
    stored = tidy_pupil(pupil_draft(pupil))
    if _family_details(draft) != _family_details(stored) and not rights.edit_family_details:
        allowed = "phone numbers and known risks" if rights.edit_family_phones else "known risks"
        raise NotPermitted(
            f"Your role may change only the {allowed} of a pupil's record; nothing was saved.",
            "Ask the administrator or the DSL to change names, dates, the address or the adults.",
        )
    if _family_phones(draft) != _family_phones(stored) and not rights.edit_family_phones:
        raise NotPermitted(
            "Your role may not change a family's phone numbers; nothing was saved.",
            "Ask reception, the administrator or the DSL.",
        )


def _check_risk_rights(
    new_risks: Sequence[NewRisk], ended_ids: Sequence[int], rights: PeopleRights
) -> None:
    if ended_ids and not rights.end_risks:
        raise NotPermitted(
            "Only the DSL or a deputy DSL may end a known risk; nothing was saved.",
            "Ask them to review it.",
        )
    if any(r.kind is RiskKind.SAFEGUARDING_HISTORY for r in new_risks) and (
        not rights.manage_safeguarding_history
    ):
        raise NotPermitted(
            "Only the DSL or a deputy DSL may record safeguarding history; nothing was saved.",
            "Tell the DSL what you know; record a dog, aggression or access problem as its kind.",
        )
    if new_risks and not rights.add_operational_risks:
        raise NotPermitted("Sign in to record a known risk.")


def _check_staff_rights(
    stored: StaffDraft, draft: StaffDraft, staff_id: int, rights: PeopleRights
) -> None:
    changed = {
        f.name for f in fields(StaffDraft) if getattr(stored, f.name) != getattr(draft, f.name)
    }
    if changed & STAFF_JOB_FIELDS and not rights.may_edit_staff(staff_id, StaffPart.JOB_AND_CHECKS):
        raise NotPermitted(
            "Your role may not change a colleague's job, checks, supervisor or leaving date; "
            "nothing was saved.",
            "Ask the administrator, the DSL or the headteacher.",
        )
    if changed & STAFF_IF_MISSING_FIELDS and not rights.may_edit_staff(
        staff_id, StaffPart.IF_MISSING
    ):
        raise NotPermitted(
            "Your role may change the mobile, emergency contact and vehicle only on your own "
            "staff record; nothing was saved.",
            "Ask reception or the administrator to update a colleague's.",
        )


def _supervisor_problems(
    session: Session, supervisor_id: int | None, staff_id: int | None
) -> list[FieldProblem]:
    if supervisor_id is None or supervisor_id == staff_id:
        return []  # "themselves" is reported by check_staff
    seen: set[int] = set()
    current: int | None = supervisor_id
    first = True
    while current is not None and current not in seen:
        person = session.get(Staff, current)
        if person is None or (first and not person.active):
            return [FieldProblem("supervisor_id", "Supervisor: choose someone on the staff list.")]
        if staff_id is not None and person.supervisor_id == staff_id:
            return [
                FieldProblem(
                    "supervisor_id",
                    f"Supervisor: {person.full_name} is supervised (directly or not) by this "
                    "person; choose someone else.",
                )
            ]
        seen.add(current)
        current = person.supervisor_id
        first = False
    return []


# --- writing ------------------------------------------------------------------------------------


def _household_for(session: Session, draft: PupilDraft, now: datetime) -> Household:
    home = draft.household
    household: Household | None = None
    if draft.household_id is not None:
        household = session.get(Household, draft.household_id)
        if household is None:
            raise PersonNotFound(f"There is no household {draft.household_id}.")
    else:
        household = find_household(session, home.address_line1, home.postcode)
        if household is None:
            household = Household(created_at=now)
            session.add(household)
        else:  # joining a household already recorded: keep what this form leaves blank
            home = HouseholdDraft(
                address_line1=home.address_line1,
                address_line2=home.address_line2 or household.address_line2,
                town=home.town,
                postcode=home.postcode,
                area=home.area,
                home_phone=home.home_phone or household.home_phone,
                location_notes=home.location_notes or household.location_notes,
            )
    apply_household(household, home)
    return household


def find_household(session: Session, address_line1: str, postcode: str) -> Household | None:
    """The household recorded at this address (first line and postcode), if any."""
    key = household_key(address_line1, postcode)
    code = normalise_uk_postcode(postcode) or postcode.strip().upper()
    for candidate in session.scalars(sa.select(Household).where(Household.postcode == code)):
        if household_key(candidate.address_line1, candidate.postcode) == key:
            return candidate
    return None


def apply_household(household: Household, home: HouseholdDraft) -> None:
    household.address_line1 = home.address_line1
    household.address_line2 = home.address_line2
    household.town = home.town
    household.postcode = home.postcode
    household.area = home.area
    household.home_phone = home.home_phone
    household.location_notes = home.location_notes


def _apply_pupil(pupil: Pupil, draft: PupilDraft, household: Household) -> None:
    pupil.first_name = draft.first_name
    pupil.last_name = draft.last_name
    assert draft.date_of_birth is not None  # check_pupil refused a missing one
    pupil.date_of_birth = draft.date_of_birth
    pupil.year_group = draft.year_group
    pupil.mis_id = draft.mis_id
    pupil.active = draft.on_roll
    pupil.household = household


def _apply_adults(
    session: Session, pupil: Pupil, household: Household, adults: Sequence[AdultDraft]
) -> None:
    links = {link.adult_id: link for link in pupil.adult_links}
    wanted: list[PupilAdult] = []
    for draft in adults:
        link = links.get(draft.adult_id) if draft.adult_id is not None else None
        if draft.adult_id is not None and link is None:
            adult = session.get(Adult, draft.adult_id)
            if adult is None:
                raise PersonNotFound(f"There is no adult {draft.adult_id}.")
        elif link is not None:
            adult = link.adult
        else:
            adult = Adult(first_name=draft.first_name, last_name=draft.last_name)
            session.add(adult)
        adult.first_name = draft.first_name
        adult.last_name = draft.last_name
        adult.phone = draft.phone
        if draft.lives_with_pupil:
            adult.household = household
        elif adult.household_id == household.id:
            adult.household = None
        if link is None:
            link = PupilAdult(adult=adult)
        link.relationship_to_pupil = draft.relationship
        link.parental_responsibility = draft.parental_responsibility
        link.lives_with_pupil = draft.lives_with_pupil
        wanted.append(link)
    pupil.adult_links[:] = wanted


def _add_risk(
    session: Session, household_id: int, risk: NewRisk, by: SignedInUser, now: datetime
) -> int:
    row = KnownRisk(
        household_id=household_id,
        kind=risk.kind,
        description=risk.description,
        recorded_by_id=by.user_id,
        recorded_at=now,
    )
    session.add(row)
    session.flush()
    return row.id


def _end_risk(
    session: Session, risk_id: int, by: SignedInUser, now: datetime, *, household_id: int | None
) -> None:
    risk = session.get(KnownRisk, risk_id)
    hidden = risk is not None and (
        risk.kind is RiskKind.SAFEGUARDING_HISTORY and not may_see_safeguarding_history(by.role)
    )
    if risk is None or hidden or (household_id is not None and risk.household_id != household_id):
        raise PersonNotFound(f"There is no known risk {risk_id} at this household.")
    if risk.ended_at is not None:
        raise PersonNotSaved(
            [FieldProblem("risks", f"Known risk ({risk.kind.label}) was already ended.")]
        )
    risk.ended_at = now


def _apply_staff(staff: Staff, draft: StaffDraft) -> None:
    for f in fields(StaffDraft):
        setattr(staff, f.name, getattr(draft, f.name))
    staff.active = draft.left_on is None
