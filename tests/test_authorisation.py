# ruff: noqa: F811  (the demo-school fixtures are imported by name)
"""Authorisation on the real encrypted demo school: the queue, the signed approval (one test per
permission rule, calling the service directly), sending back, refusing, and amendments that void
an approval or keep it."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from hvdesk.db.models import Authorisation, Setting, Staff, Visit, VisitEvent
from hvdesk.domain.people import Role
from hvdesk.domain.risk import RiskBand
from hvdesk.domain.risk_matrix import HazardRow, standard_rows
from hvdesk.domain.visits import AuthorisationDecision, EventKind, VisitStatus
from hvdesk.services.accounts import Accounts, NotPermitted, SignInRefused
from hvdesk.services.authorisation import Authorisations, substance_hash
from hvdesk.services.identity import SignedInUser
from hvdesk.services.risk_assessments import RiskAssessments
from hvdesk.services.visit_requests import (
    RequestNotReady,
    RequestRefused,
    VisitRequests,
    load_visit,
)
from tests.board_school import School, demo_template, school  # noqa: F401
from tests.test_visit_requests import (
    PASSWORD,
    WEDNESDAY,
    account_for_staff,
    free_visitors,
    submitted,
    user_with_role,
)

HIGH_ROWS = [*standard_rows(), HazardRow("Loose dog", "Visiting staff", 5, 4, "Muzzle", 5, 3)]


@pytest.fixture
def services(school: School) -> tuple[VisitRequests, Authorisations]:
    return (
        VisitRequests(school.database, school.clock),
        Authorisations(school.database, school.clock, Accounts(school.database, school.clock)),
    )


def dsl(school: School) -> SignedInUser:
    return school.user("s.whitfield")


def status(school: School, visit_id: int) -> VisitStatus:
    with school.database.session() as session:
        visit = session.get(Visit, visit_id)
        assert visit is not None
        return visit.status


def decisions(school: School, visit_id: int) -> list[Authorisation]:
    with school.database.session() as session:
        return list(
            session.scalars(
                sa.select(Authorisation)
                .where(Authorisation.visit_id == visit_id)
                .order_by(Authorisation.id)
            )
        )


def current_hash(school: School, visit_id: int, conditions: str | None = None) -> str:
    with school.database.session() as session:
        return substance_hash(load_visit(session, visit_id), conditions)


def make_fit(school: School, staff_id: int) -> None:
    """Bring a staff record up to date so it passes the request's checks."""
    with school.database.session() as session:
        staff = session.get(Staff, staff_id)
        assert staff is not None
        staff.work_mobile = "07700 900111"
        staff.emergency_contact_phone = "07700 900222"
        staff.dbs_checked_on = date(2026, 1, 5)
        staff.safeguarding_trained_on = date(2026, 1, 5)


def set_setting(school: School, key: str, value: object) -> None:
    with school.database.session() as session:
        session.merge(Setting(key=key, value=value, updated_at=school.clock.now()))


# --- the queue ---------------------------------------------------------------------------------


def test_the_queue_is_oldest_first_with_waiting_time_and_risk(school: School, services) -> None:
    requests, authorisations = services
    pair = free_visitors(school, 4)
    first = submitted(school, requests, pair[:2], rows=HIGH_ROWS)
    school.clock.advance(timedelta(minutes=40))
    second = submitted(
        school,
        requests,
        pair[2:],
        planned_start=WEDNESDAY + timedelta(hours=2),
        planned_end=WEDNESDAY + timedelta(hours=3),
    )
    school.clock.advance(timedelta(minutes=5))
    queue = authorisations.queue(dsl(school))
    assert [i.submitted_at for i in queue] == sorted(i.submitted_at for i in queue)
    mine = {i.visit_id: i for i in queue if i.visit_id in (first, second)}
    assert mine[first].waiting == timedelta(minutes=45)
    assert mine[second].waiting == timedelta(minutes=5)
    assert mine[first].highest_residual_band is RiskBand.HIGH
    assert mine[first].risk_summary == "Highest residual risk: High"
    assert [i.visit_id for i in queue].index(first) < [i.visit_id for i in queue].index(second)


def test_reception_cannot_see_the_queue(school: School, services) -> None:
    with pytest.raises(NotPermitted):
        services[1].queue(school.user("k.lewis"))


# --- approval: the signature and each permission rule -------------------------------------------


def test_the_dsl_approves_with_a_signature_and_a_hash(school: School, services) -> None:
    requests, authorisations = services
    visit_id = submitted(school, requests, free_visitors(school, 2))
    decision_id = authorisations.approve(visit_id, dsl(school), PASSWORD, "Phone in on arrival")
    assert status(school, visit_id) is VisitStatus.AUTHORISED
    (row,) = decisions(school, visit_id)
    assert row.id == decision_id
    assert row.decision is AuthorisationDecision.APPROVED
    assert row.decided_by_id == dsl(school).user_id
    assert row.decided_at == school.clock.now()
    assert row.conditions == "Phone in on arrival"
    assert row.approved_hash == current_hash(school, visit_id, "Phone in on arrival")
    assert len(row.approved_hash or "") == 64
    assert authorisations.approval_is_current(visit_id)
    assert visit_id not in [i.visit_id for i in authorisations.queue(dsl(school))]


def test_a_wrong_password_approves_nothing(school: School, services) -> None:
    requests, authorisations = services
    visit_id = submitted(school, requests, free_visitors(school, 2))
    with pytest.raises(SignInRefused):
        authorisations.approve(visit_id, dsl(school), "not the password")
    assert status(school, visit_id) is VisitStatus.AWAITING_AUTHORISATION
    assert decisions(school, visit_id) == []


def test_reception_cannot_authorise(school: School, services) -> None:
    requests, authorisations = services
    visit_id = submitted(school, requests, free_visitors(school, 2))
    with pytest.raises(NotPermitted, match="Visits are authorised by"):
        authorisations.approve(visit_id, school.user("k.lewis"), PASSWORD)
    for decide in (authorisations.send_back, authorisations.refuse):
        with pytest.raises(NotPermitted):
            decide(visit_id, school.user("k.lewis"), "no")
    assert decisions(school, visit_id) == []


def test_nobody_authorises_a_visit_they_are_going_on(school: School, services) -> None:
    requests, authorisations = services
    deputy = user_with_role(school, Role.DEPUTY_DSL)
    assert deputy.staff_id is not None
    make_fit(school, deputy.staff_id)
    visit_id = submitted(school, requests, [deputy.staff_id, free_visitors(school, 1)[0]])
    with pytest.raises(NotPermitted, match="Nobody may authorise a visit they are going on"):
        authorisations.approve(visit_id, deputy, PASSWORD)
    with pytest.raises(NotPermitted, match="going on"):
        authorisations.send_back(visit_id, deputy, "Change the time")
    authorisations.approve(visit_id, dsl(school), PASSWORD)


def test_only_the_roles_the_settings_name_may_authorise(school: School, services) -> None:
    requests, authorisations = services
    set_setting(school, "authorising_roles", ["headteacher"])
    visit_id = submitted(school, requests, free_visitors(school, 2))
    with pytest.raises(NotPermitted, match="Headteacher"):
        authorisations.approve(visit_id, dsl(school), PASSWORD)
    head = user_with_role(school, Role.HEADTEACHER)
    authorisations.approve(visit_id, head, PASSWORD)
    assert status(school, visit_id) is VisitStatus.AUTHORISED


def test_a_lone_visit_needs_a_lone_visit_role(school: School, services) -> None:
    requests, authorisations = services
    visit_id = submitted(
        school,
        requests,
        free_visitors(school, 1),
        lone_visit_justification="The pupil will only speak to her.",
    )
    deputy = user_with_role(school, Role.DEPUTY_DSL)
    with pytest.raises(NotPermitted, match="A lone visit needs approval by"):
        authorisations.approve(visit_id, deputy, PASSWORD)
    authorisations.approve(visit_id, dsl(school), PASSWORD)


def test_an_out_of_hours_visit_needs_an_out_of_hours_role(school: School, services) -> None:
    requests, authorisations = services
    visit_id = submitted(
        school,
        requests,
        free_visitors(school, 2),
        planned_start=WEDNESDAY.replace(hour=18),
        planned_end=WEDNESDAY.replace(hour=19),
        responsible_contact_name="Sarah Whitfield",
        responsible_contact_phone="07700 900555",
    )
    deputy = user_with_role(school, Role.DEPUTY_DSL)
    with pytest.raises(NotPermitted, match="outside working hours"):
        authorisations.approve(visit_id, deputy, PASSWORD)
    authorisations.approve(visit_id, dsl(school), PASSWORD)


def test_a_high_residual_risk_needs_the_dsl_or_a_deputy(school: School, services) -> None:
    requests, authorisations = services
    set_setting(school, "authorising_roles", ["dsl", "headteacher"])
    visit_id = submitted(school, requests, free_visitors(school, 2), rows=HIGH_ROWS)
    head = user_with_role(school, Role.HEADTEACHER)
    with pytest.raises(NotPermitted, match="risk stays high"):
        authorisations.approve(visit_id, head, PASSWORD)
    authorisations.approve(visit_id, dsl(school), PASSWORD)


def test_approval_rechecks_the_request(school: School, services) -> None:
    requests, authorisations = services
    pair = free_visitors(school, 2)
    visit_id = submitted(school, requests, pair)
    with school.database.session() as session:
        staff = session.get(Staff, pair[1])
        assert staff is not None
        staff.emergency_contact_phone = None
    with pytest.raises(RequestNotReady, match="cannot be approved"):
        authorisations.approve(visit_id, dsl(school), PASSWORD)


# --- sending back and refusing -----------------------------------------------------------------


def test_send_back_then_resubmit_then_approve(school: School, services) -> None:
    requests, authorisations = services
    visit_id = submitted(school, requests, free_visitors(school, 2))
    with pytest.raises(RequestRefused, match="what to change"):
        authorisations.send_back(visit_id, dsl(school), "  ")
    authorisations.send_back(visit_id, dsl(school), "Take the Early Help leaflet")
    assert status(school, visit_id) is VisitStatus.CHANGES_REQUESTED
    draft = requests.draft(visit_id)
    draft.resources_to_take = "Early Help leaflet"
    requests.save_draft(draft, school.user("k.lewis"), visit_id)
    requests.submit(visit_id, school.user("k.lewis"))
    (item,) = [i for i in authorisations.queue(dsl(school)) if i.visit_id == visit_id]
    assert item.resubmitted
    authorisations.approve(visit_id, dsl(school), PASSWORD)
    assert [d.decision for d in decisions(school, visit_id)] == [
        AuthorisationDecision.CHANGES_REQUESTED,
        AuthorisationDecision.APPROVED,
    ]


def test_refuse_with_a_reason(school: School, services) -> None:
    requests, authorisations = services
    visit_id = submitted(school, requests, free_visitors(school, 2))
    authorisations.refuse(visit_id, dsl(school), "Ask the social worker to visit instead")
    assert status(school, visit_id) is VisitStatus.REFUSED
    assert decisions(school, visit_id)[0].comment == "Ask the social worker to visit instead"
    with pytest.raises(RequestRefused, match="not awaiting authorisation"):
        authorisations.approve(visit_id, dsl(school), PASSWORD)


# --- amendments after approval ------------------------------------------------------------------


def approved(school: School, services) -> int:
    requests, authorisations = services
    visit_id = submitted(school, requests, free_visitors(school, 2))
    authorisations.approve(visit_id, dsl(school), PASSWORD)
    return visit_id


def test_a_minor_amendment_keeps_the_approval_and_the_hash(school: School, services) -> None:
    authorisations = services[1]
    visit_id = approved(school, services)
    before = current_hash(school, visit_id)
    event_id = authorisations.amend(
        visit_id, dsl(school), "resources_to_take", "Laptop for the pupil", "Pupil asked for it"
    )
    assert current_hash(school, visit_id) == before
    assert status(school, visit_id) is VisitStatus.AUTHORISED
    assert authorisations.approval_is_current(visit_id)
    (amendment,) = authorisations.amendments(visit_id)
    assert amendment["amendment"] == "resources_to_take"
    assert (amendment["from"], amendment["to"]) == (None, "Laptop for the pupil")
    assert amendment["reason"] == "Pupil asked for it"
    assert amendment["by_user_id"] == dsl(school).user_id
    assert amendment["at"] == school.clock.now()
    assert amendment["voided_authorisation"] is None
    with school.database.session() as session:
        event = session.get(VisitEvent, event_id)
        assert event is not None and event.kind is EventKind.NOTE
        assert json.loads(event.note or "")["to"] == "Laptop for the pupil"


def test_changing_the_time_voids_the_approval_and_re_approval_signs_again(
    school: School, services
) -> None:
    authorisations = services[1]
    visit_id = approved(school, services)
    (first,) = decisions(school, visit_id)
    school.clock.advance(timedelta(minutes=10))
    with pytest.raises(RequestNotReady, match="end after it starts"):
        authorisations.amend(
            visit_id, dsl(school), "planned_start", WEDNESDAY + timedelta(hours=2), "Later"
        )
    assert authorisations.approval_is_current(visit_id)  # a refused amendment changes nothing
    later = WEDNESDAY + timedelta(minutes=30)
    authorisations.amend(visit_id, dsl(school), "planned_start", later, "Parent asked for later")
    with pytest.raises(RequestRefused, match="Say why"):
        authorisations.amend(visit_id, dsl(school), "vehicle", "Red car", " ")
    voided = decisions(school, visit_id)[0]
    assert voided.voided_at == school.clock.now()
    assert voided.void_reason == "Amended planned_start: Parent asked for later"
    assert status(school, visit_id) is VisitStatus.AWAITING_AUTHORISATION
    assert not authorisations.approval_is_current(visit_id)
    assert visit_id in [i.visit_id for i in authorisations.queue(dsl(school))]
    (amendment,) = authorisations.amendments(visit_id)
    assert amendment["from"] == WEDNESDAY.isoformat()
    assert amendment["voided_authorisation"] == first.id
    again = authorisations.approve(visit_id, dsl(school), PASSWORD)
    assert decisions(school, visit_id)[-1].id == again
    assert decisions(school, visit_id)[-1].approved_hash == current_hash(school, visit_id)
    assert decisions(school, visit_id)[-1].approved_hash != first.approved_hash
    assert authorisations.approval_is_current(visit_id)


def test_hash_changes_with_the_substance_only(school: School, services) -> None:
    authorisations = services[1]
    visit_id = approved(school, services)
    original = current_hash(school, visit_id)
    authorisations.amend(visit_id, dsl(school), "safe_word", "daffodil", "Old one was shared")
    authorisations.amend(visit_id, dsl(school), "vehicle", "Red Fiat 500", "Other car")
    assert current_hash(school, visit_id) == original
    assert current_hash(school, visit_id, "Phone in") != original  # conditions are covered
    authorisations.amend(
        visit_id, dsl(school), "planned_end", WEDNESDAY + timedelta(minutes=90), "Longer meeting"
    )
    extended = current_hash(school, visit_id)
    assert extended != original
    authorisations.approve(visit_id, dsl(school), PASSWORD)
    assert decisions(school, visit_id)[-1].approved_hash == extended
    assert authorisations.approval_is_current(visit_id)


def test_changing_visitors_or_risk_voids_the_approval(school: School, services) -> None:
    requests, authorisations = services
    visit_id = approved(school, services)
    pair = requests.draft(visit_id).visitor_staff_ids
    other = free_visitors(school, 1, exclude=pair)[0]
    authorisations.amend(visit_id, dsl(school), "visitors", [pair[0], other], "Sick leave")
    assert requests.draft(visit_id).visitor_staff_ids == (pair[0], other)
    assert status(school, visit_id) is VisitStatus.AWAITING_AUTHORISATION
    authorisations.approve(visit_id, dsl(school), PASSWORD)
    approved_rows = RiskAssessments(school.database, school.clock).view(visit_id)
    assert approved_rows is not None
    authorisations.amend(visit_id, dsl(school), "risk", HIGH_ROWS, "Dog seen in the garden")
    assert status(school, visit_id) is VisitStatus.AWAITING_AUTHORISATION
    view = RiskAssessments(school.database, school.clock).view(visit_id)
    assert view is not None
    assert view.based_on_id == approved_rows.assessment_id  # the signed rows are kept as signed
    assert view.summary is not None and view.summary.highest_residual_band is RiskBand.HIGH
    assert len(decisions(school, visit_id)) == 2
    assert all(d.voided_at is not None for d in decisions(school, visit_id))


def test_amendments_need_a_signed_visit_and_the_right_person(school: School, services) -> None:
    requests, authorisations = services
    pending = submitted(school, requests, free_visitors(school, 2))
    with pytest.raises(RequestRefused, match="only an authorised visit"):
        authorisations.amend(pending, dsl(school), "vehicle", "Red car", "Other car")
    visit_id = approved(school, services)
    with pytest.raises(RequestRefused, match="cannot be amended"):
        authorisations.amend(visit_id, dsl(school), "status", "out", "Because")
    stranger = user_with_role(
        school, Role.VISITING_STAFF, not_staff=requests.draft(visit_id).visitor_staff_ids
    )
    with pytest.raises(NotPermitted):
        authorisations.amend(visit_id, stranger, "vehicle", "Red car", "Other car")
    visitor = account_for_staff(school, requests.draft(visit_id).visitor_staff_ids[0])
    authorisations.amend(visit_id, visitor, "vehicle", "Red car", "Other car")
