# ruff: noqa: F811  (the demo-school fixtures are imported by name)
"""The incident review under pytest-qt, on a copy of the real encrypted demo school: the DSL
takes an escalation incident through the form to closed; a reviewer who is not the DSL or the
headteacher cannot sign off; a known risk added by the review is a row of the household's next
risk assessment; raising by hand; overdue reviews marked; drills kept apart."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from hvdesk.db.models import Incident, KnownRisk, Visit, VisitStaff
from hvdesk.domain.households import RiskKind
from hvdesk.domain.incidents import IncidentKind, IncidentStatus
from hvdesk.domain.people import Role
from hvdesk.domain.risk_matrix import RowSource
from hvdesk.domain.visit_request import VisitRequestDraft
from hvdesk.domain.visits import VisitReason
from hvdesk.resources_path import resource_path
from hvdesk.services.container import Services
from hvdesk.services.identity import SignedInUser
from hvdesk.services.incidents import Incidents
from hvdesk.services.risk_assessments import RiskAssessments
from hvdesk.services.visit_requests import VisitRequests
from hvdesk.ui.current_user import CurrentUser
from hvdesk.ui.incidents.raise_dialog import RaiseIncidentDialog
from hvdesk.ui.incidents.review_dialog import IncidentReviewDialog
from hvdesk.ui.pages.incidents_page import IncidentsPage
from tests.board_school import School, demo_template, school  # noqa: F401
from tests.test_incidents import user_with_role

DSL = "s.whitfield"
RECEPTION = "k.lewis"
SHOTS = os.environ.get("HVDESK_SHOTS")  # a folder to save screenshots in, when looking


def shot(widget: object, name: str) -> None:
    if SHOTS:
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        app.setStyleSheet(resource_path("style.qss").read_text(encoding="utf-8"))
        for _ in range(3):
            app.processEvents()
        widget.grab().save(str(Path(SHOTS) / f"{name}.png"))  # type: ignore[attr-defined]


def open_page(qtbot: QtBot, school: School, user: SignedInUser) -> IncidentsPage:
    current = CurrentUser()
    current.sign_in(user)
    page = IncidentsPage(Services.build(school.database, school.clock), current_user=current)
    current.setParent(page)
    qtbot.addWidget(page)
    page.resize(1200, 700)
    page.show()
    page.refresh()
    return page


def resolved_escalation(school: School) -> int:
    school.clock.advance(60)
    return school.log.resolve(
        school.one("overdue_stage4"),
        "Found safe and well at 11:31; phone battery flat.",
        school.user(DSL),
    )


def open_review(qtbot: QtBot, page: IncidentsPage, incident_id: int) -> IncidentReviewDialog:
    assert page.select_row(lambda r: r.id == incident_id)
    assert page.review_button.isEnabled()
    qtbot.mouseClick(page.review_button, Qt.MouseButton.LeftButton)
    dialog = page.review_dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def fill_form(dialog: IncidentReviewDialog, *, lessons: str = "Carry a power bank.") -> None:
    dialog.what_happened.setPlainText("Staff phone battery died; no check-in. Found safe.")
    dialog.debrief_held.setChecked(True)
    dialog.debrief_with.setText("Both visitors; their line manager")
    dialog.support_offered.setPlainText("Time out offered; employee assistance line.")
    dialog.lessons.setPlainText(lessons)
    dialog.procedure_changes.setPlainText("Power banks on the kit list.")


def stored(school: School, incident_id: int) -> Incident:
    with school.database.session() as session:
        incident = session.get(Incident, incident_id)
        assert incident is not None
        return incident


def test_the_dsl_reviews_an_escalation_through_the_form_to_closed(
    qtbot: QtBot, school: School
) -> None:
    incident_id = resolved_escalation(school)
    dsl = school.user(DSL)
    page = open_page(qtbot, school, dsl)
    assert page.raise_button.isEnabled()
    dialog = open_review(qtbot, page, incident_id)

    # The visit's whole timeline beside the form.
    timeline = dialog.visit_panel.timeline_rows()
    assert timeline[0][1] == "Departed"
    assert any(row[1].startswith("Called the staff member (stage 1)") for row in timeline)
    assert timeline[-1][1].startswith("Escalation resolved (stage 4)\n“Found safe")
    assert "phone battery flat" in timeline[-1][1]
    assert dialog.status_label.text().startswith("Open · review due 03 Dec 2026")
    assert dialog.start_button.isVisible()

    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    assert dialog.done_message == "Review started."
    assert dialog.status_label.text().startswith("Under review · review started")
    assert not dialog.start_button.isVisible()
    assert stored(school, incident_id).status is IncidentStatus.UNDER_REVIEW
    row = next(r for r in page.model.rows if r.id == incident_id)
    assert row.status is IncidentStatus.UNDER_REVIEW  # the list follows the dialog

    fill_form(dialog, lessons="")
    qtbot.mouseClick(dialog.sign_off_button, Qt.MouseButton.LeftButton)
    assert "still needs the lessons learned" in dialog.error
    assert stored(school, incident_id).what_happened is None  # a refusal writes nothing

    dialog.lessons.setPlainText("Carry a power bank; agree a second number.")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.error == "" and dialog.done_message == "Review saved."
    assert dialog.gaps_label.text() == "The form is complete."
    shot(dialog, "review-under-review")

    school.clock.advance(60)
    qtbot.mouseClick(dialog.sign_off_button, Qt.MouseButton.LeftButton)
    assert dialog.error == ""
    assert dialog.done_message == "Review signed off and closed."
    assert dialog.status_label.text().startswith("Closed · signed off by Sarah Whitfield")
    assert dialog.what_happened.isReadOnly() and not dialog.sign_off_button.isEnabled()
    incident = stored(school, incident_id)
    assert incident.status is IncidentStatus.CLOSED
    assert incident.signed_off_by_id == dsl.user_id
    assert incident.lessons == "Carry a power bank; agree a second number."
    row = next(r for r in page.model.rows if r.id == incident_id)
    assert row.status is IncidentStatus.CLOSED
    shot(dialog, "review-closed")
    dialog.close()
    assert page.review_dialog is None


def test_a_reviewer_who_is_not_dsl_or_head_cannot_sign_off(qtbot: QtBot, school: School) -> None:
    incident_id = resolved_escalation(school)
    slt = user_with_role(school, Role.SLT)
    page = open_page(qtbot, school, slt)
    dialog = open_review(qtbot, page, incident_id)
    assert "you cannot sign this review off" in dialog.status_label.text()
    assert "signed off by the DSL" in dialog.sign_off_button.toolTip()
    fill_form(dialog)
    qtbot.mouseClick(dialog.sign_off_button, Qt.MouseButton.LeftButton)
    assert dialog.error.startswith(
        "An incident review is signed off by the DSL, a deputy DSL or the headteacher."
    )
    assert stored(school, incident_id).status is IncidentStatus.OPEN
    assert dialog.what_happened.toPlainText().startswith("Staff phone battery died")  # kept
    shot(dialog, "review-refused")
    # SLT may still write the review for the DSL to sign off.
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.done_message == "Review saved."
    assert stored(school, incident_id).status is IncidentStatus.UNDER_REVIEW
    dialog.close()


def test_an_added_known_risk_is_a_row_of_the_next_risk_assessment(
    qtbot: QtBot, school: School
) -> None:
    incident_id = resolved_escalation(school)
    dsl = school.user(DSL)
    page = open_page(qtbot, school, dsl)
    dialog = open_review(qtbot, page, incident_id)
    assert dialog.risk_text.isEnabled()
    dialog.risk_kind.setCurrentIndex(dialog.risk_kind.findData(RiskKind.DOG))
    qtbot.keyClicks(dialog.risk_text, "Two large dogs loose in the front garden")
    qtbot.keyClick(dialog.risk_text, Qt.Key.Key_Return)
    texts = [dialog.risk_list.item(i).text() for i in range(dialog.risk_list.count())]
    assert [t for t in texts if t.startswith("NEW:")] == [
        "NEW: Dog or other animal: Two large dogs loose in the front garden  [saved with the form]"
    ]
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.done_message == "Review saved."
    texts = [dialog.risk_list.item(i).text() for i in range(dialog.risk_list.count())]
    assert not any(t.startswith("NEW:") for t in texts)
    assert [t for t in texts if t.endswith("[added by this review]")] == [
        "Dog or other animal: Two large dogs loose in the front garden  [added by this review]"
    ]
    dialog.close()

    with school.database.session() as session:
        risk = session.scalars(
            sa.select(KnownRisk).where(KnownRisk.incident_id == incident_id)
        ).one()
        risk_id, household_id = risk.id, risk.household_id
        visit = session.get(Visit, school.one("overdue_stage4"))
        assert visit is not None and visit.household_id == household_id
        staff = tuple(
            session.scalars(sa.select(VisitStaff.staff_id).where(VisitStaff.visit_id == visit.id))
        )
    school.clock.advance(3600)
    requests = VisitRequests(school.database, school.clock)
    start = school.clock.now() + timedelta(days=2)
    next_visit = requests.save_draft(
        VisitRequestDraft(
            household_id=household_id,
            planned_start=start,
            planned_end=start + timedelta(hours=1),
            reason=VisitReason.WELFARE_CHECK,
            purpose="Follow-up welfare check.",
            visitor_staff_ids=staff,
        ),
        dsl,
    )
    RiskAssessments(school.database, school.clock).start(next_visit, dsl)
    assessment = RiskAssessments(school.database, school.clock).view(next_visit)
    assert assessment is not None
    rows = [r for r in assessment.rows if r.known_risk_id == risk_id]
    assert len(rows) == 1 and rows[0].source == RowSource.KNOWN_RISK
    assert rows[0].hazard == "Dog or other animal: Two large dogs loose in the front garden"


def test_reception_raises_an_accident_but_does_not_review(qtbot: QtBot, school: School) -> None:
    reception = school.user(RECEPTION)
    page = open_page(qtbot, school, reception)
    assert page.select_row(lambda r: True)
    assert not page.review_button.isEnabled()
    assert "written by the DSL" in page.review_button.toolTip()
    page.open_review()
    assert page.review_dialog is None

    dialog = page.raise_incident()
    assert isinstance(dialog, RaiseIncidentDialog)
    assert not dialog.riddor_box.isVisibleTo(dialog)
    dialog.choose_kind(IncidentKind.ACCIDENT)
    assert dialog.riddor_box.isVisibleTo(dialog)
    visit_id = school.one("out_on_time")
    dialog.visit.setCurrentIndex(dialog.visit.findData(visit_id))
    qtbot.mouseClick(dialog.raise_button, Qt.MouseButton.LeftButton)
    assert dialog.error == "Write a short summary of what happened."
    dialog.summary.setPlainText("Slipped on the icy path; grazed hand, first aid given.")
    dialog.riddor.setCurrentIndex(dialog.riddor.findData(False))
    dialog.occurred.setDateTime(dialog.occurred.dateTime().addSecs(-30 * 60))
    shot(dialog, "raise-accident")
    with qtbot.waitSignal(dialog.raised) as raised:
        qtbot.mouseClick(dialog.raise_button, Qt.MouseButton.LeftButton)
    incident_id = raised.args[0]
    incident = stored(school, incident_id)
    assert incident.kind is IncidentKind.ACCIDENT and incident.visit_id == visit_id
    assert incident.riddor_reportable is False and incident.raised_by_id == reception.user_id
    assert incident.occurred_at == school.clock.now().replace(second=0) - timedelta(minutes=30)
    selected = page.selected_row()
    assert selected is not None and selected.id == incident_id
    QApplication.processEvents()


def test_the_board_kinds_are_not_offered_and_allegations_say_who_to_tell(
    qtbot: QtBot, school: School
) -> None:
    page = open_page(qtbot, school, school.user(RECEPTION))
    dialog = page.raise_incident()
    assert dialog is not None
    kinds = [dialog.kind.itemData(i) for i in range(dialog.kind.count())]
    assert IncidentKind.ESCALATION not in kinds and IncidentKind.SAFE_WORD not in kinds
    assert not dialog.allegation_note.isVisibleTo(dialog)
    dialog.choose_kind(IncidentKind.ALLEGATION)
    assert dialog.allegation_note.isVisibleTo(dialog)
    assert "headteacher" in dialog.allegation_note.text()
    dialog.reject()


def test_overdue_reviews_are_marked_and_drills_kept_apart(qtbot: QtBot, school: School) -> None:
    dsl = school.user(DSL)
    incident_id = resolved_escalation(school)
    school.clock.advance(11 * 86_400)
    page = open_page(qtbot, school, dsl)
    row = next(r for r in page.model.rows if r.id == incident_id)
    assert row.overdue
    column = [c.header for c in page.model.columns].index("Review due")
    position = page.model.rows.index(row)
    index = page.model.index(position, column)
    assert index.data() == "Overdue: 03 Dec 2026"
    assert page.overdue_label.text().endswith("overdue")
    page.show_only("overdue")
    assert page.model.rows and all(r.overdue for r in page.model.rows)
    assert incident_id in {r.id for r in page.model.rows}
    shot(page, "incidents-overdue")

    page.show_only("drills")
    assert all(r.is_drill for r in page.model.rows)
    page.show_only("all")
    assert not any(r.is_drill for r in page.model.rows)
    page.show_only(IncidentStatus.CLOSED.value)
    assert page.model.rows and all(r.status is IncidentStatus.CLOSED for r in page.model.rows)


def test_signed_out_nobody_raises_or_reviews(qtbot: QtBot, school: School) -> None:
    page = IncidentsPage(Services.build(school.database, school.clock))
    qtbot.addWidget(page)
    page.refresh()
    assert page.model.rows
    assert page.select_row(lambda r: True)
    assert not page.raise_button.isEnabled() and not page.review_button.isEnabled()
    assert page.raise_incident() is None and page.open_review() is None
    assert page.document_bar.button is not None


def test_forms_close_when_the_user_changes(qtbot: QtBot, school: School) -> None:
    incident_id = resolved_escalation(school)
    current = CurrentUser()
    current.sign_in(school.user(DSL))
    page = IncidentsPage(Services.build(school.database, school.clock), current_user=current)
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    dialog = open_review(qtbot, page, incident_id)
    current.sign_out()
    assert not dialog.isVisible() and page.review_dialog is None
    assert not page.raise_button.isEnabled() and not page.review_button.isEnabled()
    current.sign_in(school.user(RECEPTION))
    raised = page.raise_incident()
    assert raised is not None and raised.isVisible()
    current.sign_in(school.user(DSL))
    assert not raised.isVisible() and page.raise_dialog is None


def test_an_incident_with_no_visit_has_no_timeline_and_no_household(
    qtbot: QtBot, school: School
) -> None:
    dsl = school.user(DSL)
    incident_id = Incidents(school.database, school.clock).raise_incident(
        dsl, IncidentKind.THREAT, school.clock.now(), "Threatening call to the office."
    )
    page = open_page(qtbot, school, dsl)
    dialog = open_review(qtbot, page, incident_id)
    assert dialog.visit_panel.timeline_rows() == []
    assert not dialog.visit_panel.timeline.isVisibleTo(dialog)
    assert not dialog.risk_text.isEnabled() and not dialog.add_risk_button.isEnabled()
    assert dialog.risks_note.text().startswith("Not linked to a visit")
    assert not dialog.riddor_box.isVisibleTo(dialog)
    dialog.close()
