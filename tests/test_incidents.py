# ruff: noqa: F811  (the demo-school fixtures are imported by name)
"""Incidents after the board (`Incidents`) on the real encrypted demo school: raising by hand,
the review from open to closed, who may sign off, overdue reviews, drills kept apart, and a
known risk added by a review reaching the household's next risk assessment."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from hvdesk.db.models import (
    Incident,
    KnownRisk,
    Setting,
    UserAccount,
    Visit,
    VisitStaff,
)
from hvdesk.domain.households import RiskKind
from hvdesk.domain.incidents import (
    RAISED_BY_HAND,
    IncidentKind,
    IncidentStatus,
    ReviewForm,
    is_overdue,
    review_gaps,
    sign_off_refusals,
)
from hvdesk.domain.people import Role
from hvdesk.domain.policy import SchoolPolicy, SettingError
from hvdesk.domain.risk_matrix import RowSource
from hvdesk.domain.visit_request import VisitRequestDraft
from hvdesk.domain.visits import VisitReason, VisitStatus
from hvdesk.services.accounts import NotPermitted
from hvdesk.services.identity import SignedInUser
from hvdesk.services.incidents import (
    IncidentNotFound,
    IncidentRefused,
    Incidents,
    NewKnownRisk,
    ReviewIncomplete,
)
from hvdesk.services.risk_assessments import RiskAssessments
from hvdesk.services.visit_requests import VisitRequests
from tests.board_school import School, demo_template, school, signed_in  # noqa: F401

DSL = "s.whitfield"
RECEPTION = "k.lewis"
TODAY = date(2026, 11, 23)  # MONDAY_MORNING in London


@pytest.fixture
def incidents(school: School) -> Incidents:
    return Incidents(school.database, school.clock)


def complete_form(school: School, **changes: object) -> ReviewForm:
    form = ReviewForm(
        what_happened="Staff did not phone in; phone battery flat. Found safe at 11:31.",
        debrief_held_at=school.clock.now() - timedelta(minutes=5),
        debrief_with="Both visitors and their line manager",
        support_offered="Offered time out and the employee assistance line.",
        lessons="Carry a power bank; agree a second number before leaving.",
        procedure_changes="Power banks added to the visit kit list.",
    )
    return dataclasses.replace(form, **changes)  # type: ignore[arg-type]


def counts(school: School) -> tuple[int, int]:
    with school.database.session() as session:
        return (
            session.scalar(sa.select(sa.func.count()).select_from(Incident)) or 0,
            session.scalar(sa.select(sa.func.count()).select_from(KnownRisk)) or 0,
        )


def stored(school: School, incident_id: int) -> Incident:
    with school.database.session() as session:
        incident = session.get(Incident, incident_id)
        assert incident is not None
        return incident


def resolved_escalation(school: School) -> int:
    """An escalation resolved on the board now: the incident the board creates for review."""
    school.clock.advance(60)
    return school.log.resolve(
        school.one("overdue_stage4"), "Found safe and well at 11:31", school.user(DSL)
    )


def user_with_role(school: School, role: Role, *, on_visit: int | None = None) -> SignedInUser:
    """An active account with `role` (linked to one of the visit's staff, if `on_visit`)."""
    with school.database.session() as session:
        staff_id = None
        if on_visit is not None:
            staff_id = session.scalars(
                sa.select(VisitStaff.staff_id).where(VisitStaff.visit_id == on_visit)
            ).first()
        account = UserAccount(
            username=f"test.{role.value}.{on_visit or 0}",
            display_name=f"Test {role.label}",
            role=role,
            password_hash="not-used",
            staff_id=staff_id,
            active=True,
            created_at=school.clock.now(),
        )
        session.add(account)
    return signed_in(school.database, account.username)


# --- raising by hand -----------------------------------------------------------------------------


def test_raise_an_incident_during_a_visit(school: School, incidents: Incidents) -> None:
    by = school.user(RECEPTION)
    visit_id = school.one("out_on_time")
    when = school.clock.now() - timedelta(minutes=20)
    incident_id = incidents.raise_incident(
        by,
        IncidentKind.AGGRESSIVE_ADULT,
        when,
        "  Father shouted at staff on the doorstep.  ",
        visit_id=visit_id,
    )
    incident = stored(school, incident_id)
    assert incident.visit_id == visit_id
    assert incident.kind is IncidentKind.AGGRESSIVE_ADULT
    assert incident.status is IncidentStatus.OPEN
    assert incident.occurred_at == when
    assert incident.raised_at == school.clock.now() and incident.raised_by_id == by.user_id
    assert incident.summary == "Father shouted at staff on the doorstep."
    assert incident.review_due_on == TODAY + timedelta(days=10)
    assert not incident.is_drill
    assert incident.riddor_reportable is None
    row = next(r for r in incidents.list_incidents() if r.id == incident_id)
    assert row.status is IncidentStatus.OPEN and not row.overdue


def test_raise_an_incident_with_no_visit(school: School, incidents: Incidents) -> None:
    incident_id = incidents.raise_incident(
        school.user(RECEPTION),
        IncidentKind.THREAT,
        school.clock.now() - timedelta(hours=2),
        "Threatening phone call to the office about last week's visit.",
    )
    assert stored(school, incident_id).visit_id is None


def test_an_accident_records_riddor(school: School, incidents: Incidents) -> None:
    by = school.user(DSL)
    when = school.clock.now() - timedelta(days=1)
    reported = school.clock.now() - timedelta(hours=3)
    incident_id = incidents.raise_incident(
        by,
        IncidentKind.ACCIDENT,
        when,
        "Slipped on icy steps; sprained wrist.",
        riddor_reportable=True,
        riddor_reported_at=reported,
    )
    incident = stored(school, incident_id)
    assert incident.riddor_reportable is True and incident.riddor_reported_at == reported


@pytest.mark.parametrize(
    ("kind", "changes", "message"),
    [
        (IncidentKind.ESCALATION, {}, "created by the board"),
        (IncidentKind.SAFE_WORD, {}, "created by the board"),
        (IncidentKind.THREAT, {"summary": "   "}, "Write a short summary"),
        (IncidentKind.THREAT, {"occurred_at": +timedelta(minutes=5)}, "cannot be in the future"),
        (IncidentKind.THREAT, {"riddor_reportable": False}, "only to an accident"),
        (
            IncidentKind.ACCIDENT,
            {"riddor_reported_at": -timedelta(minutes=1)},
            "only when the accident is reportable",
        ),
        (
            IncidentKind.ACCIDENT,
            {"riddor_reportable": True, "riddor_reported_at": -timedelta(days=3)},
            "before the accident happened",
        ),
    ],
)
def test_raising_refuses_what_makes_no_sense(
    school: School, incidents: Incidents, kind: IncidentKind, changes: dict[str, Any], message: str
) -> None:
    now = school.clock.now()
    args: dict[str, Any] = {
        "summary": "Something happened.",
        "occurred_at": now - timedelta(hours=1),
        "riddor_reportable": None,
        "riddor_reported_at": None,
    }
    for key, value in changes.items():
        args[key] = now + value if isinstance(value, timedelta) else value
    before = counts(school)
    with pytest.raises(IncidentRefused, match=message):
        incidents.raise_incident(
            school.user(RECEPTION),
            kind,
            args["occurred_at"],
            args["summary"],
            riddor_reportable=args["riddor_reportable"],
            riddor_reported_at=args["riddor_reported_at"],
        )
    assert counts(school) == before


def test_raising_on_a_visit_checks_the_visit(school: School, incidents: Incidents) -> None:
    by = school.user(RECEPTION)
    before = counts(school)
    with pytest.raises(IncidentNotFound, match="no visit 999999"):
        incidents.raise_incident(
            by, IncidentKind.NEAR_MISS, school.clock.now(), "x", visit_id=999_999
        )
    visit_id = school.one("out_on_time")
    with school.database.session() as session:
        requested = session.get(Visit, visit_id).created_at  # type: ignore[union-attr]
    with pytest.raises(IncidentRefused, match="only requested on"):
        incidents.raise_incident(
            by, IncidentKind.NEAR_MISS, requested - timedelta(days=1), "x", visit_id=visit_id
        )
    assert counts(school) == before


def test_only_signed_in_active_accounts_raise(school: School, incidents: Incidents) -> None:
    ghost = SignedInUser(user_id=999_999, username="ghost", display_name="G", role=Role.DSL)
    with pytest.raises(NotPermitted, match="not an active hvdesk account"):
        incidents.raise_incident(ghost, IncidentKind.THREAT, school.clock.now(), "x")


def test_visits_to_link_lists_live_and_recent_visits(school: School, incidents: Incidents) -> None:
    choices = incidents.visits_to_link()
    ids = {c.visit_id for c in choices}
    assert school.one("out_on_time") in ids and school.one("overdue_stage4") in ids
    with school.database.session() as session:
        drafts = set(session.scalars(sa.select(Visit.id).where(Visit.status == VisitStatus.DRAFT)))
    assert not ids & drafts
    out = next(c for c in choices if c.visit_id == school.one("out_on_time"))
    assert out.label.startswith(f"#{out.visit_id} · ") and "(out on visit)" in out.label


# --- the review workflow -------------------------------------------------------------------------


def test_an_escalation_is_reviewed_to_closed(school: School, incidents: Incidents) -> None:
    dsl = school.user(DSL)
    incident_id = resolved_escalation(school)
    # The board sets the due day when it creates the incident (the setting, default 10 days).
    assert stored(school, incident_id).review_due_on == date(2026, 12, 3)
    review = incidents.review(incident_id, dsl)
    assert review.status is IncidentStatus.OPEN
    assert review.review_due_on == TODAY + timedelta(days=10)
    assert review.visit is not None and review.visit.visitors
    kinds = [line.what for line in review.timeline]
    assert kinds[0] == "Departed" and kinds[-1].startswith("Escalation resolved")
    assert any(k.startswith("Called the emergency contact") for k in kinds)
    assert "what happened" in review.gaps and not review.awaiting_resolution

    school.clock.advance(600)
    incidents.start_review(incident_id, dsl)
    incident = stored(school, incident_id)
    assert incident.status is IncidentStatus.UNDER_REVIEW
    assert incident.review_started_by_id == dsl.user_id
    assert incident.review_started_at == school.clock.now()
    assert incident.review_due_on == TODAY + timedelta(days=10)
    with pytest.raises(IncidentRefused, match="already under review"):
        incidents.start_review(incident_id, dsl)

    partial = complete_form(school, lessons=None, procedure_changes="  ")
    incidents.save_review(incident_id, partial, dsl)
    assert stored(school, incident_id).debrief_with == "Both visitors and their line manager"
    with pytest.raises(ReviewIncomplete) as refused:
        incidents.sign_off(incident_id, dsl)
    assert refused.value.gaps == (
        "the lessons learned",
        'the change to the procedure (or "no change")',
    )
    assert stored(school, incident_id).status is IncidentStatus.UNDER_REVIEW

    school.clock.advance(60)
    incidents.sign_off(incident_id, dsl, complete_form(school))
    incident = stored(school, incident_id)
    assert incident.status is IncidentStatus.CLOSED
    assert incident.signed_off_by_id == dsl.user_id
    assert incident.signed_off_at == school.clock.now()
    assert incident.lessons == "Carry a power bank; agree a second number before leaving."
    assert incidents.review(incident_id, dsl).closed
    with pytest.raises(IncidentRefused, match="signed record"):
        incidents.save_review(incident_id, complete_form(school), dsl)
    with pytest.raises(IncidentRefused, match="signed record"):
        incidents.sign_off(incident_id, dsl)


def test_saving_the_form_of_an_open_incident_starts_its_review(
    school: School, incidents: Incidents
) -> None:
    dsl = school.user(DSL)
    incident_id = resolved_escalation(school)
    incidents.save_review(incident_id, ReviewForm(what_happened="Phone flat."), dsl)
    incident = stored(school, incident_id)
    assert incident.status is IncidentStatus.UNDER_REVIEW
    assert incident.review_started_by_id == dsl.user_id
    assert incident.what_happened == "Phone flat."


def test_a_refused_sign_off_writes_nothing_not_even_the_form(
    school: School, incidents: Incidents
) -> None:
    dsl = school.user(DSL)
    incident_id = resolved_escalation(school)
    incidents.start_review(incident_id, dsl)
    with pytest.raises(ReviewIncomplete):
        incidents.sign_off(
            incident_id,
            dsl,
            complete_form(school, support_offered=None),
            [NewKnownRisk(RiskKind.DOG, "Large dog")],
        )
    incident = stored(school, incident_id)
    assert incident.what_happened is None and incident.status is IncidentStatus.UNDER_REVIEW
    with school.database.session() as session:
        assert not session.scalars(
            sa.select(KnownRisk).where(KnownRisk.incident_id == incident_id)
        ).all()


def test_the_form_is_checked_when_saved(school: School, incidents: Incidents) -> None:
    dsl = school.user(DSL)
    incident_id = resolved_escalation(school)
    occurred = stored(school, incident_id).occurred_at
    future = complete_form(school, debrief_held_at=school.clock.now() + timedelta(hours=1))
    with pytest.raises(IncidentRefused, match="debrief cannot have been held in the future"):
        incidents.save_review(incident_id, future, dsl)
    early = complete_form(school, debrief_held_at=occurred - timedelta(minutes=1))
    with pytest.raises(IncidentRefused, match="before the incident happened"):
        incidents.save_review(incident_id, early, dsl)
    with pytest.raises(IncidentRefused, match="only to an accident"):
        incidents.save_review(incident_id, complete_form(school, riddor_reportable=True), dsl)
    assert stored(school, incident_id).status is IncidentStatus.OPEN


def test_an_accident_closes_only_with_its_riddor_answer(
    school: School, incidents: Incidents
) -> None:
    dsl = school.user(DSL)
    incident_id = incidents.raise_incident(
        school.user(RECEPTION),
        IncidentKind.ACCIDENT,
        school.clock.now() - timedelta(hours=4),
        "Tripped on a loose paving slab.",
        visit_id=school.one("out_on_time"),
    )
    school.clock.advance(60)
    incidents.start_review(incident_id, dsl)
    with pytest.raises(ReviewIncomplete, match="reportable under RIDDOR"):
        incidents.sign_off(incident_id, dsl, complete_form(school))
    with pytest.raises(ReviewIncomplete, match="when the accident was reported"):
        incidents.sign_off(incident_id, dsl, complete_form(school, riddor_reportable=True))
    incidents.sign_off(
        incident_id,
        dsl,
        complete_form(school, riddor_reportable=True, riddor_reported_at=school.clock.now()),
    )
    assert stored(school, incident_id).status is IncidentStatus.CLOSED


def test_an_unresolved_safe_word_incident_cannot_be_closed(
    school: School, incidents: Incidents
) -> None:
    dsl = school.user(DSL)
    visit_id = school.one("due_soon")
    school.log.safe_word(visit_id, school.user(RECEPTION))
    with school.database.session() as session:
        incident_id = session.scalars(
            sa.select(Incident.id).where(
                Incident.visit_id == visit_id, Incident.kind == IncidentKind.SAFE_WORD
            )
        ).one()
    assert incidents.review(incident_id, dsl).awaiting_resolution
    school.clock.advance(60)
    form = complete_form(school, debrief_held_at=school.clock.now())
    with pytest.raises(IncidentRefused, match="still open on the board"):
        incidents.sign_off(incident_id, dsl, form)
    assert stored(school, incident_id).status is IncidentStatus.OPEN


# --- permissions ---------------------------------------------------------------------------------


def test_reception_neither_reads_nor_writes_reviews(school: School, incidents: Incidents) -> None:
    reception = school.user(RECEPTION)
    incident_id = resolved_escalation(school)
    for attempt in (
        lambda: incidents.review(incident_id, reception),
        lambda: incidents.start_review(incident_id, reception),
        lambda: incidents.save_review(incident_id, complete_form(school), reception),
    ):
        with pytest.raises(NotPermitted, match="Reception / school office accounts cannot"):
            attempt()
    with pytest.raises(NotPermitted, match="signed off by the DSL, a deputy DSL or the head"):
        incidents.sign_off(incident_id, reception, complete_form(school))
    assert stored(school, incident_id).status is IncidentStatus.OPEN


def test_slt_writes_the_review_but_does_not_sign_it_off(
    school: School, incidents: Incidents
) -> None:
    slt = user_with_role(school, Role.SLT)
    incident_id = resolved_escalation(school)
    incidents.save_review(incident_id, complete_form(school), slt)
    review = incidents.review(incident_id, slt)
    assert not review.gaps and review.sign_off_refusals
    with pytest.raises(NotPermitted, match="signed off by the DSL, a deputy DSL or the head"):
        incidents.sign_off(incident_id, slt)
    assert stored(school, incident_id).status is IncidentStatus.UNDER_REVIEW
    head = user_with_role(school, Role.HEADTEACHER)
    incidents.sign_off(incident_id, head)
    assert stored(school, incident_id).signed_off_by_id == head.user_id


def test_nobody_signs_off_an_incident_on_a_visit_they_were_on(
    school: School, incidents: Incidents
) -> None:
    visit_id = school.one("overdue_stage4")
    deputy_on_visit = user_with_role(school, Role.DEPUTY_DSL, on_visit=visit_id)
    incident_id = resolved_escalation(school)
    incidents.save_review(incident_id, complete_form(school), deputy_on_visit)  # may write
    with pytest.raises(NotPermitted, match="on a visit they were on"):
        incidents.sign_off(incident_id, deputy_on_visit)
    assert stored(school, incident_id).status is IncidentStatus.UNDER_REVIEW
    incidents.sign_off(incident_id, school.user(DSL))
    assert stored(school, incident_id).status is IncidentStatus.CLOSED


def test_sign_off_rules_in_the_domain() -> None:
    assert sign_off_refusals(Role.DSL, None, [1, 2]) == []
    assert sign_off_refusals(Role.HEADTEACHER, 3, [1, 2]) == []
    assert len(sign_off_refusals(Role.SLT, 1, [1, 2])) == 2
    assert sign_off_refusals(Role.RECEPTION, None, []) != []
    assert set(RAISED_BY_HAND) == set(IncidentKind) - {
        IncidentKind.ESCALATION,
        IncidentKind.SAFE_WORD,
    }
    assert review_gaps(ReviewForm(), IncidentKind.NEAR_MISS)[0] == "what happened"


# --- due days, overdue, drills -------------------------------------------------------------------


def test_overdue_reviews_are_listed(school: School, incidents: Incidents) -> None:
    incident_id = incidents.raise_incident(
        school.user(RECEPTION), IncidentKind.NEAR_MISS, school.clock.now(), "Nearly hit by a van."
    )
    assert incident_id not in {r.id for r in incidents.overdue()}
    school.clock.advance(10 * 86_400)  # the due day itself: not yet overdue
    assert incident_id not in {r.id for r in incidents.overdue()}
    school.clock.advance(86_400)
    overdue = incidents.overdue()
    assert incident_id in {r.id for r in overdue}
    assert all(r.status is not IncidentStatus.CLOSED and not r.is_drill for r in overdue)
    dues = [r.review_due_on or date.min for r in overdue]
    assert dues == sorted(dues)
    under_review = incidents.list_incidents(IncidentStatus.OPEN)
    assert incident_id in {r.id for r in under_review}


def test_the_review_days_are_a_setting(school: School, incidents: Incidents) -> None:
    with school.database.session() as session:
        session.add(Setting(key="incident_review_days", value=3, updated_at=school.clock.now()))
    incident_id = incidents.raise_incident(
        school.user(RECEPTION), IncidentKind.NEAR_MISS, school.clock.now(), "x"
    )
    assert stored(school, incident_id).review_due_on == TODAY + timedelta(days=3)
    assert SchoolPolicy().incident_review_days == 10
    policy = SchoolPolicy(incident_review_days=14)
    assert SchoolPolicy.from_settings(policy.to_settings()) == policy
    for bad in (0, 366, True, "10"):
        with pytest.raises(SettingError, match="Incident review days"):
            SchoolPolicy(incident_review_days=bad)  # type: ignore[arg-type]


def test_drill_incidents_are_kept_apart(school: School, incidents: Incidents) -> None:
    by = school.user(RECEPTION)
    busy = {
        v.staff_id for e in school.board.read(include_private=False).entries for v in e.visitors
    }
    with school.database.session() as session:
        free = next(
            i for i in session.scalars(sa.select(VisitStaff.staff_id).distinct()) if i not in busy
        )
    drill_visit = school.log.start_drill([free], by)
    incident_id = incidents.raise_incident(
        by,
        IncidentKind.NEAR_MISS,
        school.clock.now(),
        "Practice: trip hazard",
        visit_id=drill_visit,
    )
    assert stored(school, incident_id).is_drill
    assert incident_id not in {r.id for r in incidents.list_incidents()}
    drills = incidents.list_incidents(drills=True)
    assert [r.id for r in drills] == [incident_id] and drills[0].is_drill
    school.clock.advance(30 * 86_400)
    assert incident_id not in {r.id for r in incidents.overdue()}
    assert not is_overdue(IncidentStatus.OPEN, TODAY, TODAY + timedelta(days=5), is_drill=True)
    with pytest.raises(IncidentRefused, match="drill's household is a placeholder"):
        incidents.save_review(
            incident_id, ReviewForm(), school.user(DSL), [NewKnownRisk(RiskKind.DOG, "dog")]
        )


# --- known risks reach the next risk assessment --------------------------------------------------


def test_a_known_risk_from_a_review_appears_in_the_next_assessment(
    school: School, incidents: Incidents
) -> None:
    dsl = school.user(DSL)
    visit_id = school.one("overdue_stage4")
    with school.database.session() as session:
        visit = session.get(Visit, visit_id)
        assert visit is not None
        household_id = visit.household_id
        staff = list(
            session.scalars(sa.select(VisitStaff.staff_id).where(VisitStaff.visit_id == visit_id))
        )
    incident_id = resolved_escalation(school)
    risk = NewKnownRisk(RiskKind.DOG, "Two large dogs loose in the front garden")
    incidents.save_review(incident_id, complete_form(school), dsl, [risk])
    with school.database.session() as session:
        added = session.scalars(
            sa.select(KnownRisk).where(KnownRisk.incident_id == incident_id)
        ).one()
        assert added.household_id == household_id
        assert added.kind is RiskKind.DOG and added.recorded_by_id == dsl.user_id
        added_id = added.id
    review = incidents.review(incident_id, dsl)
    assert [r.id for r in review.known_risks if r.from_this_incident] == [added_id]

    # The next visit to the household: its assessment starts with a row for the new risk.
    school.clock.advance(86_400)
    requests = VisitRequests(school.database, school.clock)
    start = school.clock.now() + timedelta(days=2)
    draft = VisitRequestDraft(
        household_id=household_id,
        planned_start=start,
        planned_end=start + timedelta(hours=1),
        reason=VisitReason.WELFARE_CHECK,
        purpose="Follow-up welfare check.",
        visitor_staff_ids=tuple(staff),
    )
    next_visit = requests.save_draft(draft, dsl)
    RiskAssessments(school.database, school.clock).start(next_visit, dsl)
    assessment = RiskAssessments(school.database, school.clock).view(next_visit)
    assert assessment is not None
    rows = [r for r in assessment.rows if r.known_risk_id == added_id]
    assert len(rows) == 1
    assert rows[0].source == RowSource.KNOWN_RISK
    assert "Two large dogs loose in the front garden" in rows[0].hazard
    if assessment.changes is not None:
        assert added_id in {r.id for r in assessment.changes.new_known_risks}


def test_known_risk_changes_need_a_household_and_the_right_role(
    school: School, incidents: Incidents
) -> None:
    dsl = school.user(DSL)
    slt = user_with_role(school, Role.SLT)
    no_visit = incidents.raise_incident(
        dsl, IncidentKind.THREAT, school.clock.now(), "Threat by phone."
    )
    before = counts(school)
    with pytest.raises(IncidentRefused, match="no household"):
        incidents.save_review(no_visit, ReviewForm(), dsl, [NewKnownRisk(RiskKind.DOG, "dog")])
    on_visit = resolved_escalation(school)
    before = counts(school)
    history = NewKnownRisk(RiskKind.SAFEGUARDING_HISTORY, "Known to children's services")
    with pytest.raises(IncidentRefused, match="Only the DSL or a deputy DSL"):
        incidents.save_review(on_visit, ReviewForm(), slt, [history])
    with pytest.raises(IncidentRefused, match="Describe new known risk 1"):
        incidents.save_review(on_visit, ReviewForm(), dsl, [NewKnownRisk(RiskKind.DOG, "  ")])
    assert counts(school) == before
    incidents.save_review(on_visit, ReviewForm(), dsl, [history])
    assert any(
        r.kind is RiskKind.SAFEGUARDING_HISTORY for r in incidents.review(on_visit, dsl).known_risks
    )
    assert not any(
        r.kind is RiskKind.SAFEGUARDING_HISTORY for r in incidents.review(on_visit, slt).known_risks
    )


def test_log_lines_carry_ids_only(
    school: School, incidents: Incidents, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("INFO", logger="hvdesk.services.incidents")
    incident_id = incidents.raise_incident(
        school.user(DSL), IncidentKind.THREAT, school.clock.now(), "Mr Secretname threatened staff"
    )
    incidents.save_review(
        incident_id, ReviewForm(what_happened="Secretname again"), school.user(DSL)
    )
    text = caplog.text
    assert f"Incident {incident_id} raised" in text
    assert "Secretname" not in text and "Whitfield" not in text


def test_times_are_aware(school: School, incidents: Incidents) -> None:
    with pytest.raises(ValueError, match="aware"):
        incidents.raise_incident(
            school.user(DSL), IncidentKind.THREAT, datetime(2026, 11, 23, 9, 0), "x"
        )
