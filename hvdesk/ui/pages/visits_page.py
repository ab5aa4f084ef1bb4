"""All visits, latest first, with a status filter: the office's register of home visits.

Under the table, the request actions: a new visit request, editing a draft or a request sent
back for changes, submitting it, and the hooks for its risk assessment and after-visit record
(signals the main window connects to those dialogs). Then the selected visit's documents (Home
Visit Form, Record of Home Visit, risk assessment, authorisation certificate, police sheet), each
to preview, print or save as a PDF, and the blank Home Visit Form for when the system is down;
the same on the context menu."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QMenu, QPushButton, QWidget

from hvdesk.clock import Clock
from hvdesk.domain.visits import VisitStatus
from hvdesk.errors import HvdeskError
from hvdesk.services.container import Services
from hvdesk.services.directory import VisitRow
from hvdesk.services.documents import DocumentKind
from hvdesk.services.identity import SignedInUser
from hvdesk.services.visit_requests import EDITABLE, RequestNotReady
from hvdesk.ui.current_user import CurrentUser
from hvdesk.ui.document_actions import DocumentActions, DocumentBar, DocumentEntry
from hvdesk.ui.formatting import show_date_time, show_time, sort_instant
from hvdesk.ui.pages.base import ListPage
from hvdesk.ui.row_table_model import RIGHT, Column
from hvdesk.ui.visit_request.dialog import VisitRequestDialog

_STATUS_ORDER = {s: i for i, s in enumerate(VisitStatus)}

COLUMNS: list[Column[VisitRow]] = [
    Column("No.", lambda r: str(r.id), align=RIGHT, sort_key=lambda r: r.id, shrink=False),
    Column(
        "Planned",
        lambda r: f"{show_date_time(r.planned_start)}–{show_time(r.planned_end)}",
        sort_key=lambda r: sort_instant(r.planned_start),
        shrink=False,
    ),
    Column(
        "Status", lambda r: r.status_label, sort_key=lambda r: _STATUS_ORDER[r.status], shrink=False
    ),
    Column("Pupil", lambda r: r.pupil_name or ""),
    Column("Area", lambda r: r.area),
    Column("Visitors", lambda r: ", ".join(r.visitors)),
    Column("Reason", lambda r: r.reason, tooltip=lambda r: r.reason, stretch=True),
]

ALL_STATUSES = "All statuses"
RECORDABLE: frozenset[VisitStatus] = frozenset({VisitStatus.OUT, VisitStatus.COMPLETED})
"""Visits that have happened (or are happening), so have an after-visit record to write."""

DOCUMENTS = (
    DocumentEntry(DocumentKind.VISIT_FORM, "Home &Visit Form"),
    DocumentEntry(DocumentKind.VISIT_RECORD, "&Record of Home Visit"),
    DocumentEntry(DocumentKind.RISK_ASSESSMENT, "Risk &assessment"),
    DocumentEntry(DocumentKind.AUTHORISATION, "A&uthorisation"),
    DocumentEntry(DocumentKind.POLICE_SHEET, "&Police sheet"),
    DocumentEntry(DocumentKind.VISIT_FORM, "&Blank form", blank=True),
)


class VisitsPage(ListPage[VisitRow]):
    """The visits register, and where visit requests are made, edited and submitted."""

    risk_assessment_requested = Signal(int, object)
    """Open the risk assessment of visit (id); the object is the widget to parent it to."""
    visit_record_requested = Signal(int, object)
    """Open the after-visit record of visit (id); the object is the widget to parent it to."""

    title = "Visits"
    icon_name = "visits"
    noun = ("visit", "visits")
    search_hint = "Type a pupil, area, reason, visitor or visit number"
    empty_text = "No visits are recorded yet."

    def __init__(
        self,
        services: Services,
        parent: QWidget | None = None,
        *,
        current_user: CurrentUser | None = None,
    ) -> None:
        super().__init__(COLUMNS, key=lambda r: r.id, parent=parent)
        self.clock: Clock = services.clock
        self.current_user = current_user
        self.directory = services.directory
        self.requests = services.visit_requests
        self.lookups = services.lookups
        self.request_dialog: VisitRequestDialog | None = None
        self.status_box = QComboBox()
        self.status_box.setAccessibleName("Show visits with status")
        self.status_box.addItem(ALL_STATUSES, None)
        for status in VisitStatus:
            self.status_box.addItem(status.label, status.value)
        self.status_box.currentIndexChanged.connect(lambda _i: self.refresh())
        status_label = QLabel("S&tatus:")
        status_label.setBuddy(self.status_box)
        self.search_row.addSpacing(16)
        self.search_row.addWidget(status_label)
        self.search_row.addWidget(self.status_box)

        self._build_request_bar()
        self.documents = DocumentActions(services.documents, self)
        self.document_bar = DocumentBar(self.documents, DOCUMENTS, record_noun="visit")
        self.layout_.addWidget(self.document_bar)
        self.selected_row_changed.connect(self._show_documents)
        self.selected_row_changed.connect(self._update_request_buttons)
        if current_user is not None:
            current_user.changed.connect(self._update_request_buttons)
        self._update_request_buttons()

    def _build_request_bar(self) -> None:
        self.new_button = QPushButton("&New visit request…")
        self.edit_button = QPushButton("&Edit request…")
        self.submit_button = QPushButton("Sub&mit")
        self.submit_button.setToolTip("Send the selected request to the authorisers")
        self.risk_button = QPushButton("R&isk assessment…")
        self.record_button = QPushButton("After-visit rec&ord…")
        for button in (
            self.new_button,
            self.edit_button,
            self.submit_button,
            self.risk_button,
            self.record_button,
        ):
            button.setAutoDefault(False)
        self.request_note = QLabel()
        self.request_note.setWordWrap(True)
        self.request_note.setTextFormat(Qt.TextFormat.PlainText)
        self.request_note.hide()
        bar = QHBoxLayout()
        bar.setSpacing(8)
        bar.addWidget(self.new_button)
        bar.addWidget(self.edit_button)
        bar.addWidget(self.submit_button)
        bar.addSpacing(16)
        bar.addWidget(self.risk_button)
        bar.addWidget(self.record_button)
        bar.addStretch(1)
        self.layout_.addLayout(bar)
        self.layout_.addWidget(self.request_note)
        self.new_button.clicked.connect(self.new_request)
        self.edit_button.clicked.connect(self.edit_request)
        self.submit_button.clicked.connect(self.submit_request)
        self.risk_button.clicked.connect(self._ask_for_risk_assessment)
        self.record_button.clicked.connect(self._ask_for_visit_record)

    @property
    def status_filter(self) -> VisitStatus | None:
        value = self.status_box.currentData()
        return VisitStatus(value) if value else None

    def rows(self) -> list[VisitRow]:
        return self.directory.visits(status=self.status_filter)

    def refresh(self) -> None:
        super().refresh()
        self._show_documents()  # a risk assessment may have been written since

    def context_menu(self, position: QPoint) -> QMenu:
        return self.document_bar.menu(self)

    def _show_documents(self) -> None:
        row = self.selected_row()
        self.document_bar.set_record(row.id if row is not None else None)

    # -- visit requests ------------------------------------------------------------------------

    def new_request(self) -> VisitRequestDialog | None:
        """Open an empty request form (window-modal; the page refreshes when it closes)."""
        return self._open_request(None)

    def edit_request(self) -> VisitRequestDialog | None:
        """Reopen the selected draft or sent-back request, with the authoriser's comment."""
        row = self.selected_row()
        if row is None or row.status not in EDITABLE:
            return None
        return self._open_request(row.id)

    def submit_request(self) -> None:
        """Submit the selected request as it is saved; refused with every blocker listed."""
        row = self.selected_row()
        user = self._user()
        if row is None or user is None or row.status not in EDITABLE:
            return
        try:
            warnings = self.requests.submit(row.id, user)
        except RequestNotReady as exc:
            lines = "\n".join(f"• {p.message}" for p in exc.problems)
            self._note(f"Visit {row.id} was not submitted. Put these right first:\n{lines}", True)
            return
        except HvdeskError as exc:
            self._note(str(exc), True)
            return
        self._submitted(row.id, len(warnings))

    def _open_request(self, visit_id: int | None) -> VisitRequestDialog | None:
        user = self._user()
        if user is None:
            return None
        try:
            dialog = VisitRequestDialog(
                self.requests, self.lookups, self.clock, user, visit_id, parent=self
            )
        except HvdeskError as exc:
            self._note(str(exc), True)
            return None
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(self._request_saved)
        dialog.submitted.connect(lambda saved_id: self._submitted(saved_id, 0))
        dialog.risk_assessment_requested.connect(
            lambda saved_id: self.risk_assessment_requested.emit(saved_id, dialog)
        )
        dialog.finished.connect(self._request_closed)
        self.request_dialog = dialog
        dialog.open()
        return dialog

    def _request_saved(self, visit_id: int) -> None:
        self.refresh()
        self.select_row(lambda r: r.id == visit_id)

    def _request_closed(self) -> None:
        self.request_dialog = None
        self.refresh()

    def _submitted(self, visit_id: int, warnings: int) -> None:
        extra = f" ({warnings} warning{'s' if warnings != 1 else ''} noted)" if warnings else ""
        self._note(f"Visit {visit_id} was sent for authorisation{extra}.", False)
        self.refresh()
        self.select_row(lambda r: r.id == visit_id)

    def _ask_for_risk_assessment(self) -> None:
        row = self.selected_row()
        if row is not None:
            self.risk_assessment_requested.emit(row.id, self)

    def _ask_for_visit_record(self) -> None:
        row = self.selected_row()
        if row is not None:
            self.visit_record_requested.emit(row.id, self)

    def _note(self, text: str, refused: bool) -> None:
        self.request_note.setObjectName("inlineError" if refused else "pageSummary")
        self.request_note.style().unpolish(self.request_note)
        self.request_note.style().polish(self.request_note)
        self.request_note.setText(text)
        self.request_note.show()

    def _user(self) -> SignedInUser | None:
        return self.current_user.user if self.current_user is not None else None

    def _update_request_buttons(self) -> None:
        row = self.selected_row()
        signed_in = self._user() is not None
        editable = signed_in and row is not None and row.status in EDITABLE
        self.new_button.setEnabled(signed_in)
        self.edit_button.setEnabled(editable)
        self.submit_button.setEnabled(editable)
        self.risk_button.setEnabled(editable)
        self.record_button.setEnabled(signed_in and row is not None and row.status in RECORDABLE)
        if not signed_in:
            self.request_note.hide()
