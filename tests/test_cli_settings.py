"""`hvdesk settings list` and `hvdesk settings set KEY VALUE --user NAME` over a real demo
database: one line per setting, a change by the DSL recorded and audited, refusals (a bad value,
the police before the emergency contact, reception, a wrong password) as one line with exit 1
and nothing changed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from hvdesk.cli import main
from hvdesk.cli_sign_in import PASSWORD_ENV
from hvdesk.clock import FakeClock
from hvdesk.db.database import open_database
from hvdesk.db.keys import KeyStore
from hvdesk.db.models import SettingChange
from hvdesk.demo.accounts import DEMO_PASSWORD
from hvdesk.domain.setting_fields import setting_fields
from hvdesk.services.demo import create_demo_database
from hvdesk.services.opening import DatabaseOpener
from tests.conftest import MONDAY_MORNING, MemoryKeyring


@pytest.fixture
def school(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, memory_keyring: object
) -> Iterator[Path]:
    folder = tmp_path / "data"
    opened, _ = create_demo_database(
        folder,
        DatabaseOpener(KeyStore(MemoryKeyring()), FakeClock(MONDAY_MORNING)),
        FakeClock(MONDAY_MORNING),
    )
    key = opened.database
    monkeypatch.setenv("HVDESK_RECOVERY_KEY", str(opened.recovery_key))
    monkeypatch.setenv(PASSWORD_ENV, DEMO_PASSWORD)
    key.close()
    yield folder


def _run(folder: Path, *args: str) -> int:
    return main(["settings", *args, "--data-dir", str(folder)], FakeClock(MONDAY_MORNING))


def _changes(folder: Path) -> list[tuple[str, object, object]]:
    import os

    from hvdesk.db.keys import parse_recovery_key

    key = parse_recovery_key(os.environ["HVDESK_RECOVERY_KEY"])
    database = open_database(folder, key, FakeClock(MONDAY_MORNING), upgrade=False)
    try:
        with database.session() as session:
            return [
                (c.key, c.old_value, c.new_value)
                for c in session.scalars(sa.select(SettingChange).order_by(SettingChange.id))
            ]
    finally:
        database.close()


def test_list_prints_every_setting_with_its_value_and_default(school: Path, capsys) -> None:
    assert _run(school, "list") == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(setting_fields())
    police = next(line for line in lines if line.startswith("police_after_minutes "))
    assert police.split() == ["police_after_minutes", "30", "(default:", "30)"]
    name = next(line for line in lines if line.startswith("school_name "))
    assert "* Riverside Academy" in name and "(default: Demo School)" in name


def test_the_dsl_sets_a_shorter_day_and_it_is_recorded(school: Path, capsys) -> None:
    assert _run(school, "set", "working_day_end", "16:00", "--user", "s.whitfield") == 0
    assert capsys.readouterr().out.strip() == "Working day ends: now 16:00."
    assert _changes(school) == [("working_day_end", "18:00", "16:00")]
    assert _run(school, "list") == 0
    assert "* 16:00    (default: 18:00)" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("police_after_minutes", "10"), "police step must come after the emergency-contact"),
        (("police_after_minutes", "ten"), "needs a whole number of minutes"),
        (("working_day_end", "25:00"), "24-hour clock"),
        (("authorising_roles", "dsl,caretaker"), "“caretaker” is not a role"),
        (("no_such_thing", "1"), "There is no setting called"),
    ],
)
def test_bad_values_are_one_line_and_change_nothing(
    school: Path, capsys, args: tuple[str, str], words: str
) -> None:
    assert _run(school, "set", *args, "--user", "s.whitfield") == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and words in err and "Nothing was changed" in err
    assert _changes(school) == []


def test_reception_and_a_wrong_password_are_refused(
    school: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _run(school, "set", "parent_wait_limit_minutes", "5", "--user", "k.lewis") == 1
    assert "may not change the school's settings" in capsys.readouterr().err
    monkeypatch.setenv(PASSWORD_ENV, "not the password")
    assert _run(school, "set", "parent_wait_limit_minutes", "5", "--user", "s.whitfield") == 1
    assert capsys.readouterr().err.startswith("hvdesk: ")
    monkeypatch.delenv(PASSWORD_ENV)
    assert _run(school, "set", "parent_wait_limit_minutes", "5") == 1
    assert "--user" in capsys.readouterr().err
    assert _changes(school) == []
