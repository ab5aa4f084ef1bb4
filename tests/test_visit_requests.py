# ruff: noqa: F811  (the demo-school fixtures are imported by name)
"""Visit requests against the real encrypted demo school: drafts, submission with every check
read from the database, and the risk assessment matrix (prefill, changes since, validation).

The helpers at the top are shared with the authorisation tests."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from hvdesk.db.models import Household, KnownRisk, RiskAssessment, Staff, UserAccount, Visit
from hvdesk.demo.accounts import DEMO_PASSWORD
from hvdesk.domain.households import RiskKind
from hvdesk.domain.people import JobRole, Role
from hvdesk.domain.policy import SchoolPolicy
from hvdesk.domain.risk import BandThresholds, RiskBand
from hvdesk.domain.risk_matrix import HazardRow, RowSource, standard_rows
from hvdesk.domain.visit_request import VisitRequestDraft, check
from hvdesk.domain.visits import VisitReason, VisitStatus
from hvdesk.services.identity import SignedInUser
from hvdesk.services.risk_assessments import RiskAssessments
from hvdesk.services.visit_requests import (
    RequestNotReady,
    RequestRefused,
    VisitRequests,
    visitor_facts,
)
from tests.board_school import School, demo_template, school, signed_in  # noqa: F401

# A Wednesday, 10:00-11:00 in London (GMT), well ahead of the demo's MONDAY_MORNING.
WEDNESDAY = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)
PASSWORD = DEMO_PASSWORD


def free_visitors(school: School, count: int, *, exclude: tuple[int, ...] = ()) -> list[int]:
    """Visiting staff whose records pass every check for a visit on WEDNESDAY."""
    found: list[int] = []
    with school.database.session() as session:
        ids = session.scalars(
            sa.select(Staff.id)
            .join(UserAccount, UserAccount.staff_id == Staff.id)
            .where(UserAccount.role == Role.VISITING_STAFF, Staff.job_role != JobRole.OFFICE)
            .order_by(Staff.id)
        ).all()
        facts = visitor_facts(session, ids)
    for staff_id in ids:
        if staff_id in exclude:
            continue
        draft = replace(base_draft(1, ()), visitor_staff_ids=(staff_id, staff_id + 10_000))
        problems = [
            p
            for p in check(draft, facts, SchoolPolicy(), school.clock.now())
            if p.blocks and f"staff {staff_id + 10_000}" not in p.message
        ]
        if not problems and facts[staff_id].safeguarding_trained_on is not None:
            found.append(staff_id)
        if len(found) == count:
            return found
    raise AssertionError("the demo school has too few free visitors")


def base_draft(household_id: int, visitors: tuple[int, ...]) -> VisitRequestDraft:
    return VisitRequestDraft(
        household_id=household_id,
        planned_start=WEDNESDAY,
        planned_end=WEDNESDAY + timedelta(hours=1),
        reason=VisitReason.WELFARE_CHECK,
        purpose="Welfare check after three days' absence.",
        parent_could_come_in=False,
        visitor_staff_ids=visitors,
        safe_word="bluebell",
    )


def quiet_household(school: School) -> int:
    """A household with no known risks, no assessments and no visits."""
    with school.database.session() as session:
        return session.scalars(
            sa.select(Household.id)
            .where(
                ~sa.exists().where(KnownRisk.household_id == Household.id),
                ~sa.exists().where(Visit.household_id == Household.id),
            )
            .order_by(Household.id)
        ).first() or _any_household(school)


def _any_household(school: School) -> int:
    with school.database.session() as session:
        found = session.scalars(sa.select(Household.id).order_by(Household.id)).first()
    assert found is not None
    return found


def assessed_household_with_dog(school: School) -> int:
    """A household with a current dog risk and at least one earlier assessment."""
    with school.database.session() as session:
        found = session.scalars(
            sa.select(Household.id)
            .join(KnownRisk, KnownRisk.household_id == Household.id)
            .join(RiskAssessment, RiskAssessment.household_id == Household.id)
            .where(KnownRisk.kind == "dog", KnownRisk.ended_at.is_(None))
            .order_by(Household.id)
        ).first()
    assert found is not None
    return found


def user_with_role(school: School, role: Role, *, not_staff: tuple[int, ...] = ()) -> SignedInUser:
    with school.database.session() as session:
        username = session.scalars(
            sa.select(UserAccount.username)
            .where(
                UserAccount.role == role,
                UserAccount.active.is_(True),
                sa.or_(UserAccount.staff_id.is_(None), UserAccount.staff_id.not_in(not_staff)),
            )
            .order_by(UserAccount.id)
        ).first()
    assert username is not None, role
    return signed_in(school.database, username)


def account_for_staff(school: School, staff_id: int) -> SignedInUser:
    with school.database.session() as session:
        username = session.scalars(
            sa.select(UserAccount.username).where(UserAccount.staff_id == staff_id)
        ).one()
    return signed_in(school.database, username)


# --- the tests ---------------------------------------------------------------------------------


def test_a_draft_is_saved_and_read_back(school: School) -> None:
    requests = VisitRequests(school.database, school.clock)
    pair = free_visitors(school, 2)
    draft = base_draft(quiet_household(school), tuple(pair))
    visit_id = requests.save_draft(draft, school.user("k.lewis"))
    assert requests.draft(visit_id) == draft
    changed = replace(draft, visitor_staff_ids=(pair[1], pair[0]), vehicle="Blue Ford Focus")
    assert requests.save_draft(changed, school.user("k.lewis"), visit_id) == visit_id
    assert requests.draft(visit_id) == changed


def test_save_draft_refuses_unknown_references(school: School) -> None:
    requests = VisitRequests(school.database, school.clock)
    with pytest.raises(RequestRefused, match="household"):
        requests.save_draft(base_draft(999_999, ()), school.user("k.lewis"))
    with pytest.raises(RequestRefused, match="staff list"):
        requests.save_draft(base_draft(quiet_household(school), (999_999,)), school.user("k.lewis"))


def test_submit_lists_every_blocker_and_writes_nothing(school: School) -> None:
    requests = VisitRequests(school.database, school.clock)
    pair = free_visitors(school, 2)
    draft = replace(
        base_draft(quiet_household(school), tuple(pair)),
        planned_end=WEDNESDAY - timedelta(minutes=1),
        parent_could_come_in=None,
        announced=False,
    )
    visit_id = requests.save_draft(draft, school.user("k.lewis"))
    with pytest.raises(RequestNotReady) as raised:
        requests.submit(visit_id, school.user("k.lewis"))
    fields = {p.field for p in raised.value.problems}
    assert fields == {"planned_end", "parent_could_come_in", "unannounced_reason", "risk"}
    assert "end after it starts" in str(raised.value)
    with school.database.session() as session:
        visit = session.get(Visit, visit_id)
        assert visit is not None
        assert visit.status is VisitStatus.DRAFT and visit.submitted_at is None


def test_submit_checks_visitor_records_from_the_database(school: School) -> None:
    requests = VisitRequests(school.database, school.clock)
    pair = free_visitors(school, 2)
    with school.database.session() as session:
        staff = session.get(Staff, pair[0])
        assert staff is not None
        staff.work_mobile = "12345"
        staff.dbs_checked_on = date(2020, 1, 1)
    visit_id = requests.save_draft(
        base_draft(quiet_household(school), tuple(pair)), school.user("k.lewis")
    )
    RiskAssessments(school.database, school.clock).start(visit_id, school.user("k.lewis"))
    with pytest.raises(RequestNotReady) as raised:
        requests.submit(visit_id, school.user("k.lewis"))
    text = str(raised.value)
    assert "work mobile is missing or not a valid UK number" in text
    assert "DBS check of 01 Jan 2020" in text


def test_a_visitor_booked_on_another_visit_then_blocks(school: School) -> None:
    requests = VisitRequests(school.database, school.clock)
    pair = free_visitors(school, 2)
    first = submitted(school, requests, pair)
    assert first
    other = free_visitors(school, 1, exclude=tuple(pair))
    second = requests.save_draft(
        base_draft(quiet_household(school), (pair[0], other[0])), school.user("k.lewis")
    )
    RiskAssessments(school.database, school.clock).start(second, school.user("k.lewis"))
    with pytest.raises(RequestNotReady, match=f"already booked on visit {first}"):
        requests.submit(second, school.user("k.lewis"))


def test_submit_sets_the_status_and_time(school: School) -> None:
    requests = VisitRequests(school.database, school.clock)
    visit_id = submitted(school, requests, free_visitors(school, 2))
    with school.database.session() as session:
        visit = session.get(Visit, visit_id)
        assert visit is not None
        assert visit.status is VisitStatus.AWAITING_AUTHORISATION
        assert visit.submitted_at == school.clock.now()
    with pytest.raises(RequestRefused, match="only a draft"):
        requests.submit(visit_id, school.user("k.lewis"))
    with pytest.raises(RequestRefused, match="no longer be edited"):
        requests.save_draft(requests.draft(visit_id), school.user("k.lewis"), visit_id)


def test_a_new_household_starts_from_the_standard_rows(school: School) -> None:
    requests = VisitRequests(school.database, school.clock)
    visit_id = requests.save_draft(
        base_draft(quiet_household(school), tuple(free_visitors(school, 2))),
        school.user("k.lewis"),
    )
    assessment_id = RiskAssessments(school.database, school.clock).start(
        visit_id, school.user("k.lewis")
    )
    assert (
        RiskAssessments(school.database, school.clock).start(visit_id, school.user("k.lewis"))
        == assessment_id
    )
    view = RiskAssessments(school.database, school.clock).view(visit_id)
    assert view is not None
    assert view.rows == standard_rows()
    assert view.based_on_id is None and view.changes is None
    assert view.bands == BandThresholds()
    assert view.summary is not None and view.summary.highest_residual_band is RiskBand.LOW


def test_the_last_assessment_is_the_starting_point_with_changes_highlighted(
    school: School,
) -> None:
    requests = VisitRequests(school.database, school.clock)
    household = assessed_household_with_dog(school)
    with school.database.session() as session:
        last = session.scalars(
            sa.select(RiskAssessment)
            .where(RiskAssessment.household_id == household)
            .order_by(RiskAssessment.created_at.desc(), RiskAssessment.id.desc())
        ).first()
        assert last is not None
        last_id, last_rows = last.id, len(last.hazards)
        session.add(
            KnownRisk(
                household_id=household,
                kind=RiskKind.AGGRESSION,
                description="Uncle shouted at the attendance officer",
                recorded_at=school.clock.now(),
            )
        )
        session.add(
            KnownRisk(
                household_id=household,
                kind=RiskKind.SAFEGUARDING_HISTORY,
                description="Secret history",
                recorded_at=school.clock.now(),
            )
        )
    visit_id = requests.save_draft(
        base_draft(household, tuple(free_visitors(school, 2))), school.user("k.lewis")
    )
    RiskAssessments(school.database, school.clock).start(visit_id, school.user("k.lewis"))
    view = RiskAssessments(school.database, school.clock).view(visit_id)
    assert view is not None and view.changes is not None
    assert view.based_on_id == last_id
    assert [r.description for r in view.changes.new_known_risks][-1] == (
        "Uncle shouted at the attendance officer"
    )
    assert all("Secret" not in r.hazard for r in view.rows)  # need-to-know
    assert len(view.rows) >= last_rows + 1
    assert view.rows[-1].source in (RowSource.KNOWN_RISK, RowSource.INCIDENT)


def test_save_assessment_validates_and_stores_the_band(school: School) -> None:
    requests = VisitRequests(school.database, school.clock)
    visit_id = requests.save_draft(
        base_draft(quiet_household(school), tuple(free_visitors(school, 2))),
        school.user("k.lewis"),
    )
    RiskAssessments(school.database, school.clock).start(visit_id, school.user("k.lewis"))
    rows = [*standard_rows(), HazardRow("Steep stairs", "Visiting staff", 3, 2, None, 4, 2)]
    with pytest.raises(RequestNotReady, match="cannot be higher than before"):
        RiskAssessments(school.database, school.clock).save(visit_id, rows, school.user("k.lewis"))
    rows[-1] = HazardRow("Large dog loose", "Visiting staff", 5, 4, "Ask for it shut away", 5, 3)
    summary = RiskAssessments(school.database, school.clock).save(
        visit_id, rows, school.user("k.lewis"), notes="Dog"
    )
    assert summary.highest_residual_band is RiskBand.HIGH
    with school.database.session() as session:
        stored = session.scalars(
            sa.select(RiskAssessment).where(RiskAssessment.visit_id == visit_id)
        ).one()
        assert stored.highest_residual_band is RiskBand.HIGH
        assert stored.notes == "Dog"
        assert [h.position for h in stored.hazards] == list(range(6))


def test_a_high_residual_lone_visit_cannot_be_submitted(school: School) -> None:
    requests = VisitRequests(school.database, school.clock)
    lone = replace(
        base_draft(quiet_household(school), tuple(free_visitors(school, 1))),
        lone_visit_justification="Only she knows the family.",
    )
    visit_id = requests.save_draft(lone, school.user("k.lewis"))
    RiskAssessments(school.database, school.clock).start(visit_id, school.user("k.lewis"))
    high = [*standard_rows(), HazardRow("Loose dog", "Visiting staff", 5, 4, "Muzzle", 5, 3)]
    RiskAssessments(school.database, school.clock).save(visit_id, high, school.user("k.lewis"))
    with pytest.raises(RequestNotReady, match="cannot be a lone visit"):
        requests.submit(visit_id, school.user("k.lewis"))
    RiskAssessments(school.database, school.clock).save(
        visit_id, standard_rows(), school.user("k.lewis")
    )
    requests.submit(visit_id, school.user("k.lewis"))


def submitted(
    school: School,
    requests: VisitRequests,
    visitors: list[int],
    *,
    rows: list[HazardRow] | None = None,
    **changes: object,
) -> int:
    """A request drafted, assessed and submitted by reception; returns the visit id."""
    draft = replace(base_draft(quiet_household(school), tuple(visitors)), **changes)  # type: ignore[arg-type]
    by = school.user("k.lewis")
    visit_id = requests.save_draft(draft, by)
    RiskAssessments(school.database, school.clock).start(visit_id, by)
    if rows is not None:
        RiskAssessments(school.database, school.clock).save(visit_id, rows, by)
    requests.submit(visit_id, by)
    return visit_id
