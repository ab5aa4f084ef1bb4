"""The left half of the review: the incident as raised and the visit's whole timeline (every
call, attempt and action with its time, outcome and who logged it), read-only."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from hvdesk.clock import to_school_time
from hvdesk.services.incidents import IncidentReview
from hvdesk.ui.formatting import show_date_time, show_time, show_when_by

TIMELINE_HEADERS = ("Time", "What, outcome and note", "Logged by")


def _label(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def _same_day(one: datetime, other: datetime) -> bool:
    return to_school_time(one).date() == to_school_time(other).date()


class VisitPanel(QWidget):
    """What the reviewer reads beside the form."""

    def __init__(self, review: IncidentReview, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("incidentVisitPanel")
        heading = QLabel("What happened on the visit")
        heading.setObjectName("dialogTitle")
        facts = QFormLayout()
        facts.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        facts.addRow("Occurred:", _label(show_date_time(review.occurred_at)))
        raised = show_date_time(review.raised_at)
        facts.addRow("Raised:", _label(f"{raised} by {review.raised_by or 'the board'}"))
        facts.addRow("Summary:", _label(review.summary))
        if review.highest_stage is not None:
            facts.addRow("Highest stage:", _label(str(review.highest_stage)))
        if review.resolution is not None:
            when = show_when_by(review.resolved_at, review.resolved_by)
            facts.addRow("Resolved:", _label(f"{when}: {review.resolution}"))
        elif review.awaiting_resolution:
            facts.addRow("Resolved:", _label("Not yet: the escalation is still open on the board."))
        visit = review.visit
        if visit is not None:
            start, end = show_date_time(visit.planned_start), show_time(visit.planned_end)
            facts.addRow("Visit:", _label(f"#{visit.id}, {start} to {end} ({visit.status.label})"))
            facts.addRow("Address:", _label(visit.address))
            if visit.pupil:
                facts.addRow("Pupil:", _label(visit.pupil))
            facts.addRow("Visitors:", _label(", ".join(visit.visitors) or "None recorded"))

        self.timeline = QTableWidget(len(review.timeline), len(TIMELINE_HEADERS))
        self.timeline.setObjectName("incidentTimeline")
        self.timeline.setAccessibleName("Timeline of the visit")
        self.timeline.setHorizontalHeaderLabels(TIMELINE_HEADERS)
        self.timeline.verticalHeader().hide()
        self.timeline.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.timeline.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.timeline.setAlternatingRowColors(True)
        self.timeline.setWordWrap(True)
        self.timeline.setTabKeyNavigation(False)
        for row, line in enumerate(review.timeline):
            what = line.what + (f": {line.details}" if line.details else "")
            if line.note:
                what += f"\n“{line.note}”"
            when = (
                show_time(line.at)
                if _same_day(line.at, review.occurred_at)
                else show_date_time(line.at)
            )
            for column, text in enumerate((when, what, line.recorded_by or "")):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                item.setTextAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
                self.timeline.setItem(row, column, item)
        header = self.timeline.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        # Wrapped rows are as tall as their text at the width the column has now.
        header.sectionResized.connect(self._fit_rows)
        self.timeline.resizeRowsToContents()
        empty = QLabel(
            "This incident is not linked to a visit, so there is no timeline."
            if visit is None
            else "Nothing was logged on this visit."
        )
        empty.setObjectName("emptyNote")
        empty.setVisible(not review.timeline)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 8, 0)
        layout.addWidget(heading)
        layout.addLayout(facts)
        timeline_heading = QLabel("Timeline (UK time)")
        timeline_heading.setObjectName("dialogTitle")
        layout.addWidget(timeline_heading)
        layout.addWidget(empty)
        layout.addWidget(self.timeline, 1)
        self.timeline.setVisible(bool(review.timeline))

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802  (Qt's name)
        super().showEvent(event)
        self._fit_rows()

    def _fit_rows(self, *_: object) -> None:
        self.timeline.resizeRowsToContents()

    def timeline_rows(self) -> list[tuple[str, ...]]:
        """The timeline as shown, row by row (what a test or a screen reader reads)."""
        table = self.timeline
        rows: list[tuple[str, ...]] = []
        for r in range(table.rowCount()):
            items = (table.item(r, c) for c in range(table.columnCount()))
            rows.append(tuple(item.text() if item is not None else "" for item in items))
        return rows
