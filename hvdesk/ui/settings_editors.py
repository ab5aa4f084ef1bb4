"""One editing widget per kind of setting (minutes, times, weekdays, roles, bands, folders...),
each able to show a value and give back what the office set. Only the kind decides the widget,
so a setting another issue adds is editable here without a line of its own."""

from __future__ import annotations

from collections.abc import Callable
from datetime import time
from typing import Any

from PySide6.QtCore import QTime, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTimeEdit,
    QWidget,
)

from hvdesk.domain.people import Role
from hvdesk.domain.risk import BandThresholds
from hvdesk.domain.setting_fields import WEEKDAYS, SettingField, SettingKind

UNITS = {
    SettingKind.MINUTES: (" minutes", 0, 1440),
    SettingKind.DAYS: (" days", 0, 366),
    SettingKind.YEARS: (" years", 0, 100),
    SettingKind.COUNT: ("", 0, 100_000),
}


class SettingEditor(QWidget):
    """A setting's widget: `set_value`, `value`, and `edited` when the office changes it."""

    edited = Signal()

    def __init__(self, found: SettingField, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = found
        self.row = QHBoxLayout(self)
        self.row.setContentsMargins(0, 0, 0, 0)
        self.row.setSpacing(8)
        self._get: Callable[[], Any]
        self._set: Callable[[Any], None]
        builders: dict[SettingKind, Callable[[], None]] = {
            SettingKind.YES_NO: self._yes_no,
            SettingKind.TIME: self._time,
            SettingKind.WEEKDAYS: self._weekdays,
            SettingKind.ROLES: self._roles,
            SettingKind.BANDS: self._bands,
            SettingKind.FOLDER: self._folder,
            SettingKind.TEXT_LIST: self._lines,
            SettingKind.CHOICE: self._choice,
        }
        builders.get(found.kind, self._number if found.kind in UNITS else self._text)()
        self.setAccessibleName(found.label)

    def value(self) -> Any:
        return self._get()

    def set_value(self, value: Any) -> None:
        self.blockSignals(True)
        try:
            self._set(value)
        finally:
            self.blockSignals(False)

    def set_editable(self, editable: bool) -> None:
        for child in self.findChildren(QWidget):
            child.setEnabled(editable)

    # -- one builder per kind ------------------------------------------------------------------

    def _number(self) -> None:
        suffix, low, high = UNITS[self.field.kind]
        box = QSpinBox()
        box.setRange(low, high)
        box.setSuffix(suffix)
        box.setMinimumWidth(130)
        box.setAccessibleName(self.field.label)
        box.valueChanged.connect(self.edited)
        self.row.addWidget(box)
        self.row.addStretch(1)
        self._get, self._set = box.value, box.setValue

    def _yes_no(self) -> None:
        box = QCheckBox("Yes")
        box.setAccessibleName(self.field.label)
        box.toggled.connect(self.edited)
        self.row.addWidget(box)
        self.row.addStretch(1)
        self._get, self._set = box.isChecked, box.setChecked

    def _time(self) -> None:
        edit = QTimeEdit()
        edit.setDisplayFormat("HH:mm")
        edit.setMinimumWidth(110)
        edit.setAccessibleName(self.field.label)
        edit.timeChanged.connect(self.edited)
        self.row.addWidget(edit)
        self.row.addStretch(1)

        def get() -> time:
            chosen = edit.time()
            return time(chosen.hour(), chosen.minute())

        self._get = get
        self._set = lambda v: edit.setTime(QTime(v.hour, v.minute))

    def _ticks(self, names: list[tuple[Any, str]], columns: int) -> list[tuple[Any, QCheckBox]]:
        grid = QGridLayout()
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(4)
        boxes = []
        for index, (value, name) in enumerate(names):
            box = QCheckBox(name)
            box.toggled.connect(self.edited)
            grid.addWidget(box, index // columns, index % columns)
            boxes.append((value, box))
        self.row.addLayout(grid)
        self.row.addStretch(1)
        return boxes

    def _weekdays(self) -> None:
        boxes = self._ticks([(i, day[:3]) for i, day in enumerate(WEEKDAYS)], 7)
        for (_day, box), full in zip(boxes, WEEKDAYS, strict=True):
            box.setAccessibleName(full)
        self._get = lambda: tuple(d for d, box in boxes if box.isChecked())
        self._set = lambda v: _tick(boxes, v)

    def _roles(self) -> None:
        boxes = self._ticks([(r, r.label) for r in Role], 2)

        def get() -> tuple[Role, ...]:
            return tuple(r for r, box in boxes if box.isChecked())

        self._get = get
        self._set = lambda v: _tick(boxes, v)

    def _bands(self) -> None:
        low, medium = QSpinBox(), QSpinBox()
        for box, name in ((low, "Low up to score"), (medium, "Medium up to score")):
            box.setRange(1, 24)
            box.setAccessibleName(name)
            box.valueChanged.connect(self.edited)
            label = QLabel(name)
            label.setBuddy(box)
            self.row.addWidget(label)
            self.row.addWidget(box)
        self.row.addWidget(QLabel("high above that"))
        self.row.addStretch(1)
        self._get = lambda: _bands(low.value(), medium.value())

        def put(value: BandThresholds) -> None:
            low.setValue(value.low_max)
            medium.setValue(value.medium_max)

        self._set = put

    def _folder(self) -> None:
        line = QLineEdit()
        line.setPlaceholderText("The “backups” folder inside the data folder")
        line.setAccessibleName(self.field.label)
        line.textEdited.connect(self.edited)
        choose = QPushButton("Choose…")
        choose.setAccessibleName(f"Choose: {self.field.label}")
        default = QPushButton("Use the default")

        def pick() -> None:
            chosen = QFileDialog.getExistingDirectory(self, self.field.label, line.text())
            if chosen:
                line.setText(chosen)
                self.edited.emit()

        def reset() -> None:
            line.clear()
            self.edited.emit()

        choose.clicked.connect(pick)
        default.clicked.connect(reset)
        self.row.addWidget(line, 1)
        self.row.addWidget(choose)
        self.row.addWidget(default)
        self._get = lambda: line.text().strip()
        self._set = line.setText

    def _text(self) -> None:
        line = QLineEdit()
        line.setAccessibleName(self.field.label)
        line.textEdited.connect(self.edited)
        self.row.addWidget(line, 1)
        self._get = lambda: line.text().strip()
        self._set = line.setText

    def _lines(self) -> None:
        edit = QPlainTextEdit()
        edit.setAccessibleName(f"{self.field.label} (one per line)")
        edit.setTabChangesFocus(True)
        edit.setFixedHeight(edit.fontMetrics().lineSpacing() * 4 + 16)
        edit.textChanged.connect(self.edited)
        self.row.addWidget(edit, 1)
        self._get = lambda: tuple(s.strip() for s in edit.toPlainText().splitlines() if s.strip())
        self._set = lambda v: edit.setPlainText("\n".join(v))

    def _choice(self) -> None:
        box = QComboBox()
        box.setAccessibleName(self.field.label)
        for member in self.field.choices:
            box.addItem(str(getattr(member, "label", member.value)), member)
        box.currentIndexChanged.connect(self.edited)
        self.row.addWidget(box)
        self.row.addStretch(1)
        self._get = box.currentData
        self._set = lambda v: box.setCurrentIndex(max(0, box.findData(v)))


def _bands(low: int, medium: int) -> Any:
    """Bands as typed; an impossible pair is passed on as numbers for the service to refuse in
    words rather than failing here."""
    try:
        return BandThresholds(low, medium)
    except ValueError:
        return (low, medium)


def _tick(boxes: list[tuple[Any, QCheckBox]], chosen: Any) -> None:
    for value, box in boxes:
        box.setChecked(value in chosen)
