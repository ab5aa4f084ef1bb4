"""The window on a school database held by a PostgreSQL server (issue 16): it says where the
database is, backups are the server's (said in the status bar, and "Back up now" says so
instead of failing), and nothing is written to a data folder. Skipped without
`HVDESK_TEST_SERVER`."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from hvdesk.clock import FakeClock
from hvdesk.db.server_database import open_server_database
from hvdesk.errors import ServerModeOnly
from hvdesk.ui.timers import Timers
from tests.server_support import settings_for
from tests.ui.conftest import open_window

pytestmark = pytest.mark.server
SHOTS = Path(__file__).resolve().parent.parent.parent / "docs" / "screenshots"


def test_the_window_on_a_server_says_where_and_leaves_backups_to_it(
    qtbot, demo_copy: str, clock: FakeClock, timers: Timers, tmp_path: Path, monkeypatch
) -> None:
    database = open_server_database(settings_for(demo_copy), clock)
    folder = tmp_path / "no-data-folder"
    window = open_window(database, clock, timers, folder=folder)
    try:
        window.show()
        assert window.database_label.text().startswith("Database: the database server")
        assert window.backup_watch.label.text() == "Backups: by the server"
        assert "pg_dump" in window.backup_watch.label.toolTip()
        shown: list[ServerModeOnly] = []
        monkeypatch.setattr(
            "hvdesk.ui.main_window.show_error", lambda exc, parent=None: shown.append(exc)
        )
        window.back_up_now(tmp_path / "backup.db")
        assert len(shown) == 1 and isinstance(shown[0], ServerModeOnly)
        assert not (tmp_path / "backup.db").exists()
        if os.environ.get("HVDESK_SCREENSHOTS"):
            window.resize(1366, 768)
            qtbot.wait(50)
            window.grab().save(str(SHOTS / "server-mode-window-1366.png"))
        for index in range(len(window.sections)):  # every page is built and read
            window.show_section(index)
            qtbot.wait(10)
        assert not folder.exists()
    finally:
        window.close()
        window.deleteLater()
        database.close()
