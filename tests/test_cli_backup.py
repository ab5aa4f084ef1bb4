# ruff: noqa: F811  (the demo-school fixtures are imported by name)
"""`hvdesk backup`, `hvdesk restore [--test] [--force]`, `hvdesk rekey`: the command line's
contract (exit 0/1, one stderr line) and the recovery key the restore needs."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from hvdesk.cli import main
from hvdesk.clock import FakeClock
from hvdesk.db.database import database_path
from hvdesk.db.keys import format_recovery_key
from hvdesk.services.opening import RECOVERY_KEY_ENV
from tests.board_school import Template, demo_template  # noqa: F401

pytestmark = pytest.mark.usefixtures("memory_keyring")


@pytest.fixture
def school_dir(demo_template: Template, tmp_path: Path) -> Path:
    folder = tmp_path / "school"
    shutil.copytree(demo_template.folder, folder)
    return folder


@pytest.fixture
def recovery(demo_template: Template, monkeypatch: pytest.MonkeyPatch) -> str:
    key = format_recovery_key(demo_template.key)
    monkeypatch.setenv(RECOVERY_KEY_ENV, key)
    return key


def backup(school_dir: Path, out: Path, clock: FakeClock) -> Path:
    """`hvdesk backup` of the school into `out`, which must succeed."""
    assert main(["backup", "--data-dir", str(school_dir), "--out", str(out)], clock) == 0
    return out


@pytest.fixture
def nightly(
    school_dir: Path,
    recovery: str,
    tmp_path: Path,
    clock: FakeClock,
    capsys: pytest.CaptureFixture[str],
) -> Path:
    """A backup of the school made from the command line, which says it checked it."""
    out = backup(school_dir, tmp_path / "nightly.db", clock)
    assert "checked" in capsys.readouterr().out
    return out


def test_backup_then_restore_into_a_new_folder(
    nightly: Path,
    tmp_path: Path,
    clock: FakeClock,
    capsys: pytest.CaptureFixture[str],
) -> None:
    target = tmp_path / "new-pc"
    assert main(["restore", str(nightly), "--data-dir", str(target)], clock) == 0
    assert "Restored into" in capsys.readouterr().out
    assert database_path(target).exists()
    assert main(["db", "current", "--data-dir", str(target)], clock) == 0


def test_restore_refuses_a_folder_in_use_unless_forced(
    nightly: Path,
    school_dir: Path,
    clock: FakeClock,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["restore", str(nightly), "--data-dir", str(school_dir)], clock) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--force" in err
    assert main(["restore", str(nightly), "--data-dir", str(school_dir), "--force"], clock) == 0
    assert "kept in" in capsys.readouterr().out


def test_restore_test_changes_nothing_and_is_logged(
    nightly: Path,
    school_dir: Path,
    clock: FakeClock,
    capsys: pytest.CaptureFixture[str],
) -> None:
    before = nightly.read_bytes()
    assert main(["restore", str(nightly), "--test", "--data-dir", str(school_dir)], clock) == 0
    assert "restores and checks out" in capsys.readouterr().out
    assert nightly.read_bytes() == before


def test_backup_refuses_an_existing_file(
    school_dir: Path,
    recovery: str,
    tmp_path: Path,
    clock: FakeClock,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "nightly.db"
    out.write_bytes(b"keep")
    assert main(["backup", "--data-dir", str(school_dir), "--out", str(out)], clock) == 1
    assert "already exists" in capsys.readouterr().err
    assert out.read_bytes() == b"keep"


def test_rekey_prints_a_new_recovery_key_that_opens_the_database(
    school_dir: Path,
    recovery: str,
    clock: FakeClock,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert main(["rekey", "--data-dir", str(school_dir)], clock) == 0
    out = capsys.readouterr().out
    found = re.search(r"^  ((?:[A-Z2-7]{4}-){13}[A-Z2-7]{4})$", out, re.MULTILINE)
    assert found is not None, out
    new_key = found.group(1)
    assert new_key != recovery
    monkeypatch.setenv(RECOVERY_KEY_ENV, recovery)
    # The key store now holds the new key, so the old recovery key is not even asked for...
    assert main(["db", "current", "--data-dir", str(school_dir)], clock) == 0
    capsys.readouterr()
    # ...and restoring a backup made after the rekey needs the new recovery key.
    monkeypatch.setenv(RECOVERY_KEY_ENV, new_key)
    after = backup(school_dir, school_dir.parent / "after.db", clock)
    target = school_dir.parent / "elsewhere"
    assert main(["restore", str(after), "--data-dir", str(target)], clock) == 0
    monkeypatch.setenv(RECOVERY_KEY_ENV, recovery)
    assert main(["restore", str(after), "--data-dir", str(school_dir.parent / "x")], clock) == 1
    assert "another key" in capsys.readouterr().err
