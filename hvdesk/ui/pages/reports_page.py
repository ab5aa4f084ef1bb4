"""The year in figures: for a chosen period (a school year by default), one section per figure,
each a chart with its table beside it and "Export CSV…" for the table.

The numbers come from `Statistics` (services), where what is counted is written down; this
page only lays them out. Charts are QtCharts (PySide6-Addons): titled, with named axes, short
month labels ("Sep", "Oct") on month charts and horizontal bars where the category names are
long, so no label overlaps another. Every bar's number is in the table beside it, so nothing is
shown by colour alone. CSV files are UTF-8 with a byte-order mark (Excel reads it as UTF-8),
with ISO dates and plain numbers.
"""

from __future__ import annotations

import csv
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QDate, QMargins, Qt
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import (
    QDateEdit,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from hvdesk.domain.statistics import (
    DurationSummary,
    MonthFigures,
    YearFigures,
    format_duration,
    format_rate,
)
from hvdesk.services.container import Services
from hvdesk.services.statistics import PeriodNotValid, check_period
from hvdesk.ui.column_fitter import ColumnFitter
from hvdesk.ui.formatting import show_date
from hvdesk.ui.pages.base import Page, make_table
from hvdesk.ui.row_table_model import RIGHT, Column, RowTableModel

log = logging.getLogger(__name__)

TOP_REASONS = 5
OTHER_REASONS = "All other reasons"
# Colour-blind-safe (Okabe-Ito), as the printed charts.
PALETTE = ("#1F3A5F", "#E69F00", "#56B4E9", "#009E73", "#CC79A7", "#999999")
STAGE_NAMES = (
    "Stage 1: staff called",
    "Stage 2: supervisor informed",
    "Stage 3: emergency contact",
    "Stage 4: police",
    "Safe word used",
)
CHART_HEIGHT = 300
VISITS_TITLE = "Visits made per month, by reason"


@dataclass(frozen=True)
class FigureRow:
    """One row of a figure's table: as shown, as exported, and its count."""

    cells: tuple[str, ...]
    csv: tuple[str, ...]
    total: int = 0
    """The count this row stands for (visits in the month, visits with this cause...)."""


@dataclass(frozen=True)
class FigureTable:
    headers: tuple[str, ...]
    rows: tuple[FigureRow, ...]


class FigureSection(QFrame):
    """A heading, a one-line summary, the chart, and its table with "Export CSV…" beside it."""

    def __init__(self, key: str, title: str, page: ReportsPage, *, wide: bool = False) -> None:
        """`wide`: the table has a column per series (visits by reason), too many to sit
        beside the chart, so it goes under it and the legend to the chart's right."""
        super().__init__()
        self.key = key
        self.title = title
        self.setObjectName(f"figure-{key}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.heading = QLabel(title)
        font = QFont(self.heading.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.heading.setFont(font)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.chart = QChart()
        self.chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        self.chart.setMargins(QMargins(4, 4, 4, 4))
        self.chart.legend().setAlignment(
            Qt.AlignmentFlag.AlignRight if wide else Qt.AlignmentFlag.AlignBottom
        )
        self.chart_view = QChartView(self.chart)
        self.chart_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.chart_view.setMinimumHeight(CHART_HEIGHT)
        self.chart_view.setAccessibleName(f"{title}: chart")
        self.chart_view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table: QTableView = make_table(f"{title}: table")
        self.table.setMinimumHeight(CHART_HEIGHT - 40)
        self.model: RowTableModel[FigureRow] = _model(("",), self)
        self.table.setModel(self.model)
        self.fitter = ColumnFitter(self.table, stretch=0)
        self.export_button = QPushButton("Export CSV…")
        self.export_button.setAccessibleName(f"Export {title} as CSV")
        self.export_button.clicked.connect(lambda: page.ask_and_export(self))

        side = QVBoxLayout()
        side.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.export_button)
        side.addLayout(buttons)
        body = QVBoxLayout() if wide else QHBoxLayout()
        body.addWidget(self.chart_view, 3)
        body.addLayout(side, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.summary)
        layout.addLayout(body)

    def show_table(self, table: FigureTable) -> None:
        headers = tuple(_two_lines(h) for h in table.headers)
        if tuple(c.header for c in self.model.columns) != headers:
            old = self.model
            self.model = _model(headers, self)
            self.table.setModel(self.model)
            old.deleteLater()
        self.model.set_rows(table.rows)
        self.fitter.fit()

    def set_series(
        self,
        series: QBarSeries | QStackedBarSeries | QHorizontalBarSeries,
        categories: Sequence[str],
        *,
        value_title: str,
        category_title: str,
        horizontal: bool = False,
        largest: int = 0,
    ) -> None:
        """Replace the chart's bars; axes titled, whole-number ticks, labels that fit."""
        chart = self.chart
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
            axis.deleteLater()
        chart.setTitle(self.title)
        chart.addSeries(series)
        category_axis = QBarCategoryAxis()
        category_axis.append(list(categories))
        category_axis.setTitleText(category_title)
        value_axis = QValueAxis()
        value_axis.setTitleText(value_title)
        value_axis.setLabelFormat("%d")
        top, ticks = _axis_top(largest)
        value_axis.setRange(0, top)
        value_axis.setTickCount(ticks)
        value_axis.setMinorTickCount(0)
        if horizontal:
            chart.addAxis(category_axis, Qt.AlignmentFlag.AlignLeft)
            chart.addAxis(value_axis, Qt.AlignmentFlag.AlignBottom)
        else:
            chart.addAxis(category_axis, Qt.AlignmentFlag.AlignBottom)
            chart.addAxis(value_axis, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(category_axis)
        series.attachAxis(value_axis)
        chart.legend().setVisible(len(series.barSets()) > 1)

    def csv_rows(self) -> list[list[str]]:
        """The table as exported: its headings, then each row's values (ISO months)."""
        headers = [c.header.replace("\n", " ") for c in self.model.columns]
        return [headers, *(list(r.csv) for r in self.model.rows)]


def _two_lines(label: str) -> str:
    """A long heading as two lines, so a column is as wide as its numbers need."""
    words = label.split()
    if len(label) <= 12 or len(words) < 2:
        return label
    best = min(range(1, len(words)), key=lambda i: abs(len(" ".join(words[:i])) - len(label) / 2))
    return " ".join(words[:best]) + "\n" + " ".join(words[best:])


def _cell(position: int) -> Callable[[FigureRow], str]:
    def text(row: FigureRow) -> str:
        return row.cells[position] if position < len(row.cells) else ""

    return text


def _model(headers: Sequence[str], parent: QWidget) -> RowTableModel[FigureRow]:
    columns = [
        Column(
            header,
            _cell(i),
            align=RIGHT if i else Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            shrink=i != 0,
        )
        for i, header in enumerate(headers)
    ]
    return RowTableModel(columns, parent=parent)


class ReportsPage(Page):
    """The year in figures for a chosen period."""

    title = "Reports: the year in figures"
    icon_name = "reports"

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent=parent)
        self.clock = services.clock
        self.statistics = services.statistics
        self.figures: YearFigures | None = None
        self.ask_csv_path: Callable[[str, str], str | None] = self._ask_csv_path

        start, end = self.statistics.current_school_year()
        self.from_date = _date_edit("Period from")
        self.to_date = _date_edit("Period to")
        self.from_date.setDate(_qdate(start))
        self.to_date.setDate(_qdate(end))
        self.school_year_button = QPushButton("This school &year")
        self.school_year_button.clicked.connect(self.show_school_year)
        from_label = QLabel("&From:")
        from_label.setBuddy(self.from_date)
        to_label = QLabel("&To:")
        to_label.setBuddy(self.to_date)
        row = QHBoxLayout()
        row.setSpacing(8)
        row.addWidget(from_label)
        row.addWidget(self.from_date)
        row.addSpacing(8)
        row.addWidget(to_label)
        row.addWidget(self.to_date)
        row.addSpacing(8)
        row.addWidget(self.school_year_button)
        row.addStretch(1)
        self.layout_.addLayout(row)
        self.from_date.dateChanged.connect(lambda _d: self.refresh())
        self.to_date.dateChanged.connect(lambda _d: self.refresh())

        self.sections: dict[str, FigureSection] = {}
        content = QWidget()
        column = QVBoxLayout(content)
        column.setContentsMargins(0, 0, 8, 0)
        column.setSpacing(14)
        for key, title in (
            ("visits", VISITS_TITLE),
            ("outcomes", "Outcomes of completed visits"),
            ("cancellations", "Cancellations by cause"),
            ("overdue", "Missed call deadlines (overdue rate)"),
            ("resolve", "Time to resolve an escalation"),
            ("stages", "Highest escalation stage reached"),
            ("lone", "Lone and out-of-hours visits"),
            ("turnaround", "Authorisation turnaround (request to decision)"),
            ("follow_ups", "Follow-up actions overdue"),
        ):
            section = FigureSection(key, title, self, wide=title == VISITS_TITLE)
            self.sections[key] = section
            column.addWidget(section)
        column.addStretch(1)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setWidget(content)
        self.layout_.addWidget(self.scroll_area, 1)

    @property
    def model(self) -> RowTableModel[FigureRow]:
        """The visits-per-month table (one row per month of the period)."""
        return self.sections["visits"].model

    @property
    def period(self) -> tuple[date, date]:
        return self.from_date.date().toPython(), self.to_date.date().toPython()  # type: ignore[return-value]

    def show_school_year(self) -> None:
        start, end = self.statistics.current_school_year()
        self.set_period(start, end)

    def set_period(self, start: date, end: date) -> None:
        """Show the figures for `start` to `end` (one refresh, not one per date box)."""
        for box, day in ((self.from_date, start), (self.to_date, end)):
            box.blockSignals(True)
            box.setDate(_qdate(day))
            box.blockSignals(False)
        self.refresh()

    def refresh(self) -> None:
        start, end = self.period
        try:
            check_period(start, end)
        except PeriodNotValid as exc:
            self.problem_label.setText(str(exc))
            self.problem_label.show()
            return
        figures = self.read(lambda: self.statistics.figures(start, end))
        if figures is None:
            return  # `read` said on the page why; the last figures stay
        self.figures = figures
        self._show(figures)

    # --- export ------------------------------------------------------------------------------

    def ask_and_export(self, section: FigureSection) -> None:
        start, end = self.period
        suggested = f"{section.key.replace('_', '-')}-{start.isoformat()}-to-{end.isoformat()}.csv"
        path = self.ask_csv_path(section.title, suggested)
        if path:
            self.export_csv(section, Path(path))

    def export_csv(self, section: FigureSection, path: Path) -> bool:
        """Write the section's table as CSV (UTF-8 with BOM); a failure is said on the page."""
        try:
            with path.open("w", encoding="utf-8-sig", newline="") as stream:
                csv.writer(stream).writerows(section.csv_rows())
        except OSError as exc:
            self.problem_label.setText(
                f"Could not write {path.name} ({exc.strerror or exc}). Check the folder exists "
                "and the file is not open in another program, then export again."
            )
            self.problem_label.show()
            return False
        self.clear_problem()
        log.info("Exported the %s figures as CSV", section.key)
        return True

    def _ask_csv_path(self, title: str, suggested: str) -> str | None:
        path, _ = QFileDialog.getSaveFileName(
            self, f"Export {title}", suggested, "CSV files (*.csv)"
        )
        return path or None

    # --- the figures ---------------------------------------------------------------------------

    def _show(self, f: YearFigures) -> None:
        self.summary_label.setText(
            f"{f.went_out} visits made from {show_date(f.start)} to {show_date(f.end)} (planned "
            f"start, UK time; drills not counted); {f.cancelled} cancelled."
        )
        months = [f"{m.month:%b}" for m in f.months]
        self._visits(f, months)
        self._outcomes(f)
        self._cancellations(f)
        self._overdue(f, months)
        self._durations(
            self.sections["resolve"],
            f.time_to_resolve,
            "Escalations",
            f"Median {format_duration(f.time_to_resolve.median)}, longest "
            f"{format_duration(f.time_to_resolve.longest)} from the missed deadline to the "
            f"recorded resolution, over {f.time_to_resolve.count} escalations; "
            f"{f.unresolved} not resolved yet.",
        )
        self._stages(f)
        self._lone(f, months)
        self._durations(
            self.sections["turnaround"],
            f.turnaround,
            "Requests",
            f"Median {format_duration(f.turnaround.median)}, longest "
            f"{format_duration(f.turnaround.longest)} from the request being submitted to the "
            f"decision, over {f.turnaround.count} requests (urgent departures left out).",
        )
        self._follow_ups(f)

    def _visits(self, f: YearFigures, months: list[str]) -> None:
        section = self.sections["visits"]
        tops = [reason for reason, _ in f.reasons[:TOP_REASONS]]
        names = [r.label for r in tops]
        counts = [[m.count(r) for m in f.months] for r in tops]
        if len(f.reasons) > len(tops):
            names.append(OTHER_REASONS)
            counts.append([m.went_out - sum(m.count(r) for r in tops) for m in f.months])
        series = QStackedBarSeries()
        for i, (name, values) in enumerate(zip(names, counts, strict=True)):
            series.append(_bar_set(name, values, i))
        section.set_series(
            series,
            months,
            value_title="Visits",
            category_title=_months_title(f),
            largest=max((m.went_out for m in f.months), default=0),
        )
        headers = ("Month", "Visits made", *names)
        rows = [
            FigureRow(
                cells=(f"{m.month:%b %Y}", str(m.went_out), *(str(c[i]) for c in counts)),
                csv=(f"{m.month:%Y-%m}", str(m.went_out), *(str(c[i]) for c in counts)),
                total=m.went_out,
            )
            for i, m in enumerate(f.months)
        ]
        section.show_table(FigureTable(headers, tuple(rows)))
        busiest = ", ".join(f"{r.label} {n}" for r, n in f.reasons[:3])
        section.summary.setText(
            f"{f.went_out} visits made. Most frequent reasons: {busiest or 'none'}."
        )

    def _outcomes(self, f: YearFigures) -> None:
        o = f.outcomes
        pairs = [
            ("Child seen", o.seen),
            ("Child not seen", o.not_seen),
            ("Not recorded", o.not_recorded),
        ]
        self._counted(
            self.sections["outcomes"],
            ("Outcome", "Visits", "Share"),
            pairs,
            o.total,
            "Completed visits",
            f"{o.total} completed visits; the child was seen on "
            f"{format_rate(o.seen, o.total)} of them.",
        )

    def _cancellations(self, f: YearFigures) -> None:
        pairs = [
            (cause.label + (" (safety)" if cause.is_safety else ""), n)
            for cause, n in f.cancellations
        ]
        safety = sum(n for cause, n in f.cancellations if cause.is_safety)
        self._counted(
            self.sections["cancellations"],
            ("Cause", "Visits", "Share"),
            pairs,
            f.cancelled,
            "Cancelled visits",
            f"{f.cancelled} visits cancelled, {safety} of them for staff safety.",
        )

    def _overdue(self, f: YearFigures, months: list[str]) -> None:
        section = self.sections["overdue"]
        _monthly_pair(
            section,
            f,
            months,
            ("Visits made", [m.went_out for m in f.months]),
            ("Missed a call deadline", [m.overdue for m in f.months]),
            largest=max((m.went_out for m in f.months), default=0),
        )
        rows = [
            FigureRow(
                cells=(
                    f"{m.month:%b %Y}",
                    str(m.went_out),
                    str(m.overdue),
                    format_rate(m.overdue, m.went_out),
                ),
                csv=(f"{m.month:%Y-%m}", str(m.went_out), str(m.overdue), _ratio(m)),
                total=m.overdue,
            )
            for m in f.months
        ]
        section.show_table(
            FigureTable(("Month", "Visits made", "Missed a deadline", "Overdue rate"), tuple(rows))
        )
        section.summary.setText(
            f"{f.overdue} of {f.went_out} visits made missed an arrival, check-in or home-safe "
            f"call deadline ({format_rate(f.overdue, f.went_out)})."
        )

    def _stages(self, f: YearFigures) -> None:
        pairs = [(name, n) for name, (_, n) in zip(STAGE_NAMES, f.stages, strict=True)]
        self._counted(
            self.sections["stages"],
            ("Highest stage", "Visits", "Share"),
            pairs,
            f.escalated,
            "Visits",
            f"{f.escalated} of {f.went_out} visits made escalated; "
            f"{f.went_out - f.escalated} never reached stage 1.",
        )

    def _lone(self, f: YearFigures, months: list[str]) -> None:
        section = self.sections["lone"]
        _monthly_pair(
            section,
            f,
            months,
            ("Lone visits", [m.lone for m in f.months]),
            ("Out-of-hours visits", [m.out_of_hours for m in f.months]),
            largest=max((max(m.lone, m.out_of_hours) for m in f.months), default=0),
        )
        rows = [
            FigureRow(
                cells=(f"{m.month:%b %Y}", str(m.went_out), str(m.lone), str(m.out_of_hours)),
                csv=(f"{m.month:%Y-%m}", str(m.went_out), str(m.lone), str(m.out_of_hours)),
                total=m.lone,
            )
            for m in f.months
        ]
        section.show_table(
            FigureTable(("Month", "Visits made", "Lone", "Out of hours"), tuple(rows))
        )
        section.summary.setText(
            f"{f.lone} lone visits ({format_rate(f.lone, f.went_out)}) and {f.out_of_hours} "
            f"out-of-hours visits ({format_rate(f.out_of_hours, f.went_out)}) of "
            f"{f.went_out} made."
        )

    def _follow_ups(self, f: YearFigures) -> None:
        fu = f.follow_ups
        self._counted(
            self.sections["follow_ups"],
            ("Overdue by", "Actions", "Share"),
            [(b.label, b.count) for b in fu.overdue_by_lateness],
            fu.overdue,
            "Follow-up actions",
            f"{fu.overdue} of {fu.total} follow-up actions from these visits are overdue (not "
            f"done, due before {show_date(f.today)}); {fu.done} done, {fu.open_not_due} not yet "
            "due.",
        )

    def _durations(
        self, section: FigureSection, summary: DurationSummary, noun: str, text: str
    ) -> None:
        self._counted(
            section,
            ("How long", noun, "Share"),
            [(b.label, b.count) for b in summary.buckets],
            summary.count,
            noun,
            text,
        )

    def _counted(
        self,
        section: FigureSection,
        headers: tuple[str, str, str],
        pairs: Sequence[tuple[str, int]],
        whole: int,
        value_title: str,
        text: str,
    ) -> None:
        """A horizontal bar per category (long names read on their own line), the first
        category at the top, and the table of counts and shares."""
        bars = _bar_set(headers[1], [n for _, n in reversed(pairs)], 0)
        series = QHorizontalBarSeries()
        series.append(bars)
        series.setLabelsVisible(True)
        series.setLabelsPosition(QHorizontalBarSeries.LabelsPosition.LabelsOutsideEnd)
        section.set_series(
            series,
            [label for label, _ in reversed(pairs)],
            value_title=value_title,
            category_title="",
            horizontal=True,
            largest=max((n for _, n in pairs), default=0),
        )
        rows = [
            FigureRow(
                cells=(label, str(n), format_rate(n, whole)),
                csv=(label, str(n), f"{n / whole:.4f}" if whole else ""),
                total=n,
            )
            for label, n in pairs
        ]
        section.show_table(FigureTable(headers, tuple(rows)))
        section.summary.setText(text)


def _bar_set(name: str, values: Sequence[int], colour: int) -> QBarSet:
    bars = QBarSet(name)
    bars.append([float(v) for v in values])
    bars.setColor(QColor(PALETTE[colour % len(PALETTE)]))
    bars.setBorderColor(QColor(PALETTE[colour % len(PALETTE)]))
    bars.setLabelColor(QColor("#1B1F24"))
    return bars


def _monthly_pair(
    section: FigureSection,
    f: YearFigures,
    months: list[str],
    first: tuple[str, Sequence[int]],
    second: tuple[str, Sequence[int]],
    *,
    largest: int,
) -> None:
    """Two counts of visits side by side for each month (name, one value a month)."""
    series = QBarSeries()
    for colour, (name, values) in enumerate((first, second)):
        series.append(_bar_set(name, values, colour))
    section.set_series(
        series,
        months,
        value_title="Visits",
        category_title=_months_title(f),
        largest=largest,
    )


def _axis_top(largest: int) -> tuple[int, int]:
    """An axis top and tick count whose steps are whole numbers (counts never read 2.5)."""
    if largest <= 0:
        return 1, 2
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000):
        if largest / step <= 6:
            top = step * (largest // step + 1)
            # Room past the longest bar for its label.
            return top, top // step + 1
    step = 10 ** len(str(largest))
    return step, 6


def _months_title(f: YearFigures) -> str:
    """The category axis of a month chart: short month names below, the years here."""
    first, last = f.months[0].month, f.months[-1].month
    return f"Month of the planned start, {first:%b %Y} to {last:%b %Y}"


def _ratio(month: MonthFigures) -> str:
    rate = month.overdue_rate
    return "" if rate is None else f"{rate:.4f}"


def _date_edit(name: str) -> QDateEdit:
    box = QDateEdit()
    box.setCalendarPopup(True)
    box.setDisplayFormat("dd MMM yyyy")
    box.setAccessibleName(name)
    return box


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)
