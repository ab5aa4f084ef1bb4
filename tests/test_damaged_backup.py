# ruff: noqa: F811  (the demo-school fixtures are imported by name)
"""A damaged backup is a finding (issue 12, item 8): `restore --test` says it is damaged in one
line, records a failed test, and the status bar shows it; the plain restore and the backup's
own check say the same."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa

from hvdesk.cli import main
from hvdesk.clock import FakeClock
from hvdesk.db.database import open_database
from hvdesk.db.keys import format_recovery_key
from hvdesk.db.models import BackupRecord
from hvdesk.services.backups import BackupDamaged, Backups, check_backup
from hvdesk.services.opening import RECOVERY_KEY_ENV
from tests.board_school import Template, demo_template  # noqa: F401

pytestmark = pytest.mark.usefixtures("memory_keyring")

PAGE = 4096


@pytest.fixture
def school_dir(demo_template: Template, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "school"
    shutil.copytree(demo_template.folder, folder)
    monkeypatch.setenv(RECOVERY_KEY_ENV, format_recovery_key(demo_template.key))
    return folder


def damaged_backup(school_dir: Path, tmp_path: Path, clock: FakeClock) -> Path:
    """A good backup, then pages in its middle overwritten (the first page, which the key
    check reads, left whole): what a failing USB stick does."""
    out = tmp_path / "nightly.db"
    assert main(["backup", "--data-dir", str(school_dir), "--out", str(out)], clock) == 0
    data = bytearray(out.read_bytes())
    middle = (len(data) // PAGE // 2) * PAGE
    data[middle : middle + 8 * PAGE] = b"\xa5" * (8 * PAGE)
    out.write_bytes(bytes(data))
    return out


def test_restore_test_of_a_damaged_backup_is_a_recorded_failure(
    school_dir: Path,
    tmp_path: Path,
    clock: FakeClock,
    capsys: pytest.CaptureFixture[str],
    demo_template: Template,
) -> None:
    broken = damaged_backup(school_dir, tmp_path, clock)
    capsys.readouterr()
    code = main(["restore", str(broken), "--test", "--data-dir", str(school_dir)], clock)
    assert code == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "damaged" in err[0] and "bug" not in err[0], err
    database = open_database(school_dir, demo_template.key, clock)
    try:
        with database.session() as session:
            test = session.scalars(
                sa.select(BackupRecord).order_by(BackupRecord.id.desc()).limit(1)
            ).one()
            assert (test.kind, test.ok, test.file_name) == ("restore_test", False, broken.name)
        status = Backups(database, clock).status()
        assert status.failed_check is not None and "damaged" in status.failed_check
        # The plain restore says the same, and restores nothing.
        target = tmp_path / "new-pc"
        assert main(["restore", str(broken), "--data-dir", str(target)], clock) == 1
        assert "damaged" in capsys.readouterr().err
        assert not (target / "hvdesk.db").exists()
        # A good backup afterwards clears the finding.
        Backups(database, clock).back_up(tmp_path / "good.db")
        assert Backups(database, clock).status().failed_check is None
    finally:
        database.close()


def test_the_backup_check_names_the_damage(
    school_dir: Path, tmp_path: Path, clock: FakeClock, demo_template: Template
) -> None:
    broken = damaged_backup(school_dir, tmp_path, clock)
    with pytest.raises(BackupDamaged, match="damaged"):
        check_backup(broken, f"x'{demo_template.key.hex()}'")


def test_the_status_bar_shows_a_failed_check(
    qapp: object, school_dir: Path, tmp_path: Path, clock: FakeClock, demo_template: Template
) -> None:
    from PySide6.QtWidgets import QWidget

    from hvdesk.services.backups import record_event
    from hvdesk.ui.backup_watch import BackupWatch
    from hvdesk.ui.timers import Timers

    database = open_database(school_dir, demo_template.key, clock)
    host = QWidget()
    try:
        Backups(database, clock).back_up(tmp_path / "good.db")
        clock.advance(60)
        record_event(database, clock, "restore_test", "usb.db", ok=False, detail="it is damaged")
        watch = BackupWatch(Backups(database, clock), clock, Timers(), host, automatic=False)
        assert watch.label.text() == "Backup check failed"
        assert "usb.db" in watch.label.toolTip()
    finally:
        host.deleteLater()
        database.close()
