"""How the heat map draws a hazard: its row number in a disc, outlined where the hazard starts
and filled after controls, ringed when its row is the one selected."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen

INK = QColor("#1b1f24")
AFTER_FILL = QColor("#27415f")
HIGHLIGHT = QColor("#0b63c9")


def paint_disc(
    painter: QPainter,
    base_font: QFont,
    centre: QPointF,
    radius: float,
    text: str,
    filled: bool,
    chosen: bool = False,
) -> None:
    """One disc with `text` (a row number, or "n" in the legend) centred in it."""
    if chosen:
        painter.setPen(QPen(HIGHLIGHT, 3))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(centre, radius + 3, radius + 3)
    painter.setPen(QPen(AFTER_FILL if filled else INK, 1.6))
    painter.setBrush(AFTER_FILL if filled else QColor("#ffffff"))
    painter.drawEllipse(centre, radius, radius)
    font = QFont(base_font)
    font.setBold(True)
    font.setPixelSize(max(7, round(radius * (1.1 if len(text) == 1 else 0.95))))
    painter.setFont(font)
    painter.setPen(QColor("#ffffff") if filled else INK)
    box = QRectF(centre.x() - radius, centre.y() - radius, 2 * radius, 2 * radius)
    painter.drawText(box, int(Qt.AlignmentFlag.AlignCenter), text)
