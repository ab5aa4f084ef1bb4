"""`hvdesk board`: the board as JSON or a table, at now or --at; no family details; the CLI
contract's exit codes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from hvdesk.cli import main
from hvdesk.clock import FakeClock
from hvdesk.db.database import database_path
from hvdesk.db.engine import create_encrypted_engine
from hvdesk.db.keys import format_recovery_key, new_database_key
from hvdesk.db.migrate import upgrade_to_head
from hvdesk.db.models import Household, Pupil, Staff
from hvdesk.demo.school import DemoSummary
from hvdesk.services.demo import create_demo_database
from hvdesk.services.opening import DatabaseOpener

pytestmark = pytest.mark.usefixtures("memory_keyring")


@pytest.fixture
def demo(data_dir: Path, opener: DatabaseOpener, clock: FakeClock) -> tuple[DemoSummary, list[str]]:
    """The demo school, and the family details (and staff secrets) that must never be printed."""
    opened, summary = create_demo_database(data_dir, opener, clock)
    with opened.database.session() as session:
        secrets = [h.address_line1 for h in session.scalars(sa.select(Household))]
        secrets += [h.postcode for h in session.scalars(sa.select(Household))]
        secrets += [p.full_name for p in session.scalars(sa.select(Pupil))]
        secrets += [
            s.emergency_contact_phone
            for s in session.scalars(sa.select(Staff))
            if s.emergency_contact_phone
        ]
    opened.database.close()
    return summary, secrets


def _board(
    data_dir: Path, clock: FakeClock, capsys: pytest.CaptureFixture[str], *extra: str
) -> dict[str, Any]:
    assert main(["board", "--data-dir", str(data_dir), "--json", *extra], clock) == 0
    out = capsys.readouterr().out
    board: dict[str, Any] = json.loads(out)
    board["_raw"] = out
    return board


def test_board_json_shows_each_visit_at_its_stage_and_nothing_private(
    data_dir: Path,
    clock: FakeClock,
    capsys: pytest.CaptureFixture[str],
    demo: tuple[DemoSummary, list[str]],
) -> None:
    summary, secrets = demo
    board = _board(data_dir, clock, capsys)
    assert board["read_at"] == clock.now().isoformat()
    visits = {v["visit_id"]: v for v in board["visits"]}
    expected = {
        "out_on_time": "none",
        "due_soon": "due_soon",
        "overdue_stage1": "call_staff",
        "overdue_stage2": "inform_supervisor",
        "overdue_stage3": "call_emergency_contact",
        "overdue_stage4": "inform_police",
    }
    for state, stage in expected.items():
        for visit_id in summary.states[state]:
            assert visits[visit_id]["stage"]["value"] == stage, state
    police = visits[summary.states["overdue_stage4"][0]]
    assert police["stage"] == {
        "value": "inform_police",
        "label": "Stage 4: inform the police",
        "number": 4,
    }
    assert police["outstanding"] == [{"value": "informed_police", "label": "Informed the police"}]
    assert police["seconds_to_next_deadline"] < -30 * 60
    assert police["deadline"].endswith("+00:00")
    assert police["phase"]["value"] == "on_visit"
    assert police["what_is_due_now"].startswith("Check-in call overdue")
    assert "Inform the police now" in police["what_to_do"]
    assert police["is_drill"] is False and police["claimed_by"] is None
    assert all(isinstance(name, str) and name for v in board["visits"] for name in v["staff"])
    on_time = visits[summary.states["out_on_time"][0]]
    assert on_time["seconds_to_next_deadline"] > 0
    (not_signed_out,) = summary.states["not_signed_out"]
    assert visits[not_signed_out]["phase"]["value"] == "not_signed_out"
    raw = board["_raw"]
    assert [s for s in secrets if s in raw] == []
    assert board["end_of_day"] == [] and board["monitored_by"] is None


def test_board_at_another_instant(
    data_dir: Path,
    clock: FakeClock,
    capsys: pytest.CaptureFixture[str],
    demo: tuple[DemoSummary, list[str]],
) -> None:
    summary, _ = demo
    now = _board(data_dir, clock, capsys)
    on_time = summary.states["out_on_time"][0]
    later = _board(data_dir, clock, capsys, "--at", "2026-11-23T10:45:00Z")
    assert later["read_at"] == "2026-11-23T10:45:00+00:00"

    def seconds(board: dict[str, Any], visit_id: int) -> int:
        return int(
            next(v for v in board["visits"] if v["visit_id"] == visit_id)[
                "seconds_to_next_deadline"
            ]
        )

    assert seconds(now, on_time) - seconds(later, on_time) == 15 * 60
    due_soon = summary.states["due_soon"][0]
    stage = next(v for v in later["visits"] if v["visit_id"] == due_soon)["stage"]["value"]
    assert stage in ("call_staff", "inform_supervisor")

    # Without an offset, --at is UK time: British Summer Time is an hour ahead of UTC.
    summer = _board(data_dir, clock, capsys, "--at", "2026-07-01T12:00")
    assert summer["read_at"] == "2026-07-01T11:00:00+00:00"
    aware = _board(data_dir, clock, capsys, "--at", "2026-07-01T12:00+02:00")
    assert aware["read_at"] == "2026-07-01T10:00:00+00:00"
    winter = _board(data_dir, clock, capsys, "--at", "2026-11-23T17:30")
    assert winter["read_at"] == "2026-11-23T17:30:00+00:00"
    assert on_time in winter["end_of_day"]


def test_board_as_a_table(
    data_dir: Path,
    clock: FakeClock,
    capsys: pytest.CaptureFixture[str],
    demo: tuple[DemoSummary, list[str]],
) -> None:
    summary, secrets = demo
    assert main(["--data-dir", str(data_dir), "board"], clock) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].split() == ["Visit", "Staff", "Stage", "Due", "in", "What", "is", "due", "now"]
    assert set(lines[1]) <= {"-", " "}
    first = lines[2]
    assert first.startswith(str(summary.states["overdue_stage4"][0]))
    assert "Stage 4: inform the police" in first and " -" in first
    assert "visit(s) on the board at 23 Nov 2026 10:30:00 (UK time)." in out
    assert [s for s in secrets if s in out] == []


def test_a_bad_at_is_a_usage_error(
    data_dir: Path, clock: FakeClock, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["board", "--data-dir", str(data_dir), "--json", "--at", "half past ten"], clock)
    assert caught.value.code == 2
    assert "not an ISO-8601 date and time" in capsys.readouterr().err


def test_errors_exit_1_with_one_line(
    tmp_path: Path,
    clock: FakeClock,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    missing = tmp_path / "nowhere"
    assert main(["board", "--data-dir", str(missing), "--json"], clock) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    (line,) = captured.err.strip().splitlines()
    assert line.startswith("hvdesk: The data folder")

    # A database this hvdesk would have to upgrade is not changed by a read: it says so.
    old = tmp_path / "old"
    old.mkdir()
    key = new_database_key()
    engine = create_encrypted_engine(database_path(old), key)
    upgrade_to_head(engine, target="0002")
    engine.dispose()
    monkeypatch.setenv("HVDESK_RECOVERY_KEY", format_recovery_key(key))
    assert main(["board", "--data-dir", str(old), "--json"], clock) == 1
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert "hvdesk db upgrade" in line
    assert not (old / "backups").exists()
