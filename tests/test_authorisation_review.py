# ruff: noqa: F811  (the demo-school fixtures are imported by name)
"""The authorisation service's reading side and multi-field amendments, on the real encrypted
demo school: the full review of a request (who may read it, visitors' checks, refusals), the
list of authorised visits still to happen, and amendments of several fields at once."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from hvdesk.db.models import Authorisation, Staff, VisitEvent
from hvdesk.domain.people import Role
from hvdesk.domain.visits import EventKind, VisitStatus
from hvdesk.services.accounts import Accounts, NotPermitted
from hvdesk.services.authorisation import Authorisations
from hvdesk.services.visit_requests import RequestNotReady, RequestRefused, VisitRequests
from tests.board_school import School, demo_template, school  # noqa: F401
from tests.test_visit_requests import (
    PASSWORD,
    WEDNESDAY,
    account_for_staff,
    free_visitors,
    submitted,
    user_with_role,
)

Services = tuple[VisitRequests, Authorisations]


@pytest.fixture
def services(school: School) -> Services:
    return (
        VisitRequests(school.database, school.clock),
        Authorisations(school.database, school.clock, Accounts(school.database, school.clock)),
    )


def approved(school: School, services: Services) -> int:
    requests, authorisations = services
    visit_id = submitted(school, requests, free_visitors(school, 2))
    authorisations.approve(visit_id, school.user("s.whitfield"), PASSWORD)
    return visit_id


def test_the_review_reads_the_whole_request(school: School, services: Services) -> None:
    requests, authorisations = services
    pair = free_visitors(school, 2)
    visit_id = submitted(school, requests, pair)
    school.clock.advance(timedelta(minutes=20))
    review = authorisations.review(visit_id, school.user("s.whitfield"))
    assert review.awaiting and review.waiting == timedelta(minutes=20)
    assert review.purpose == "Welfare check after three days' absence."
    assert review.planned_start == WEDNESDAY
    assert [v.staff_id for v in review.visitors] == pair
    assert [v.part for v in review.visitors] == ["Lead visitor", "Second visitor"]
    assert all(v.dbs_ok and "in date until" in v.dbs for v in review.visitors)
    assert review.risk_summary is not None and len(review.risk_rows) >= 5
    assert review.approval_refusals == ()
    assert review.decisions == () and review.amendments == ()
    assert review.parent_could_come_in == "No"


def test_the_review_marks_out_of_date_checks(school: School, services: Services) -> None:
    requests, authorisations = services
    pair = free_visitors(school, 2)
    visit_id = submitted(school, requests, pair)
    with school.database.session() as session:
        staff = session.get(Staff, pair[1])
        assert staff is not None
        staff.dbs_checked_on = date(2020, 1, 6)
        staff.safeguarding_trained_on = None
    review = authorisations.review(visit_id, school.user("s.whitfield"))
    second = review.visitors[1]
    assert not second.dbs_ok and "out of date on the day" in second.dbs
    assert not second.training_ok and second.training == "No safeguarding training recorded"
    assert any("DBS check of 06 Jan 2020" in r for r in review.approval_refusals)


def test_only_authorisers_the_requester_and_visitors_read_a_request(
    school: School, services: Services
) -> None:
    requests, authorisations = services
    pair = free_visitors(school, 2)
    visit_id = submitted(school, requests, pair)
    stranger = user_with_role(school, Role.VISITING_STAFF, not_staff=tuple(pair))
    with pytest.raises(NotPermitted):
        authorisations.review(visit_id, stranger)
    visitor = authorisations.review(visit_id, account_for_staff(school, pair[0]))
    assert visitor.values.safe_word == "bluebell"  # the visitors know the safe word
    assert any("authorised by" in r for r in visitor.approval_refusals)


def test_upcoming_authorised_lists_what_may_still_be_amended(
    school: School, services: Services
) -> None:
    authorisations = services[1]
    dsl = school.user("s.whitfield")
    visit_id = approved(school, services)
    upcoming = authorisations.upcoming_authorised(dsl)
    assert visit_id in [i.visit_id for i in upcoming]
    assert [i.planned_start for i in upcoming] == sorted(i.planned_start for i in upcoming)
    assert all(i.status is VisitStatus.AUTHORISED for i in upcoming)
    assert all(i.planned_end > school.clock.now() for i in upcoming)
    with pytest.raises(NotPermitted):
        authorisations.upcoming_authorised(school.user("k.lewis"))


def test_moving_start_and_end_together_is_one_amendment_voiding_once(
    school: School, services: Services
) -> None:
    authorisations = services[1]
    dsl = school.user("s.whitfield")
    visit_id = approved(school, services)
    later = timedelta(hours=2)
    # Moving the start alone past the end would be refused; together they are checked as one.
    with pytest.raises(RequestNotReady):
        authorisations.amend(visit_id, dsl, "planned_start", WEDNESDAY + later, "Later")
    events = authorisations.amend_many(
        visit_id,
        dsl,
        {
            "planned_start": WEDNESDAY + later,
            "planned_end": WEDNESDAY + later + timedelta(hours=1),
            "vehicle": "Blue Polo",
        },
        "Parent works mornings",
    )
    assert len(events) == 3
    with school.database.session() as session:
        (approval,) = session.scalars(
            sa.select(Authorisation).where(Authorisation.visit_id == visit_id)
        ).all()
        assert approval.void_reason == "Amended planned_start, planned_end: Parent works mornings"
        notes = session.scalars(
            sa.select(VisitEvent).where(
                VisitEvent.visit_id == visit_id, VisitEvent.kind == EventKind.NOTE
            )
        ).all()
        assert len(notes) == 3
    review = authorisations.review(visit_id, dsl)
    assert [a.label for a in review.amendments] == ["Start time", "End time", "Vehicle"]
    assert [a.voided_approval for a in review.amendments] == [True, True, False]
    assert review.status is VisitStatus.AWAITING_AUTHORISATION
    assert review.decisions[0].label == "Approved (void)"


def test_an_amendment_that_changes_nothing_is_refused(school: School, services: Services) -> None:
    authorisations = services[1]
    dsl = school.user("s.whitfield")
    visit_id = approved(school, services)
    with pytest.raises(RequestRefused, match="same as the old one"):
        authorisations.amend_many(
            visit_id, dsl, {"planned_start": WEDNESDAY, "safe_word": "bluebell"}, "No change"
        )
    with pytest.raises(RequestRefused, match="change at least one field"):
        authorisations.amend_many(visit_id, dsl, {}, "Nothing")
    assert authorisations.approval_is_current(visit_id)


def test_reading_a_request_is_a_view_of_the_family_on_the_audit_trail(
    school: School, services: Services
) -> None:
    from hvdesk.db.models import AuditEntry, Visit

    requests, authorisations = services
    visit_id = submitted(school, requests, free_visitors(school, 2))
    dsl = school.user("s.whitfield")
    authorisations.review(visit_id, dsl)
    with school.database.session() as session:
        visit = session.get(Visit, visit_id)
        assert visit is not None
        views = set(
            session.execute(
                sa.select(AuditEntry.record_type, AuditEntry.record_id).where(
                    AuditEntry.action == "view", AuditEntry.user_id == dsl.user_id
                )
            )
        )
    assert ("households", visit.household_id) in views
    assert visit.pupil_id is None or ("pupils", visit.pupil_id) in views
