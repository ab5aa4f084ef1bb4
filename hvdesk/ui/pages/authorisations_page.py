"""The authorisers' queue: visit requests waiting for a decision, oldest first, with how long
each has waited, and (second view) the authorised visits still to happen, which may be amended.

How long a request has waited is computed from the clock on every read; a timer reads the
queue again every half minute while the page is shown, so the figures move on and a request
submitted at another PC appears. Enter, a double click or "Open request…" opens the review
(`hvdesk.ui.authorisation.review_dialog`), where the decision is taken.

The page is for the roles the settings name as authorisers. Anyone else signed in reads, in
plain words, who authorises visits and why the queue is not shown to them; the service refuses
them too (hiding the list is not the enforcement).
"""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import QModelIndex, QPoint, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QMenu, QPushButton, QWidget

from hvdesk.clock import format_school_time
from hvdesk.domain.permissions import may_authorise
from hvdesk.domain.policy import SchoolPolicy, SettingError
from hvdesk.domain.risk import RiskBand
from hvdesk.domain.visits import VisitStatus
from hvdesk.errors import HvdeskError
from hvdesk.services.accounts import NotPermitted
from hvdesk.services.authorisation import QueueItem
from hvdesk.services.container import Services
from hvdesk.ui.authorisation.review_dialog import ReviewDialog
from hvdesk.ui.authorisation.waiting import waited
from hvdesk.ui.current_user import CurrentUser
from hvdesk.ui.formatting import show_date_time, show_time, sort_instant
from hvdesk.ui.pages.base import ListPage
from hvdesk.ui.row_table_model import RIGHT, Column
from hvdesk.ui.timers import Timers

REFRESH_MS = 30_000
LONG_WAIT = timedelta(days=1)  # shown in bold: a request should not wait overnight
SOON = timedelta(hours=4)  # a request for a visit this soon says so in its flags
AWAITING = "awaiting"
AUTHORISED = "authorised"

_BAND_ORDER = {None: -1, RiskBand.LOW: 0, RiskBand.MEDIUM: 1, RiskBand.HIGH: 2}


def flags(item: QueueItem) -> str:
    """What needs the authoriser's eye, in words (never colour alone)."""
    words = []
    awaiting = item.status is VisitStatus.AWAITING_AUTHORISATION
    if awaiting:
        starts_in = item.planned_start - (item.submitted_at + item.waiting)  # from "now"
        if starts_in <= SOON:
            words.append(f"Starts in {waited(starts_in)}" if starts_in > timedelta(0) else "Due")
    if item.resubmitted and awaiting:
        words.append("Resubmitted")
    if item.lone:
        words.append("Lone")
    if item.out_of_hours:
        words.append("Out of hours")
    return ", ".join(words)


def risk_text(item: QueueItem) -> str:
    band = item.highest_residual_band
    return band.label if band is not None else "Not assessed"


COLUMNS: list[Column[QueueItem]] = [
    Column(
        "No.", lambda r: str(r.visit_id), align=RIGHT, sort_key=lambda r: r.visit_id, shrink=False
    ),
    Column(
        "Waiting",
        lambda r: waited(r.waiting),
        sort_key=lambda r: r.waiting.total_seconds(),
        bold=lambda r: r.waiting >= LONG_WAIT,
        tooltip=lambda r: f"Submitted {show_date_time(r.submitted_at)}",
        shrink=False,
    ),
    Column(
        "Planned",
        lambda r: (
            f"{format_school_time(r.planned_start, '%a %d %b %H:%M')}–{show_time(r.planned_end)}"
        ),
        sort_key=lambda r: sort_instant(r.planned_start),
        shrink=False,
    ),
    Column("Pupil", lambda r: r.pupil, tooltip=lambda r: r.reason),
    Column("Area", lambda r: r.area),
    Column(
        "Visitors",
        lambda r: ", ".join(r.visitors),
        tooltip=lambda r: ", ".join(r.visitors),
        stretch=True,
    ),
    Column("Flags", flags, bold=lambda r: bool(flags(r)), shrink=False),
    Column(
        "Risk after controls",
        risk_text,
        sort_key=lambda r: _BAND_ORDER[r.highest_residual_band],
        bold=lambda r: r.highest_residual_band is RiskBand.HIGH,
        tooltip=lambda r: r.risk_summary,
        shrink=False,
    ),
]


class AuthorisationsPage(ListPage[QueueItem]):
    """The queue (or the authorised visits still to happen) and the way into each review."""

    title = "Authorisations"
    icon_name = "authorisations"
    noun = ("request", "requests")
    search_hint = "Type a pupil, area, visitor or visit number"
    empty_text = "No visit requests are waiting for a decision."

    def __init__(
        self,
        services: Services,
        timers: Timers,
        current_user: CurrentUser,
        *,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(COLUMNS, key=lambda r: r.visit_id, parent=parent)
        self.clock = services.clock
        self.current_user = current_user
        self.service = services.authorisations
        self.directory = services.directory
        self.review: ReviewDialog | None = None

        self.view_box = QComboBox()
        self.view_box.setAccessibleName("Show")
        self.view_box.addItem("Waiting for a decision", AWAITING)
        self.view_box.addItem("Authorised, still to happen", AUTHORISED)
        self.view_box.currentIndexChanged.connect(lambda _i: self.refresh())
        view_label = QLabel("Sho&w:")
        view_label.setBuddy(self.view_box)
        self.search_row.addSpacing(16)
        self.search_row.addWidget(view_label)
        self.search_row.addWidget(self.view_box)

        self.open_button = QPushButton("&Open request…")
        self.open_button.setToolTip("Read the whole request and decide (Enter)")
        self.open_button.clicked.connect(self.open_selected)
        self.refresh_button = QPushButton("Re&fresh")
        self.refresh_button.clicked.connect(self.refresh)
        self.notice_label = QLabel()
        self.notice_label.setObjectName("pageNotice")
        self.notice_label.setTextFormat(Qt.TextFormat.PlainText)
        self.notice_label.setAccessibleName("What was just recorded")
        self.notice_label.hide()
        self.layout_.insertWidget(self.layout_.indexOf(self.problem_label) + 1, self.notice_label)
        self.selection_label = QLabel()
        self.selection_label.setTextFormat(Qt.TextFormat.PlainText)
        self.action_bar = QHBoxLayout()
        self.action_bar.setSpacing(8)
        self.action_bar.addWidget(self.selection_label, 1)
        self.action_bar.addWidget(self.refresh_button)
        self.action_bar.addWidget(self.open_button)
        self.layout_.addLayout(self.action_bar)
        self.closed_note = QLabel()
        self.closed_note.setObjectName("emptyNote")
        self.closed_note.setWordWrap(True)
        self.closed_note.setTextFormat(Qt.TextFormat.PlainText)
        self.closed_note.setAccessibleName("Why the queue is not shown")
        self.closed_note.hide()
        self.layout_.insertWidget(self.layout_.indexOf(self.table), self.closed_note)
        self.filler = QWidget()  # takes the table's room while the note is shown instead
        self.filler.hide()
        self.layout_.addWidget(self.filler, 1)

        self.table.activated.connect(self._activated)
        self.table.doubleClicked.connect(self._activated)
        open_action = QAction("Open request", self.table)
        open_action.setShortcuts([QKeySequence(Qt.Key.Key_Return), QKeySequence(Qt.Key.Key_Enter)])
        open_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        open_action.triggered.connect(self.open_selected)
        self.table.addAction(open_action)
        self.selected_row_changed.connect(self._show_selection)
        self.current_user.changed.connect(self.refresh)
        self.timer = timers.create("authorisations-refresh", REFRESH_MS, self, self._tick)
        self._show_selection()

    # -- reading -------------------------------------------------------------------------------

    @property
    def showing_authorised(self) -> bool:
        return bool(self.view_box.currentData() == AUTHORISED)

    def refresh(self) -> None:
        """Read the queue again as the signed-in user; explain instead if they may not see it."""
        user = self.current_user.user
        if user is None:
            self._closed("Sign in as an authoriser (Ctrl+L) to see the authorisation queue.")
            return
        try:
            rows = (
                self.service.upcoming_authorised(user)
                if self.showing_authorised
                else self.service.queue(user)
            )
        except NotPermitted:
            self._closed(self._why_not_authoriser())
            return
        except HvdeskError as exc:
            self.show_out_of_date(exc, "the queue")
            return
        self.clear_problem()
        self._set_open(True)
        self.model.set_rows(rows)
        if not self._fitted and rows:
            self.fitter.fit()
            self._fitted = True
        self.empty_text = (
            "No authorised visits are still to happen."
            if self.showing_authorised
            else "No visit requests are waiting for a decision."
        )
        self._update_summary()
        if rows and self.selected_row() is None:
            self.table.selectRow(0)
        self._show_selection()

    def _closed(self, why: str) -> None:
        """Nothing to list for this user: say why instead of showing an empty table."""
        self.model.set_rows([])
        self.summary_label.setText("")
        self.closed_note.setText(why)
        self._set_open(False)
        self._show_selection()

    def _set_open(self, is_open: bool) -> None:
        self.closed_note.setVisible(not is_open)
        self.filler.setVisible(not is_open)
        self.table.setVisible(is_open)
        for layout in (self.search_row, self.action_bar):
            for index in range(layout.count()):
                item = layout.itemAt(index)
                widget = item.widget() if item is not None else None
                if widget is not None:
                    widget.setVisible(is_open)

    def _why_not_authoriser(self) -> str:
        user = self.current_user.user
        try:
            policy = self.directory.policy()
        except (SettingError, HvdeskError):
            policy = SchoolPolicy()
        roles = ", ".join(role.label for role in policy.authorising_roles)
        role = user.role.label if user is not None else "nobody"
        if user is not None and may_authorise(user.role, policy):
            return "Your account could not be checked; sign in again."
        return (
            f"Visits are authorised by: {roles}. You are signed in as {role}, so you cannot "
            "authorise visits and the queue is not shown to you. Ask one of them to sign in "
            "here (File > Switch user) or at their own desk."
        )

    def _tick(self) -> None:
        if self.isVisible() and self.current_user.is_signed_in:
            self.refresh()

    # -- opening a request ---------------------------------------------------------------------

    def context_menu(self, position: QPoint) -> QMenu | None:
        if self.selected_row() is None:
            return None
        menu = QMenu(self)
        menu.addAction("&Open request…", self.open_selected)
        return menu

    def open_selected(self) -> ReviewDialog | None:
        """Open the selected request's review (not modal to the app: the board stays live)."""
        row = self.selected_row()
        user = self.current_user.user
        if row is None or user is None:
            return None
        if self.review is not None:
            self.review.close()
        dialog = ReviewDialog(self.service, user, row.visit_id, self.clock, parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(self._review_closed)
        dialog.decided.connect(self._decided)
        self.review = dialog
        dialog.show()
        return dialog

    def _decided(self, message: str) -> None:
        self.refresh()
        self.notice_label.setText(message)
        self.notice_label.show()

    def _review_closed(self, _result: int) -> None:
        self.review = None
        self.refresh()

    def _activated(self, _index: QModelIndex) -> None:
        self.open_selected()

    def _show_selection(self) -> None:
        row = self.selected_row()
        self.open_button.setEnabled(row is not None and self.current_user.is_signed_in)
        if row is None:
            self.selection_label.setText("")
            return
        self.selection_label.setText(
            f"Visit {row.visit_id}: {row.pupil or 'no pupil named'}, {row.area}. {row.reason}. "
            f"{row.risk_summary}."
        )
