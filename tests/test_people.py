# ruff: noqa: F811  (the demo-school fixtures are imported by name)
"""Pupils, families, known risks and staff through the service, on the real encrypted demo
school: validation says what is wrong and saves nothing; who may change what is enforced by the
service, field by field; need-to-know hides safeguarding history from all but the DSL."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
import sqlalchemy as sa

from hvdesk.db.models import (
    Adult,
    AuditEntry,
    Household,
    KnownRisk,
    Pupil,
    Staff,
    UserAccount,
)
from hvdesk.domain.households import Relationship, RiskKind
from hvdesk.domain.people import DbsLevel, JobRole, Role
from hvdesk.domain.people_records import (
    AdultDraft,
    HouseholdDraft,
    NewRisk,
    PupilDraft,
    StaffDraft,
    rights_for,
)
from hvdesk.domain.uk_formats import (
    normalise_uk_postcode,
    parse_uk_date,
    parse_year_group,
    tidy_uk_phone,
    year_group_label,
)
from hvdesk.services.accounts import NotPermitted
from hvdesk.services.directory import list_staff
from hvdesk.services.identity import SignedInUser
from hvdesk.services.people import PeopleService, PersonNotFound, PersonNotSaved
from tests.board_school import School, demo_template, school  # noqa: F401


@pytest.fixture
def people(school: School) -> PeopleService:
    return PeopleService(school.database, school.clock)


def user_with_role(school: School, role: Role) -> SignedInUser:
    with school.database.session() as session:
        username = session.scalars(
            sa.select(UserAccount.username)
            .where(UserAccount.role == role, UserAccount.active.is_(True))
            .order_by(UserAccount.id)
        ).first()
    assert username is not None
    return school.user(username)


def new_pupil(**changes: object) -> PupilDraft:
    draft = PupilDraft(
        first_name=" Zoë ",
        last_name="Ashworth",
        date_of_birth=date(2014, 5, 17),
        year_group=7,
        mis_id="TEST-0001",
        household=HouseholdDraft(
            address_line1="14 Quarry Street",
            town="Leeds",
            postcode="ls6  2uq",
            area="Woodhouse",
            home_phone="+44 113 496 0555",
        ),
        adults=(
            AdultDraft(
                first_name="Maria",
                last_name="Ashworth",
                relationship=Relationship.MOTHER,
                parental_responsibility=True,
                phone="07700900456",
            ),
        ),
        new_risks=(NewRisk(RiskKind.DOG, "Large dog, kept in the kitchen on request."),),
    )
    return replace(draft, **changes)  # type: ignore[arg-type]


def count(school: School, model: type) -> int:
    with school.database.session() as session:
        return session.scalar(sa.select(sa.func.count()).select_from(model)) or 0


def household_with(school: School, kind: RiskKind) -> tuple[int, int]:
    """A pupil and their household that has a current known risk of that kind."""
    with school.database.session() as session:
        row = session.execute(
            sa.select(Pupil.id, Pupil.household_id)
            .join(KnownRisk, KnownRisk.household_id == Pupil.household_id)
            .where(KnownRisk.kind == kind, KnownRisk.ended_at.is_(None))
            .order_by(Pupil.id)
        ).first()
    assert row is not None
    return row[0], row[1]


# -- formats ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("ls1 1aa", "LS1 1AA"),
        ("SW1A2AA", "SW1A 2AA"),
        (" m1  1ae ", "M1 1AE"),
        ("gir0aa", "GIR 0AA"),
        ("LS1", None),
        ("12345", None),
        ("LS1 1A", None),
        ("", None),
    ],
)
def test_postcodes_are_checked_and_written_the_office_way(typed, expected):
    assert normalise_uk_postcode(typed) == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("07700900123", "07700 900123"),
        ("+44 (0)7700 900123", "07700 900123"),
        ("0113 496 0123", "0113 496 0123"),
        ("01134960123", "0113 496 0123"),
        ("0121 496 0000", "0121 496 0000"),
        ("02079460123", "020 7946 0123"),
        ("01632 960123", "01632 960123"),
        ("+33 1 23 45 67 89", "+33 1 23 45 67 89"),
        ("0300 123 4567", "0300 123 4567"),
        ("+33 1 23", None),
        ("0770090012", None),
    ],
)
def test_phone_numbers_are_tidied_or_refused(typed, expected):
    assert tidy_uk_phone(typed) == expected


def test_dates_and_year_groups_read_as_the_mis_writes_them():
    assert parse_uk_date("04/03/2016") == date(2016, 3, 4)
    assert parse_uk_date("4/3/2016") == date(2016, 3, 4)
    assert parse_uk_date("2016-03-04") == date(2016, 3, 4)
    assert parse_uk_date("2016-03-04T00:00:00") == date(2016, 3, 4)
    assert parse_uk_date("31/02/2016") is None
    assert parse_uk_date("03-04-16") is None
    assert [parse_year_group(t) for t in ("7", "Y7", "Year 7", "NC Year 11", "R", "N1")] == [
        7,
        7,
        7,
        11,
        0,
        -1,
    ]
    assert parse_year_group("Year 20") is None
    assert [year_group_label(y) for y in (-1, 0, 9, None)] == ["N", "R", "9", ""]


# -- pupils ----------------------------------------------------------------------------------


def test_administrator_adds_a_pupil_with_household_adult_and_risk(school, people):
    admin = school.user("p.stanton")
    pupil_id = people.save_pupil(new_pupil(), admin)

    record = people.pupil(pupil_id, admin)
    assert record.draft.first_name == "Zoë"
    home = record.draft.household
    assert (home.postcode, home.home_phone, home.area) == ("LS6 2UQ", "0113 496 0555", "Woodhouse")
    (adult,) = record.draft.adults
    assert (adult.first_name, adult.phone, adult.parental_responsibility) == (
        "Maria",
        "07700 900456",
        True,
    )
    (risk,) = record.risks
    assert risk.kind is RiskKind.DOG and risk.current
    assert risk.recorded_by == admin.display_name
    assert risk.recorded_at == school.clock.now()


def test_a_bad_form_lists_every_problem_and_saves_nothing(school, people):
    pupils, homes = count(school, Pupil), count(school, Household)
    bad = new_pupil(
        first_name=" ",
        date_of_birth=date(2027, 1, 1),
        household=HouseholdDraft("14 Quarry Street", "Leeds", "LS6 XYZ", "Woodhouse", None, "999"),
        adults=(AdultDraft("Maria", "", Relationship.MOTHER, True, phone="12345"),),
    )
    with pytest.raises(PersonNotSaved) as refused:
        people.save_pupil(bad, school.user("p.stanton"))
    messages = [p.message for p in refused.value.problems]
    assert "First name: type it." in messages
    assert "Date of birth: that date is in the future." in messages
    assert any("'LS6 XYZ' is not a UK postcode" in m for m in messages)
    assert any(m.startswith("Home phone: '999' is not a phone number") for m in messages)
    assert "Adult 1: type their first name and surname." in messages
    assert any(m.startswith("Adult 1: phone '12345' is not a phone number") for m in messages)
    assert (count(school, Pupil), count(school, Household)) == (pupils, homes)


def test_a_new_pupil_at_a_known_address_joins_that_household(school, people):
    admin = school.user("p.stanton")
    first = people.save_pupil(new_pupil(), admin)
    sibling = new_pupil(
        first_name="Ben",
        mis_id="TEST-0002",
        household=HouseholdDraft("14  quarry street", "Leeds", "LS62UQ", "Woodhouse"),
        adults=(),
        new_risks=(),
    )
    second = people.save_pupil(sibling, admin)
    one, two = people.pupil(first, admin), people.pupil(second, admin)
    assert one.draft.household_id == two.draft.household_id
    assert two.draft.household.home_phone == "0113 496 0555"  # kept, not blanked
    assert one.household_pupils == ("Ben Ashworth",)


def test_editing_the_address_moves_the_household_and_moving_alone_leaves_it(school, people):
    admin = school.user("p.stanton")
    first = people.save_pupil(new_pupil(), admin)
    second = people.save_pupil(
        new_pupil(first_name="Ben", mis_id="TEST-0002", adults=(), new_risks=()), admin
    )
    record = people.pupil(first, admin).draft
    moved = replace(record, household=replace(record.household, address_line1="2 New Road"))
    people.save_pupil(moved, admin, first)
    assert people.pupil(second, admin).draft.household.address_line1 == "2 New Road"

    alone = replace(
        moved,
        household_id=None,
        household=HouseholdDraft("9 Elm Row", "Leeds", "LS7 1AB", "Chapeltown"),
    )
    people.save_pupil(alone, admin, first)
    assert people.pupil(first, admin).draft.household.address_line1 == "9 Elm Row"
    assert people.pupil(second, admin).draft.household.address_line1 == "2 New Road"


def test_removing_an_adult_unlinks_them_without_deleting(school, people):
    admin = school.user("p.stanton")
    pupil_id = people.save_pupil(new_pupil(), admin)
    record = people.pupil(pupil_id, admin).draft
    adults = count(school, Adult)
    people.save_pupil(replace(record, adults=()), admin, pupil_id)
    assert people.pupil(pupil_id, admin).draft.adults == ()
    assert count(school, Adult) == adults


def test_an_mis_id_belongs_to_one_pupil(school, people):
    admin = school.user("p.stanton")
    people.save_pupil(new_pupil(), admin)
    with pytest.raises(PersonNotSaved, match="TEST-0001 is already another pupil"):
        people.save_pupil(new_pupil(first_name="Other", adults=(), new_risks=()), admin)


def test_reception_may_change_phones_but_not_names(school, people):
    admin, reception = school.user("p.stanton"), school.user("k.lewis")
    pupil_id = people.save_pupil(new_pupil(), admin)
    record = people.pupil(pupil_id, reception).draft
    (adult,) = record.adults
    new_phone = replace(record, adults=(replace(adult, phone="07700 900999"),))
    people.save_pupil(new_phone, reception, pupil_id)
    assert people.pupil(pupil_id, admin).draft.adults[0].phone == "07700 900999"

    renamed = replace(new_phone, last_name="Smith")
    with pytest.raises(NotPermitted, match="only the phone numbers and known risks"):
        people.save_pupil(renamed, reception, pupil_id)
    assert people.pupil(pupil_id, admin).draft.last_name == "Ashworth"
    with pytest.raises(NotPermitted, match="may not add pupils"):
        people.save_pupil(new_pupil(mis_id="TEST-0009"), reception)


def test_visiting_staff_may_add_an_operational_risk_but_not_change_phones(school, people):
    admin = school.user("p.stanton")
    visitor = user_with_role(school, Role.VISITING_STAFF)
    pupil_id = people.save_pupil(new_pupil(), admin)
    record = people.pupil(pupil_id, visitor).draft
    warned = replace(record, new_risks=(NewRisk(RiskKind.AGGRESSION, "Father shouted at us."),))
    people.save_pupil(warned, visitor, pupil_id)
    kinds = {r.kind for r in people.pupil(pupil_id, admin).risks}
    assert kinds == {RiskKind.DOG, RiskKind.AGGRESSION}

    phoned = replace(record, household=replace(record.household, home_phone="0113 496 0999"))
    with pytest.raises(NotPermitted, match="may not change a family's phone numbers"):
        people.save_pupil(phoned, visitor, pupil_id)


def test_need_to_know_hides_safeguarding_history_from_all_but_the_dsl(school, people):
    pupil_id, household_id = household_with(school, RiskKind.SAFEGUARDING_HISTORY)
    dsl, reception = school.user("s.whitfield"), school.user("k.lewis")
    admin = school.user("p.stanton")

    dsl_kinds = [r.kind for r in people.pupil(pupil_id, dsl).risks]
    assert RiskKind.SAFEGUARDING_HISTORY in dsl_kinds
    for other in (reception, admin, user_with_role(school, Role.VISITING_STAFF)):
        seen = people.pupil(pupil_id, other).risks
        assert RiskKind.SAFEGUARDING_HISTORY not in [r.kind for r in seen]
        assert len(seen) == len(dsl_kinds) - dsl_kinds.count(RiskKind.SAFEGUARDING_HISTORY)
        assert [r.id for r in people.household_risks(household_id, other)] == [r.id for r in seen]

    history = next(
        r for r in people.pupil(pupil_id, dsl).risks if r.kind is RiskKind.SAFEGUARDING_HISTORY
    )
    with pytest.raises(NotPermitted, match="Only the DSL"):
        people.end_known_risk(history.id, reception)
    with pytest.raises(NotPermitted, match="Only the DSL or a deputy DSL may record"):
        people.add_known_risk(household_id, RiskKind.SAFEGUARDING_HISTORY, "CP plan", reception)
    people.add_known_risk(household_id, RiskKind.SAFEGUARDING_HISTORY, "CP plan 2025", dsl)


def test_only_the_dsl_ends_a_risk_and_it_stays_on_record(school, people):
    _pupil_id, household_id = household_with(school, RiskKind.DOG)
    dsl, reception = school.user("s.whitfield"), school.user("k.lewis")
    dog = next(r for r in people.household_risks(household_id, dsl) if r.kind is RiskKind.DOG)
    with pytest.raises(NotPermitted):
        people.end_known_risk(dog.id, reception)
    people.end_known_risk(dog.id, dsl)
    ended = next(r for r in people.household_risks(household_id, reception) if r.id == dog.id)
    assert ended.ended_at == school.clock.now() and not ended.current
    with pytest.raises(PersonNotSaved, match="already ended"):
        people.end_known_risk(dog.id, dsl)
    with pytest.raises(PersonNotSaved, match="describe it"):
        people.add_known_risk(household_id, RiskKind.DOG, "  ", dsl)
    with pytest.raises(PersonNotFound):
        people.end_known_risk(10**9, dsl)


def test_rights_follow_the_documented_table():
    assert rights_for(None).edit_family_details is False
    assert rights_for(Role.ADMINISTRATOR).edit_family_details
    assert (
        rights_for(Role.DSL).end_risks and rights_for(Role.DEPUTY_DSL).manage_safeguarding_history
    )
    assert not rights_for(Role.ADMINISTRATOR).end_risks
    reception = rights_for(Role.RECEPTION)
    assert reception.edit_family_phones and not reception.edit_family_details
    assert reception.edit_staff_if_missing and not reception.edit_staff_job_and_checks
    assert not rights_for(Role.HEADTEACHER).import_from_mis
    assert rights_for(Role.HEADTEACHER).add_staff


# -- staff -----------------------------------------------------------------------------------


def new_staff(**changes: object) -> StaffDraft:
    draft = StaffDraft(
        first_name="Priya",
        last_name="Raman",
        job_role=JobRole.FAMILY_SUPPORT_WORKER,
        email="p.raman@example.org",
        safeguarding_trained_on=date(2026, 9, 1),
        dbs_level=DbsLevel.ENHANCED_BARRED,
        dbs_checked_on=date(2025, 1, 10),
        work_mobile="07700900777",
        emergency_contact_name="Arjun Raman",
        emergency_contact_relationship="Husband",
        emergency_contact_phone="0113 496 0777",
        vehicle_make="Ford",
        vehicle_model="Fiesta",
        vehicle_colour="Blue",
        vehicle_registration="yk19 abc",
    )
    return replace(draft, **changes)  # type: ignore[arg-type]


def test_administrator_adds_staff_in_the_office_format(school, people):
    admin = school.user("p.stanton")
    staff_id = people.save_staff(new_staff(), admin)
    saved = people.staff_member(staff_id, admin).draft
    assert (saved.work_mobile, saved.emergency_contact_phone, saved.vehicle_registration) == (
        "07700 900777",
        "0113 496 0777",
        "YK19 ABC",
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"work_mobile": "0113 496 0777"}, "is not a mobile number"),
        ({"work_mobile": "07700 9001"}, "is not a mobile number"),
        ({"emergency_contact_phone": "+1 212 555"}, "Emergency contact phone:"),
        ({"emergency_contact_name": None}, "Emergency contact: type who answers"),
        ({"vehicle_registration": None}, "type the registration too"),
        ({"dbs_checked_on": None}, "DBS check: type the date"),
        ({"dbs_level": DbsLevel.NONE}, "choose the level"),
        ({"left_on": date(2030, 1, 1)}, "Left on: that date is in the future"),
        ({"email": "not-an-address"}, "is not an email address"),
    ],
)
def test_a_bad_staff_form_says_what_is_wrong_and_saves_nothing(school, people, change, message):
    before = count(school, Staff)
    with pytest.raises(PersonNotSaved) as refused:
        people.save_staff(new_staff(**change), school.user("p.stanton"))
    assert any(message in p.message for p in refused.value.problems)
    assert count(school, Staff) == before


def test_reception_keeps_contact_details_current_but_not_checks(school, people):
    admin, reception = school.user("p.stanton"), school.user("k.lewis")
    staff_id = people.save_staff(new_staff(), admin)
    record = people.staff_member(staff_id, reception).draft
    people.save_staff(replace(record, work_mobile="07700 900888"), reception, staff_id)
    assert people.staff_member(staff_id, admin).draft.work_mobile == "07700 900888"
    with pytest.raises(NotPermitted, match="job, checks"):
        people.save_staff(replace(record, dbs_checked_on=date(2026, 1, 1)), reception, staff_id)
    with pytest.raises(NotPermitted, match="may not add staff"):
        people.save_staff(new_staff(last_name="Other"), reception)


def test_staff_update_their_own_emergency_contact_only(school, people):
    visitor = user_with_role(school, Role.VISITING_STAFF)
    assert visitor.staff_id is not None
    own = people.staff_member(visitor.staff_id, visitor).draft
    people.save_staff(
        replace(own, emergency_contact_name="New Contact", emergency_contact_phone="07700900111"),
        visitor,
        visitor.staff_id,
    )
    assert people.staff_member(visitor.staff_id, visitor).draft.emergency_contact_phone == (
        "07700 900111"
    )
    with pytest.raises(NotPermitted):
        people.save_staff(replace(own, job_role=JobRole.SLT), visitor, visitor.staff_id)
    other = next(c.id for c in people.staff_choices(excluding=visitor.staff_id))
    theirs = people.staff_member(other, visitor).draft
    with pytest.raises(NotPermitted, match="only on your own"):
        people.save_staff(replace(theirs, work_mobile="07700 900222"), visitor, other)


def test_supervisors_cannot_go_round_in_a_circle(school, people):
    admin = school.user("p.stanton")
    boss = people.save_staff(new_staff(last_name="Boss"), admin)
    worker = people.save_staff(new_staff(last_name="Worker", supervisor_id=boss), admin)
    boss_record = people.staff_member(boss, admin).draft
    with pytest.raises(PersonNotSaved, match="supervised"):
        people.save_staff(replace(boss_record, supervisor_id=worker), admin, boss)
    with pytest.raises(PersonNotSaved, match="not themselves"):
        people.save_staff(replace(boss_record, supervisor_id=boss), admin, boss)


def test_a_leaver_leaves_the_staff_list(school, people):
    admin = school.user("p.stanton")
    staff_id = people.save_staff(new_staff(), admin)
    record = people.staff_member(staff_id, admin).draft
    people.save_staff(replace(record, left_on=date(2026, 11, 20)), admin, staff_id)
    assert not people.staff_member(staff_id, admin).active
    with school.database.session() as session:
        assert staff_id not in [r.id for r in list_staff(session)]


def test_opening_and_saving_a_pupil_are_on_the_audit_trail(school, people):
    admin, reception = school.user("p.stanton"), school.user("k.lewis")
    pupil_id = people.save_pupil(new_pupil(), admin)
    people.pupil(pupil_id, reception)
    with school.database.session() as session:
        entries = session.execute(
            sa.select(AuditEntry.action, AuditEntry.user_id).where(
                AuditEntry.record_type == "pupils", AuditEntry.record_id == pupil_id
            )
        ).all()
    assert ("create", admin.user_id) in entries
    assert ("view", reception.user_id) in entries


def test_a_supervisor_who_left_stays_on_record_when_others_edit(school, people):
    admin, reception = school.user("p.stanton"), school.user("k.lewis")
    boss = people.save_staff(new_staff(last_name="Boss"), admin)
    worker = people.save_staff(new_staff(last_name="Worker", supervisor_id=boss), admin)
    boss_record = people.staff_member(boss, admin).draft
    people.save_staff(replace(boss_record, left_on=date(2026, 11, 1)), admin, boss)

    assert boss in [c.id for c in people.staff_choices(excluding=worker, keeping=boss)]
    assert boss not in [c.id for c in people.staff_choices(excluding=worker)]
    record = people.staff_member(worker, reception).draft
    people.save_staff(replace(record, work_mobile="07700 900333"), reception, worker)
    saved = people.staff_member(worker, admin).draft
    assert (saved.supervisor_id, saved.work_mobile) == (boss, "07700 900333")
    with pytest.raises(PersonNotSaved, match="choose someone on the staff list"):
        people.save_staff(replace(new_staff(last_name="New"), supervisor_id=boss), admin)
