# ruff: noqa: F811  (the demo-school fixtures are imported by name)
"""The request form's look-ups against the real encrypted demo school: pupil and household
search, the household's professionals, and the visitor list with what stops each one going;
plus the service's check of a draft not yet saved and the comment of a request sent back."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import sqlalchemy as sa

from hvdesk.db.models import Household, Professional, Pupil, Staff, Visit
from hvdesk.domain.households import ProfessionalRole
from hvdesk.domain.people import Role
from hvdesk.domain.visit_request import ProblemSeverity
from hvdesk.domain.visits import VisitStatus
from hvdesk.services.accounts import Accounts
from hvdesk.services.authorisation import Authorisations
from hvdesk.services.lookups import Lookups
from hvdesk.services.risk_assessments import RiskAssessments
from hvdesk.services.visit_requests import VisitRequests
from tests.board_school import School, demo_template, school, signed_in  # noqa: F401
from tests.test_visit_requests import (
    WEDNESDAY,
    base_draft,
    free_visitors,
    quiet_household,
    submitted,
    user_with_role,
)


def a_pupil(school: School) -> tuple[Pupil, Household]:
    with school.database.session() as session:
        pupil, home = session.execute(
            sa.select(Pupil, Household)
            .join(Household, Pupil.household_id == Household.id)
            .where(Pupil.active.is_(True))
            .order_by(Pupil.id)
            .limit(1)
        ).one()
        session.expunge_all()
    return pupil, home


def test_a_partial_surname_finds_the_pupil_with_their_household(school: School) -> None:
    pupil, home = a_pupil(school)
    found = Lookups(school.database, school.clock).find_homes(pupil.last_name[:4].lower())
    mine = [c for c in found if c.pupil_id == pupil.id]
    assert mine, "the pupil is among the matches"
    assert mine[0].household_id == home.id
    assert mine[0].postcode == home.postcode
    assert all(
        c.pupil_name is None or pupil.last_name[:4].casefold() in c.pupil_name.casefold()
        for c in found
    )


def test_a_postcode_with_or_without_its_space_finds_the_home(school: School) -> None:
    pupil, home = a_pupil(school)
    lookups = Lookups(school.database, school.clock)
    for typed in (home.postcode, home.postcode.replace(" ", "").lower()):
        found = lookups.find_homes(typed)
        assert any(c.pupil_id == pupil.id for c in found), typed
        assert any(c.pupil_id is None and c.household_id == home.id for c in found), typed
        assert {c.postcode for c in found} == {home.postcode}


def test_the_mis_id_finds_one_pupil_and_nonsense_finds_nothing(school: School) -> None:
    pupil, _home = a_pupil(school)
    lookups = Lookups(school.database, school.clock)
    assert pupil.mis_id is not None
    found = lookups.find_homes(pupil.mis_id)
    assert [c.pupil_id for c in found] == [pupil.id]
    assert "Year" in found[0].label or found[0].year_group is None
    assert lookups.find_homes("zzqx no such pupil") == []
    assert len(lookups.find_homes("", limit=7)) == 7


def test_a_reopened_request_shows_its_choice(school: School) -> None:
    pupil, home = a_pupil(school)
    lookups = Lookups(school.database, school.clock)
    chosen = lookups.home(home.id, pupil.id)
    assert chosen is not None and chosen.pupil_name == f"{pupil.first_name} {pupil.last_name}"
    whole_home = lookups.home(home.id)
    assert whole_home is not None and whole_home.pupil_id is None
    assert "no pupil named" in whole_home.label
    assert lookups.home(999_999) is None


def test_professionals_of_the_household_social_workers_first(school: School) -> None:
    with school.database.session() as session:
        household_id = session.scalars(
            sa.select(Professional.household_id)
            .where(Professional.role == ProfessionalRole.SOCIAL_WORKER)
            .order_by(Professional.id)
        ).first()
        assert household_id is not None
        expected = set(
            session.scalars(
                sa.select(Professional.id).where(Professional.household_id == household_id)
            )
        )
    found = Lookups(school.database, school.clock).professionals(household_id)
    assert {p.id for p in found} == expected
    assert found[0].role is ProfessionalRole.SOCIAL_WORKER
    assert "Social worker" in found[0].label


def test_visitor_choices_say_who_cannot_go_and_why(school: School) -> None:
    pair = free_visitors(school, 2)
    with school.database.session() as session:
        staff = session.get(Staff, pair[0])
        assert staff is not None
        staff.emergency_contact_phone = None
        active = session.scalar(sa.select(sa.func.count()).where(Staff.active.is_(True)))
    lookups = Lookups(school.database, school.clock)
    choices = {
        c.staff_id: c for c in lookups.visitor_choices(WEDNESDAY, WEDNESDAY + timedelta(hours=1))
    }
    assert len(choices) == active
    assert choices[pair[1]].can_go and choices[pair[1]].trained
    assert not choices[pair[0]].can_go
    assert "emergency contact's phone" in choices[pair[0]].problems[0].message


def test_visitor_choices_show_other_bookings_except_the_request_itself(school: School) -> None:
    requests = VisitRequests(school.database, school.clock)
    pair = free_visitors(school, 2)
    visit_id = submitted(school, requests, pair)
    lookups = Lookups(school.database, school.clock)
    end = WEDNESDAY + timedelta(hours=1)
    other = {c.staff_id: c for c in lookups.visitor_choices(WEDNESDAY, end)}
    assert f"already booked on visit {visit_id}" in other[pair[0]].problems[0].message
    itself = {c.staff_id: c for c in lookups.visitor_choices(WEDNESDAY, end, visit_id=visit_id)}
    assert itself[pair[0]].can_go


def test_problems_for_an_unsaved_draft(school: School) -> None:
    requests = VisitRequests(school.database, school.clock)
    pair = free_visitors(school, 2)
    draft = base_draft(quiet_household(school), tuple(pair))
    assert {p.field for p in requests.problems_for(draft) if p.blocks} == {"risk"}
    lone = replace(draft, household_id=0, visitor_staff_ids=(pair[0],), safe_word=None)
    problems = requests.problems_for(lone)
    fields = {p.field for p in problems if p.blocks}
    assert fields == {"household", "lone_visit_justification", "risk"}
    assert any(p.severity is ProblemSeverity.WARNING and p.field == "safe_word" for p in problems)


def test_problems_for_edits_to_a_saved_request_use_its_assessment(school: School) -> None:
    requests = VisitRequests(school.database, school.clock)
    user = school.user("k.lewis")
    pair = free_visitors(school, 2)
    draft = base_draft(quiet_household(school), tuple(pair))
    visit_id = requests.save_draft(draft, user)
    RiskAssessments(school.database, school.clock).start(visit_id, user)
    assert [p for p in requests.problems_for(draft, visit_id) if p.blocks] == []
    later = replace(draft, planned_end=draft.planned_start - timedelta(minutes=5))
    assert {p.field for p in requests.problems_for(later, visit_id) if p.blocks} == {"planned_end"}


def test_the_comment_of_a_request_sent_back_is_read_with_it(school: School) -> None:
    requests = VisitRequests(school.database, school.clock)
    pair = free_visitors(school, 2)
    visit_id = submitted(school, requests, pair)
    assert requests.sent_back(visit_id) is None
    dsl = user_with_role(school, Role.DSL, not_staff=tuple(pair))
    authorisations = Authorisations(
        school.database, school.clock, Accounts(school.database, school.clock)
    )
    authorisations.send_back(visit_id, dsl, "Add the dog to the risk assessment.")
    note = requests.sent_back(visit_id)
    assert note is not None
    assert note.comment == "Add the dog to the risk assessment."
    assert note.by_name == dsl.display_name and note.at == school.clock.now()
    with school.database.session() as session:
        visit = session.get(Visit, visit_id)
        assert visit is not None and visit.status is VisitStatus.CHANGES_REQUESTED


def test_names_beyond_ascii_are_found_in_any_case(school: School) -> None:
    with school.database.session() as session:
        rows = session.execute(
            sa.select(Pupil.id, Pupil.last_name).where(Pupil.active.is_(True))
        ).all()
    pupil_id, surname = next((i, n) for i, n in rows if not n.isascii())
    found = Lookups(school.database, school.clock).find_homes(surname.upper())
    assert pupil_id in [c.pupil_id for c in found]
