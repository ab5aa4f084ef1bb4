"""The risk assessment of one visit: the hazard table, the 5×5 map, and what the risk requires.

Opening the dialog starts the visit's assessment if it has none (`RiskAssessments.start`
prefills it from the household's last assessment, or from the standard hazards, known risks and
earlier incidents). Rows new at the household since that last assessment are tinted and marked
"(new)" under a "Changed since <date>" banner.

The highest band after controls, and what it requires of the visit, sit at the top and follow
every edit (`risk_matrix.what_is_required`); the services enforce the same rules on submit and
approval. Save checks every row (`row_problems`) first and lists what is wrong under the table,
tinting the rows concerned; nothing is written until all rows are right, and then all at once.
A visit that is no longer a draft (or sent back) opens read-only, saying why.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from hvdesk.clock import format_school_time
from hvdesk.domain.risk import BandThresholds, RiskBand
from hvdesk.domain.risk_matrix import (
    ChangesSince,
    HazardRow,
    row_problems,
    rows_changed_since,
    summarise,
    what_is_required,
)
from hvdesk.domain.visits import VisitStatus
from hvdesk.errors import HvdeskError
from hvdesk.services.identity import SignedInUser
from hvdesk.services.risk_assessments import AssessmentView, RiskAssessments
from hvdesk.services.visit_requests import RequestNotFound
from hvdesk.ui.dialogs.error_dialog import show_error
from hvdesk.ui.dialogs.inline_error import InlineError
from hvdesk.ui.formatting import show_school_date
from hvdesk.ui.risk_matrix.bands import band_ranges, band_style
from hvdesk.ui.risk_matrix.heat_map import HeatMap
from hvdesk.ui.risk_matrix.matrix_model import (
    CONTROLS,
    HAZARD,
    SEVERITY,
    SOURCE,
    WHO,
    MatrixModel,
    MatrixView,
)
from hvdesk.ui.risk_matrix.row_fitter import CappedRowFitter

__all__ = ["RiskAssessmentDialog", "open_risk_assessment"]


_READ_ONLY_WHY = {
    VisitStatus.AWAITING_AUTHORISATION: "It is waiting for authorisation; the authoriser can "
    "send it back for changes if the risk needs changing.",
    VisitStatus.AUTHORISED: "An authorised visit's risk is changed with an amendment, which "
    "needs re-approval.",
}
_CHANGES_STYLE = (
    "background:#fff4cc;color:#3d2e00;border:1px solid #8a6d00;border-radius:4px;padding:6px 8px;"
)
_READ_ONLY_STYLE = (
    "background:#e8ecf1;color:#10243b;border:1px solid #6f7d8c;border-radius:4px;padding:6px 8px;"
)


class RiskAssessmentDialog(QDialog):
    """Edit (or read) one visit's risk assessment. Raises `RequestNotFound` for an unknown
    visit; any other refusal to start an assessment opens the dialog read-only, saying why."""

    saved = Signal()

    def __init__(
        self,
        assessments: RiskAssessments,
        user: SignedInUser,
        visit_id: int,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.visit_id = visit_id
        self._assessments = assessments
        self._user = user
        self._saved_rows: list[HazardRow] = []
        self._saved_notes = ""
        self._sized = False
        self._fitted_texts: list[tuple[str, str, str | None]] = []
        refusal: HvdeskError | None = None
        try:
            self._assessments.start(visit_id, user)
        except RequestNotFound:
            raise
        except HvdeskError as exc:
            refusal = exc
        self.view: AssessmentView | None = self._assessments.view(visit_id)
        bands = self.view.bands if self.view is not None else BandThresholds()
        self.editable = self.view is not None and self.view.editable and refusal is None
        self.setObjectName("riskAssessmentDialog")
        self.setWindowTitle(f"Risk assessment: visit {visit_id}")
        self.resize(1240, 900)

        self.heading = QLabel("Risk assessment")
        self.heading.setObjectName("dialogTitle")
        self.context_label = QLabel(self._context_text())
        self.context_label.setObjectName("pageSummary")
        self.context_label.setWordWrap(True)

        self.requirement_label = QLabel()
        self.requirement_label.setObjectName("riskRequirement")
        self.requirement_label.setWordWrap(True)
        self.requirement_label.setTextFormat(Qt.TextFormat.RichText)
        self.requirement_label.setAccessibleName("What the risk requires")

        self.read_only_label = QLabel()
        self.read_only_label.setObjectName("riskReadOnly")
        self.read_only_label.setWordWrap(True)
        self.read_only_label.setTextFormat(Qt.TextFormat.PlainText)
        self.read_only_label.setStyleSheet(_READ_ONLY_STYLE)
        self.read_only_label.hide()

        self.changes_label = QLabel()
        self.changes_label.setObjectName("riskChanges")
        self.changes_label.setWordWrap(True)
        self.changes_label.setTextFormat(Qt.TextFormat.PlainText)
        self.changes_label.setStyleSheet(_CHANGES_STYLE)
        self.changes_label.hide()

        self.model = MatrixModel(bands, self)
        self.table = MatrixView()
        self.table.setModel(self.model)
        self.fitter = CappedRowFitter(self.table, {HAZARD: 3, SOURCE: 1.3, WHO: 2, CONTROLS: 5})
        self.add_button = QPushButton("&Add a row")
        self.add_button.setToolTip("Add a hazard of your own for this visit")
        self.remove_button = QPushButton("&Remove row")
        self.remove_button.setToolTip("Remove the selected free row (only rows added by hand)")
        self.table_hint = QLabel("Select a score and type 1 to 5; Enter or F2 edits text.")
        self.table_hint.setObjectName("pageSummary")
        hazards_label = QLabel("&Hazards")
        hazards_label.setObjectName("sectionTitle")
        hazards_label.setStyleSheet("font-weight:bold;color:#10243b")
        hazards_label.setBuddy(self.table)

        self.heat_map = HeatMap()
        map_label = QLabel("Before and after controls")
        map_label.setStyleSheet("font-weight:bold;color:#10243b")

        self.notes_edit = QPlainTextEdit()
        self.notes_edit.setAccessibleName("Notes for the authoriser")
        self.notes_edit.setPlaceholderText(
            "Anything the authoriser should know: how the controls will work on the day, "
            "what the visitors agreed."
        )
        self.notes_edit.setTabChangesFocus(True)
        notes_label = QLabel("&Notes for the authoriser")
        notes_label.setStyleSheet("font-weight:bold;color:#10243b")
        notes_label.setBuddy(self.notes_edit)
        self.bands_label = QLabel(
            f"Score = severity × likelihood. Bands stored with this assessment: "
            f"{band_ranges(bands)}."
        )
        self.bands_label.setObjectName("pageSummary")
        self.bands_label.setWordWrap(True)
        self.error_label = InlineError()
        self.error_label.setAccessibleName("What to put right before saving")

        self.buttons = QDialogButtonBox()
        self.save_button = self.buttons.addButton("&Save", QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setDefault(True)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

        self._lay_out(hazards_label, self.table_hint, map_label, notes_label)
        self._load(refusal)

        self.model.rows_edited.connect(self._rows_edited)
        self.table.selectionModel().currentChanged.connect(self._current_changed)
        self.heat_map.row_clicked.connect(self.select_row)
        self.add_button.clicked.connect(self.add_row)
        self.remove_button.clicked.connect(self.remove_selected_row)
        self.table.setFocus()

    # -- what the office does -------------------------------------------------------------------

    @property
    def rows(self) -> list[HazardRow]:
        return self.model.rows

    @property
    def error_text(self) -> str:
        return self.error_label.message

    @property
    def requirement_text(self) -> str:
        return self.requirement_label.text()

    @property
    def has_unsaved_changes(self) -> bool:
        return self.editable and (
            self.model.rows != self._saved_rows or self._notes() != self._saved_notes
        )

    def add_row(self) -> None:
        """Add a free row and start typing its hazard."""
        if not self.editable:
            return
        row = self.model.add_free_row()
        index = self.model.index(row, HAZARD)
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index)
        self.table.setFocus()
        self.table.edit(index)

    def remove_selected_row(self) -> None:
        row = self.table.currentIndex().row()
        if self.model.remove_row(row):
            self.table.setFocus()
            self._current_changed(self.table.currentIndex(), QModelIndex())

    def select_row(self, number: int) -> None:
        """Select a row by its number (from 1), e.g. from a disc clicked on the map."""
        column = max(self.table.currentIndex().column(), 0)
        index = self.model.index(number - 1, column)
        if index.isValid():
            self.table.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect
            )
            self.table.scrollTo(index)

    def save(self) -> None:
        """Check every row, then save rows and notes in one go; stay open and say what is
        wrong otherwise."""
        if not self.editable:
            self.reject()
            return
        problems = self.model.mark_problems()
        if problems:
            self._show_problems(problems)
            flagged = [i for i in range(self.model.rowCount()) if self.model.has_problem(i)]
            if flagged:
                self.select_row(flagged[0] + 1)
            return
        rows = self.model.rows
        try:
            self._assessments.save(self.visit_id, rows, self._user, notes=self._notes())
        except HvdeskError as exc:
            self._show_problems([exc.what, exc.todo] if exc.todo else [exc.what])
            return
        self._saved_rows, self._saved_notes = rows, self._notes()
        self.saved.emit()
        self.accept()

    def reject(self) -> None:
        """Close (Cancel, Escape or the window's close button); ask first when edits would be
        lost."""
        if self.has_unsaved_changes and not self._discard_confirmed():
            return
        super().reject()

    # -- building -------------------------------------------------------------------------------

    def _lay_out(
        self, hazards_label: QLabel, table_hint: QLabel, map_label: QLabel, notes_label: QLabel
    ) -> None:
        title_row = QHBoxLayout()
        title_row.setSpacing(16)
        title_row.addWidget(self.heading)
        title_row.addWidget(self.context_label, 1)
        tools = QHBoxLayout()
        tools.setSpacing(10)
        tools.addWidget(hazards_label)
        tools.addWidget(table_hint, 1)
        tools.addWidget(self.add_button)
        tools.addWidget(self.remove_button)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.setSpacing(6)
        top_layout.addLayout(tools)
        top_layout.addWidget(self.table, 1)
        top_layout.addWidget(self.error_label)

        map_box = QVBoxLayout()
        map_box.setSpacing(4)
        map_box.addWidget(map_label)
        map_box.addWidget(self.heat_map, 1)
        side = QVBoxLayout()
        side.setSpacing(6)
        side.addWidget(notes_label)
        side.addWidget(self.notes_edit, 1)
        side.addWidget(self.bands_label)
        self.bottom = QWidget()
        bottom_layout = QHBoxLayout(self.bottom)
        bottom_layout.setContentsMargins(0, 6, 0, 0)
        bottom_layout.setSpacing(24)
        bottom_layout.addLayout(map_box)
        bottom_layout.addLayout(side, 1)

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(top)
        self.splitter.addWidget(self.bottom)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 0)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 14, 20, 12)
        layout.setSpacing(8)
        layout.addLayout(title_row)
        layout.addWidget(self.read_only_label)
        layout.addWidget(self.requirement_label)
        layout.addWidget(self.changes_label)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.buttons)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        """Give the map its preferred height once, and the table the rest."""
        super().showEvent(event)
        if not self._sized:
            self._sized = True
            total = sum(self.splitter.sizes())
            wanted = self.heat_map.sizeHint().height() + 40
            bottom = min(wanted, total // 2)
            self.splitter.setSizes([total - bottom, bottom])
            self.table.scrollTo(self.table.currentIndex())

    def _load(self, refusal: HvdeskError | None) -> None:
        view = self.view
        rows = view.rows if view is not None else []
        changed = rows_changed_since(rows, view.changes) if view and view.changes else []
        self.model.set_rows(rows, changed)
        self.model.set_editable(self.editable)
        self.notes_edit.setPlainText(view.notes or "" if view is not None else "")
        self._saved_rows = self.model.rows
        self._saved_notes = self._notes()
        if view is not None:
            self._show_changes(view, len(changed))
        if not self.editable:
            self.read_only_label.setText(self._read_only_text(refusal))
            self.read_only_label.show()
            self.notes_edit.setReadOnly(True)
            self.add_button.hide()
            self.remove_button.hide()
            self.table_hint.hide()
            self.save_button.hide()
            self.cancel_button.setText("&Close")
        self._rows_edited()
        if rows:  # ready to type a score, on the first new row if there is one
            first = min(changed, default=1) - 1
            self.table.setCurrentIndex(
                self.model.index(first, SEVERITY if self.editable else HAZARD)
            )
        self._current_changed(self.table.currentIndex(), QModelIndex())

    def _context_text(self) -> str:
        view = self.view
        parts = [f"Visit {self.visit_id}"]
        if view is not None:
            if view.planned_start is not None:
                parts.append(format_school_time(view.planned_start, "%a %d %b %Y %H:%M"))
            parts.append("lone visit" if view.lone_visit else "pair visit")
            parts.append(view.visit_status.label)
        return " · ".join(parts)

    def _read_only_text(self, refusal: HvdeskError | None) -> str:
        view = self.view
        if view is None or view.editable:
            why = str(refusal) if refusal is not None else "The assessment cannot be opened."
            return f"Read only. {why}"
        status = view.visit_status
        todo = _READ_ONLY_WHY.get(status, "The visit has gone ahead or been closed.")
        return (
            f"Read only: visit {self.visit_id} is {status.label.lower()}, so its risk "
            f"assessment can no longer be changed here. {todo}"
        )

    def _show_changes(self, view: AssessmentView, highlighted: int) -> None:
        if view.based_on_id is None or view.based_on_created_at is None:
            return
        when = show_school_date(view.based_on_created_at)
        changes = view.changes
        if changes is None or not changes.any:
            text = (
                f"Started from the household's last assessment ({when}); nothing has changed "
                "at the household since."
            )
            self.changes_label.setStyleSheet(_READ_ONLY_STYLE)
        else:
            text = f"Changed since {when}, the household's last assessment: {_changes(changes)}."
            if highlighted:
                text += " New rows are tinted and marked (new)."
        self.changes_label.setText(text)
        self.changes_label.show()

    # -- reacting -------------------------------------------------------------------------------

    def _rows_edited(self) -> None:
        rows = self.model.rows
        self.heat_map.set_rows(rows, self.model.bands)
        self._show_requirement(rows)
        if self.error_label.isVisible():
            problems = row_problems(rows) if self.model.rowCount() else []
            if problems:
                self._show_problems(problems)
            else:
                self.error_label.hide()
                self.model.clear_problems()
        texts = [(r.hazard, r.who_at_risk, r.controls) for r in rows]
        if texts != self._fitted_texts:  # a score alone never changes the widths
            self._fitted_texts = texts
            self.fitter.fit()
        self._current_changed(self.table.currentIndex(), QModelIndex())

    def _show_requirement(self, rows: list[HazardRow]) -> None:
        problems = row_problems(rows)
        if problems:
            self.requirement_label.setStyleSheet(band_style(None))
            self.requirement_label.setText(
                "<b>Highest risk after controls: not worked out yet.</b> "
                + _html(problems[0])
                + (f" (and {len(problems) - 1} more)" if len(problems) > 1 else "")
            )
            return
        summary = summarise(rows, self.model.bands)
        band = summary.highest_residual_band
        lone = self.view.lone_visit if self.view is not None else False
        counts = ", ".join(
            f"{summary.residual_bands.get(b, 0)} {b.label.lower()}" for b in reversed(RiskBand)
        )
        self.requirement_label.setStyleSheet(band_style(band))
        self.requirement_label.setText(
            f'<span style="font-size:13pt"><b>Highest risk after controls: '
            f"{band.label.upper()} ({summary.highest_residual_score})</b></span>"
            f"&nbsp;&nbsp;Rows after controls: {counts}.<br>"
            f"<b>What this requires:</b> {_html(what_is_required(band, lone=lone))}"
        )

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row = current.row() if current.isValid() else -1
        self.remove_button.setEnabled(self.model.is_removable(row))
        self.heat_map.set_highlight(row + 1 if row >= 0 else None)

    def _show_problems(self, problems: list[str]) -> None:
        lines = "\n".join(f"• {p}" for p in problems)
        self.error_label.show_message(f"Not saved yet. Put these right first:\n{lines}")

    def _notes(self) -> str:
        return self.notes_edit.toPlainText().strip()

    def _discard_confirmed(self) -> bool:
        answer = QMessageBox.question(
            self,
            "Discard changes?",
            "The risk assessment has changes that are not saved. Close and lose them?",
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Discard


def _changes(changes: ChangesSince) -> str:
    parts = []
    if changes.new_known_risks:
        parts.append(_count(len(changes.new_known_risks), "new known risk", "new known risks"))
    if changes.new_incidents:
        parts.append(_count(len(changes.new_incidents), "incident", "incidents") + " since")
    if changes.ended_known_risks:
        ended = _count(len(changes.ended_known_risks), "known risk", "known risks")
        parts.append(f"{ended} ended (rows dropped)")
    return "; ".join(parts)


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def open_risk_assessment(
    assessments: RiskAssessments,
    user: SignedInUser,
    visit_id: int,
    parent: QWidget | None = None,
) -> bool:
    """Open the visit's assessment as a modal dialog; True if it was saved. A problem the
    office can act on (an unknown visit, a database error) is shown rather than raised."""
    try:
        dialog = RiskAssessmentDialog(assessments, user, visit_id, parent)
    except HvdeskError as exc:
        show_error(exc, parent)
        return False
    try:
        return dialog.exec() == QDialog.DialogCode.Accepted
    finally:
        dialog.deleteLater()
