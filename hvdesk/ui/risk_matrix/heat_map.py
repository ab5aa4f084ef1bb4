"""The 5×5 risk matrix as a picture: every hazard placed before and after its controls.

Likelihood runs across and severity up, as on the printed assessment (seed 001 appendix 2 gives
the hazards and scores but no grid; the PDF set this layout). Each cell is tinted by the band of
its score under the thresholds stored with the assessment. A hazard is drawn as its row number
twice: an outlined disc where it starts and a filled disc after controls, joined by a dashed
arrow when the controls move it. Placements come from `risk_matrix.heat_map`, so the picture and
the domain cannot disagree.

Read-only and reusable: the risk assessment dialog and the DSL's approval screen both embed it
(`HeatMap(parent)`, then `set_rows(rows, bands)`). Clicking a disc announces its row number.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from PySide6.QtCore import QEvent, QLineF, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QHelpEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from hvdesk.domain.risk import BandThresholds, risk_score
from hvdesk.domain.risk_matrix import HazardRow, heat_map
from hvdesk.ui.risk_matrix.bands import BAND_FILL, BAND_INK, band_ranges
from hvdesk.ui.risk_matrix.map_discs import AFTER_FILL, HIGHLIGHT, INK, paint_disc

__all__ = ["AFTER_FILL", "HeatMap"]

Cell = tuple[int, int]  # (severity, likelihood), as `risk_matrix.heat_map` keys them
Marker = tuple[int, bool]  # (row number, after controls)

MUTED = QColor("#5c6670")
ACCENT = QColor("#10243b")

PREFERRED_CELL = 54
SMALLEST_CELL = 40
PAD = 8
GAP = 18  # between the grid and a legend beside it


class HeatMap(QWidget):
    """A read-only 5×5 matrix of the rows of one assessment."""

    row_clicked = Signal(int)  # the row number (from 1) of the disc clicked

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("riskHeatMap")
        self.setAccessibleName("Risk matrix: each hazard before and after controls")
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self._rows: tuple[HazardRow, ...] = ()
        self._bands = BandThresholds()
        self._before: dict[Cell, list[int]] = {}
        self._after: dict[Cell, list[int]] = {}
        self._highlight: int | None = None
        self._centres: dict[Marker, QPointF] = {}
        self._radius: dict[Cell, float] = {}
        self._laid_out_for: QSize | None = None
        self._describe()

    # -- what embedding screens use -------------------------------------------------------------

    def set_rows(self, rows: Sequence[HazardRow], bands: BandThresholds) -> None:
        """Show these rows (numbered from 1, as in the table) against these band thresholds."""
        self._rows = tuple(rows)
        self._bands = bands
        self._before = heat_map(self._rows, residual=False)
        self._after = heat_map(self._rows, residual=True)
        if self._highlight is not None and self._highlight > len(self._rows):
            self._highlight = None
        self._laid_out_for = None
        self._describe()
        self.update()

    def set_highlight(self, number: int | None) -> None:
        """Ring one hazard's discs (the row selected in a table beside the map)."""
        if number != self._highlight:
            self._highlight = number
            self.update()

    @property
    def bands(self) -> BandThresholds:
        return self._bands

    @property
    def rows(self) -> tuple[HazardRow, ...]:
        return self._rows

    def placements(self, *, residual: bool) -> dict[Cell, list[int]]:
        """The row numbers drawn in each cell (severity, likelihood): before or after controls."""
        source = self._after if residual else self._before
        return {cell: list(numbers) for cell, numbers in source.items()}

    def cell_rect(self, severity: int, likelihood: int) -> QRectF:
        """Where the cell for this severity and likelihood is drawn, in widget coordinates."""
        left, top, cell = self._grid()
        return QRectF(left + (likelihood - 1) * cell, top + (5 - severity) * cell, cell, cell)

    def marker_centre(self, number: int, *, after: bool) -> QPointF:
        """The centre of a hazard's disc (before or after controls), in widget coordinates."""
        self._layout_markers()
        return QPointF(self._centres[(number, after)])

    def cell_at(self, point: QPointF) -> Cell | None:
        left, top, cell = self._grid()
        column = math.floor((point.x() - left) / cell)
        row = math.floor((point.y() - top) / cell)
        if not (0 <= column < 5 and 0 <= row < 5):
            return None
        return (5 - row, column + 1)

    def cell_text(self, severity: int, likelihood: int) -> str:
        """The cell in words: its score and band and the hazards in it (tooltip, tests)."""
        score = risk_score(severity, likelihood)
        band = self._bands.band(score)
        before = self._before.get((severity, likelihood), [])
        after = self._after.get((severity, likelihood), [])
        return (
            f"Severity {severity} × likelihood {likelihood} = {score} ({band.label}).\n"
            f"Before controls: {_numbers(before)}.\nAfter controls: {_numbers(after)}."
        )

    # -- Qt -------------------------------------------------------------------------------------

    def sizeHint(self) -> QSize:  # noqa: N802
        return self._size_for(PREFERRED_CELL)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return self._size_for(SMALLEST_CELL)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            cell = self.cell_at(QPointF(event.pos()))
            if cell is None:
                QToolTip.hideText()
                event.ignore()
            else:
                QToolTip.showText(event.globalPos(), self.cell_text(*cell), self)
            return True
        return super().event(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        marker = self._marker_at(event.position())
        if marker is not None and event.button() == Qt.MouseButton.LeftButton:
            self.row_clicked.emit(marker[0])
            event.accept()
            return
        super().mousePressEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            self._paint_cells(painter)
            self._paint_axes(painter)
            self._paint_pairs(painter)
            self._paint_markers(painter)
            self._paint_legend(painter)
        finally:
            painter.end()

    # -- geometry -------------------------------------------------------------------------------

    def _side_margins(self) -> tuple[float, float]:
        metrics = QFontMetrics(self.font())
        left = metrics.height() + 6 + metrics.horizontalAdvance("5") + 10
        return float(left), float(PAD)

    def _axis_height(self) -> float:
        """Room under the grid for the likelihood numbers and the axis name."""
        metrics = QFontMetrics(self.font())
        return 6 + 2 * metrics.height() + 8

    def _legend_line_height(self) -> float:
        return max(QFontMetrics(self._small_font()).height(), 20) + 4

    def _legend_block(self, beside: bool) -> tuple[float, float]:
        """Width and height of the legend: one item a line beside the grid, or two lines
        (the discs, then the bands) under it."""
        lines = self._legend_lines(beside)
        small = QFontMetrics(self._small_font())
        width = max(sum(24 + small.horizontalAdvance(t) + 14 for _, t in line) for line in lines)
        return width - 14, len(lines) * self._legend_line_height()

    def _size_for(self, cell: int) -> QSize:
        left, right = self._side_margins()
        legend_width, legend_height = self._legend_block(beside=True)
        width = left + 5 * cell + GAP + legend_width + right
        height = PAD + max(5 * cell + self._axis_height(), legend_height)
        return QSize(math.ceil(width), math.ceil(height))

    def _geometry(self) -> tuple[float, float, float, bool]:
        """The grid's left and top edge, the side of one cell, and whether the legend sits
        beside the grid (else under it): whichever leaves the larger cells."""
        left, right = self._side_margins()
        beside_w, _ = self._legend_block(beside=True)
        _, below_h = self._legend_block(beside=False)
        room_w = self.width() - left - right
        room_h = self.height() - PAD - self._axis_height()
        cell_beside = min((room_w - GAP - beside_w) / 5, room_h / 5)
        cell_below = min(room_w / 5, (room_h - below_h - 4) / 5)
        beside = cell_beside >= cell_below
        cell = max(12.0, math.floor(cell_beside if beside else cell_below))
        used = 5 * cell + (GAP + beside_w if beside else 0)
        return left + max(0.0, (room_w - used) / 2), float(PAD), cell, beside

    def _grid(self) -> tuple[float, float, float]:
        """The grid's left and top edge and the side of one cell, for the current size."""
        left, top, cell, _ = self._geometry()
        return left, top, cell

    def _layout_markers(self) -> None:
        """Place the discs of each cell in a small grid of its own, before and after of one
        hazard side by side where they share a cell."""
        if self._laid_out_for == self.size():
            return
        self._centres.clear()
        self._radius.clear()
        cells: dict[Cell, list[Marker]] = {}
        for cell, numbers in self._before.items():
            cells.setdefault(cell, []).extend((n, False) for n in numbers)
        for cell, numbers in self._after.items():
            cells.setdefault(cell, []).extend((n, True) for n in numbers)
        for (severity, likelihood), markers in cells.items():
            markers.sort()
            rect = self.cell_rect(severity, likelihood)
            per_row = max(2, math.ceil(math.sqrt(len(markers))))
            step = rect.width() / (per_row + 0.2)
            self._radius[(severity, likelihood)] = min(rect.width() * 0.2, step * 0.47)
            for index, marker in enumerate(markers):
                column, row = index % per_row, index // per_row
                x = rect.left() + step * (column + 0.6)
                y = rect.top() + step * (row + 0.6)
                self._centres[marker] = QPointF(x, y)
        self._laid_out_for = self.size()

    def _marker_at(self, point: QPointF) -> Marker | None:
        self._layout_markers()
        for marker, centre in self._centres.items():
            cell = self._cell_of(marker)
            radius = self._radius.get(cell, 0.0) if cell is not None else 0.0
            if QLineF(centre, point).length() <= radius + 2:
                return marker
        return None

    def _cell_of(self, marker: Marker) -> Cell | None:
        source = self._after if marker[1] else self._before
        for cell, numbers in source.items():
            if marker[0] in numbers:
                return cell
        return None

    # -- painting -------------------------------------------------------------------------------

    def _small_font(self) -> QFont:
        font = QFont(self.font())
        font.setPointSizeF(max(8.0, font.pointSizeF() - 2))
        return font

    def _paint_cells(self, painter: QPainter) -> None:
        small = self._small_font()
        painter.setFont(small)
        crowded = {c for c, n in self._before.items() if len(n) + len(self._after.get(c, [])) > 2}
        crowded |= {c for c, n in self._after.items() if len(n) + len(self._before.get(c, [])) > 2}
        for severity in range(1, 6):
            for likelihood in range(1, 6):
                rect = self.cell_rect(severity, likelihood)
                score = risk_score(severity, likelihood)
                band = self._bands.band(score)
                painter.fillRect(rect, BAND_FILL[band])
                painter.setPen(QPen(QColor("#ffffff"), 2))
                painter.drawRect(rect)
                if (severity, likelihood) not in crowded:
                    painter.setPen(BAND_INK[band])
                    painter.drawText(
                        rect.adjusted(0, 0, -4, -2),
                        int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom),
                        str(score),
                    )
        left, top, cell = self._grid()
        painter.setPen(QPen(QColor("#9aa7b5"), 1))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(QRectF(left, top, 5 * cell, 5 * cell))

    def _paint_axes(self, painter: QPainter) -> None:
        left, top, cell = self._grid()
        metrics = QFontMetrics(self.font())
        painter.setFont(self.font())
        painter.setPen(INK)
        for n in range(1, 6):
            below = QRectF(left + (n - 1) * cell, top + 5 * cell + 4, cell, metrics.height())
            painter.drawText(below, int(Qt.AlignmentFlag.AlignCenter), str(n))
            beside = QRectF(left - 24, top + (5 - n) * cell, 18, cell)
            painter.drawText(
                beside, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), str(n)
            )
        bold = QFont(self.font())
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(ACCENT)
        axis_y = top + 5 * cell + 4 + metrics.height() + 2
        painter.drawText(
            QRectF(left, axis_y, 5 * cell, metrics.height()),
            int(Qt.AlignmentFlag.AlignCenter),
            "Likelihood →",
        )
        painter.save()
        painter.translate(left - 30 - metrics.height() / 2, top + 2.5 * cell)
        painter.rotate(-90)
        painter.drawText(
            QRectF(-2.5 * cell, -metrics.height() / 2, 5 * cell, metrics.height()),
            int(Qt.AlignmentFlag.AlignCenter),
            "Severity →",
        )
        painter.restore()

    def _paint_pairs(self, painter: QPainter) -> None:
        """A dashed arrow from where each hazard starts to where its controls leave it."""
        self._layout_markers()
        for number in range(1, len(self._rows) + 1):
            start = self._centres.get((number, False))
            end = self._centres.get((number, True))
            start_cell = self._cell_of((number, False))
            end_cell = self._cell_of((number, True))
            if start is None or end is None or start_cell == end_cell:
                continue
            chosen = number == self._highlight
            colour = HIGHLIGHT if chosen else MUTED
            line = QLineF(start, end)
            length = line.length()
            if length < 1:
                continue
            r0 = self._radius.get(start_cell, 0.0) if start_cell else 0.0
            r1 = self._radius.get(end_cell, 0.0) if end_cell else 0.0
            unit = QPointF(line.dx() / length, line.dy() / length)
            a = start + unit * r0
            b = end - unit * (r1 + 1)
            pen = QPen(colour, 2.2 if chosen else 1.3)
            pen.setStyle(Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.drawLine(QLineF(a, b))
            head = 7.0 if chosen else 6.0
            normal = QPointF(-unit.y(), unit.x())
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colour)
            painter.drawPolygon(
                QPolygonF(
                    [
                        b,
                        b - unit * head + normal * (head * 0.5),
                        b - unit * head - normal * (head * 0.5),
                    ]
                )
            )

    def _paint_markers(self, painter: QPainter) -> None:
        self._layout_markers()
        for marker, centre in self._centres.items():
            cell = self._cell_of(marker)
            if cell is None:
                continue
            chosen = marker[0] == self._highlight
            paint_disc(
                painter, self.font(), centre, self._radius[cell], str(marker[0]), marker[1], chosen
            )

    def _legend_lines(self, beside: bool) -> list[list[tuple[str, str]]]:
        """The two discs and the three bands with their score ranges."""
        discs = [("before", "Row n before controls"), ("after", "Row n after controls")]
        bands = [
            (name.split()[0].upper(), name.strip()) for name in band_ranges(self._bands).split("·")
        ]
        if beside:
            return [[item] for item in (*discs, *bands)]
        return [discs, bands]

    def _paint_legend(self, painter: QPainter) -> None:
        left, top, cell, beside = self._geometry()
        small_font = self._small_font()
        small = QFontMetrics(small_font)
        line_height = self._legend_line_height()
        if beside:
            x0, y = left + 5 * cell + GAP, top
        else:
            width, _ = self._legend_block(beside=False)
            x0 = max(float(PAD), min(left, self.width() - width - PAD))
            y = top + 5 * cell + self._axis_height()
        fills = {band.name: band for band in BAND_FILL}
        for line in self._legend_lines(beside):
            x = x0
            middle = y + line_height / 2
            for key, text in line:
                if key in ("before", "after"):
                    paint_disc(painter, self.font(), QPointF(x + 9, middle), 9, "n", key == "after")
                else:
                    band = fills[key]
                    painter.setPen(QPen(BAND_INK[band], 1))
                    painter.setBrush(BAND_FILL[band])
                    painter.drawRect(QRectF(x, middle - 8, 18, 16))
                painter.setFont(small_font)
                painter.setPen(INK)
                advance = small.horizontalAdvance(text)
                painter.drawText(
                    QRectF(x + 24, y, advance + 2, line_height),
                    int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                    text,
                )
                x += 24 + advance + 14
            y += line_height

    def _describe(self) -> None:
        """The whole map in words for a screen reader."""
        self.setAccessibleDescription(describe_map(self._rows, self._bands))


def _numbers(numbers: Sequence[int]) -> str:
    if not numbers:
        return "none"
    label = "row" if len(numbers) == 1 else "rows"
    return f"{label} {', '.join(str(n) for n in numbers)}"


def describe_map(rows: Sequence[HazardRow], bands: BandThresholds) -> str:
    """The whole map in words, for a screen reader."""
    if not rows:
        return "No hazards yet."
    parts = []
    for number, row in enumerate(rows, 1):
        before = bands.band(row.score).label
        after = bands.band(row.residual_score).label
        parts.append(
            f"Row {number}: {row.score} {before} before controls, "
            f"{row.residual_score} {after} after."
        )
    return " ".join(parts)
