"""Subject access requests: the open ones with their deadlines, logging a new one, exporting
everything held about the person to a PDF, and marking a request complete.

For the DSL, deputies and the administrator; the service refuses anyone else, and the tab
says so in words. Where to save, the reason for completing without an export and the
confirmation are asked through injectable callables, so tests answer them without a modal box.
The PDF is written whole or not at all (hvdesk.safe_files.write_atomically); the export is
recorded only once the file is written.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from hvdesk.domain.subject_access import may_handle_subject_access
from hvdesk.errors import HvdeskError
from hvdesk.safe_files import write_atomically
from hvdesk.services.subject_access import RequestRow, SubjectAccess
from hvdesk.ui.column_fitter import ColumnFitter
from hvdesk.ui.current_user import CurrentUser
from hvdesk.ui.data_protection.log_request_dialog import LogRequestDialog
from hvdesk.ui.dialogs.inline_error import InlineError
from hvdesk.ui.formatting import show_date, show_when_by, sort_date, sort_instant
from hvdesk.ui.icons import icon
from hvdesk.ui.pages.base import make_table
from hvdesk.ui.row_table_model import RIGHT, Column, RowTableModel

ChooseFile = Callable[[str], Path | None]
AskNote = Callable[[str], str | None]
Confirm = Callable[[str], bool]
OpenDialog = Callable[[LogRequestDialog], int]

INTRO = (
    "A request for everything held about a person (a pupil, a parent or other adult, or a "
    "member of staff). Reply within one calendar month of receiving it. The export marks "
    "third parties' names “redact?”: decide each before sending, and keep the redaction "
    "schedule at the front for yourself."
)
NOT_FOR_YOU = (
    "Subject access requests are handled by the DSL, a deputy DSL or the administrator. Sign "
    "in as one of them to see and answer them."
)


def _overdue(row: RequestRow) -> bool:
    return row.is_open and row.days_left < 0


def _exported(row: RequestRow) -> str:
    if row.exported_at is None:
        return "Not yet"
    return show_when_by(row.exported_at, row.exported_by)


COLUMNS: list[Column[RequestRow]] = [
    Column("No.", lambda r: str(r.request_id), align=RIGHT, sort_key=lambda r: r.request_id),
    Column(
        "Whose records",
        lambda r: f"{r.subject_name} ({r.kind.label.lower()})",
        stretch=True,
    ),
    Column("Requested by", lambda r: r.requested_by, tooltip=lambda r: r.note or ""),
    Column(
        "Received",
        lambda r: show_date(r.received_on),
        sort_key=lambda r: sort_date(r.received_on),
        shrink=False,
    ),
    Column(
        "Due",
        lambda r: show_date(r.due_on),
        sort_key=lambda r: sort_date(r.due_on),
        shrink=False,
    ),
    Column(
        "Days left",
        lambda r: r.state,
        sort_key=lambda r: r.days_left if r.is_open else 10**6,
        icon=lambda r: icon("overdue") if _overdue(r) else None,
        bold=_overdue,
        shrink=False,
    ),
    Column(
        "Exported",
        _exported,
        sort_key=lambda r: sort_instant(r.exported_at),
        shrink=False,
    ),
]


def _ask_file(parent: QWidget) -> ChooseFile:
    def ask(suggested: str) -> Path | None:
        chosen, _ = QFileDialog.getSaveFileName(
            parent,
            "Save the subject access export",
            str(Path.home() / suggested),
            "PDF documents (*.pdf)",
        )
        return Path(chosen) if chosen else None

    return ask


def _ask_note(parent: QWidget) -> AskNote:
    def ask(prompt: str) -> str | None:
        text, ok = QInputDialog.getText(parent, "Mark complete", prompt)
        return text if ok else None

    return ask


def _ask_confirm(parent: QWidget) -> Confirm:
    def ask(question: str) -> bool:
        answer = QMessageBox.question(parent, "Mark complete", question)
        return answer == QMessageBox.StandardButton.Yes

    return ask


class SubjectAccessTab(QWidget):
    """The list of requests and the three things done with them."""

    def __init__(
        self,
        service: SubjectAccess,
        current_user: CurrentUser,
        parent: QWidget | None = None,
        *,
        choose_file: ChooseFile | None = None,
        ask_note: AskNote | None = None,
        confirm: Confirm | None = None,
        open_dialog: OpenDialog | None = None,
    ) -> None:
        super().__init__(parent)
        self.service = service
        self.current_user = current_user
        self._choose_file = choose_file or _ask_file(self)
        self._ask_note = ask_note or _ask_note(self)
        self._confirm = confirm or _ask_confirm(self)
        self._open_dialog = open_dialog or (lambda dialog: dialog.exec())

        intro = QLabel(INTRO)
        intro.setWordWrap(True)
        self.error = InlineError()
        self.notice = QLabel()
        self.notice.setObjectName("pageSummary")
        self.notice.setWordWrap(True)
        self.notice.setTextFormat(Qt.TextFormat.PlainText)
        self.notice.hide()

        self.log_button = QPushButton("&Log request…")
        self.log_button.clicked.connect(self.log_request)
        self.export_button = QPushButton("&Export PDF…")
        self.export_button.clicked.connect(self.export_selected)
        self.complete_button = QPushButton("&Mark complete")
        self.complete_button.clicked.connect(self.complete_selected)
        self.show_completed = QCheckBox("Show &completed requests")
        self.show_completed.toggled.connect(self.refresh)

        self.model: RowTableModel[RequestRow] = RowTableModel(
            COLUMNS, key=lambda r: r.request_id, parent=self
        )
        self.view = make_table("Subject access requests")
        self.view.setModel(self.model)
        self.fitter = ColumnFitter(
            self.view, stretch=self.model.stretch_column(), keep=self.model.fixed_columns()
        )
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.view.doubleClicked.connect(lambda _index: self.export_selected())

        buttons = QHBoxLayout()
        buttons.setSpacing(8)
        for button in (self.log_button, self.export_button, self.complete_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.show_completed)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.error)
        layout.addWidget(self.notice)
        layout.addLayout(buttons)
        layout.addWidget(self.view, 1)
        # Read when the page is shown (DataProtectionPage.refresh) or the user changes, not
        # here as well: the page is built just before it is first shown.
        current_user.changed.connect(self.refresh)
        self._update_buttons()

    # --- reading -----------------------------------------------------------------------------

    def refresh(self) -> None:
        user = self.current_user.user
        self.error.hide()
        if user is None or not may_handle_subject_access(user.role):
            self.model.set_rows([])
            self._say(NOT_FOR_YOU)
        else:
            try:
                rows = self.service.requests(
                    user, include_completed=self.show_completed.isChecked()
                )
            except HvdeskError as exc:
                self.model.set_rows([])
                self._say(str(exc))
            else:
                self.model.set_rows(rows)
                if rows:
                    self.fitter.fit()
        self._update_buttons()

    def selected(self) -> RequestRow | None:
        rows = self.view.selectionModel().selectedRows()
        if not rows:
            return None
        return self.model.row(rows[0].row())

    def select(self, request_id: int) -> bool:
        for position, row in enumerate(self.model.rows):
            if row.request_id == request_id:
                self.view.selectRow(position)
                return True
        return False

    # --- acting ------------------------------------------------------------------------------

    def log_request(self) -> None:
        user = self.current_user.user
        if user is None or not may_handle_subject_access(user.role):
            self._say(NOT_FOR_YOU)
            return
        dialog = LogRequestDialog(self.service, user, self)
        try:
            accepted = self._open_dialog(dialog) == QDialog.DialogCode.Accepted
            request_id = dialog.request_id
        finally:
            dialog.deleteLater()
        if not accepted or request_id is None:
            return
        self.refresh()
        self.select(request_id)
        self._tell(f"Request {request_id} logged.")

    def export_selected(self) -> None:
        user = self.current_user.user
        row = self.selected()
        if user is None or row is None:
            self._say("Select the request to export.")
            return
        path = self._choose_file(self.service.filename(row.request_id))
        if path is None:
            return
        if path.suffix.lower() != ".pdf":
            path = path.with_name(path.name + ".pdf")
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.service.export(row.request_id, user, lambda pdf: write_atomically(path, pdf))
        except HvdeskError as exc:
            self._say(str(exc))
            return
        finally:
            QGuiApplication.restoreOverrideCursor()
        self.refresh()
        self.select(row.request_id)
        self._tell(
            f"Request {row.request_id} exported to {path}. Decide each “redact?” mark before "
            "sending; the redaction schedule at the front is for you, not the requester."
        )

    def complete_selected(self) -> None:
        user = self.current_user.user
        row = self.selected()
        if user is None or row is None or not row.is_open:
            self._say("Select an open request to mark complete.")
            return
        note: str | None = None
        if row.exported_at is None:
            note = self._ask_note(
                f"Request {row.request_id} has not been exported. Why is it complete "
                "(withdrawn, identity not confirmed, nothing held)?"
            )
            if note is None:
                return
        elif not self._confirm(
            f"Mark request {row.request_id} complete? It leaves the list of open requests."
        ):
            return
        try:
            self.service.mark_complete(row.request_id, user, note=note)
        except HvdeskError as exc:
            self._say(str(exc))
            return
        self.refresh()
        self._tell(f"Request {row.request_id} marked complete.")

    # --- showing -----------------------------------------------------------------------------

    def _update_buttons(self, *_: object) -> None:
        user = self.current_user.user
        allowed = user is not None and may_handle_subject_access(user.role)
        row = self.selected()
        self.log_button.setEnabled(allowed)
        self.export_button.setEnabled(allowed and row is not None)
        self.complete_button.setEnabled(allowed and row is not None and row.is_open)
        self.show_completed.setEnabled(allowed)

    def _say(self, message: str) -> None:
        self.notice.hide()
        self.error.show_message(message)

    def _tell(self, message: str) -> None:
        self.error.hide()
        self.notice.setText(message)
        self.notice.show()
