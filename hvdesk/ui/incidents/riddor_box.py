"""The RIDDOR part of an accident or injury: is it reportable, and was it reported (when).

Raising an incident and reviewing it ask the same question the same way, so both read the
answer through `answer`: nothing for other kinds of incident, and a report date only when the
accident is reportable and the box is ticked."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QWidget

from hvdesk.ui.school_time_edit import from_qt, school_time_edit

RIDDOR_CHOICES: tuple[tuple[str, bool | None], ...] = (
    ("Not decided yet", None),
    ("Yes: reportable under RIDDOR", True),
    ("No: not reportable", False),
)


class RiddorBox(QGroupBox):
    """Reportable? (not decided, yes, no) and "reported, on" a date no later than `now`."""

    def __init__(
        self,
        now: datetime,
        *,
        reported_text: str,
        reportable_label: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("RIDDOR (accident or injury)", parent)
        self.reportable = QComboBox()
        self.reportable.setAccessibleName("Reportable under RIDDOR")
        for text, value in RIDDOR_CHOICES:
            self.reportable.addItem(text, value)
        self.reported = QCheckBox(reported_text)
        self.reported_at = school_time_edit(now, "Reported under RIDDOR on", latest=now)
        reported_row = QHBoxLayout()
        reported_row.addWidget(self.reported)
        reported_row.addWidget(self.reported_at, 1)
        form = QFormLayout(self)
        form.addRow(reportable_label, self.reportable)
        form.addRow("", reported_row)

    def enable_dates(self, editable: bool = True) -> None:
        """ "Reported" only for a reportable accident; its date only once ticked."""
        reportable = self.reportable.currentData() is True
        self.reported.setEnabled(editable and reportable)
        self.reported_at.setEnabled(editable and reportable and self.reported.isChecked())

    def answer(self, accident: bool) -> tuple[bool | None, datetime | None]:
        """(reportable, reported at) as typed; (None, None) when it is not an accident."""
        reportable = self.reportable.currentData() if accident else None
        reported_at = (
            from_qt(self.reported_at.dateTime())
            if accident and reportable is True and self.reported.isChecked()
            else None
        )
        return reportable, reported_at
