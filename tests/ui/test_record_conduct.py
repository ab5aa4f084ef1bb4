# ruff: noqa: F811  (the demo-school fixtures are imported by name)
"""The record's questions on the rules of conduct (issue 18), walked through the dialog as a
visitor and then the DSL would, on a copy of the real encrypted demo school: who was spoken to
(a warning for an adult without parental responsibility), entering a doorstep visit, a child
found alone, the rules that appear and disappear, refusals shown under their question, then the
record on the After visits page's review list, reviewed by the DSL with a note."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.qtbot import QtBot

from hvdesk.db.models import Adult, Incident, PupilAdult, UserAccount, Visit, VisitStaff
from hvdesk.domain.households import Relationship
from hvdesk.domain.incidents import IncidentKind
from hvdesk.domain.visits import EntryMode, VisitReason
from hvdesk.services.container import Services
from hvdesk.services.identity import SignedInUser
from hvdesk.services.visit_conduct import VisitConduct
from hvdesk.services.visit_records import VisitRecords
from hvdesk.ui.current_user import CurrentUser
from hvdesk.ui.pages.after_visits_page import AfterVisitsPage
from hvdesk.ui.visit_record.briefing_dialog import BriefingDialog, PupilNeedsDialog
from hvdesk.ui.visit_record.record_dialog import VisitRecordDialog
from hvdesk.ui.visit_request.two_staff import attach_two_staff_question
from tests.board_school import School, demo_template, school  # noqa: F401

DSL = "s.whitfield"
RECEPTION = "k.lewis"
SHOTS = Path("/tmp/hvdesk-record-conduct")


def click(qtbot: QtBot, widget: QWidget) -> None:
    """Where a person clicks: the box or the start of its label."""
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=QPoint(8, widget.height() // 2))


@pytest.fixture
def doorstep_visit(school: School) -> Iterator[tuple[int, int, int]]:
    """A doorstep welfare check just back, with mum (parental responsibility) and a lodger
    (none) at the address: (visit, mum, lodger)."""
    visit_id = school.one("out_on_time")
    school.log.returned(visit_id, school.user(RECEPTION))
    with school.database.session() as session:
        visit = session.get(Visit, visit_id)
        assert visit is not None and visit.pupil is not None
        visit.reason, visit.entry_mode = VisitReason.WELFARE_CHECK, EntryMode.DOORSTEP
        mum = next(a.adult_id for a in visit.pupil.adult_links if a.parental_responsibility)
        lodger = Adult(household_id=visit.household_id, first_name="Gary", last_name="Stone")
        session.add(lodger)
        session.flush()
        session.add(
            PupilAdult(
                pupil_id=visit.pupil.id,
                adult_id=lodger.id,
                relationship_to_pupil=Relationship.OTHER,
                parental_responsibility=False,
            )
        )
        lodger_id = lodger.id
    yield visit_id, mum, lodger_id


def _visitor(school: School, visit_id: int) -> SignedInUser:
    with school.database.session() as session:
        username = session.scalars(
            sa.select(UserAccount.username)
            .join(VisitStaff, VisitStaff.staff_id == UserAccount.staff_id)
            .where(VisitStaff.visit_id == visit_id)
            .order_by(VisitStaff.position)
        ).first()
    assert username is not None
    return school.user(username)


def _open(qtbot: QtBot, school: School, visit_id: int, user: SignedInUser) -> VisitRecordDialog:
    dialog = VisitRecordDialog(
        VisitRecords(school.database, school.clock), visit_id, user, school.clock
    )
    qtbot.addWidget(dialog)
    dialog.resize(1100, 900)
    dialog.show()
    return dialog


def _facts(qtbot: QtBot, dialog: VisitRecordDialog) -> None:
    click(qtbot, dialog.seen_yes)
    qtbot.keyClicks(dialog.observations, "Amelia came to the door with her mum, dressed.")
    qtbot.keyClicks(dialog.outcome, "Back in school tomorrow.")


def test_a_visitor_answers_the_rules_and_a_broken_one_goes_to_the_dsl(
    qtbot: QtBot, school: School, doorstep_visit: tuple[int, int, int]
) -> None:
    visit_id, mum, lodger = doorstep_visit
    visitor = _visitor(school, visit_id)
    dialog = _open(qtbot, school, visit_id, visitor)
    conduct = dialog.conduct
    shown = [r.code for r in conduct.applying()]
    assert shown == [
        "official_id",
        "parental_responsibility",
        "child_found_alone",
        "siblings",
        "leave_if_unsafe",
        "doorstep_only",
    ]

    # Saved with nothing answered: each question says what it needs, and nothing is written.
    _facts(qtbot, dialog)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert conduct.errors["spoken_to"].message.startswith("Say who was spoken to")
    assert conduct.errors["entered_home"].message == "Say whether you entered the home."
    assert conduct.rows["official_id"].error.message.startswith("Say whether this was kept")

    # Mum and the lodger: a warning names him; the rule shows as not kept and asks why.
    click(qtbot, conduct.adult_boxes[mum])
    assert not conduct.warning.isVisible()
    click(qtbot, conduct.adult_boxes[lodger])
    assert conduct.warning.isVisible()
    assert "Gary Stone does not hold parental responsibility" in conduct.warning.text()
    pr_row = conduct.rows["parental_responsibility"]
    assert pr_row.derived.text() == "Answered above: not kept, say why"
    assert pr_row.reason.isVisible()

    # They went in on a doorstep visit: its rule is broken and the entering rules appear.
    click(qtbot, conduct.entered.yes)
    assert [r.code for r in conduct.applying()][-2:] == ["invited_in_by_adult", "shared_areas"]
    assert conduct.rows["doorstep_only"].reason.isVisible()
    click(qtbot, conduct.alone.no)
    for code in ("official_id", "siblings", "leave_if_unsafe", "invited_in_by_adult"):
        click(qtbot, conduct.rows[code].kept.yes)
    click(qtbot, conduct.rows["shared_areas"].kept.yes)
    qtbot.keyClicks(pr_row.reason, "Mum asked him to stay while we talked.")
    qtbot.keyClicks(conduct.rows["doorstep_only"].reason, "Mum was unwell; she asked us in.")
    assert conduct.review.isVisible()
    assert "This record needs the DSL's review" in conduct.review.text()
    SHOTS.mkdir(exist_ok=True)
    dialog.grab().save(str(SHOTS / "record-conduct-visitor.png"))

    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == VisitRecordDialog.DialogCode.Accepted
    with school.database.session() as session:
        visit = session.get(Visit, visit_id)
        assert visit is not None
        assert visit.needs_dsl_review and visit.entered_home is True
        assert visit.spoken_to_adult_ids == [mum, lodger]

    # The DSL finds it on the After visits page and reviews it with a note.
    current = CurrentUser()
    page = AfterVisitsPage(Services.build(school.database, school.clock), current)
    qtbot.addWidget(page)
    page.resize(1200, 760)
    page.show()
    current.sign_in(school.user(DSL))
    review = page.conduct_review
    row = next(r for r in review.rows if r.visit_id == visit_id)
    assert "Not kept: This is a doorstep visit" in row.reasons[-1]
    assert review.select(visit_id)
    qtbot.mouseClick(review.review_button, Qt.MouseButton.LeftButton)
    assert "short note" in review.error.message  # nothing typed yet
    qtbot.keyClicks(review.note, "Spoke to both visitors; entering was reasonable.")
    qtbot.keyClick(review.note, Qt.Key.Key_Return)
    assert visit_id not in [r.visit_id for r in review.rows]
    assert review.message.text() == f"Visit {visit_id}: the DSL's review is recorded."
    page.close()


def test_a_child_found_alone_asks_what_was_done_and_raises_the_incident(
    qtbot: QtBot, school: School, doorstep_visit: tuple[int, int, int]
) -> None:
    visit_id, _, _ = doorstep_visit
    dialog = _open(qtbot, school, visit_id, school.user(DSL))
    conduct = dialog.conduct
    assert not conduct.alone_action.isVisible()
    _facts(qtbot, dialog)
    click(qtbot, conduct.nobody)
    click(qtbot, conduct.entered.no)
    click(qtbot, conduct.alone.yes)
    assert conduct.alone_action.isVisible() and conduct.incident_hint.isVisible()
    assert not conduct.emergency.isVisible()  # they stayed outside
    for code in ("official_id", "siblings", "leave_if_unsafe"):
        click(qtbot, conduct.rows[code].kept.yes)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert conduct.errors["child_alone_action"].message == (
        "Say what was done about the child found alone."
    )
    qtbot.keyClicks(conduct.alone_action, "Stayed at the door; phoned the DSL; mum back at 11:05.")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == VisitRecordDialog.DialogCode.Accepted
    with school.database.session() as session:
        kinds = list(session.scalars(sa.select(Incident.kind).where(Incident.visit_id == visit_id)))
    assert kinds == [IncidentKind.CHILD_FOUND_ALONE]

    # Reopened: the answers are as saved.
    again = _open(qtbot, school, visit_id, school.user(DSL))
    assert again.conduct.nobody.isChecked() and again.conduct.alone.value() is True
    assert "mum back at 11:05" in again.conduct.alone_action.toPlainText()
    assert again.conduct.rows["official_id"].kept.value() is True


def test_someone_else_reads_the_answers_but_cannot_change_them(
    qtbot: QtBot, school: School, doorstep_visit: tuple[int, int, int]
) -> None:
    visit_id, _, _ = doorstep_visit
    dialog = _open(qtbot, school, visit_id, school.user(RECEPTION))
    assert not dialog.save_button.isEnabled()
    assert not dialog.conduct.entered.isEnabled()
    assert all(not box.isEnabled() for box in dialog.conduct.adult_boxes.values())


def test_the_briefing_on_screen_shows_the_needs_to_the_visitors_only(
    qtbot: QtBot, school: School
) -> None:
    visit_id = school.one("planned")
    with school.database.session() as session:
        visit = session.get(Visit, visit_id)
        assert visit is not None
        visit.reason, visit.entry_mode = VisitReason.TUTORING, EntryMode.ENTER
    conduct = VisitConduct(school.database, school.clock)

    # The DSL records the needs from the briefing.
    dsl_view = BriefingDialog(conduct, visit_id, school.user(DSL))
    qtbot.addWidget(dsl_view)
    dsl_view.show()
    assert dsl_view.needs_button.isVisible()
    assert "Tutoring is not delivered in the pupil&#x27;s bedroom." in dsl_view.text.text()
    assert dsl_view.briefing.pupil_id is not None
    editor = PupilNeedsDialog(conduct, dsl_view.briefing.pupil_id, school.user(DSL))
    qtbot.addWidget(editor)
    qtbot.keyClicks(editor.medical, "Asthma: inhaler in the hall drawer.")
    editor.save()
    assert editor.result() == PupilNeedsDialog.DialogCode.Accepted
    dsl_view.reload()
    assert "Asthma" not in dsl_view.text.text()  # the DSL is not one of the visitors

    visitor_view = BriefingDialog(conduct, visit_id, _visitor(school, visit_id))
    qtbot.addWidget(visitor_view)
    visitor_view.resize(820, 760)
    visitor_view.show()
    assert "Medical: Asthma: inhaler in the hall drawer." in visitor_view.text.text()
    assert not visitor_view.needs_button.isVisible()
    SHOTS.mkdir(exist_ok=True)
    visitor_view.grab().save(str(SHOTS / "briefing-visitor.png"))

    office = BriefingDialog(conduct, visit_id, school.user(RECEPTION))
    qtbot.addWidget(office)
    assert "Asthma" not in office.text.text()
    assert "printed only for the visitors" in office.text.text()


def test_seed_001s_question_is_asked_on_a_pair_request_and_saved_with_it(
    qtbot: QtBot, school: School
) -> None:
    from tests.ui.test_visit_request_dialog import (
        a_pupil,
        open_form,
        set_wednesday,
        staff_name,
        tick_by_typing,
        typeable_visitors,
    )

    dialog = open_form(qtbot, school, school.user(RECEPTION))
    box = attach_two_staff_question(dialog, VisitConduct(school.database, school.clock))
    assert box is not None and not box.isVisible()  # no visitors yet
    _pupil, surname, _postcode, _household = a_pupil(school)
    qtbot.keyClicks(dialog.form.home.search, surname)
    qtbot.keyClick(dialog.form.home.search, Qt.Key.Key_Return)
    qtbot.keyClicks(dialog.form.purpose, "Attendance meeting with dad.")
    set_wednesday(dialog)
    for staff_id in typeable_visitors(school, 2):
        tick_by_typing(qtbot, dialog, staff_name(school, staff_id))
    assert box.isVisible()
    assert "may escalate the difficulties" in box.findChild(QLabel).text()  # type: ignore[union-attr]
    click(qtbot, box.answer.yes)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "Say how sending two staff may escalate" in dialog.error_label.text()
    visit_id = dialog.visit_id
    assert visit_id is not None  # the draft itself was saved
    qtbot.keyClicks(box.note, "Dad has said two staff feels like an inspection; one visitor.")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.error_label.isHidden()
    conduct = VisitConduct(school.database, school.clock)
    assert conduct.two_staff_answer(visit_id, school.user(RECEPTION)) == (
        True,
        "Dad has said two staff feels like an inspection; one visitor.",
    )
    dialog.close()
    again = open_form(qtbot, school, school.user(RECEPTION), visit_id)
    reopened = attach_two_staff_question(again, VisitConduct(school.database, school.clock))
    assert reopened is not None and reopened.answer.value() is True
    again.close()
