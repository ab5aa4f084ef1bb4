# ruff: noqa: F811  (the demo-school fixtures are imported by name)
"""The after-visit record dialog and the After visits page, on a copy of the real encrypted demo
school: write a record with two follow-ups through the form, reopen it, mark one done, copy the
CPOMS summary, save the PDF, tick it as recorded and see it leave the list."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog
from pytestqt.qtbot import QtBot

from hvdesk.services.container import Services
from hvdesk.services.identity import SignedInUser
from hvdesk.services.visit_records import VisitRecords
from hvdesk.ui.current_user import CurrentUser
from hvdesk.ui.pages.after_visits_page import AfterVisitsPage
from hvdesk.ui.visit_record.mark_done_dialog import MarkDoneDialog
from hvdesk.ui.visit_record.record_dialog import FollowUpTable, VisitRecordDialog
from tests.board_school import School, demo_template, school  # noqa: F401

SHOTS = Path("/tmp/hvdesk-after-visits")
DSL = "s.whitfield"
RECEPTION = "k.lewis"


def _shoot(widget: object, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    widget.grab().save(str(SHOTS / f"{name}.png"))  # type: ignore[attr-defined]


@pytest.fixture
def returned(school: School) -> int:
    """A visit whose staff have just come back: COMPLETED, no record yet."""
    visit_id = school.one("out_on_time")
    school.log.returned(visit_id, school.user(RECEPTION))
    return visit_id


@pytest.fixture
def page(qtbot: QtBot, school: School) -> Iterator[AfterVisitsPage]:
    current = CurrentUser()
    shown = AfterVisitsPage(Services.build(school.database, school.clock), current)
    qtbot.addWidget(shown)
    shown.resize(1200, 760)
    shown.show()
    current.sign_in(school.user(DSL))
    yield shown
    shown.close()


def _fill(qtbot: QtBot, dialog: VisitRecordDialog, owners: list[str]) -> None:
    """Type a record as a visitor would, with one follow-up per owner (by name)."""
    qtbot.mouseClick(dialog.seen_yes, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(dialog.spoken_to, "Joanne Hughes (mother) and the pupil")
    qtbot.keyClicks(dialog.observations, "Came to the door dressed. Kitchen had little food.")
    qtbot.keyClicks(dialog.opinions, "Mum seemed overwhelmed but keen to engage.")
    qtbot.keyClicks(dialog.outcome, "Food bank voucher given; Early Help agreed.")
    table = dialog.follow_up_table
    actions = ["Check the register tomorrow.", "Start the Early Help assessment."]
    for action, owner in zip(actions, owners, strict=False):
        qtbot.mouseClick(dialog.add_follow_up_button, Qt.MouseButton.LeftButton)
        row = table.rowCount() - 1
        qtbot.keyClicks(table.action_edit(row), action)
        box = table.owner_box(row)
        box.setCurrentIndex(
            next(i for i in range(box.count()) if box.itemText(i).startswith(owner))
        )


def _row_of(page: AfterVisitsPage, visit_id: int) -> int | None:
    rows = page.hand_off.model.rows
    return next((i for i, r in enumerate(rows) if r.visit_id == visit_id), None)


def test_the_form_says_what_is_missing_under_each_field_and_saves_nothing(
    qtbot: QtBot, school: School, returned: int
) -> None:
    records = VisitRecords(school.database, school.clock)
    dialog = VisitRecordDialog(records, returned, school.user(DSL), school.clock)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.add_follow_up_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(dialog.follow_up_table.action_edit(0), "Phone the GP.")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert dialog.errors["child_seen"].message == "Say whether the child was seen."
    assert dialog.errors["observations"].message == "Write what was seen and heard: the facts."
    assert dialog.errors["follow_ups"].message == "Follow-up 1: choose who will do it."
    assert dialog.errors["opinions"].message == ""  # opinions are optional
    assert dialog.focusWidget() is dialog.seen_yes  # the first problem's field
    _shoot(dialog, "record-dialog-refused")
    assert not records.record(returned, school.user(DSL)).is_written
    dialog.close()


def test_write_reopen_mark_done_copy_tick_and_it_leaves_the_list(
    qtbot: QtBot,
    school: School,
    returned: int,
    page: AfterVisitsPage,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    records = page.records
    staff = records.staff_choices()
    owners = [staff[0].name, staff[1].name]
    row = _row_of(page, returned)
    assert row is not None
    assert page.hand_off.model.row(row).is_written is False
    page.hand_off.table.selectRow(row)
    assert not page.copy_button.isEnabled() and not page.tick_button.isEnabled()

    # Open record… from the page: the form is filled in and saved.
    def write_it(dialog: VisitRecordDialog) -> int:
        dialog.show()  # exec() would show it
        _fill(qtbot, dialog, owners)
        _shoot(dialog, "record-dialog-filled")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        return dialog.result()

    monkeypatch.setattr(VisitRecordDialog, "exec", write_it)
    qtbot.mouseClick(page.open_record_button, Qt.MouseButton.LeftButton)
    monkeypatch.undo()
    row = _row_of(page, returned)
    assert row is not None and page.hand_off.model.row(row).is_written

    # Reopened, it reads as written, with its two follow-ups.
    again = VisitRecordDialog(records, returned, school.user(DSL), school.clock)
    qtbot.addWidget(again)
    assert again.seen_yes.isChecked()
    assert again.observations.toPlainText() == "Came to the door dressed. Kitchen had little food."
    assert again.opinions.toPlainText() == "Mum seemed overwhelmed but keen to engage."
    table: FollowUpTable = again.follow_up_table
    assert [table.action_edit(r).text() for r in range(table.rowCount())] == [
        "Check the register tomorrow.",
        "Start the Early Help assessment.",
    ]
    assert [table.owner_box(r).currentText().split(" (")[0] for r in range(2)] == owners
    again.close()

    # Mark the first follow-up done from the Follow-ups tab.
    page.tabs.setCurrentIndex(1)
    first = next(
        i
        for i, r in enumerate(page.follow_ups.model.rows)
        if r.visit_id == returned and r.action == "Check the register tomorrow."
    )
    page.follow_ups.table.selectRow(first)
    assert page.mark_done_button.isEnabled()

    def done_with_note(dialog: MarkDoneDialog) -> int:
        dialog.show()
        qtbot.mouseClick(dialog.done_button, Qt.MouseButton.LeftButton)
        assert "Say what was done" in dialog.error.message  # a note is needed
        qtbot.keyClicks(dialog.note, "Register checked: in all day.")
        _shoot(dialog, "mark-done-dialog")
        qtbot.mouseClick(dialog.done_button, Qt.MouseButton.LeftButton)
        return dialog.result()

    monkeypatch.setattr(MarkDoneDialog, "exec", done_with_note)
    qtbot.mouseClick(page.mark_done_button, Qt.MouseButton.LeftButton)
    monkeypatch.undo()
    open_actions = [r.action for r in page.follow_ups.model.rows if r.visit_id == returned]
    assert open_actions == ["Start the Early Help assessment."]
    _shoot(page, "after-visits-follow-ups")
    reopened = VisitRecordDialog(records, returned, school.user(DSL), school.clock)
    qtbot.addWidget(reopened)
    assert reopened.follow_up_table.rowCount() == 1
    assert "Register checked: in all day." in reopened.done_label.text()
    reopened.close()

    # Copy the summary: the clipboard holds exactly the CPOMS text.
    page.tabs.setCurrentIndex(0)
    row = _row_of(page, returned)
    assert row is not None
    page.hand_off.table.selectRow(row)
    QApplication.clipboard().clear()
    qtbot.mouseClick(page.copy_button, Qt.MouseButton.LeftButton)
    copied = QApplication.clipboard().text()
    assert copied == records.cpoms_summary(returned, school.user(DSL))
    assert copied.startswith(f"HOME VISIT RECORD - hvdesk visit {returned}\n")
    assert f"1. Check the register tomorrow. (Owner: {owners[0]}. Due: 30 Nov 2026.)" in copied
    assert "Done 23 Nov 2026." in copied
    assert f"2. Start the Early Help assessment. (Owner: {owners[1]}. Due: 30 Nov 2026.)" in copied
    assert "on the clipboard" in page.hand_off_message.text()
    _shoot(page, "after-visits-cpoms")

    # Tick: recorded on CPOMS now; the visit leaves the list.
    count = page.hand_off.model.rowCount()
    assert page.tick_button.isEnabled()
    qtbot.mouseClick(page.tick_button, Qt.MouseButton.LeftButton)
    assert _row_of(page, returned) is None
    assert page.hand_off.model.rowCount() == count - 1
    assert page.hand_off_message.text() == f"Visit {returned} is ticked as recorded on CPOMS."
    view = records.record(returned, school.user(DSL))
    assert view.recorded_on_cpoms_at == school.clock.now()
    assert view.recorded_on_cpoms_by == school.user(DSL).display_name


def test_save_pdf_writes_the_record_of_home_visit(
    qtbot: QtBot, page: AfterVisitsPage, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "for-cpoms.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kwargs: (str(target), ""))
    page.hand_off.table.selectRow(0)
    visit_id = page.hand_off.model.row(0).visit_id
    assert page.save_pdf_button.isEnabled()
    qtbot.mouseClick(page.save_pdf_button, Qt.MouseButton.LeftButton)
    assert target.read_bytes().startswith(b"%PDF")
    assert "for-cpoms.pdf" in page.hand_off_message.text()
    assert visit_id == page.hand_off.model.row(0).visit_id  # not ticked by saving


def test_a_tick_in_the_future_is_refused_on_the_page(
    qtbot: QtBot, page: AfterVisitsPage, school: School
) -> None:
    page.hand_off.table.selectRow(0)
    visit_id = page.hand_off.model.row(0).visit_id
    page.recorded_at.setMaximumDateTime(page.recorded_at.dateTime().addDays(2))
    page.recorded_at.setDateTime(page.recorded_at.dateTime().addDays(1))
    qtbot.mouseClick(page.tick_button, Qt.MouseButton.LeftButton)
    assert "in the future" in page.hand_off_error.message
    assert _row_of(page, visit_id) is not None


def test_reception_reads_the_record_but_may_not_write_it(
    qtbot: QtBot, school: School, returned: int
) -> None:
    records = VisitRecords(school.database, school.clock)
    user: SignedInUser = school.user(RECEPTION)
    dialog = VisitRecordDialog(records, returned, user, school.clock)
    qtbot.addWidget(dialog)
    assert not dialog.save_button.isEnabled()
    assert dialog.notice.text().startswith("Read only: Only the visitors")
    assert dialog.observations.isReadOnly()
    dialog.close()


def test_signing_out_takes_the_copied_summary_off_the_clipboard(
    qtbot: QtBot, page: AfterVisitsPage
) -> None:
    page.hand_off.table.selectRow(0)
    qtbot.mouseClick(page.copy_button, Qt.MouseButton.LeftButton)
    assert QApplication.clipboard().text().startswith("HOME VISIT RECORD")
    page.current_user.sign_out()
    assert QApplication.clipboard().text() == ""


def test_signed_out_the_page_shows_nothing(qtbot: QtBot, school: School) -> None:
    current = CurrentUser()
    shown = AfterVisitsPage(Services.build(school.database, school.clock), current)
    qtbot.addWidget(shown)
    shown.refresh()
    assert shown.hand_off.model.rowCount() == 0 and shown.follow_ups.model.rowCount() == 0
    assert shown.summary_label.text().startswith("Sign in")
    current.sign_in(school.user(DSL))
    assert shown.hand_off.model.rowCount() > 0 and shown.follow_ups.model.rowCount() > 0
    current.sign_out()
    assert shown.hand_off.model.rowCount() == 0
