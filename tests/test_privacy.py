"""No personal data in plain text on disk: not in the database, its WAL, a copy, or the log.

The demo school is seeded through the real command, then every full name, address and phone
number it holds is looked for, byte for byte (UTF-8 and UTF-16), in every file hvdesk wrote.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from hvdesk.cli import main
from hvdesk.clock import FakeClock
from hvdesk.db.backup import copy_encrypted
from hvdesk.db.models import Adult, Household, Pupil, Staff
from hvdesk.services.opening import DatabaseOpener
from tests.helpers import plain_text_hits


def _personal_data(opener: DatabaseOpener, data_dir: Path) -> list[str]:
    opened = opener.open(data_dir)
    with opened.database.session() as session:
        needles = [p.full_name for p in session.scalars(sa.select(Pupil))]
        needles += [a.full_name for a in session.scalars(sa.select(Adult))]
        needles += [a.phone for a in session.scalars(sa.select(Adult)) if a.phone]
        needles += [h.address_line1 for h in session.scalars(sa.select(Household))]
        needles += [s.work_mobile for s in session.scalars(sa.select(Staff)) if s.work_mobile]
        needles += [
            s.emergency_contact_phone
            for s in session.scalars(sa.select(Staff))
            if s.emergency_contact_phone
        ]
    opened.database.close()
    return needles


def test_seeded_people_never_appear_in_plain_text(
    data_dir: Path,
    clock: FakeClock,
    opener: DatabaseOpener,
    memory_keyring: object,
    capsys: pytest.CaptureFixture[str],
    _private_dirs: Path,
) -> None:
    assert main(["seed-demo", "--data-dir", str(data_dir)], clock) == 0
    capsys.readouterr()
    needles = _personal_data(opener, data_dir)
    assert len(needles) > 500
    assert any("Ł" in n or "ł" in n for n in needles)

    # While the database is open and written to, its WAL holds the newest pages.
    opened = opener.open(data_dir)
    with opened.database.session() as session:
        pupil = session.scalars(sa.select(Pupil).limit(1)).one()
        pupil.first_name = pupil.first_name  # a write: the WAL is in use
        session.execute(sa.update(Household).values(area=Household.area))
    copy_encrypted(opened.database.engine, data_dir / "backups" / "privacy-check.db")
    assert (data_dir / "hvdesk.db-wal").exists()
    open_hits = plain_text_hits(data_dir, needles)
    opened.database.close()

    log_dir = _private_dirs
    assert any(log_dir.rglob("*.log")), "the log file should exist to be checked"
    assert open_hits == []
    assert plain_text_hits(data_dir, needles) == []
    assert plain_text_hits(log_dir, needles) == []


def test_the_log_names_no_one_when_things_go_wrong(
    data_dir: Path,
    clock: FakeClock,
    no_keyring: object,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    _private_dirs: Path,
) -> None:
    """Errors are logged too; the recovery key and the database key must never be."""
    assert main(["seed-demo", "--data-dir", str(data_dir)], clock) == 0
    out = capsys.readouterr().out
    recovery_key = out.split("Recovery key", 1)[1].splitlines()[1].strip()
    monkeypatch.setenv("HVDESK_RECOVERY_KEY", recovery_key)
    assert main(["db", "upgrade", "--data-dir", str(data_dir)], clock) == 0
    monkeypatch.setenv("HVDESK_RECOVERY_KEY", recovery_key[:-1] + "A")
    main(["db", "current", "--data-dir", str(data_dir)], clock)
    capsys.readouterr()
    from hvdesk.db.keys import parse_recovery_key

    key_hex = parse_recovery_key(recovery_key).hex()
    secrets = [recovery_key, recovery_key.replace("-", ""), key_hex, key_hex.upper()]
    assert plain_text_hits(_private_dirs, secrets) == []
    assert plain_text_hits(data_dir, secrets) == []
