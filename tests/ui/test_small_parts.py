"""Pure helpers of the UI: countdown text, column arithmetic, resources, the clock rule."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QSize

from hvdesk.resources_path import resource_dirs, resource_path
from hvdesk.ui.column_fitter import MIN_STRETCH, distribute
from hvdesk.ui.formatting import countdown
from hvdesk.ui.icons import icon

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (20 * 60, "20:00"),
        (20 * 60 - 0.4, "19:59"),
        (59, "00:59"),
        (0, "00:00"),
        (-0.5, "-00:01"),  # overdue never reads as a reassuring 00:00
        (-61, "-01:01"),
        (-95 * 60, "-95:00"),
        (125 * 60 + 7, "125:07"),
    ],
)
def test_countdown(seconds: float, text: str):
    assert countdown(timedelta(seconds=seconds)) == text


def test_distribute_fills_spare_room_into_the_stretch_column():
    assert distribute([100, 200, 100], 500, stretch=1) == [100, 300, 100]


def test_distribute_squeezes_the_stretch_column_first_then_the_rest():
    assert distribute([100, 400, 100], 450, stretch=1) == [100, 250, 100]
    widths = distribute([300, 400, 300], 700, stretch=1)
    assert widths[1] == MIN_STRETCH
    assert sum(widths) <= 700
    assert widths[0] == widths[2] < 300


@pytest.mark.parametrize("available", [300, 555, 777, 1036, 2000])
def test_distribute_never_overflows_when_it_can_fit(available: int):
    natural = [106, 190, 151, 226, 214, 124, 106]
    widths = distribute(natural, available, stretch=6)
    if available >= 900:
        assert sum(widths) == available
    assert all(w > 0 for w in widths)


def test_resources_are_found_from_a_checkout():
    assert resource_path("style.qss") == REPO / "resources" / "style.qss"
    assert resource_dirs()[1] == REPO / "resources"


def test_resource_names_cannot_escape():
    with pytest.raises(ValueError, match="relative"):
        resource_path("../pyproject.toml")
    with pytest.raises(FileNotFoundError, match="not found"):
        resource_path("icons/nothing-here.svg")


@pytest.mark.parametrize(
    "name",
    [
        "board",
        "visits",
        "pupils",
        "staff",
        "incidents",
        "reports",
        "settings",
        "authorisations",
        "after-visits",
        "data-protection",
        "audit",
        "on-time",
        "overdue",
        "hvdesk",
    ],
)
def test_every_icon_renders(qapp, name: str):
    pixmap = icon(name).pixmap(QSize(24, 24))
    assert not pixmap.isNull()
    image = pixmap.toImage()
    assert any(image.pixelColor(x, y).alpha() for x in range(24) for y in range(24))


def test_ui_never_reads_the_wall_clock():
    forbidden = re.compile(
        r"datetime\.now\(|datetime\.utcnow\(|time\.time\(|perf_counter\(|"
        r"date\.today\(|QDateTime\.currentDateTime"
    )
    sources = [
        *(REPO / "hvdesk" / "ui").rglob("*.py"),
        REPO / "hvdesk" / "app.py",
        REPO / "hvdesk" / "services" / "directory.py",
    ]
    offenders = [str(p) for p in sources if forbidden.search(p.read_text(encoding="utf-8"))]
    assert offenders == []


def test_board_times_carry_the_date_when_not_today():
    from datetime import UTC, datetime

    from hvdesk.ui.formatting import show_time_near

    now = datetime(2026, 11, 23, 10, 30, tzinfo=UTC)
    assert show_time_near(datetime(2026, 11, 23, 8, 5, tzinfo=UTC), now) == "08:05"
    assert show_time_near(datetime(2026, 11, 22, 16, 40, tzinfo=UTC), now) == "Sun 22 Nov 16:40"
    assert show_time_near(None, now) == ""
    # 23:30 UTC in June is already the next day in London.
    june = datetime(2026, 6, 2, 9, 0, tzinfo=UTC)
    assert show_time_near(datetime(2026, 6, 1, 23, 30, tzinfo=UTC), june) == "00:30"


def test_a_stored_instant_shows_the_school_date():
    from datetime import UTC, datetime

    from hvdesk.ui.formatting import show_school_date

    # Late evening UTC in summer is already the next day in London; in winter it is not.
    assert show_school_date(datetime(2026, 6, 30, 23, 30, tzinfo=UTC)) == "01 Jul 2026"
    assert show_school_date(datetime(2026, 11, 30, 23, 30, tzinfo=UTC)) == "30 Nov 2026"
    assert show_school_date(None) == ""
