# ruff: noqa: F811  (the demo-school fixtures are imported by name)
"""Retention review on the demo school: what comes due under which rule, all-or-nothing
deletion logged without content, legal holds, and who may do it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from hvdesk.db.models import (
    Incident,
    Pupil,
    RetentionDeletion,
    RiskAssessment,
    Staff,
    Visit,
    VisitEvent,
)
from hvdesk.domain.incidents import IncidentStatus
from hvdesk.domain.policy import SchoolPolicy
from hvdesk.domain.retention import RetentionCategory, visit_review_date, years_later
from hvdesk.services.accounts import NotPermitted
from hvdesk.services.retention import Retention, RetentionRefused
from tests.board_school import School, demo_template, school  # noqa: F401


def _age_pupil_with_visits(school: School, born: date) -> tuple[int, list[int]]:
    """Make the demo pupil with the most visits born long ago; returns (pupil, visits)."""
    with school.database.session() as session:
        pupil_id = session.scalars(
            sa.select(Visit.pupil_id)
            .where(Visit.pupil_id.is_not(None))
            .group_by(Visit.pupil_id)
            .order_by(sa.func.count().desc(), Visit.pupil_id)
        ).first()
        assert pupil_id is not None
        pupil = session.get(Pupil, pupil_id)
        assert pupil is not None
        pupil.date_of_birth = born
        visits = list(session.scalars(sa.select(Visit.id).where(Visit.pupil_id == pupil_id)))
    return pupil_id, sorted(visits)


def _due(school: School, category: RetentionCategory) -> list[int]:
    dsl = school.user("s.whitfield")
    return [
        r.record_id
        for r in Retention(school.database, school.clock).due(dsl)
        if r.category is category
    ]


def test_the_rules_follow_the_settings() -> None:
    policy = SchoolPolicy()
    assert visit_review_date(date(2004, 2, 29), date(2020, 1, 1), policy) == date(2029, 2, 28)
    assert visit_review_date(None, date(2020, 5, 1), policy) == date(2045, 5, 1)
    shorter = policy.with_changes(retention_visit_years_after_birth=21)
    assert visit_review_date(date(2004, 3, 1), date(2020, 1, 1), shorter) == date(2025, 3, 1)
    assert years_later(date(2023, 6, 30), 3) == date(2026, 6, 30)


def test_a_fresh_demo_has_no_visit_past_its_date(school: School) -> None:
    assert _due(school, RetentionCategory.VISIT) == []


def test_visits_of_a_pupil_past_25_are_due_and_deleted_whole_and_logged(school: School) -> None:
    pupil_id, visits = _age_pupil_with_visits(school, date(1999, 1, 10))
    assert _due(school, RetentionCategory.VISIT) == visits
    with school.database.session() as session:
        linked = list(session.scalars(sa.select(Incident.id).where(Incident.visit_id.in_(visits))))
    dsl = school.user("s.whitfield")
    log_id = Retention(school.database, school.clock).delete(RetentionCategory.VISIT, visits, dsl)
    with school.database.session() as session:
        assert session.scalars(sa.select(Visit).where(Visit.id.in_(visits))).first() is None
        assert (
            session.scalars(sa.select(VisitEvent).where(VisitEvent.visit_id.in_(visits))).first()
            is None
        )
        assert (
            session.scalars(
                sa.select(RiskAssessment).where(RiskAssessment.visit_id.in_(visits))
            ).first()
            is None
        )
        for incident_id in linked:  # incidents keep their own rule, without the link
            incident = session.get(Incident, incident_id)
            assert incident is not None and incident.visit_id is None
        entry = session.get(RetentionDeletion, log_id)
        assert entry is not None
        assert (entry.category, entry.record_type, entry.record_count) == (
            "visit",
            "visit",
            len(visits),
        )
        assert "date of birth + 25 years" in entry.rule
        assert entry.deleted_by_id == dsl.user_id and entry.deleted_at == school.clock.now()
    # With its visits gone, the pupil's own record comes up under the pupil rule.
    assert pupil_id in _due(school, RetentionCategory.PUPIL)
    Retention(school.database, school.clock).delete(RetentionCategory.PUPIL, [pupil_id], dsl)
    with school.database.session() as session:
        assert session.get(Pupil, pupil_id) is None


def test_a_batch_with_one_record_not_due_deletes_nothing(school: School) -> None:
    _, visits = _age_pupil_with_visits(school, date(1999, 1, 10))
    with school.database.session() as session:
        young = session.scalars(sa.select(Visit.id).where(Visit.id.not_in(visits))).first()
    assert young is not None
    with pytest.raises(RetentionRefused, match=f"not yet due for deletion: {young}"):
        Retention(school.database, school.clock).delete(
            RetentionCategory.VISIT, [*visits, young], school.user("s.whitfield")
        )
    assert _due(school, RetentionCategory.VISIT) == visits


def test_a_legal_hold_on_the_pupil_blocks_their_visits_until_lifted(school: School) -> None:
    pupil_id, visits = _age_pupil_with_visits(school, date(1999, 1, 10))
    dsl = school.user("s.whitfield")
    retention = Retention(school.database, school.clock)
    with pytest.raises(RetentionRefused, match="Say why"):
        retention.place_hold("pupil", pupil_id, "  ", dsl)
    hold = retention.place_hold("pupil", pupil_id, "Civil claim notified by solicitors", dsl)
    due = [r for r in retention.due(dsl) if r.record_type == "visit"]
    assert {r.held_by for r in due} == {"Civil claim notified by solicitors"}
    with pytest.raises(RetentionRefused, match="under a legal hold"):
        retention.delete(RetentionCategory.VISIT, visits, dsl)
    assert _due(school, RetentionCategory.VISIT) == visits
    assert [h.hold_id for h in retention.holds(dsl)] == [hold]
    retention.lift_hold(hold, dsl)
    assert retention.holds(dsl) == []
    retention.delete(RetentionCategory.VISIT, visits, dsl)
    assert _due(school, RetentionCategory.VISIT) == []


def test_staff_details_are_erased_six_years_after_leaving_and_the_name_kept(
    school: School,
) -> None:
    with school.database.session() as session:
        staff = session.scalars(sa.select(Staff).where(Staff.work_mobile.is_not(None))).first()
        assert staff is not None
        staff.left_on = date(2020, 7, 31)
        staff.active = False
        staff_id, name = staff.id, staff.full_name
    assert staff_id in _due(school, RetentionCategory.STAFF_DETAILS)
    Retention(school.database, school.clock).delete(
        RetentionCategory.STAFF_DETAILS, [staff_id], school.user("s.whitfield")
    )
    with school.database.session() as session:
        erased = session.get(Staff, staff_id)
        assert erased is not None and erased.full_name == name
        assert erased.work_mobile is None and erased.emergency_contact_phone is None
        assert erased.vehicle_registration is None
    assert staff_id not in _due(school, RetentionCategory.STAFF_DETAILS)


def test_only_closed_incidents_three_years_old_are_due(school: School) -> None:
    old = datetime(2023, 3, 1, 9, 0, tzinfo=UTC)
    with school.database.session() as session:
        incidents = list(session.scalars(sa.select(Incident).order_by(Incident.id)))
        closed = next(i for i in incidents if i.status is IncidentStatus.CLOSED)
        still_open = next(i for i in incidents if i.status is not IncidentStatus.CLOSED)
        for incident in (closed, still_open):
            incident.occurred_at = old
        closed_id, open_id = closed.id, still_open.id
    due = _due(school, RetentionCategory.INCIDENT)
    assert closed_id in due and open_id not in due
    school.clock.set(datetime(2026, 2, 28, 12, 0, tzinfo=UTC))
    assert closed_id not in _due(school, RetentionCategory.INCIDENT)
    school.clock.advance(timedelta(days=1))
    assert closed_id in _due(school, RetentionCategory.INCIDENT)


def test_reception_may_not_review_or_delete(school: School) -> None:
    reception = school.user("k.lewis")
    retention = Retention(school.database, school.clock)
    with pytest.raises(NotPermitted):
        retention.due(reception)
    with pytest.raises(NotPermitted):
        retention.delete(RetentionCategory.VISIT, [1], reception)
    with pytest.raises(NotPermitted):
        retention.place_hold("visit", 1, "reason", reception)


def test_a_retention_deletion_names_who_deleted_in_the_audit_trail(school: School) -> None:
    """Issue 12, item 9: the deletions, the log entry and a legal hold are audited under the
    DSL who made them, not "system", with nobody signed in to a window."""
    from hvdesk.db.models import AuditEntry

    with school.database.session() as session:
        before = session.scalar(sa.select(sa.func.max(AuditEntry.id))) or 0
    pupil_id, visits = _age_pupil_with_visits(school, date(1999, 1, 10))
    dsl = school.user("s.whitfield")
    retention = Retention(school.database, school.clock)
    hold = retention.place_hold("pupil", pupil_id, "A claim is expected", dsl)
    retention.lift_hold(hold, dsl)
    retention.delete(RetentionCategory.VISIT, visits, dsl)
    with school.database.session() as session:
        written = session.execute(
            sa.select(AuditEntry.action, AuditEntry.record_type, AuditEntry.username).where(
                AuditEntry.id > before, AuditEntry.action.in_(("create", "update", "delete"))
            )
        ).all()
    deleted = [row for row in written if row.action == "delete" and row.record_type == "visits"]
    assert len(deleted) == len(visits)
    after_ageing = [row for row in written if row.record_type != "pupils"]
    assert after_ageing and {row.username for row in after_ageing} == {"s.whitfield"}
