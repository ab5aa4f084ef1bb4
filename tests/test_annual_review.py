# ruff: noqa: F811  (the figures_school fixture is imported by name)
"""The governors' annual review pack: made from the hand-made year of tests/test_statistics.py,
its text read back with pypdf; and `hvdesk pdf annual-review --year YYYY --out FILE`."""

from __future__ import annotations

from pathlib import Path

import pytest

from hvdesk.cli import main
from hvdesk.clock import FakeClock
from hvdesk.services.opening import DatabaseOpener
from hvdesk.services.statistics import PeriodNotValid, Statistics
from tests.conftest import MONDAY_MORNING
from tests.test_reports_school import pages, text_of
from tests.test_statistics import (  # noqa: F401  (the fixture is imported by name)
    FiguresSchool,
    build_figures_school,
    figures_school,
)


@pytest.fixture
def pack(figures_school: FiguresSchool, clock: FakeClock) -> bytes:
    return Statistics(figures_school.database, clock).annual_review_pdf(2026)


def test_the_pack_is_headed_and_paginated(pack: bytes) -> None:
    text = text_of(pack)
    count = len(pages(pack))
    assert count >= 3
    assert f"Page 1 of {count}" in text and f"Page {count} of {count}" in text
    assert "OFFICIAL-SENSITIVE" in text
    assert "Annual review of home visits, 2026–27" in text
    assert "1 September 2026 to 31 August 2027" in text


def test_the_pack_prints_the_hand_computed_figures(pack: bytes) -> None:
    text = text_of(pack)
    assert "Visits made (staff went out) 7" in text
    assert "Visits cancelled 2" in text
    assert "3 of 7 visits (42.9%)" in text
    assert "median 30 min, longest 45 min (2 measured)" in text
    assert "median 4 h 00 min, longest 2 days 0 h (4 measured)" in text
    assert "Follow-up actions overdue today 2 of 5" in text
    for heading in (
        "Visits made per month, by reason",
        "Outcomes of completed visits",
        "Cancellations",
        "Missed check-ins and escalations",
        "Highest escalation stage reached",
        "Lone and out-of-hours visits",
        "Authorisation turnaround",
        "Follow-up actions",
    ):
        assert heading in text, heading


def test_incidents_and_lessons_without_drills_or_the_safe_word(pack: bytes) -> None:
    text = text_of(pack)
    assert "Keep a charged power bank in the car." in text
    assert "Night visits phone in every 30 minutes." in text
    assert "Staff said [safe word] clearly" in text
    assert "kestrel" not in text.casefold()
    assert "autumn drill" not in text
    assert "2 incidents" in text


def test_the_settings_in_force(figures_school: FiguresSchool, clock: FakeClock) -> None:
    from hvdesk.db.models import Setting

    with figures_school.database.session() as session:
        session.add(Setting(key="police_after_minutes", value=45, updated_at=clock.now()))
        session.add(Setting(key="parent_wait_limit_minutes", value=5, updated_at=clock.now()))
    text = text_of(Statistics(figures_school.database, clock).annual_review_pdf(2026))
    assert "Settings in force" in text
    assert "stage 4 (police) 45 minutes after it" in text
    assert "5 minutes for a parent who is not there" in text
    assert "Low 1–4, medium 5–12, high 13–25" in text


def test_a_year_not_begun_is_refused(figures_school: FiguresSchool, clock: FakeClock) -> None:
    with pytest.raises(PeriodNotValid, match="no school year 2030"):
        Statistics(figures_school.database, clock).year_in_review(2030)


# --- the command line ----------------------------------------------------------------------------


@pytest.fixture
def cli_school(opener: DatabaseOpener, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The hand-made year in a data folder, its key in HVDESK_RECOVERY_KEY."""
    created = opener.create(data_dir)
    with created.database.session() as session:
        build_figures_school(session)
    created.database.close()
    assert created.recovery_key is not None
    monkeypatch.setenv("HVDESK_RECOVERY_KEY", created.recovery_key)
    return data_dir


def test_the_command_writes_the_pack(
    cli_school: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out" / "review.pdf"
    out.parent.mkdir()
    code = main(
        [
            "pdf",
            "annual-review",
            "--year",
            "2026",
            "--out",
            str(out),
            "--data-dir",
            str(cli_school),
        ],
        FakeClock(MONDAY_MORNING),
    )
    assert code == 0
    assert "Wrote the annual review 2026–27" in capsys.readouterr().out
    assert "Annual review of home visits, 2026–27" in " ".join(pages(out.read_bytes()))
    assert [p.name for p in out.parent.iterdir()] == ["review.pdf"]


@pytest.mark.parametrize(
    "args",
    [
        ["annual-review", "--out", "x.pdf"],
        ["annual-review", "12", "--year", "2026", "--out", "x.pdf"],
        ["annual-review", "--year", "26", "--out", "x.pdf"],
        ["visit-form", "12", "--year", "2026", "--out", "x.pdf"],
        ["visit-form", "--out", "x.pdf"],
    ],
    ids=["no-year", "an-id", "short-year", "year-on-a-visit", "no-id"],
)
def test_usage_errors_exit_2(
    cli_school: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    with pytest.raises(SystemExit) as caught:
        main(["pdf", *args, "--data-dir", str(cli_school)], FakeClock(MONDAY_MORNING))
    assert caught.value.code == 2
    assert "usage:" in capsys.readouterr().err
    assert list(work.iterdir()) == []


def test_a_year_not_begun_exits_1(
    cli_school: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "review.pdf"
    code = main(
        [
            "pdf",
            "annual-review",
            "--year",
            "2031",
            "--out",
            str(out),
            "--data-dir",
            str(cli_school),
        ],
        FakeClock(MONDAY_MORNING),
    )
    assert code == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("hvdesk: There is no school year 2031")
    assert not out.exists()


def test_the_pack_lists_the_years_changes_to_the_settings(
    figures_school: FiguresSchool, clock: FakeClock
) -> None:
    """Issue 15: governors see how the policy moved during the year, with who changed it."""
    from datetime import time, timedelta

    from hvdesk.services.accounts import Accounts
    from hvdesk.services.settings import SchoolSettings

    statistics = Statistics(figures_school.database, clock)
    assert "No setting was changed during the year." in text_of(statistics.annual_review_pdf(2026))
    admin = Accounts(figures_school.database, clock).create_first_administrator(
        "admin", "Pat Admin", "a long enough password"
    )
    settings = SchoolSettings(figures_school.database, clock)
    settings.change_many(admin, {"emergency_contact_after_minutes": 10, "police_after_minutes": 20})
    clock.advance(timedelta(days=2))
    settings.change(admin, "working_day_end", time(16, 0))
    text = " ".join(text_of(statistics.annual_review_pdf(2026)).split())
    assert "Changes to the settings this year" in text
    assert "3 changes during the year, oldest first." in text
    assert "Working day ends 18:00 16:00 Pat Admin" in text
    assert "Inform the police, after the agreed time 30 minutes 20 minutes" in text
    # A change made in another school year is not in this year's pack.
    assert "No setting was changed" in text_of(statistics.annual_review_pdf(2025))
