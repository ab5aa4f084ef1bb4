# ruff: noqa: F811  (the demo-school fixtures are imported by name)
"""The visit request dialog against the real encrypted demo school: filled in by keyboard and
mouse, its problems listed beside it as it is edited, refused while anything blocks it, and
submitted once put right; reopened after being sent back; and the Visits page's actions."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from PySide6.QtCore import QDate, Qt, QTime
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from hvdesk.clock import to_school_time
from hvdesk.db.models import Household, Pupil, Staff, Visit
from hvdesk.domain.people import Role
from hvdesk.domain.visits import EntryMode, VisitReason, VisitStatus
from hvdesk.services.accounts import Accounts
from hvdesk.services.authorisation import Authorisations
from hvdesk.services.container import Services
from hvdesk.services.identity import SignedInUser
from hvdesk.services.lookups import Lookups
from hvdesk.services.risk_assessments import RiskAssessments
from hvdesk.services.visit_requests import VisitRequests
from hvdesk.ui.current_user import CurrentUser
from hvdesk.ui.pages.visits_page import VisitsPage
from hvdesk.ui.visit_request.dialog import VisitRequestDialog
from tests.board_school import School, demo_template, school, signed_in  # noqa: F401
from tests.test_visit_requests import (
    WEDNESDAY,
    base_draft,
    free_visitors,
    quiet_household,
    submitted,
    user_with_role,
)


@pytest.fixture
def requests(school: School) -> VisitRequests:
    return VisitRequests(school.database, school.clock)


def open_form(
    qtbot: QtBot, school: School, user: SignedInUser, visit_id: int | None = None
) -> VisitRequestDialog:
    dialog = VisitRequestDialog(
        VisitRequests(school.database, school.clock),
        Lookups(school.database, school.clock),
        school.clock,
        user,
        visit_id,
    )
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


@pytest.fixture
def dialog(qtbot: QtBot, school: School) -> Iterator[VisitRequestDialog]:
    dialog = open_form(qtbot, school, school.user("k.lewis"))
    yield dialog
    dialog.close()


def a_pupil(school: School) -> tuple[int, str, str, int]:
    """A pupil on roll in a household no visit has been to: id, surname, postcode, household.
    The surname is plain ASCII because QTest can type nothing else."""
    with school.database.session() as session:
        rows = session.execute(
            sa.select(Pupil.id, Pupil.last_name, Household.postcode, Household.id)
            .join(Household, Pupil.household_id == Household.id)
            .where(
                Pupil.active.is_(True),
                ~sa.exists().where(Visit.household_id == Household.id),
            )
            .order_by(Pupil.id)
        ).all()
    row = next(r for r in rows if r[1].isascii() and r[1].isalpha())
    return row[0], row[1], row[2], row[3]


def typeable_visitors(school: School, count: int) -> list[int]:
    """Visitors free on Wednesday whose names QTest can type (ASCII)."""
    found = [i for i in free_visitors(school, count + 6) if staff_name(school, i).isascii()]
    assert len(found) >= count
    return found[:count]


def staff_name(school: School, staff_id: int) -> str:
    with school.database.session() as session:
        staff = session.get(Staff, staff_id)
        assert staff is not None
        return staff.full_name


def set_wednesday(dialog: VisitRequestDialog, start: str = "10:00", end: str = "11:00") -> None:
    local = to_school_time(WEDNESDAY)
    dialog.form.date.setDate(QDate(local.year, local.month, local.day))
    dialog.form.start.setTime(QTime.fromString(start, "HH:mm"))
    dialog.form.end.setTime(QTime.fromString(end, "HH:mm"))


def tick_by_typing(qtbot: QtBot, dialog: VisitRequestDialog, name: str) -> None:
    qtbot.keyClicks(dialog.form.visitors.filter, name)
    qtbot.keyClick(dialog.form.visitors.filter, Qt.Key.Key_Return)


def blocking_fields(dialog: VisitRequestDialog) -> set[str]:
    return {p.field for p in dialog.problem_list.problems() if p.blocks}


def status_of(school: School, visit_id: int) -> VisitStatus:
    with school.database.session() as session:
        visit = session.get(Visit, visit_id)
        assert visit is not None
        return visit.status


# --- search as you type ------------------------------------------------------------------------


def test_search_finds_a_pupil_by_part_of_the_surname(
    qtbot: QtBot, school: School, dialog: VisitRequestDialog
) -> None:
    pupil_id, surname, _postcode, household_id = a_pupil(school)
    qtbot.keyClicks(dialog.form.home.search, surname[:4].lower())
    assert pupil_id in [c.pupil_id for c in dialog.form.home.found()]
    assert dialog.form.home.results.count() == len(dialog.form.home.found())
    position = [c.pupil_id for c in dialog.form.home.found()].index(pupil_id)
    item = dialog.form.home.results.item(position)
    dialog.form.home.results.scrollToItem(item)
    rect = dialog.form.home.results.visualItemRect(item)
    qtbot.mouseClick(
        dialog.form.home.results.viewport(), Qt.MouseButton.LeftButton, pos=rect.center()
    )
    chosen = dialog.form.home.chosen
    assert chosen is not None and chosen.pupil_id == pupil_id
    assert chosen.household_id == household_id
    assert surname in dialog.form.home.chosen_label.text()
    assert "household" not in blocking_fields(dialog)


def test_search_finds_the_home_by_postcode_and_a_household_alone(
    qtbot: QtBot, school: School, dialog: VisitRequestDialog
) -> None:
    pupil_id, _surname, postcode, household_id = a_pupil(school)
    assert "household" in blocking_fields(dialog)
    qtbot.keyClicks(dialog.form.home.search, postcode.replace(" ", "").lower())
    found = dialog.form.home.found()
    assert pupil_id in [c.pupil_id for c in found]
    alone = [i for i, c in enumerate(found) if c.pupil_id is None]
    assert alone and found[alone[0]].household_id == household_id
    dialog.form.home.results.setCurrentRow(alone[0])
    qtbot.keyClick(dialog.form.home.results, Qt.Key.Key_Return)
    chosen = dialog.form.home.chosen
    assert chosen is not None and chosen.pupil_id is None and chosen.household_id == household_id
    assert "no pupil named" in dialog.form.home.chosen_label.text()
    assert "household" not in blocking_fields(dialog)


# --- filling it in ------------------------------------------------------------------------------


def test_fill_in_by_keyboard_see_the_blockers_put_them_right_and_submit(
    qtbot: QtBot, school: School, dialog: VisitRequestDialog, requests: VisitRequests
) -> None:
    pair = typeable_visitors(school, 2)
    _pupil, surname, _postcode, household_id = a_pupil(school)
    assert blocking_fields(dialog) >= {
        "household",
        "purpose",
        "parent_could_come_in",
        "visitors",
        "risk",
    }
    assert dialog.marked_fields()["purpose"] == "blocker"

    qtbot.keyClicks(dialog.form.home.search, surname)
    qtbot.keyClick(dialog.form.home.search, Qt.Key.Key_Return)
    picked = (
        dialog.form.home.chosen
    )  # the first match: this pupil, or a sibling with the same surname
    assert picked is not None and picked.household_id == household_id
    assert picked.pupil_name is not None and surname in picked.pupil_name
    qtbot.keyClicks(dialog.form.purpose, "Welfare check after three days' absence.")
    qtbot.mouseClick(dialog.form.parent_no, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.form.enter, Qt.MouseButton.LeftButton)
    set_wednesday(dialog, "10:00", "09:30")  # the end typed before the start
    for staff_id in pair:
        tick_by_typing(qtbot, dialog, staff_name(school, staff_id))
    assert dialog.form.visitors.chosen() == tuple(pair)
    messages = " ".join(dialog.problem_list.messages())
    assert "Must fix: End time: the visit must end after it starts" in messages
    assert dialog.marked_fields()["planned_end"] == "blocker"
    assert "purpose" not in dialog.marked_fields()

    dialog.form.end.setTime(QTime(11, 0))
    assert blocking_fields(dialog) == {"risk"}
    assert "Warning: Safe word" in " ".join(dialog.problem_list.messages())
    qtbot.keyClicks(dialog.form.safe_word, "bluebell")
    assert [p.field for p in dialog.problem_list.problems()] == ["risk"]

    qtbot.mouseClick(dialog.submit_button, Qt.MouseButton.LeftButton)  # refused: no assessment yet
    visit_id = dialog.visit_id
    assert visit_id is not None and status_of(school, visit_id) is VisitStatus.DRAFT
    assert "Not submitted" in dialog.error_label.text()
    assert "Risk assessment: start and complete it." in dialog.error_label.text()
    assert dialog.isVisible()

    RiskAssessments(school.database, school.clock).start(
        visit_id, school.user("k.lewis")
    )  # as the matrix dialog would
    dialog.recheck()
    assert blocking_fields(dialog) == set()
    with qtbot.waitSignal(dialog.submitted) as sent:
        qtbot.mouseClick(dialog.submit_button, Qt.MouseButton.LeftButton)
    assert sent.args == [visit_id]
    assert not dialog.isVisible()
    assert status_of(school, visit_id) is VisitStatus.AWAITING_AUTHORISATION
    stored = requests.draft(visit_id)
    assert stored.pupil_id == picked.pupil_id and stored.household_id == household_id
    assert stored.planned_start == WEDNESDAY  # 10:00 in London in December is 10:00 UTC
    assert stored.planned_end == WEDNESDAY + timedelta(hours=1)
    assert stored.visitor_staff_ids == tuple(pair)
    assert stored.entry_mode is EntryMode.ENTER and stored.parent_could_come_in is False
    assert stored.reason is VisitReason.WELFARE_CHECK and stored.safe_word == "bluebell"


def test_a_lone_visit_without_a_justification_is_refused(
    qtbot: QtBot, school: School, dialog: VisitRequestDialog, requests: VisitRequests
) -> None:
    (alone,) = typeable_visitors(school, 1)
    _pupil, surname, _postcode, _household = a_pupil(school)
    qtbot.keyClicks(dialog.form.home.search, surname)
    qtbot.keyClick(dialog.form.home.search, Qt.Key.Key_Return)
    qtbot.keyClicks(dialog.form.purpose, "Drop off a work pack.")
    qtbot.mouseClick(dialog.form.parent_no, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(dialog.form.safe_word, "bluebell")
    set_wednesday(dialog)
    assert dialog.form.lone_justification.isHidden()
    tick_by_typing(qtbot, dialog, staff_name(school, alone))
    assert not dialog.form.lone_justification.isHidden()
    assert "lone_visit_justification" in blocking_fields(dialog)
    assert dialog.save_draft()
    assert dialog.visit_id is not None
    RiskAssessments(school.database, school.clock).start(dialog.visit_id, school.user("k.lewis"))

    qtbot.mouseClick(dialog.submit_button, Qt.MouseButton.LeftButton)
    assert status_of(school, dialog.visit_id) is VisitStatus.DRAFT
    assert "A lone visit: visits are made in pairs" in dialog.error_label.text()
    assert dialog.form.lone_justification.hasFocus()

    qtbot.keyClicks(
        dialog.form.lone_justification, "Second visitor off sick; DSL agreed doorstep only."
    )
    assert blocking_fields(dialog) == set()
    qtbot.mouseClick(dialog.submit_button, Qt.MouseButton.LeftButton)
    assert status_of(school, dialog.visit_id) is VisitStatus.AWAITING_AUTHORISATION
    assert requests.draft(dialog.visit_id).lone_visit_justification is not None


def test_messages_say_what_is_wrong_with_time_visitors_and_out_of_hours(
    qtbot: QtBot, school: School, dialog: VisitRequestDialog, requests: VisitRequests
) -> None:
    pair = free_visitors(school, 2)
    booked = submitted(school, requests, pair)  # this pair is already booked on Wednesday 10:00
    set_wednesday(dialog)
    listed = {
        dialog.form.visitors.list.item(i).text()
        for i in range(dialog.form.visitors.list.count())
        if staff_name(school, pair[0]) in dialog.form.visitors.list.item(i).text()
    }
    assert any(f"cannot go: is already booked on visit {booked} at that time" in t for t in listed)
    dialog.form.visitors.tick(pair[0])
    assert any(
        f"is already booked on visit {booked} at that time" in m
        for m in dialog.problem_list.messages()
    )

    today = to_school_time(school.clock.now())
    dialog.form.date.setDate(QDate(today.year, today.month, today.day))
    dialog.form.start.setTime(QTime(9, 0))
    dialog.form.end.setTime(QTime(9, 45))
    assert "Must fix: Start time: this time has passed; choose a later one." in (
        dialog.problem_list.messages()
    )

    assert dialog.form.out_of_hours_box.isHidden()
    set_wednesday(dialog, "18:00", "19:00")
    assert not dialog.form.out_of_hours_box.isHidden()
    assert {"responsible_contact_name", "responsible_contact_phone"} <= blocking_fields(dialog)
    qtbot.keyClicks(dialog.form.contact_name, "Sam Whitfield")
    qtbot.keyClicks(dialog.form.contact_phone, "12345")
    assert "responsible_contact_phone" in blocking_fields(dialog)
    dialog.form.contact_phone.clear()
    qtbot.keyClicks(dialog.form.contact_phone, "07700 900123")
    assert not {"responsible_contact_name", "responsible_contact_phone"} & blocking_fields(dialog)


def test_out_of_date_visitor_records_are_named_and_summer_times_stored_as_utc(
    school: School, dialog: VisitRequestDialog
) -> None:
    pair = typeable_visitors(school, 2)
    with school.database.session() as session:
        first, second = session.get(Staff, pair[0]), session.get(Staff, pair[1])
        assert first is not None and second is not None
        first.dbs_checked_on = date(2020, 1, 1)
        first.safeguarding_trained_on = date(2021, 1, 1)
        second.emergency_contact_phone = "999"
        second.safeguarding_trained_on = None
    dialog.form.date.setDate(QDate(2027, 6, 2))  # British Summer Time: London is UTC+1
    dialog.form.visitors.tick(pair[0])
    dialog.form.visitors.tick(pair[1])
    messages = " ".join(dialog.problem_list.messages())
    one, two = staff_name(school, pair[0]), staff_name(school, pair[1])
    assert f"{one}: DBS check of 01 Jan 2020 is older than 3 years" in messages
    assert f"{one}: safeguarding training of 01 Jan 2021 is older than" in messages
    assert f"{two}: emergency contact's phone is missing or not a valid UK number" in messages
    assert "Warning: No visitor has current safeguarding training" in messages
    draft = dialog.form.draft()
    assert draft.planned_start == datetime(2027, 6, 2, 9, 0, tzinfo=UTC)  # 10:00 BST
    assert draft.planned_end == datetime(2027, 6, 2, 10, 0, tzinfo=UTC)


def test_an_unannounced_visit_and_other_reason_ask_for_their_words(
    qtbot: QtBot, dialog: VisitRequestDialog
) -> None:
    assert dialog.form.unannounced_reason.isHidden() and dialog.form.reason_other.isHidden()
    qtbot.mouseClick(dialog.form.unannounced, Qt.MouseButton.LeftButton)
    dialog.form.reason.setCurrentIndex(dialog.form.reason.findData(VisitReason.OTHER.value))
    assert not dialog.form.unannounced_reason.isHidden() and not dialog.form.reason_other.isHidden()
    assert {"unannounced_reason", "reason_other"} <= blocking_fields(dialog)
    qtbot.keyClicks(dialog.form.unannounced_reason, "Absent child, family not answering.")
    qtbot.keyClicks(dialog.form.reason_other, "Return a lost coat")
    assert not {"unannounced_reason", "reason_other"} & blocking_fields(dialog)


def test_choosing_a_problem_puts_the_cursor_in_its_field(
    qtbot: QtBot, dialog: VisitRequestDialog
) -> None:
    rows = [p.field for p in dialog.problem_list.problems()]
    item = dialog.problem_list.list.item(rows.index("purpose"))
    rect = dialog.problem_list.list.visualItemRect(item)
    qtbot.mouseClick(
        dialog.problem_list.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center()
    )
    assert dialog.form.purpose.hasFocus()


def test_closing_with_unsaved_typing_asks_first(
    qtbot: QtBot, dialog: VisitRequestDialog, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []
    answer = QMessageBox.StandardButton.Cancel

    def question(*args: object, **_kwargs: object) -> QMessageBox.StandardButton:
        asked.append(str(args[2]))
        return answer

    monkeypatch.setattr(QMessageBox, "question", question)
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    assert asked == [] and not dialog.isVisible()  # nothing typed: closes at once

    dialog.show()
    qtbot.keyClicks(dialog.form.purpose, "Drop off a work pack.")
    assert dialog.status_label.text() == "Not saved yet."
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert len(asked) == 1 and "not saved" in asked[0]
    assert dialog.isVisible()  # Cancel keeps the typing
    answer = QMessageBox.StandardButton.Discard
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    assert len(asked) == 2 and not dialog.isVisible()


def test_a_request_sent_back_reopens_with_the_comment(
    qtbot: QtBot, school: School, requests: VisitRequests
) -> None:
    pair = free_visitors(school, 2)
    visit_id = submitted(school, requests, pair)
    dsl = user_with_role(school, Role.DSL, not_staff=tuple(pair))
    Authorisations(
        school.database, school.clock, Accounts(school.database, school.clock)
    ).send_back(visit_id, dsl, "Say which door to use: the front one has a dog behind it.")
    dialog = open_form(qtbot, school, school.user("k.lewis"), visit_id)
    try:
        assert not dialog.sent_back_label.isHidden()
        assert "Say which door to use" in dialog.sent_back_label.text()
        assert dsl.display_name in dialog.sent_back_label.text()
        assert dialog.form.purpose.toPlainText() == requests.draft(visit_id).purpose
        assert dialog.form.visitors.chosen() == tuple(pair)
        assert blocking_fields(dialog) == set()  # its own booking is no clash
        dialog.form.resources.setText("Use the side door.")
        qtbot.mouseClick(dialog.submit_button, Qt.MouseButton.LeftButton)
        assert status_of(school, visit_id) is VisitStatus.AWAITING_AUTHORISATION
        assert requests.draft(visit_id).resources_to_take == "Use the side door."
    finally:
        dialog.close()


# --- the Visits page ----------------------------------------------------------------------------


@pytest.fixture
def page(school: School) -> Iterator[VisitsPage]:
    user = CurrentUser()
    user.sign_in(signed_in(school.database, "k.lewis"))
    visits = VisitsPage(Services.build(school.database, school.clock), current_user=user)
    visits.refresh()
    yield visits
    visits.close()
    visits.deleteLater()
    user.deleteLater()


def test_the_visits_page_opens_new_and_editable_requests_only(
    qtbot: QtBot, school: School, page: VisitsPage, requests: VisitRequests
) -> None:
    assert page.new_button.isEnabled() and not page.edit_button.isEnabled()
    dialog = page.new_request()
    assert dialog is not None and dialog.isVisible() and dialog.windowTitle() == "New visit request"
    dialog.close()
    awaiting = submitted(school, requests, free_visitors(school, 2))
    page.refresh()
    assert page.select_row(lambda r: r.id == awaiting)
    assert not page.edit_button.isEnabled() and not page.submit_button.isEnabled()
    assert page.edit_request() is None


def test_the_visits_page_submits_a_draft_or_lists_why_not(
    qtbot: QtBot, school: School, page: VisitsPage, requests: VisitRequests
) -> None:
    user = school.user("k.lewis")
    visit_id = requests.save_draft(
        base_draft(quiet_household(school), tuple(free_visitors(school, 2))), user
    )
    page.refresh()
    assert page.select_row(lambda r: r.id == visit_id)
    assert page.edit_button.isEnabled() and page.submit_button.isEnabled()
    qtbot.mouseClick(page.submit_button, Qt.MouseButton.LeftButton)
    assert "Risk assessment: start and complete it." in page.request_note.text()
    assert status_of(school, visit_id) is VisitStatus.DRAFT

    with qtbot.waitSignal(page.risk_assessment_requested) as asked:
        qtbot.mouseClick(page.risk_button, Qt.MouseButton.LeftButton)
    assert asked.args == [visit_id, page]
    RiskAssessments(school.database, school.clock).start(visit_id, user)
    qtbot.mouseClick(page.submit_button, Qt.MouseButton.LeftButton)
    assert status_of(school, visit_id) is VisitStatus.AWAITING_AUTHORISATION
    assert f"Visit {visit_id} was sent for authorisation" in page.request_note.text()


def test_the_visits_page_offers_the_after_visit_record_for_visits_that_happened(
    qtbot: QtBot, school: School, page: VisitsPage
) -> None:
    page.status_box.setCurrentIndex(page.status_box.findData(VisitStatus.OUT.value))
    row_id = page.model.row(0).id
    assert page.select_row(lambda r: r.id == row_id)
    assert page.record_button.isEnabled() and not page.edit_button.isEnabled()
    with qtbot.waitSignal(page.visit_record_requested) as asked:
        qtbot.mouseClick(page.record_button, Qt.MouseButton.LeftButton)
    assert asked.args == [row_id, page]
    assert page.current_user is not None
    page.current_user.sign_out()
    assert not page.new_button.isEnabled() and not page.record_button.isEnabled()
