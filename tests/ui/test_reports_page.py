"""The Reports page on the hand-made year of tests/test_statistics.py: each section's table and
chart carry the hand-computed figures, CSV export is Excel-ready, a bad period is said inline."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCharts import QAbstractBarSeries, QBarCategoryAxis, QValueAxis
from PySide6.QtCore import QDate

from hvdesk.clock import FakeClock
from hvdesk.db.database import Database
from hvdesk.services.container import Services
from hvdesk.ui.pages.reports_page import FigureSection, ReportsPage
from tests.conftest import MONDAY_MORNING
from tests.school_copies import Seeded, open_copy, seed
from tests.test_statistics import build_figures_school


def _build_year(database: Database, clock: FakeClock) -> None:
    with database.session() as session:
        build_figures_school(session)


@pytest.fixture(scope="module")
def year_template(tmp_path_factory: pytest.TempPathFactory) -> Seeded[None]:
    """The hand-made year, built once for this module and copied for each test."""
    return seed(tmp_path_factory.mktemp("year") / "data", MONDAY_MORNING, _build_year)


@pytest.fixture
def year_database(
    year_template: Seeded[None], data_dir: Path, clock: FakeClock
) -> Iterator[Database]:
    database = open_copy(year_template, data_dir, clock)
    yield database
    database.close()


@pytest.fixture
def page(qtbot, year_database: Database, clock: FakeClock) -> Iterator[ReportsPage]:  # type: ignore[no-untyped-def]
    shown = ReportsPage(Services.build(year_database, clock))
    qtbot.addWidget(shown)
    shown.resize(1100, 900)
    shown.show()
    shown.refresh()  # as the main window does when the page is shown
    yield shown
    shown.close()


def table(section: FigureSection) -> list[list[str]]:
    model = section.model
    return [
        [model.data(model.index(r, c)) for c in range(model.columnCount())]
        for r in range(model.rowCount())
    ]


def bars(section: FigureSection) -> dict[str, list[float]]:
    series = section.chart.series()
    assert len(series) == 1 and isinstance(series[0], QAbstractBarSeries)
    return {s.label(): [s.at(i) for i in range(s.count())] for s in series[0].barSets()}


def test_the_default_period_is_this_school_year(page: ReportsPage) -> None:
    assert page.period == (date(2026, 9, 1), date(2027, 8, 31))
    assert page.model.rowCount() == 12
    assert sum(row.total for row in page.model.rows) == 7
    assert "7 visits made" in page.summary_label.text()
    assert "2 cancelled" in page.summary_label.text()


def test_visits_per_month_by_reason(page: ReportsPage) -> None:
    rows = table(page.sections["visits"])
    assert rows[0][:2] == ["Sep 2026", "2"]
    assert rows[1][:2] == ["Oct 2026", "1"]
    assert rows[2][:2] == ["Nov 2026", "4"]
    headers = [c.header.replace("\n", " ") for c in page.model.columns]
    assert headers[:3] == ["Month", "Visits made", "Welfare check after absence"]
    welfare = headers.index("Welfare check after absence")
    assert [r[welfare] for r in rows[:3]] == ["1", "0", "2"]
    stacked = bars(page.sections["visits"])
    assert stacked["Welfare check after absence"][:3] == [1, 0, 2]
    assert sum(sum(v) for v in stacked.values()) == 7


def test_the_small_tables_and_their_charts(page: ReportsPage) -> None:
    assert table(page.sections["outcomes"]) == [
        ["Child seen", "3", "60.0%"],
        ["Child not seen", "1", "20.0%"],
        ["Not recorded", "1", "20.0%"],
    ]
    cancellations = {r[0]: r[1] for r in table(page.sections["cancellations"])}
    assert cancellations["Parent not present after the wait limit"] == "1"
    assert cancellations["Animal not shut away (safety)"] == "1"
    assert cancellations["Staff felt unsafe (safety)"] == "0"
    stages = table(page.sections["stages"])
    assert [r[1] for r in stages] == ["1", "0", "1", "1", "1"]
    assert [r[1] for r in table(page.sections["resolve"])] == ["1", "0", "1", "0"]
    assert [r[1] for r in table(page.sections["turnaround"])] == ["1", "1", "1", "1", "0"]
    assert [r[1] for r in table(page.sections["follow_ups"])] == ["1", "0", "1"]
    # Horizontal bars read top-down in the table's order (reportlab and Qt draw bottom-up).
    assert bars(page.sections["outcomes"])["Visits"] == [1, 1, 3]
    assert "Median 30 min, longest 45 min" in page.sections["resolve"].summary.text()
    assert "Median 4 h 00 min, longest 2 days 0 h" in page.sections["turnaround"].summary.text()


def test_the_month_tables(page: ReportsPage) -> None:
    overdue = table(page.sections["overdue"])
    assert overdue[1] == ["Oct 2026", "1", "1", "100.0%"]
    assert overdue[2] == ["Nov 2026", "4", "2", "50.0%"]
    assert overdue[4][3] == "–"  # January: nothing went out, so no rate
    assert "3 of 7 visits made" in page.sections["overdue"].summary.text()
    lone = table(page.sections["lone"])
    assert [r[2:] for r in lone[:3]] == [["0", "2"], ["1", "1"], ["1", "0"]]


def test_every_chart_is_titled_with_named_axes(page: ReportsPage) -> None:
    for section in page.sections.values():
        chart = section.chart
        assert chart.title() == section.title
        axes = chart.axes()
        values = [a for a in axes if isinstance(a, QValueAxis)]
        categories = [a for a in axes if isinstance(a, QBarCategoryAxis)]
        assert len(values) == 1 and len(categories) == 1, section.key
        assert values[0].titleText(), section.key
        assert values[0].max() >= max(max(v) for v in bars(section).values())
        assert values[0].labelFormat() == "%d"


def test_month_charts_use_short_labels_and_say_the_years(page: ReportsPage) -> None:
    axis = next(a for a in page.sections["visits"].chart.axes() if isinstance(a, QBarCategoryAxis))
    assert axis.categories()[:3] == ["Sep", "Oct", "Nov"]
    assert axis.titleText() == "Month of the planned start, Sep 2026 to Aug 2027"


def test_export_csv_is_utf8_with_bom_and_iso_months(page: ReportsPage, tmp_path: Path) -> None:
    asked: list[tuple[str, str]] = []

    def ask(title: str, suggested: str) -> str:
        asked.append((title, suggested))
        return str(tmp_path / suggested)

    page.ask_csv_path = ask
    page.sections["visits"].export_button.click()
    title, suggested = asked[0]
    assert title == "Visits made per month, by reason"
    assert suggested == "visits-2026-09-01-to-2027-08-31.csv"
    data = (tmp_path / suggested).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Month", "Visits made", "Welfare check after absence"]
    assert rows[1][:2] == ["2026-09", "2"]
    assert rows[3][:2] == ["2026-11", "4"]
    assert len(rows) == 13


def test_export_shares_are_plain_numbers(page: ReportsPage, tmp_path: Path) -> None:
    out = tmp_path / "outcomes.csv"
    assert page.export_csv(page.sections["outcomes"], out)
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert rows == [
        ["Outcome", "Visits", "Share"],
        ["Child seen", "3", "0.6000"],
        ["Child not seen", "1", "0.2000"],
        ["Not recorded", "1", "0.2000"],
    ]


def test_an_export_that_cannot_be_written_is_said_on_the_page(
    page: ReportsPage, tmp_path: Path
) -> None:
    assert not page.export_csv(page.sections["stages"], tmp_path / "missing" / "stages.csv")
    assert page.problem_label.isVisible()
    assert "Could not write stages.csv" in page.problem_label.text()


def test_a_period_that_ends_before_it_starts_is_said_inline(page: ReportsPage) -> None:
    before = table(page.sections["outcomes"])
    page.to_date.setDate(QDate(2026, 8, 1))
    assert page.problem_label.isVisible()
    assert "before it starts" in page.problem_label.text()
    assert table(page.sections["outcomes"]) == before  # the last good figures stay
    page.show_school_year()
    assert not page.problem_label.isVisible()
    assert page.period == (date(2026, 9, 1), date(2027, 8, 31))


def test_a_shorter_period(page: ReportsPage) -> None:
    page.set_period(date(2026, 9, 1), date(2026, 9, 30))
    assert page.model.rowCount() == 1
    assert table(page.sections["visits"])[0][:2] == ["Sep 2026", "2"]
    assert [r[1] for r in table(page.sections["stages"])] == ["0"] * 5


def test_screenshot(page: ReportsPage, tmp_path: Path) -> None:
    """The page renders at a school monitor's size (the picture is looked at by hand)."""
    image = page.grab()
    assert image.width() == 1100 and image.height() == 900
    assert image.save(str(tmp_path / "reports-page.png"))
