# ruff: noqa: F811  (the demo-school fixtures are imported by name)
"""The subject access tab: log a request through the dialog, export it to a file written
whole, mark it complete; reception is told the requests are not theirs. And the data
protection page that holds it beside the retention review."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from pypdf import PdfReader
from PySide6.QtWidgets import QDialog

from hvdesk.db.models import Pupil, SubjectAccessRequest, Visit
from hvdesk.services.container import Services
from hvdesk.services.subject_access import SubjectAccess, SubjectKind
from hvdesk.ui.current_user import CurrentUser
from hvdesk.ui.data_protection.log_request_dialog import LogRequestDialog
from hvdesk.ui.data_protection.retention_tab import RetentionTab
from hvdesk.ui.data_protection.subject_access_tab import NOT_FOR_YOU, SubjectAccessTab
from hvdesk.ui.pages.data_protection_page import DataProtectionPage
from tests.board_school import School, demo_template, school  # noqa: F401


class Answers:
    """Stands in for the save box, the reason box, the confirmation and the dialog's exec."""

    def __init__(self) -> None:
        self.file: Path | None = None
        self.note: str | None = None
        self.confirm = True
        self.asked: list[str] = []
        self.fill: object = None  # called with the dialog to fill it in

    def choose_file(self, suggested: str) -> Path | None:
        self.asked.append(suggested)
        return self.file

    def ask_note(self, prompt: str) -> str | None:
        self.asked.append(prompt)
        return self.note

    def ask_confirm(self, question: str) -> bool:
        self.asked.append(question)
        return self.confirm

    def open_dialog(self, dialog: LogRequestDialog) -> int:
        assert callable(self.fill)
        self.fill(dialog)
        return int(dialog.result())


@pytest.fixture
def tab(qtbot, school: School) -> Iterator[tuple[SubjectAccessTab, CurrentUser, Answers]]:
    user = CurrentUser()
    answers = Answers()
    widget = SubjectAccessTab(
        SubjectAccess(school.database, school.clock),
        user,
        choose_file=answers.choose_file,
        ask_note=answers.ask_note,
        confirm=answers.ask_confirm,
        open_dialog=answers.open_dialog,
    )
    qtbot.addWidget(widget)
    yield widget, user, answers


@pytest.fixture
def pupil(school: School) -> tuple[int, str]:
    with school.database.session() as session:
        pupil_id = session.scalars(
            sa.select(Visit.pupil_id)
            .where(Visit.pupil_id.is_not(None))
            .group_by(Visit.pupil_id)
            .order_by(sa.func.count().desc(), Visit.pupil_id)
        ).first()
        found = session.get(Pupil, pupil_id)
        assert found is not None
        return found.id, found.full_name


def test_the_dialog_finds_the_person_shows_the_deadline_and_logs_the_request(
    tab, school: School, pupil: tuple[int, str]
) -> None:
    widget, user, answers = tab
    user.sign_in(school.user("s.whitfield"))
    pupil_id, name = pupil

    def fill(dialog: LogRequestDialog) -> None:
        dialog.submit()  # nothing chosen yet: refused, stays open
        assert "choose them" in dialog.error_text
        dialog.search_edit.setText(name)
        assert dialog.choose(SubjectKind.PUPIL, pupil_id)
        assert name in dialog.chosen_label.text()
        dialog.received_edit.setDate(dialog.received_edit.date().addDays(-3))  # 20 Nov
        assert "Sunday 20 December 2026" in dialog.due_label.text()
        dialog.submit()  # no requester yet
        assert "who made the request" in dialog.error_text
        assert dialog.result() != QDialog.DialogCode.Accepted
        dialog.requester_edit.setText("Their mother, by e-mail")
        dialog.resize(640, 560)
        dialog.grab().save("/tmp/subject-access-dialog.png")
        dialog.submit()

    answers.fill = fill
    widget.log_request()
    assert widget.model.rowCount() == 1
    row = widget.model.row(0)
    assert (row.subject_id, row.requested_by) == (pupil_id, "Their mother, by e-mail")
    assert (row.received_on, row.due_on) == (date(2026, 11, 20), date(2026, 12, 20))
    assert row.state == "27 days left"
    assert "logged" in widget.notice.text()
    assert widget.selected() == row


def test_export_writes_the_pdf_records_it_and_the_request_can_be_completed(
    tab, school: School, pupil: tuple[int, str], tmp_path: Path
) -> None:
    widget, user, answers = tab
    dsl = school.user("s.whitfield")
    request_id = SubjectAccess(school.database, school.clock).log_request(
        SubjectKind.PUPIL, pupil[0], "A solicitor", date(2026, 10, 20), dsl
    )
    user.sign_in(dsl)
    assert widget.select(request_id)
    assert not widget.export_button.isEnabled() or widget.selected() is not None
    answers.file = tmp_path / "export"  # no suffix typed: .pdf is added
    widget.export_selected()
    written = tmp_path / "export.pdf"
    assert answers.asked[-1] == f"subject-access-request-{request_id}.pdf"
    assert written.exists() and not list(tmp_path.glob(".*.part"))
    text = "\n".join(page.extract_text() for page in PdfReader(written).pages)
    assert pupil[1] in text and "Redaction schedule" in text
    row = widget.model.row(0)
    assert row.exported_at == school.clock.now()
    assert widget.model.data(widget.model.index(0, 6)).startswith("23 Nov 2026 10:30 by")
    assert "exported to" in widget.notice.text()

    widget.resize(1100, 520)
    widget.grab().save("/tmp/subject-access-tab.png")

    answers.confirm = False
    widget.complete_selected()
    assert widget.model.rowCount() == 1  # said no
    answers.confirm = True
    widget.complete_selected()
    assert widget.model.rowCount() == 0  # completed requests are hidden…
    widget.show_completed.setChecked(True)
    assert widget.model.row(0).state == "Completed"  # …until asked for


def test_completing_without_an_export_asks_why(tab, school: School, pupil: tuple[int, str]) -> None:
    widget, user, answers = tab
    dsl = school.user("s.whitfield")
    request_id = SubjectAccess(school.database, school.clock).log_request(
        SubjectKind.PUPIL, pupil[0], "A parent", date(2026, 11, 1), dsl
    )
    user.sign_in(dsl)
    widget.select(request_id)
    answers.note = None
    widget.complete_selected()  # cancelled
    assert widget.model.rowCount() == 1
    answers.note = "Withdrawn by the parent on 22 Nov"
    widget.complete_selected()
    assert "has not been exported" in answers.asked[-1]
    with school.database.session() as session:
        stored = session.get(SubjectAccessRequest, request_id)
        assert stored is not None and stored.completed_at is not None
        assert stored.note == "Withdrawn by the parent on 22 Nov"


def test_an_overdue_request_says_so_in_words(tab, school: School, pupil: tuple[int, str]) -> None:
    widget, user, _ = tab
    dsl = school.user("s.whitfield")
    SubjectAccess(school.database, school.clock).log_request(
        SubjectKind.PUPIL, pupil[0], "A parent", date(2026, 10, 2), dsl
    )
    user.sign_in(dsl)
    state = widget.model.index(0, 5)
    assert widget.model.data(state) == "Overdue by 21 days"


def test_reception_is_told_the_requests_are_not_theirs(
    tab, school: School, pupil: tuple[int, str]
) -> None:
    widget, user, _ = tab
    SubjectAccess(school.database, school.clock).log_request(
        SubjectKind.PUPIL, pupil[0], "A parent", date(2026, 11, 1), school.user("s.whitfield")
    )
    user.sign_in(school.user("k.lewis"))
    assert widget.model.rowCount() == 0
    assert widget.error.message == NOT_FOR_YOU
    assert not widget.log_button.isEnabled() and not widget.export_button.isEnabled()
    user.sign_out()
    assert widget.error.message == NOT_FOR_YOU


def test_the_page_holds_subject_access_and_the_retention_review(qtbot, school: School) -> None:
    user = CurrentUser()
    page = DataProtectionPage(Services.build(school.database, school.clock), user)
    qtbot.addWidget(page)
    tabs = [page.tabs.tabText(i).replace("&", "") for i in range(page.tabs.count())]
    assert tabs == ["Subject access", "Retention"]
    assert isinstance(page.tabs.widget(0), SubjectAccessTab)
    assert isinstance(page.tabs.widget(1), RetentionTab)
    SubjectAccess(school.database, school.clock).log_request(
        SubjectKind.STAFF, 1, "The member of staff", date(2026, 11, 16), school.user("p.stanton")
    )
    user.sign_in(school.user("s.whitfield"))
    page.refresh()
    assert page.subject_access_tab.model.rowCount() == 1
    page.resize(1180, 640)
    page.show()
    qtbot.waitExposed(page)
    page.grab().save("/tmp/data-protection-page.png")
    page.close()
