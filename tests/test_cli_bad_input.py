"""No "this is a bug" for bad input on the command line (issue 12, item 6): each of these prints
one line saying what is wrong and exits 1 (a closed pipe exits quietly), with real processes,
a real second writer and a real small filesystem where the case needs one."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from hvdesk.cli import main
from hvdesk.clock import FakeClock
from hvdesk.db.database import create_database, database_path
from hvdesk.db.keys import format_recovery_key, new_database_key
from hvdesk.services.accounts import Accounts
from tests.conftest import MONDAY_MORNING

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "a long enough password 1"


@pytest.fixture
def school(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, memory_keyring: object) -> Path:
    """A small school with one administrator; its key in HVDESK_RECOVERY_KEY."""
    folder = tmp_path / "school"
    key = new_database_key()
    database = create_database(folder, key, FakeClock(MONDAY_MORNING))
    Accounts(database, FakeClock(MONDAY_MORNING)).create_first_administrator(
        "it.office", "IT office", PASSWORD
    )
    database.close()
    monkeypatch.setenv("HVDESK_RECOVERY_KEY", format_recovery_key(key))
    return folder


def _one_line(capsys: pytest.CaptureFixture[str]) -> str:
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("hvdesk: ") and "this is a bug" not in lines[0], lines[0]
    return lines[0]


def _run(*args: str) -> int:
    return main(list(args), FakeClock(MONDAY_MORNING))


def test_a_record_number_too_large(
    school: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "x.pdf"
    code = _run(
        "pdf", "visit-form", "99999999999999999999", "--out", str(out), "--data-dir", str(school)
    )
    assert code == 1
    assert "no record has a number that large" in _one_line(capsys)
    assert not out.exists()


@pytest.mark.parametrize("at", ["9999-12-31T23:59", "0001-01-01T00:00"])
def test_board_at_the_extremes(school: Path, capsys: pytest.CaptureFixture[str], at: str) -> None:
    assert _run("board", "--at", at, "--data-dir", str(school)) == 1
    assert "outside the years 2000 to 2099" in _one_line(capsys)


def test_a_5000_character_data_dir(capsys: pytest.CaptureFixture[str]) -> None:
    assert _run("board", "--data-dir", "d" * 5000) == 1
    assert "too long" in _one_line(capsys)


def _environment(school: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT)
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    env["HVDESK_PASSWORD"] = PASSWORD
    return env


def test_a_closed_pipe_exits_quietly(school: Path) -> None:
    """`hvdesk board --json | head -1`: the reader is gone before hvdesk writes."""
    child = subprocess.Popen(
        [sys.executable, "-m", "hvdesk.cli", "board", "--json", "--data-dir", str(school)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=_environment(school),
    )
    assert child.stdout is not None and child.stderr is not None
    child.stdout.close()  # like `head -1` after its line: nobody reads any more
    err = child.stderr.read().decode()
    child.stderr.close()
    assert child.wait(timeout=60) == 0, err
    assert err == ""


LOCK_HOLDER = """
import sqlcipher3, sys, time
connection = sqlcipher3.connect(sys.argv[1], isolation_level=None)
connection.execute('PRAGMA key = "' + sys.argv[2] + '"')
connection.execute("BEGIN IMMEDIATE")
connection.execute("UPDATE settings SET key = key")
print("locked", flush=True)
time.sleep(120)
"""


@pytest.mark.slow
def test_a_database_locked_past_the_busy_timeout(
    school: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Another program holds the write lock for longer than hvdesk waits (10 s)."""
    from hvdesk.db.keys import parse_recovery_key

    key = parse_recovery_key(os.environ["HVDESK_RECOVERY_KEY"])
    holder = subprocess.Popen(
        [sys.executable, "-c", LOCK_HOLDER, str(database_path(school)), f"x'{key.hex()}'"],
        stdout=subprocess.PIPE,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == b"locked"
        monkeypatch.setenv("HVDESK_PASSWORD", PASSWORD)
        out = tmp_path / "x.pdf"
        began = time.monotonic()
        code = _run(
            "pdf",
            "visit-form",
            "1",
            "--out",
            str(out),
            "--user",
            "it.office",
            "--data-dir",
            str(school),
        )
        assert time.monotonic() - began >= 9  # it waited its turn first
        assert code == 1
        assert "Another PC or program is writing" in _one_line(capsys)
        assert not out.exists()
    finally:
        holder.kill()
        holder.wait()
        assert holder.stdout is not None
        holder.stdout.close()


def test_a_full_disk_during_backup(
    school: Path, small_disk: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    filler = small_disk / "filler"
    with filler.open("wb") as handle:
        try:
            while True:
                handle.write(b"\0" * 65536)
                handle.flush()
        except OSError:
            pass
    out = small_disk / "nightly.db"
    assert _run("backup", "--out", str(out), "--data-dir", str(school)) == 1
    assert "full" in _one_line(capsys)
    assert sorted(p.name for p in small_disk.iterdir()) == ["filler"]
