"""Incidents to review: what happened, when, where each one stands and when its review is due
(overdue reviews marked); "Raise incident…" and "Review…" (or a double-click) open the forms;
the selected incident's report to preview, print or save as a PDF (under the table, or its
context menu). Drill incidents are kept apart: shown only under "Drills"."""

from __future__ import annotations

import logging

from PySide6.QtCore import QModelIndex, QPoint
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QMenu, QPushButton, QWidget

from hvdesk.domain.incidents import IncidentStatus, may_review
from hvdesk.errors import HvdeskError
from hvdesk.services.container import Services
from hvdesk.services.documents import DocumentKind
from hvdesk.services.identity import SignedInUser
from hvdesk.services.incidents import IncidentListRow
from hvdesk.ui.current_user import CurrentUser
from hvdesk.ui.document_actions import DocumentActions, DocumentBar, DocumentEntry
from hvdesk.ui.formatting import show_date, show_date_time, sort_date, sort_instant
from hvdesk.ui.icons import icon
from hvdesk.ui.incidents.raise_dialog import RaiseIncidentDialog
from hvdesk.ui.incidents.review_dialog import IncidentReviewDialog
from hvdesk.ui.pages.base import ListPage
from hvdesk.ui.row_table_model import RIGHT, Column

log = logging.getLogger(__name__)

_STATUS_ORDER = {s: i for i, s in enumerate(IncidentStatus)}

# What the "Show" list offers: (label, key).
FILTERS: tuple[tuple[str, str], ...] = (
    ("All incidents", "all"),
    ("Not closed", "not_closed"),
    ("Overdue reviews", "overdue"),
    ("Open", IncidentStatus.OPEN.value),
    ("Under review", IncidentStatus.UNDER_REVIEW.value),
    ("Closed", IncidentStatus.CLOSED.value),
    ("Drills", "drills"),
)


def _due_text(row: IncidentListRow) -> str:
    if row.status is IncidentStatus.CLOSED or row.review_due_on is None:
        return ""
    due = show_date(row.review_due_on)
    return f"Overdue: {due}" if row.overdue else due


def _overdue_icon(row: IncidentListRow) -> QIcon | None:
    return icon("overdue") if row.overdue else None


COLUMNS: list[Column[IncidentListRow]] = [
    Column("No.", lambda r: str(r.id), align=RIGHT, sort_key=lambda r: r.id, shrink=False),
    Column(
        "Occurred",
        lambda r: show_date_time(r.occurred_at),
        sort_key=lambda r: sort_instant(r.occurred_at),
        shrink=False,
    ),
    Column("Kind", lambda r: r.kind),
    Column(
        "Status",
        lambda r: r.status_label,
        sort_key=lambda r: _STATUS_ORDER[r.status],
        bold=lambda r: r.status is IncidentStatus.OPEN,
        shrink=False,
    ),
    Column(
        "Review due",
        _due_text,
        sort_key=lambda r: sort_date(
            None if r.status is IncidentStatus.CLOSED else r.review_due_on
        ),
        icon=_overdue_icon,
        bold=lambda r: r.overdue,
        tooltip=lambda r: "The review is past its due day." if r.overdue else _due_text(r),
        shrink=False,
    ),
    Column(
        "Visit",
        lambda r: "" if r.visit_id is None else f"#{r.visit_id}",
        sort_key=lambda r: r.visit_id or 0,
        shrink=False,
    ),
    Column("Summary", lambda r: r.summary, tooltip=lambda r: r.summary, stretch=True),
]

DOCUMENTS = (DocumentEntry(DocumentKind.INCIDENT, "&Incident report"),)


def _shown(row: IncidentListRow, key: str) -> bool:
    if key in ("all", "drills"):
        return True
    if key == "not_closed":
        return row.status is not IncidentStatus.CLOSED
    if key == "overdue":
        return row.overdue
    return row.status.value == key


class IncidentsPage(ListPage[IncidentListRow]):
    """The incidents list, most recent first, with the review actions."""

    title = "Incidents"
    icon_name = "incidents"
    noun = ("incident", "incidents")
    search_hint = "Type a word from the kind, status or summary"
    empty_text = "No incidents are recorded."

    def __init__(
        self,
        services: Services,
        parent: QWidget | None = None,
        *,
        current_user: CurrentUser | None = None,
    ) -> None:
        super().__init__(COLUMNS, key=lambda r: r.id, parent=parent)
        self.clock = services.clock
        self.incidents = services.incidents
        self.current_user = current_user
        self.review_dialog: IncidentReviewDialog | None = None
        self.raise_dialog: RaiseIncidentDialog | None = None
        self._overdue = 0

        self.show_filter = QComboBox()
        self.show_filter.setAccessibleName("Show incidents")
        for text, key in FILTERS:
            self.show_filter.addItem(text, key)
        show_label = QLabel("S&how:")
        show_label.setBuddy(self.show_filter)
        self.search_row.addSpacing(12)
        self.search_row.addWidget(show_label)
        self.search_row.addWidget(self.show_filter)
        self.show_filter.currentIndexChanged.connect(self.refresh)

        self.raise_button = QPushButton("&Raise incident…")
        self.review_button = QPushButton("Re&view…")
        self.overdue_label = QLabel()
        self.overdue_label.setObjectName("inlineError")
        self.overdue_label.hide()
        actions = QHBoxLayout()
        actions.setSpacing(8)
        actions.addWidget(self.raise_button)
        actions.addWidget(self.review_button)
        actions.addSpacing(12)
        actions.addWidget(self.overdue_label)
        actions.addStretch(1)
        self.layout_.insertLayout(self.layout_.indexOf(self.table), actions)
        self.raise_button.clicked.connect(self.raise_incident)
        self.review_button.clicked.connect(self.open_review)
        self.table.doubleClicked.connect(self._double_clicked)

        self.documents = DocumentActions(services.documents, self)
        self.document_bar = DocumentBar(self.documents, DOCUMENTS, record_noun="incident")
        self.layout_.addWidget(self.document_bar)
        self.selected_row_changed.connect(self._selection_changed)
        if current_user is not None:
            current_user.changed.connect(self._user_changed)
        self._update_actions()

    # -- the list ------------------------------------------------------------------------------

    @property
    def filter_key(self) -> str:
        return str(self.show_filter.currentData())

    def show_only(self, key: str) -> None:
        """Choose what the list shows (a key of FILTERS)."""
        self.show_filter.setCurrentIndex(self.show_filter.findData(key))

    def rows(self) -> list[IncidentListRow]:
        key = self.filter_key
        rows = self.incidents.list_incidents(drills=key == "drills")
        self._overdue = sum(r.overdue for r in rows)
        return [r for r in rows if _shown(r, key)]

    def refresh(self) -> None:
        self._overdue = 0
        super().refresh()
        overdue = self._overdue
        self.overdue_label.setText(f"{overdue} review{'s' if overdue != 1 else ''} overdue")
        self.overdue_label.setVisible(overdue > 0)
        self._selection_changed()

    def context_menu(self, position: QPoint) -> QMenu:
        return self.document_bar.menu(self)

    # -- the actions ---------------------------------------------------------------------------

    @property
    def user(self) -> SignedInUser | None:
        return self.current_user.user if self.current_user is not None else None

    def raise_incident(self) -> RaiseIncidentDialog | None:
        """Open the raise form (window-modal); the list shows the new incident once recorded."""
        user = self.user
        if user is None:
            return None
        try:
            dialog = RaiseIncidentDialog(self.incidents, user, self.clock, self)
        except HvdeskError as exc:
            self._show_problem(exc)
            return None
        dialog.raised.connect(self._raised)
        dialog.finished.connect(self._raise_closed)
        self.raise_dialog = dialog
        dialog.open()
        return dialog

    def open_review(self) -> IncidentReviewDialog | None:
        """Open the selected incident's review beside its visit's timeline (not modal)."""
        user, row = self.user, self.selected_row()
        if user is None or row is None or not may_review(user.role):
            return None
        if self.review_dialog is not None:
            self.review_dialog.close()
        try:
            dialog = IncidentReviewDialog(self.incidents, user, self.clock, row.id, self)
        except HvdeskError as exc:
            self._show_problem(exc)
            return None
        dialog.changed.connect(self._reviewed)
        dialog.finished.connect(self._review_closed)
        self.review_dialog = dialog
        dialog.show()
        return dialog

    def _raised(self, incident_id: int) -> None:
        log.info("Incident %s raised from the Incidents page", incident_id)
        if self.filter_key not in ("all", "not_closed", IncidentStatus.OPEN.value):
            self.show_only("all")
        self.refresh()
        self.select_row(lambda r: r.id == incident_id)

    def _reviewed(self, incident_id: int) -> None:
        self.refresh()
        self.select_row(lambda r: r.id == incident_id)

    def _raise_closed(self) -> None:
        dialog = self.raise_dialog
        self.raise_dialog = None
        if dialog is not None:
            dialog.deleteLater()

    def _user_changed(self) -> None:
        """A form open in one user's name never carries on in another's (switch user, lock)."""
        for dialog in (self.review_dialog, self.raise_dialog):
            if dialog is not None:
                dialog.close()
        self._update_actions()

    def _review_closed(self) -> None:
        dialog = self.review_dialog
        self.review_dialog = None
        if dialog is not None:
            dialog.deleteLater()

    def _show_problem(self, exc: HvdeskError) -> None:
        self.problem_label.setText(str(exc))
        self.problem_label.show()

    def _double_clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_review()

    def _selection_changed(self) -> None:
        row = self.selected_row()
        self.document_bar.set_record(row.id if row is not None else None)
        self._update_actions()

    def _update_actions(self) -> None:
        user = self.user
        self.raise_button.setEnabled(user is not None)
        self.raise_button.setToolTip(
            "Record an incident during or after a visit, or with no visit."
            if user is not None
            else "Sign in to raise an incident."
        )
        row = self.selected_row()
        if user is None:
            tip = "Sign in to review incidents."
        elif not may_review(user.role):
            tip = "Incident reviews are written by the DSL, a deputy DSL, the headteacher or SLT."
        elif row is None:
            tip = "Select an incident in the list first."
        else:
            tip = f"Open the review of incident {row.id} beside its visit's timeline."
        self.review_button.setEnabled(
            user is not None and may_review(user.role) and row is not None
        )
        self.review_button.setToolTip(tip)
