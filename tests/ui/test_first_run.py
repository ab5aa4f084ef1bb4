"""The first-run assistant walked as a school office would, from a new empty encrypted database
to a working board: the school and its logo, the administrator, the recovery key (saved as a
one-page PDF, no going on until it is confirmed), the policy essentials (a refusal in words), the
MIS file or later; then the window opens on the board, signed in, with the school's settings."""

from __future__ import annotations

import stat
from collections.abc import Iterator
from datetime import time
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QMessageBox, QSpinBox, QTimeEdit, QWizard

from hvdesk.clock import FakeClock
from hvdesk.db.database import Database
from hvdesk.services.container import Services
from hvdesk.services.documents import DocumentService
from hvdesk.services.first_run import FirstRun
from hvdesk.services.opening import DatabaseOpener, OpenedDatabase
from hvdesk.ui.about import AboutInfo
from hvdesk.ui.first_run import FirstRunAssistant
from hvdesk.ui.main_window import MainWindow
from tests.test_reports_school import pages, text_of

PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def _stop_without_asking(monkeypatch: pytest.MonkeyPatch) -> None:
    """Closing an assistant left open by a failed test must not wait on a real question."""
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)


@pytest.fixture
def new_school(opener: DatabaseOpener, data_dir: Path) -> Iterator[OpenedDatabase]:
    opened = opener.create(data_dir)
    yield opened
    opened.database.close()


def logo_file(folder: Path) -> Path:
    image = QImage(120, 60, QImage.Format.Format_RGB32)
    image.fill(QColor("#27415f"))
    path = folder / "logo.png"
    assert image.save(str(path))
    return path


def next_enabled(assistant: QWizard) -> bool:
    button = assistant.button(
        QWizard.WizardButton.FinishButton
        if assistant.currentPage() is assistant.page(assistant.pageIds()[-1])
        else QWizard.WizardButton.NextButton
    )
    return button.isEnabled()


def walk(assistant: FirstRunAssistant, tmp: Path, *, stop_at_key: bool = False) -> None:
    """The office's way through: each step done, the refusals on the way read and put right."""
    assert assistant.currentPage() is assistant.school
    assistant.school.name_edit.clear()  # empty on a new database; kept when resumed
    assert not next_enabled(assistant)  # no school name yet
    assistant.school.name_edit.setText("St Hilda's Church of England School")
    assistant.school.set_logo(logo_file(tmp))
    assert not assistant.school.error.isVisible()
    assert next_enabled(assistant)
    assistant.next()

    step = assistant.administrator
    assert assistant.currentPage() is step
    if not step.resuming:
        step.name_edit.setText("Jo Smith")
        step.username_edit.setText("j.smith")
        step.password_edit.setText(PASSWORD)
        step.again_edit.setText("something else entirely")
        assistant.next()
        assert assistant.currentPage() is step  # stays, says why
        assert "not the same" in step.error.text()
        step.again_edit.setText(PASSWORD)
        step.password_edit.setText(PASSWORD)
    else:
        step.username_edit.setText("j.smith")
        step.password_edit.setText(PASSWORD)
    assistant.next()
    assert assistant.currentPage() is assistant.key
    assert assistant.user is not None and assistant.user.role.value == "administrator"
    if stop_at_key:
        return

    key = assistant.key
    assert not next_enabled(assistant)
    if assistant.recovery_key:
        sheet = tmp / "recovery-key.pdf"
        key.save_pdf_to(sheet)
        assert stat.S_IMODE(sheet.stat().st_mode) == 0o600
        data = sheet.read_bytes()
        assert len(pages(data)) == 1
        text = text_of(data)
        assert "St Hilda's Church of England School" in text
        for group in assistant.recovery_key.split("-"):
            assert group in text
        key.kept.setChecked(True)
        key.check_edit.setText("ZZZZ")
        assert not next_enabled(assistant)  # the typed check must match the copy
        key.check_edit.setText(assistant.recovery_key.split("-")[-1].lower())
    else:
        key.kept.setChecked(True)
    assert next_enabled(assistant)
    assistant.next()

    policy = assistant.policy
    assert assistant.currentPage() is policy
    policy.editors["police_after_minutes"].findChild(QSpinBox).setValue(10)
    assistant.next()
    assert assistant.currentPage() is policy
    assert "police step must come after the emergency-contact step" in policy.error.text()
    policy.editors["emergency_contact_after_minutes"].findChild(QSpinBox).setValue(5)
    end = policy.editors["working_day_end"].findChild(QTimeEdit)
    end.setTime(end.time().fromString("16:00", "HH:mm"))
    policy.editors["parent_wait_limit_minutes"].findChild(QSpinBox).setValue(5)
    assistant.next()

    people = assistant.people
    assert assistant.currentPage() is people
    assert not next_enabled(assistant)
    people.later_button.setChecked(True)
    assert next_enabled(assistant)
    assistant.button(QWizard.WizardButton.FinishButton).click()


def test_a_new_school_is_walked_from_an_empty_database_to_a_working_board(
    qtbot, new_school: OpenedDatabase, clock: FakeClock, data_dir: Path, tmp_path: Path
):
    database = new_school.database
    assert FirstRun(database, clock).state().needed
    services = Services.build(database, clock)
    assistant = FirstRunAssistant(services, recovery_key=new_school.recovery_key, folder=data_dir)
    qtbot.addWidget(assistant)
    assistant.show()
    walk(assistant, tmp_path)
    assert assistant.finished_setup and assistant.user is not None
    assert not FirstRun(database, clock).state().needed

    window = MainWindow(
        Services.build(database, clock), AboutInfo(data_dir=data_dir, log_file=None)
    )
    qtbot.addWidget(window)
    window.current_user.sign_in(assistant.user)
    window.show()
    assert window.windowTitle() == "hvdesk: St Hilda's Church of England School"
    assert window.stack.currentWidget() is window.board_page
    assert window.board_page.model.rowCount() == 0
    policy = window.policy
    assert (policy.emergency_contact_after_minutes, policy.police_after_minutes) == (5, 10)
    assert policy.working_day_end == time(16, 0) and policy.parent_wait_limit_minutes == 5
    context = DocumentService(database, clock).blank_context()
    assert context.logo is not None and context.logo.startswith(b"\x89PNG")
    assert context.school_name == "St Hilda's Church of England School"
    window.timers.stop_all()
    window.close()


def test_the_recovery_key_step_cannot_be_passed_unconfirmed(
    qtbot, new_school: OpenedDatabase, clock: FakeClock, data_dir: Path, tmp_path: Path, monkeypatch
):
    database: Database = new_school.database
    assistant = FirstRunAssistant(
        Services.build(database, clock), recovery_key=new_school.recovery_key, folder=data_dir
    )
    qtbot.addWidget(assistant)
    assistant.show()
    walk(assistant, tmp_path, stop_at_key=True)
    assistant.next()  # Next is greyed out; asking anyway is refused in words
    assert assistant.currentPage() is assistant.key
    assert "Tick the box" in assistant.key.error.text()
    assert not FirstRun(database, clock).state().recovery_key_confirmed
    with pytest.raises(Exception, match="recovery key"):
        FirstRun(database, clock).complete(assistant.user)  # type: ignore[arg-type]
    # "Stop for now" asks first; No stays, Yes stops (the set-up is still needed).
    answers = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]
    monkeypatch.setattr(QMessageBox, "question", lambda *a: answers.pop(0))
    assistant.button(QWizard.WizardButton.CancelButton).click()
    assert assistant.isVisible()
    assistant.button(QWizard.WizardButton.CancelButton).click()
    assert not assistant.isVisible() and not assistant.finished_setup
    assert FirstRun(database, clock).state().needed
