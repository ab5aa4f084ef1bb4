"""The record of a visit, written after it: child seen, the facts and the opinions in two boxes
side by side (never one box for both), concerns raised with the DSL, the outcome, the rules of
conduct in the home (who was spoken to, entering, a child found alone, each rule kept or not:
`conduct_section`), and follow-ups with an owner and a due date.

Saving goes through `VisitRecords.write`, which checks everything; what it refuses is shown
under the field it is about (a follow-up's row is named), the dialog stays open and nothing is
saved. Done follow-ups are listed read-only under the open ones. When the user may not write
the record (not their visit, or a visit that has not happened) the form opens read-only and
says why.

`open_record_dialog` is what a page calls: it shows a refusal to open (not permitted, no such
visit) in the error dialog rather than raising.
"""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from hvdesk.clock import Clock, format_school_time, to_school_time
from hvdesk.domain.visit_record import FollowUpDraft, VisitRecordDraft
from hvdesk.errors import HvdeskError
from hvdesk.services.identity import SignedInUser
from hvdesk.services.visit_records import (
    FollowUpView,
    RecordProblems,
    StaffChoice,
    VisitRecords,
    VisitRecordView,
)
from hvdesk.ui.dialogs.error_dialog import ErrorDialog
from hvdesk.ui.dialogs.inline_error import InlineError
from hvdesk.ui.formatting import show_date, show_school_date, show_when_by
from hvdesk.ui.visit_record.conduct_section import ConductSection

__all__ = ["FollowUpTable", "VisitRecordDialog", "open_record_dialog"]

_STYLE = """
QGroupBox#factsBox, QGroupBox#opinionsBox {
    font-weight: bold;
    border-radius: 6px;
    margin-top: 14px;
    padding: 14px 8px 8px 8px;
}
QGroupBox#factsBox { border: 2px solid #27415f; background: #f4f7fb; }
QGroupBox#opinionsBox { border: 2px dashed #7a5c00; background: #fffaeb; }
QGroupBox#factsBox::title, QGroupBox#opinionsBox::title {
    subcontrol-origin: margin;
    left: 10px;
    padding: 0 4px;
}
QLabel#fieldHint { color: #3d4753; font-weight: normal; }
QLabel#recordNotice {
    background: #fff8dc;
    color: #3d2e00;
    border: 1px solid #8a6d00;
    border-radius: 4px;
    padding: 6px 8px;
}
QLabel#recordHeading { color: #10243b; }
QPlainTextEdit {
    background: #ffffff;
    border: 1px solid #8d99a6;
    border-radius: 4px;
    padding: 4px;
}
"""

DEFAULT_DUE_DAYS = 7


def _text_box(accessible: str, lines: int, *, grow: bool = False) -> QPlainTextEdit:
    """A multi-line field `lines` high (Tab moves on; it does not type a tab); `grow` lets it
    take spare height."""
    box = QPlainTextEdit()
    box.setAccessibleName(accessible)
    box.setTabChangesFocus(True)
    height = box.fontMetrics().lineSpacing() * lines + 18
    box.setMinimumHeight(height)
    if not grow:
        box.setMaximumHeight(height)
    return box


def _hint(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("fieldHint")
    label.setWordWrap(True)
    return label


class FollowUpTable(QTableWidget):
    """The open follow-ups, one editable row each: action, owner, due date."""

    ACTION, OWNER, DUE = range(3)

    def __init__(self, staff: list[StaffChoice], today: date, parent: QWidget | None = None):
        super().__init__(0, 3, parent)
        self.staff = staff
        self.today = today
        self.ids: list[int | None] = []
        self.setObjectName("followUpTable")
        self.setAccessibleName("Open follow-ups")
        self.setHorizontalHeaderLabels(["Action", "Owner", "Due"])
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setTabKeyNavigation(False)
        self.verticalHeader().setDefaultSectionSize(40)
        header = self.horizontalHeader()
        header.setSectionResizeMode(self.ACTION, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(self.OWNER, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(self.DUE, QHeaderView.ResizeMode.Interactive)
        self.setColumnWidth(self.OWNER, 300)
        self.setColumnWidth(self.DUE, 140)
        self.setMinimumHeight(150)

    def add_row(self, item: FollowUpDraft | None = None) -> int:
        """Add a row (empty, due in a week, for a new follow-up) and return its index."""
        row = self.rowCount()
        self.insertRow(row)
        self.ids.append(item.follow_up_id if item else None)
        action = QLineEdit(item.action if item else "")
        action.setPlaceholderText("What is to be done")
        action.setAccessibleName(f"Follow-up {row + 1}: action")
        owner = QComboBox()
        owner.setAccessibleName(f"Follow-up {row + 1}: owner")
        owner.addItem("Choose who…", None)
        for choice in self.staff:
            owner.addItem(f"{choice.name} ({choice.job_role})", choice.id)
        if item is not None and item.owner_staff_id is not None:
            index = owner.findData(item.owner_staff_id)
            if index < 0:  # someone who has left since: keep them, named by number
                owner.addItem(f"Staff member {item.owner_staff_id}", item.owner_staff_id)
                index = owner.count() - 1
            owner.setCurrentIndex(index)
        due = QDateEdit()
        due.setAccessibleName(f"Follow-up {row + 1}: due date")
        due.setCalendarPopup(True)
        due.setDisplayFormat("dd MMM yyyy")
        day = item.due_on if item and item.due_on else self.today + timedelta(DEFAULT_DUE_DAYS)
        due.setDate(QDate(day.year, day.month, day.day))
        self.setCellWidget(row, self.ACTION, action)
        self.setCellWidget(row, self.OWNER, owner)
        self.setCellWidget(row, self.DUE, due)
        return row

    def remove_selected(self) -> None:
        rows = sorted({i.row() for i in self.selectedIndexes()}, reverse=True)
        if not rows and self.currentRow() >= 0:
            rows = [self.currentRow()]
        for row in rows:
            self.removeRow(row)
            del self.ids[row]

    def action_edit(self, row: int) -> QLineEdit:
        widget = self.cellWidget(row, self.ACTION)
        assert isinstance(widget, QLineEdit)
        return widget

    def owner_box(self, row: int) -> QComboBox:
        widget = self.cellWidget(row, self.OWNER)
        assert isinstance(widget, QComboBox)
        return widget

    def due_edit(self, row: int) -> QDateEdit:
        widget = self.cellWidget(row, self.DUE)
        assert isinstance(widget, QDateEdit)
        return widget

    def drafts(self) -> tuple[FollowUpDraft, ...]:
        """The rows as typed; a row left completely empty is ignored."""
        items: list[FollowUpDraft] = []
        for row in range(self.rowCount()):
            action = self.action_edit(row).text()
            owner = self.owner_box(row).currentData()
            due = self.due_edit(row).date().toPython()
            follow_up_id = self.ids[row]
            if follow_up_id is None and not action.strip() and owner is None:
                continue
            assert isinstance(due, date)
            items.append(
                FollowUpDraft(action, int(owner) if owner is not None else None, due, follow_up_id)
            )
        return tuple(items)

    def set_read_only(self) -> None:
        for row in range(self.rowCount()):
            for column in range(3):
                widget = self.cellWidget(row, column)
                if widget is not None:
                    widget.setEnabled(False)


class VisitRecordDialog(QDialog):
    """Write or read the record of one visit (see the module's notes)."""

    def __init__(
        self,
        records: VisitRecords,
        visit_id: int,
        user: SignedInUser,
        clock: Clock,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.records = records
        self.visit_id = visit_id
        self.user = user
        self.view: VisitRecordView = records.record(visit_id, user)
        today = to_school_time(clock.now()).date()
        self.setObjectName("visitRecordDialog")
        self.setWindowTitle(f"Record of visit {visit_id}")
        self.setStyleSheet(_STYLE)
        self.setMinimumSize(760, 460)  # fits 1366x768 at 150% (it scrolls)
        self.resize(980, 860)

        body = QWidget()
        form = QVBoxLayout(body)
        form.setSpacing(8)
        form.setContentsMargins(16, 12, 16, 8)
        form.addWidget(self._heading())
        self.notice = QLabel()
        self.notice.setObjectName("recordNotice")
        self.notice.setWordWrap(True)
        notice = self._notice_text()
        self.notice.setText(notice)
        self.notice.setVisible(bool(notice))
        form.addWidget(self.notice)

        # Child seen and spoken to.
        self.seen_yes = QRadioButton("&Yes")
        self.seen_no = QRadioButton("N&o")
        # Issue 13: each answer is announced with its question.
        self.seen_yes.setAccessibleName("Was the child seen? Yes")
        self.seen_no.setAccessibleName("Was the child seen? No")
        self.seen_group = QButtonGroup(self)
        self.seen_group.addButton(self.seen_yes)
        self.seen_group.addButton(self.seen_no)
        seen_row = QHBoxLayout()
        seen_row.addWidget(self.seen_yes)
        seen_row.addWidget(self.seen_no)
        seen_row.addStretch(1)
        self.errors: dict[str, InlineError] = {
            name: InlineError()
            for name in (
                "child_seen",
                "observations",
                "opinions",
                "concerns_raised",
                "outcome",
                "action_required",
                "follow_ups",
            )
        }
        top = QFormLayout()
        top.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        seen_label = QLabel("Was the child seen?")
        seen_label.setBuddy(self.seen_yes)
        seen_box = QWidget()
        seen_layout = QVBoxLayout(seen_box)
        seen_layout.setContentsMargins(0, 0, 0, 0)
        seen_layout.addLayout(seen_row)
        seen_layout.addWidget(self.errors["child_seen"])
        top.addRow(seen_label, seen_box)
        form.addLayout(top)

        # Facts and opinions: two boxes, side by side, styled apart.
        self.observations = _text_box("Observations: facts, what was seen and heard", 6, grow=True)
        self.opinions = _text_box("Opinions: your professional view", 6, grow=True)
        facts = QGroupBox("Facts: what was seen and heard")
        facts.setObjectName("factsBox")
        facts_layout = QVBoxLayout(facts)
        facts_layout.addWidget(
            _hint("Only what you saw and heard: who was there, what was said, the home.")
        )
        facts_layout.addWidget(self.observations)
        facts_layout.addWidget(self.errors["observations"])
        opinions = QGroupBox("Opinions: your professional view")
        opinions.setObjectName("opinionsBox")
        opinions_layout = QVBoxLayout(opinions)
        opinions_layout.addWidget(_hint("What you think it means, kept apart from the facts."))
        opinions_layout.addWidget(self.opinions)
        opinions_layout.addWidget(self.errors["opinions"])
        side_by_side = QHBoxLayout()
        side_by_side.setSpacing(12)
        side_by_side.addWidget(facts, 1)
        side_by_side.addWidget(opinions, 1)
        form.addLayout(side_by_side)

        self.concerns = _text_box("Concerns raised with the DSL", 2)
        self.outcome = _text_box("Outcome", 3)
        self.action_required = QLineEdit()
        self.action_required.setAccessibleName("Action required, in short")
        self.action_required.setPlaceholderText(
            "In short, e.g. Early Help referral; no further action"
        )
        lower = QFormLayout()
        lower.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for label_text, widget, name in (
            ("&Concerns raised\nwith the DSL:", self.concerns, "concerns_raised"),
            ("Ou&tcome:", self.outcome, "outcome"),
            ("&Action required:", self.action_required, "action_required"),
        ):
            box = QWidget()
            box_layout = QVBoxLayout(box)
            box_layout.setContentsMargins(0, 0, 0, 0)
            box_layout.addWidget(widget)
            if name == "concerns_raised":
                box_layout.addWidget(_hint("Leave empty if there were none."))
            box_layout.addWidget(self.errors[name])
            label = QLabel(label_text)
            label.setBuddy(widget)
            lower.addRow(label, box)
        form.addLayout(lower)

        # In the home (issue 18): who was spoken to, and the rules of conduct.
        assert self.view.conduct is not None  # the service always gives the questions
        self.conduct = ConductSection(self.view.conduct)
        form.addWidget(self.conduct)

        # Follow-ups.
        follow_ups = QGroupBox("Follow-ups: each with an owner and a due date")
        follow_layout = QVBoxLayout(follow_ups)
        self.follow_up_table = FollowUpTable(records.staff_choices(), today)
        follow_layout.addWidget(self.follow_up_table)
        buttons_row = QHBoxLayout()
        self.add_follow_up_button = QPushButton("A&dd follow-up")
        self.remove_follow_up_button = QPushButton("&Remove follow-up")
        for button in (self.add_follow_up_button, self.remove_follow_up_button):
            button.setAutoDefault(False)
        self.add_follow_up_button.clicked.connect(self._add_follow_up)
        self.remove_follow_up_button.clicked.connect(self.follow_up_table.remove_selected)
        buttons_row.addWidget(self.add_follow_up_button)
        buttons_row.addWidget(self.remove_follow_up_button)
        buttons_row.addStretch(1)
        follow_layout.addLayout(buttons_row)
        follow_layout.addWidget(self.errors["follow_ups"])
        self.done_label = QLabel(self._done_text(self.view.follow_ups))
        self.done_label.setObjectName("fieldHint")
        self.done_label.setWordWrap(True)
        self.done_label.setTextFormat(Qt.TextFormat.PlainText)
        self.done_label.setVisible(bool(self.done_label.text()))
        follow_layout.addWidget(self.done_label)
        form.addWidget(follow_ups)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)

        self.general_error = InlineError()
        self.buttons = QDialogButtonBox()
        self.save_button = self.buttons.addButton(
            "&Save record", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.save_button.setDefault(True)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.reject)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 12)
        outer.addWidget(scroll, 1)
        bottom = QVBoxLayout()
        bottom.setContentsMargins(16, 0, 16, 0)
        bottom.addWidget(self.general_error)
        bottom.addWidget(self.buttons)
        outer.addLayout(bottom)

        self._fill(self.view.draft)
        if not self.view.may_write:
            self._make_read_only()

    # --- building -----------------------------------------------------------------------------

    def _heading(self) -> QLabel:
        view = self.view
        start, end = view.planned_start, view.planned_end
        when = (
            f"{format_school_time(start, '%a %d %b %Y %H:%M')}–{format_school_time(end, '%H:%M')}"
        )
        parts = [
            f"Visit {view.visit_id}",
            view.pupil or "No pupil named",
            view.area,
            when,
        ]
        text = " · ".join(parts)
        details = f"{view.reason}. Visitors: {', '.join(view.visitors) or 'none recorded'}."
        label = QLabel(f"<b>{_escape(text)}</b><br>{_escape(details)} ({_escape(view.status)})")
        label.setObjectName("recordHeading")
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.RichText)
        return label

    def _notice_text(self) -> str:
        view = self.view
        if view.why_not_write:
            return f"Read only: {view.why_not_write}"
        if view.recorded_on_cpoms_at is not None:
            when = show_when_by(view.recorded_on_cpoms_at, view.recorded_on_cpoms_by)
            return (
                f"This record was put on CPOMS on {when}. "
                "If you change it here, change it on CPOMS too."
            )
        if view.is_written and view.written_at is not None:
            return f"Last written on {show_when_by(view.written_at, view.written_by)}."
        return ""

    @staticmethod
    def _done_text(items: tuple[FollowUpView, ...]) -> str:
        done = [f for f in items if f.is_done]
        if not done:
            return ""
        lines = ["Done (no longer editable):"]
        for item in done:
            when = show_school_date(item.done_at)
            who = f" by {item.done_by}" if item.done_by else ""
            note = f": {item.done_note}" if item.done_note else ""
            due = show_date(item.due_on)
            lines.append(f"✓ {item.action} ({item.owner}, due {due}) — done {when}{who}{note}")
        return "\n".join(lines)

    def _fill(self, draft: VisitRecordDraft) -> None:
        if draft.child_seen is True:
            self.seen_yes.setChecked(True)
        elif draft.child_seen is False:
            self.seen_no.setChecked(True)
        self.observations.setPlainText(draft.observations or "")
        self.opinions.setPlainText(draft.opinions or "")
        self.concerns.setPlainText(draft.concerns_raised or "")
        self.outcome.setPlainText(draft.outcome or "")
        self.action_required.setText(draft.action_required or "")
        for item in draft.follow_ups:
            self.follow_up_table.add_row(item)

    def _make_read_only(self) -> None:
        for widget in (self.seen_yes, self.seen_no, self.action_required):
            widget.setEnabled(False)
        self.conduct.set_read_only()
        for box in (self.observations, self.opinions, self.concerns, self.outcome):
            box.setReadOnly(True)
        self.follow_up_table.set_read_only()
        self.add_follow_up_button.setEnabled(False)
        self.remove_follow_up_button.setEnabled(False)
        self.save_button.setEnabled(False)
        self.save_button.hide()  # issue 13: a read-only record offers no Save at all
        self.cancel_button.setText("Close")

    def _add_follow_up(self) -> None:
        row = self.follow_up_table.add_row()
        self.follow_up_table.setCurrentCell(row, FollowUpTable.ACTION)
        self.follow_up_table.action_edit(row).setFocus()

    # --- saving -------------------------------------------------------------------------------

    def draft(self) -> VisitRecordDraft:
        """The form as typed."""
        seen = True if self.seen_yes.isChecked() else False if self.seen_no.isChecked() else None
        return VisitRecordDraft(
            child_seen=seen,
            observations=self.observations.toPlainText(),
            opinions=self.opinions.toPlainText(),
            concerns_raised=self.concerns.toPlainText(),
            outcome=self.outcome.toPlainText(),
            action_required=self.action_required.text(),
            follow_ups=self.follow_up_table.drafts(),
            conduct=self.conduct.answers(),
        )

    def save(self) -> None:
        """Save through the service; show what it refuses, inline, and stay open."""
        self._clear_errors()
        try:
            self.records.write(self.visit_id, self.draft(), self.user)
        except RecordProblems as refused:
            self._show_problems(refused)
            return
        except HvdeskError as refused:
            self.general_error.show_message(str(refused))
            return
        self.accept()

    def _clear_errors(self) -> None:
        for label in (*self.errors.values(), self.general_error):
            label.hide()
            label.clear()
        self.conduct.clear_errors()

    def _show_problems(self, refused: RecordProblems) -> None:
        by_field: dict[str, list[str]] = {}
        for problem in refused.problems:
            by_field.setdefault(problem.field, []).append(problem.message)
        conduct_focus: QWidget | None = None
        for name, messages in by_field.items():
            if name not in self.errors:
                shown = self.conduct.show_problem(name, "\n".join(messages))
                if shown is not None:
                    conduct_focus = conduct_focus or shown
                    continue
            label = self.errors.get(name, self.general_error)
            label.setText("\n".join(messages))
            label.show()
        self.general_error.show_message("The record was not saved: put right what is marked above.")
        first = refused.problems[0] if refused.problems else None
        if first is not None and first.field in self.errors:
            self._focus(first.field, first.row)
        elif conduct_focus is not None:
            conduct_focus.setFocus()

    def _focus(self, name: str, row: int | None) -> None:
        widgets: dict[str, QWidget] = {
            "child_seen": self.seen_yes,
            "observations": self.observations,
            "opinions": self.opinions,
            "concerns_raised": self.concerns,
            "outcome": self.outcome,
            "action_required": self.action_required,
        }
        if name == "follow_ups" and row is not None:
            drafts_rows = [
                r
                for r in range(self.follow_up_table.rowCount())
                if self.follow_up_table.ids[r] is not None
                or self.follow_up_table.action_edit(r).text().strip()
                or self.follow_up_table.owner_box(r).currentData() is not None
            ]
            if 0 < row <= len(drafts_rows):
                table_row = drafts_rows[row - 1]
                self.follow_up_table.setCurrentCell(table_row, FollowUpTable.ACTION)
                self.follow_up_table.action_edit(table_row).setFocus()
            return
        widget = widgets.get(name)
        if widget is not None:
            widget.setFocus()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def open_record_dialog(
    records: VisitRecords,
    visit_id: int,
    user: SignedInUser,
    clock: Clock,
    parent: QWidget | None = None,
) -> bool:
    """Open the record of `visit_id` modally; True if it was saved. A refusal to open it (not
    permitted, no such visit) is shown in the error dialog."""
    try:
        dialog = VisitRecordDialog(records, visit_id, user, clock, parent)
    except HvdeskError as refused:
        error = ErrorDialog(refused, parent)
        try:
            error.exec()
        finally:
            error.deleteLater()
        return False
    try:
        return dialog.exec() == QDialog.DialogCode.Accepted
    finally:
        dialog.deleteLater()
