"""The status bar's last backup (amber when old or missing, red when the last try failed) and
the daily automatic backup that its timer makes."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from hvdesk.clock import FakeClock
from hvdesk.db.models import Setting
from hvdesk.ui.main_window import MainWindow
from hvdesk.ui.timers import Timers
from tests.ui.conftest import SmallSchool


def _label(window: MainWindow) -> tuple[str, str]:
    label = window.backup_watch.label
    return label.text(), str(label.property("state"))


def test_no_backup_yet_is_amber_then_the_timer_makes_one(
    small_window: MainWindow, clock: FakeClock, timers: Timers
) -> None:
    assert _label(small_window) == ("No backup yet", "stale")
    timers.fire("daily-backup")
    assert _label(small_window) == ("Last backup: 10:30", "ok")
    folder = small_window.services.database_path.parent / "backups"
    assert len(list(folder.glob("hvdesk-backup-*.db"))) == 1
    clock.advance(timedelta(days=2, hours=1))
    small_window.backup_watch.refresh()
    text, state = _label(small_window)
    assert text.startswith("Last backup: ") and "Mon 23 Nov" in text and state == "stale"
    timers.fire("daily-backup")
    assert _label(small_window)[1] == "ok"
    assert len(list(folder.glob("hvdesk-backup-*.db"))) == 2


def test_a_failed_automatic_backup_shows_red_with_what_to_do(
    small_school: SmallSchool,
    small_window: MainWindow,
    clock: FakeClock,
    timers: Timers,
    tmp_path: Path,
) -> None:
    blocker = tmp_path / "unplugged"
    blocker.write_text("not a folder")
    with small_school.database.session() as session:
        session.add(Setting(key="backup_folder", value=str(blocker / "x"), updated_at=clock.now()))
    timers.fire("daily-backup")
    assert _label(small_window) == ("Backup failed", "failed")
    assert "cannot be used" in small_window.backup_watch.label.toolTip()


def test_back_up_now_writes_where_asked(small_window: MainWindow, tmp_path: Path) -> None:
    target = tmp_path / "usb" / "copy.db"
    target.parent.mkdir()
    small_window.back_up_now(target)
    assert target.exists()
    assert _label(small_window) == ("Last backup: 10:30", "ok")
    assert "copy.db" in small_window.statusBar().currentMessage()
