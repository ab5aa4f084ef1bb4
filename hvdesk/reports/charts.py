"""Charts for printed reports (reportlab.graphics): bars, titled, with labelled axes and a
legend, in the documents' fonts and colours.

Each chart is a `Drawing` (a flowable) sized by the caller. Category labels never overlap:
long labels go on a horizontal chart, where each bar has its own line; month charts take short
labels ("Sep", "Oct"). Counts sit at the end of each bar, so no one has to read a gridline.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.graphics.charts.axes import ValueAxis
from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, Group, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from hvdesk.reports.fonts import BOLD, REGULAR
from hvdesk.reports.layout import ACCENT, INK, MUTED, RULE

__all__ = ["PALETTE", "horizontal_bars", "vertical_bars"]

# Colour-blind-safe (Okabe-Ito hues, darkened to at least 3:1 on white: issue 13), darkest
# first; the legend and the table carry the words.
PALETTE = (
    colors.HexColor("#1F3A5F"),
    colors.HexColor("#b36b00"),
    colors.HexColor("#2b7bb9"),
    colors.HexColor("#00805c"),
    colors.HexColor("#b3528a"),
    colors.HexColor("#6e6e6e"),
    colors.HexColor("#b84f00"),
)
TITLE_SIZE = 9.5
LABEL_SIZE = 7.5


def _nice_top(largest: float) -> tuple[float, float]:
    """An axis top and step with whole-number steps (counts are whole numbers), above the
    largest value so the count printed at a bar's end stays inside the chart."""
    if largest <= 0:
        return 1, 1
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000):
        if largest / step <= 6:
            # One step of room past the longest bar, for its count.
            return step * (int(largest // step) + 1), step
    step = 10 ** len(str(int(largest)))
    return step, step / 5


def _frame(width: float, height: float, title: str) -> Drawing:
    drawing = Drawing(width, height)
    drawing.add(
        String(0, height - TITLE_SIZE, title, fontName=BOLD, fontSize=TITLE_SIZE, fillColor=ACCENT)
    )
    return drawing


def _legend(drawing: Drawing, names: Sequence[str], x: float, y: float, width: float) -> float:
    """A legend in rows across the top; returns the height it took."""
    if len(names) < 2:
        return 0
    legend = Legend()
    legend.fontName = REGULAR
    legend.fontSize = LABEL_SIZE
    legend.alignment = "right"
    legend.boxAnchor = "nw"
    legend.x = x
    legend.y = y
    legend.dx = legend.dy = 6
    legend.deltay = 10
    widest = max(stringWidth(n, REGULAR, LABEL_SIZE) for n in names) + 16
    columns = max(1, int(width // widest))
    legend.columnMaximum = -(-len(names) // columns)
    legend.deltax = widest
    legend.dxTextSpace = 4
    legend.colorNamePairs = [(PALETTE[i % len(PALETTE)], n) for i, n in enumerate(names)]
    legend.strokeColor = None
    drawing.add(legend)
    return float(legend.columnMaximum * 10 + 4)


def _count_axis(axis: ValueAxis, largest: int) -> None:
    """The value axis both bar charts share: whole counts from 0 to a round top, light grid."""
    top, step = _nice_top(largest)
    axis.valueMin = 0
    axis.valueMax = top
    axis.valueStep = step
    axis.labels.fontName = REGULAR
    axis.labels.fontSize = LABEL_SIZE
    axis.labelTextFormat = "%d"
    axis.visibleGrid = True
    axis.gridStrokeColor = RULE
    axis.gridStrokeWidth = 0.3
    axis.strokeColor = MUTED


def vertical_bars(
    title: str,
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[int]]],
    *,
    width: float,
    height: float = 62 * mm,
    value_axis: str = "Visits",
    category_axis: str = "",
    stacked: bool = False,
) -> Drawing:
    """Bars per category (a month, say), one colour per series, stacked or side by side."""
    drawing = _frame(width, height, title)
    top_y = height - TITLE_SIZE - 4
    legend_height = _legend(drawing, [n for n, _ in series], 34, top_y, width - 40)
    chart = VerticalBarChart()
    chart.x = 34
    chart.y = 14 + (10 if category_axis else 0)
    chart.width = width - chart.x - 6
    chart.height = top_y - legend_height - chart.y - 8
    data = [list(values) for _, values in series] or [[0] * len(categories)]
    chart.data = data
    if stacked:
        totals = [sum(col) for col in zip(*data, strict=True)] if data else [0]
        largest = max(totals, default=0)
        chart.categoryAxis.style = "stacked"
    else:
        largest = max((max(v, default=0) for v in data), default=0)
    _count_axis(chart.valueAxis, largest)
    chart.categoryAxis.categoryNames = list(categories)
    chart.categoryAxis.labels.fontName = REGULAR
    chart.categoryAxis.labels.fontSize = LABEL_SIZE
    chart.categoryAxis.labels.dy = -2
    chart.categoryAxis.strokeColor = MUTED
    chart.barSpacing = 1
    chart.groupSpacing = 6
    for i in range(len(data)):
        chart.bars[i].fillColor = PALETTE[i % len(PALETTE)]
        chart.bars[i].strokeColor = None
    if not stacked and len(data) <= 2 and len(categories) <= 14:
        chart.barLabelFormat = _count_label
        chart.barLabels.fontName = REGULAR
        chart.barLabels.fontSize = LABEL_SIZE - 1
        chart.barLabels.nudge = 5
        chart.barLabels.fillColor = INK
    drawing.add(chart)
    _vertical_label(drawing, 6, chart.y + chart.height / 2, value_axis)
    if category_axis:
        drawing.add(
            String(
                chart.x + chart.width / 2,
                2,
                category_axis,
                fontName=REGULAR,
                fontSize=LABEL_SIZE,
                fillColor=MUTED,
                textAnchor="middle",
            )
        )
    return drawing


def horizontal_bars(
    title: str,
    categories: Sequence[str],
    values: Sequence[int],
    *,
    width: float,
    value_axis: str = "Visits",
    bar_height: float = 5.5 * mm,
) -> Drawing:
    """One bar per category, labels on the left on their own line: for long category names
    (causes, stages, ranges of time)."""
    label_width = max((stringWidth(c, REGULAR, LABEL_SIZE) for c in categories), default=0) + 6
    plot_height = bar_height * max(1, len(categories))
    height = plot_height + TITLE_SIZE + 8 + 26
    drawing = _frame(width, height, title)
    chart = HorizontalBarChart()
    chart.x = label_width
    chart.y = 24
    chart.width = width - label_width - 24
    chart.height = plot_height
    # reportlab draws the first category at the bottom: reverse so the list reads top-down.
    chart.data = [list(reversed(values)) or [0]]
    chart.categoryAxis.categoryNames = list(reversed(categories))
    chart.categoryAxis.labels.fontName = REGULAR
    chart.categoryAxis.labels.fontSize = LABEL_SIZE
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -3
    chart.categoryAxis.strokeColor = MUTED
    _count_axis(chart.valueAxis, max(values, default=0))
    chart.bars[0].fillColor = PALETTE[0]
    chart.bars[0].strokeColor = None
    chart.barSpacing = 0
    chart.groupSpacing = 3
    chart.barLabelFormat = _count_label
    chart.barLabels.fontName = REGULAR
    chart.barLabels.fontSize = LABEL_SIZE
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    chart.barLabels.fillColor = INK
    drawing.add(chart)
    drawing.add(
        String(
            chart.x + chart.width / 2,
            2,
            value_axis,
            fontName=REGULAR,
            fontSize=LABEL_SIZE,
            fillColor=MUTED,
            textAnchor="middle",
        )
    )
    return drawing


def _count_label(value: float) -> str:
    return f"{int(value)}" if value else ""


def _vertical_label(drawing: Drawing, x: float, y: float, text: str) -> None:
    """An axis title written bottom to top beside the value axis."""
    group = Group(
        String(
            0, 0, text, fontName=REGULAR, fontSize=LABEL_SIZE, fillColor=MUTED, textAnchor="middle"
        )
    )
    group.translate(x + LABEL_SIZE / 2, y)
    group.rotate(90)
    drawing.add(group)
