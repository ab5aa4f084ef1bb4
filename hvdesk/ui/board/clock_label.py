"""A label for a clock that changes every second without laying out the window again.

A QLabel asks its layout to measure again on every `setText`, and in a flow of alert cards that
lays the whole panel out once a second (16 passes a tick, measured). This label reserves the
width of the widest text of the same shape it has shown (digits counted as the widest digit),
so a new second only repaints it; the layout is asked again only when the text needs more room
than it has ever had (an hour passing from 59:59 to 1:00:00).
"""

from __future__ import annotations

import re

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QLabel, QWidget

_DIGIT = re.compile(r"\d")
_WIDEST_DIGIT: dict[str, str] = {}
"""The widest digit of each font (by `QFont.key()`), measured once."""


class ClockLabel(QLabel):
    """Right-aligned text whose changes repaint the label and nothing else."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._text = ""
        self._reserved = 0
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

    def text(self) -> str:
        return self._text

    def setText(self, text: str) -> None:  # noqa: N802
        if text == self._text:
            return
        self._text = text
        self.setAccessibleName(text)
        needed = self._width_of(text)
        if needed > self._reserved:
            self._reserved = needed
            self.updateGeometry()
        self.update()

    def _width_of(self, text: str) -> int:
        metrics = self.fontMetrics()
        font = self.font().key()
        widest = _WIDEST_DIGIT.get(font)
        if widest is None:
            widest = _WIDEST_DIGIT[font] = max("0123456789", key=metrics.horizontalAdvance)
        return metrics.horizontalAdvance(_DIGIT.sub(widest, text)) + 2

    def sizeHint(self) -> QSize:  # noqa: N802
        margins = self.contentsMargins()
        height = self.fontMetrics().height() + margins.top() + margins.bottom()
        return QSize(self._reserved + margins.left() + margins.right(), height)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return self.sizeHint()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        self.style().drawItemText(
            painter,
            self.contentsRect(),
            int(self.alignment()),
            self.palette(),
            self.isEnabled(),
            self._text,
            self.foregroundRole(),
        )
