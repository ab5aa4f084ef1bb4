"""The pupil record's known risks at the home: the table of what staff must be told before a
visit, and adding or ending a risk, which the pupil dialog saves with the rest of its form."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from hvdesk.domain.households import RiskKind
from hvdesk.domain.people_records import FieldProblem, NewRisk
from hvdesk.services.people import RiskView
from hvdesk.ui.formatting import show_school_date
from hvdesk.ui.people.form_parts import ProblemList

ID_ROLE = int(Qt.ItemDataRole.UserRole) + 1
RISK_COLUMNS = ("Kind", "What staff must know", "Recorded", "Status")


def fixed_widths(header: QHeaderView, widths: dict[int, int]) -> None:
    """Columns of known width keep it; the others share what is left (names, free text)."""
    header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    header.setMinimumSectionSize(60)
    for column, width in widths.items():
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(column, width)


class KnownRisksBox(QGroupBox):
    """Known risks at this home; `pending` and `ended` are what saving will record. Only an
    account that may record safeguarding history is offered that kind."""

    def __init__(self, may_record_history: bool, problems: ProblemList) -> None:
        super().__init__("Known risks at this home")
        self._problems = problems
        self._recorded_risks: tuple[RiskView, ...] = ()
        self.pending: list[NewRisk] = []
        self.ended: list[int] = []
        self.risks = QTableWidget(0, len(RISK_COLUMNS))
        self.risks.setAccessibleName("Known risks")
        self.risks.setHorizontalHeaderLabels(list(RISK_COLUMNS))
        self.risks.verticalHeader().hide()
        self.risks.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.risks.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.risks.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.risks.setWordWrap(True)
        header = self.risks.horizontalHeader()
        fixed_widths(header, {0: 140, 2: 140, 3: 100})
        self.risks.setMinimumHeight(170)
        self.risk_kind = QComboBox()
        self.risk_kind.setAccessibleName("Kind of risk")
        for kind in RiskKind:
            if kind is RiskKind.SAFEGUARDING_HISTORY and not may_record_history:
                continue
            self.risk_kind.addItem(kind.label, kind.value)
        self.risk_text = QLineEdit()
        self.risk_text.setAccessibleName("What staff must know")
        self.risk_text.setPlaceholderText(
            "What staff must know (e.g. large dog, shut away on request)"
        )
        self.add_risk_button = QPushButton("Add ris&k")
        self.end_risk_button = QPushButton("&End selected risk")
        self.add_risk_button.clicked.connect(self._add_risk)
        self.end_risk_button.clicked.connect(self._end_risk)
        self.risk_text.returnPressed.connect(self._add_risk)
        adding = QHBoxLayout()
        adding.addWidget(self.risk_kind)
        adding.addWidget(self.risk_text, 1)
        note = QLabel("New and ended risks are recorded, with your name, when you save.")
        note.setObjectName("pageSummary")
        note.setWordWrap(True)
        actions = QHBoxLayout()
        actions.addWidget(self.add_risk_button)
        actions.addWidget(self.end_risk_button)
        actions.addWidget(note, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.risks)
        layout.addLayout(adding)
        layout.addLayout(actions)

    def show_risks(self, on_record: Sequence[RiskView]) -> None:
        """The recorded risks, then those added since (saved with the form)."""
        self._recorded_risks = tuple(on_record)
        shown: list[tuple[str, str, str, str, int | None]] = []
        for risk in self._recorded_risks:
            shown.append(
                (
                    risk.kind.label,
                    risk.description,
                    self._recorded(risk),
                    self._status(risk),
                    risk.id,
                )
            )
        for pending in self.pending:
            shown.append((pending.kind.label, pending.description, "When you save", "New", None))
        self.risks.setRowCount(len(shown))
        for row, (kind, text, recorded, status, risk_id) in enumerate(shown):
            for column, value in enumerate((kind, text, recorded, status)):
                item = QTableWidgetItem(value)
                item.setData(ID_ROLE, risk_id)
                if column == 1:
                    item.setToolTip(value)
                if status.startswith("Ended"):
                    item.setForeground(self.palette().placeholderText())
                self.risks.setItem(row, column, item)
        self.risks.resizeRowsToContents()

    def _recorded(self, risk: RiskView) -> str:
        when = show_school_date(risk.recorded_at)
        source = f"\nfrom incident {risk.from_incident_id}" if risk.from_incident_id else ""
        return f"{when}\n{risk.recorded_by or 'unknown'}{source}"

    def _status(self, risk: RiskView) -> str:
        if risk.id in self.ended:
            return "Ends when you save"
        if risk.ended_at is not None:
            return f"Ended\n{show_school_date(risk.ended_at)}"
        return "Current"

    def _add_risk(self) -> None:
        text = self.risk_text.text().strip()
        if not text:
            self._problems.show_problems(
                [FieldProblem("risk_text", "Known risk: describe it before adding it.")],
                {"risk_text": self.risk_text},
            )
            return
        self.pending.append(NewRisk(RiskKind(self.risk_kind.currentData()), text))
        self.risk_text.clear()
        self._problems.clear_problems()
        self.show_risks(self._recorded_risks)

    def _end_risk(self) -> None:
        row = self.risks.currentRow()
        item = self.risks.item(row, 0) if row >= 0 else None
        risk_id = item.data(ID_ROLE) if item is not None else None
        if risk_id is None:
            self._problems.show_message("Choose a recorded, current risk to end.")
            return
        current = {r.id for r in self._recorded_risks if r.current}
        if risk_id in current and risk_id not in self.ended:
            self.ended.append(int(risk_id))
            self._problems.clear_problems()
        self.show_risks(self._recorded_risks)
