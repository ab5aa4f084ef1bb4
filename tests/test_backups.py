# ruff: noqa: F811  (the demo-school fixtures are imported by name)
"""Backups, restore, restore tests and rekey, on the real encrypted demo school."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from hvdesk.clock import FakeClock
from hvdesk.db.database import database_path, open_database
from hvdesk.db.engine import raw_key_literal
from hvdesk.db.keys import KeyStore, format_recovery_key
from hvdesk.db.models import BackupRecord, Pupil
from hvdesk.errors import DatabaseExists, HvdeskError, NotADatabase, WrongKey
from hvdesk.services.backups import AUTOMATIC_PREFIX, BackupFailed, Backups, check_backup, prune
from hvdesk.services.restore import rekey, restore_backup, try_restore
from tests.board_school import School, demo_template, school  # noqa: F401


def _pupils(database_dir: Path, key: bytes, clock: FakeClock) -> int:
    database = open_database(database_dir, key, clock)
    try:
        with database.session() as session:
            return int(session.scalar(sa.select(sa.func.count()).select_from(Pupil)) or 0)
    finally:
        database.close()


def _records(school: School, kind: str) -> list[BackupRecord]:
    with school.database.session() as session:
        return list(session.scalars(sa.select(BackupRecord).where(BackupRecord.kind == kind)))


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_backup_is_encrypted_checked_and_recorded(school: School, tmp_path: Path) -> None:
    out = tmp_path / "copy.db"
    checked = Backups(school.database, school.clock).back_up(out)
    assert checked.path == out
    assert not out.read_bytes().startswith(b"SQLite format 3")
    assert b"Riverside" not in out.read_bytes()
    assert check_backup(out, raw_key_literal(school.key)).revision == checked.revision
    [record] = _records(school, "backup")
    assert record.ok and record.file_name == "copy.db"
    assert Backups(school.database, school.clock).last_backup_at() == school.clock.now()


def test_a_backup_never_overwrites_a_file(school: School, tmp_path: Path) -> None:
    out = tmp_path / "copy.db"
    out.write_bytes(b"precious")
    with pytest.raises(HvdeskError):
        Backups(school.database, school.clock).back_up(out)
    assert out.read_bytes() == b"precious"


def test_the_daily_backup_runs_once_a_day_and_keeps_the_newest(
    school: School, tmp_path: Path
) -> None:
    folder = tmp_path / "share"
    with school.database.session() as session:
        from hvdesk.db.models import Setting

        session.add(Setting(key="backup_folder", value=str(folder), updated_at=school.clock.now()))
        session.add(Setting(key="backups_to_keep", value=2, updated_at=school.clock.now()))
    backups = Backups(school.database, school.clock)
    (folder / "keep-me.db").parent.mkdir(parents=True)
    (folder / "keep-me.db").write_bytes(b"someone else's file")
    made = []
    for _ in range(3):
        made.append(backups.back_up_if_due())
        assert backups.back_up_if_due() is None  # not due again within the day
        school.clock.advance(timedelta(hours=25))
    assert all(m is not None for m in made)
    automatic = sorted(p.name for p in folder.glob(f"{AUTOMATIC_PREFIX}*"))
    assert len(automatic) == 2
    assert made[0] is not None and made[0].path.name not in automatic
    assert (folder / "keep-me.db").read_bytes() == b"someone else's file"


def test_status_turns_stale_after_the_warning_limit(school: School, tmp_path: Path) -> None:
    backups = Backups(school.database, school.clock)
    assert backups.status().stale and backups.status().last_at is None
    backups.back_up(tmp_path / "b.db")
    assert not backups.status().stale
    school.clock.advance(timedelta(days=2, minutes=1))
    assert backups.status().stale


def test_an_unusable_backup_folder_says_so_and_records_the_failure(
    school: School, tmp_path: Path
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    with school.database.session() as session:
        from hvdesk.db.models import Setting

        session.add(
            Setting(key="backup_folder", value=str(blocker / "sub"), updated_at=school.clock.now())
        )
    with pytest.raises(BackupFailed, match="cannot be used"):
        Backups(school.database, school.clock).back_up_if_due()
    assert [r.ok for r in _records(school, "backup")] == [False]


def test_prune_touches_only_automatic_backups(tmp_path: Path) -> None:
    names = [f"{AUTOMATIC_PREFIX}2026112{d}T090000Z.db" for d in range(5)] + ["other.db"]
    for name in names:
        (tmp_path / name).write_bytes(b"x")
    deleted = prune(tmp_path, 2)
    assert [p.name for p in deleted] == names[:3]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(names[3:])


def test_restore_into_an_empty_folder_and_log_it(
    school: School, tmp_path: Path, keystore: KeyStore
) -> None:
    out = tmp_path / "b.db"
    Backups(school.database, school.clock).back_up(out)
    target = tmp_path / "restored"
    result = restore_backup(out, target, school.key, school.clock, keystore)
    assert result.key_saved and result.replaced_to is None
    assert keystore.load(database_path(target)) == school.key
    assert _pupils(target, school.key, school.clock) == school.summary.pupils
    restored = open_database(target, school.key, school.clock)
    try:
        with restored.session() as session:
            kinds = list(session.scalars(sa.select(BackupRecord.kind)))
    finally:
        restored.close()
    assert "restore" in kinds


def test_restore_refuses_a_folder_in_use_without_force_and_changes_nothing(
    school: School, tmp_path: Path, keystore: KeyStore
) -> None:
    out = tmp_path / "b.db"
    Backups(school.database, school.clock).back_up(out)
    school.database.close()
    before = _digest(database_path(school.data_dir))
    with pytest.raises(DatabaseExists, match="--force"):
        restore_backup(out, school.data_dir, school.key, school.clock, keystore)
    assert _digest(database_path(school.data_dir)) == before
    result = restore_backup(out, school.data_dir, school.key, school.clock, keystore, force=True)
    assert result.replaced_to is not None
    assert (result.replaced_to / "hvdesk.db").exists()
    assert _pupils(school.data_dir, school.key, school.clock) == school.summary.pupils
    school.database = open_database(school.data_dir, school.key, school.clock)


def test_restore_refuses_a_wrong_key_a_plain_file_and_an_empty_file(
    school: School, tmp_path: Path, keystore: KeyStore
) -> None:
    out = tmp_path / "b.db"
    Backups(school.database, school.clock).back_up(out)
    with pytest.raises(NotADatabase, match="another key"):
        restore_backup(out, tmp_path / "t1", b"\x01" * 32, school.clock, keystore)
    plain = tmp_path / "plain.db"
    plain.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
    with pytest.raises(NotADatabase, match="unencrypted"):
        restore_backup(plain, tmp_path / "t2", school.key, school.clock, keystore)
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    with pytest.raises(NotADatabase, match="empty"):
        restore_backup(empty, tmp_path / "t3", school.key, school.clock, keystore)
    assert not any((tmp_path / t).exists() for t in ("t1", "t2", "t3"))


def test_a_damaged_backup_is_refused(school: School, tmp_path: Path, keystore: KeyStore) -> None:
    out = tmp_path / "b.db"
    Backups(school.database, school.clock).back_up(out)
    data = bytearray(out.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 4096] = bytes(4096)
    out.write_bytes(bytes(data))
    with pytest.raises(HvdeskError):
        restore_backup(out, tmp_path / "t", school.key, school.clock, keystore)
    assert not (tmp_path / "t" / "hvdesk.db").exists()


def test_a_restore_test_is_logged_either_way(school: School, tmp_path: Path) -> None:
    out = tmp_path / "b.db"
    Backups(school.database, school.clock).back_up(out)
    assert try_restore(out, school.key, school.clock, school.database)
    with pytest.raises(HvdeskError):
        try_restore(tmp_path / "missing.db", school.key, school.clock, school.database)
    assert [r.ok for r in _records(school, "restore_test")] == [True, False]


def test_rekey_makes_a_new_key_after_a_backup_under_the_old_one(
    school: School, keystore: KeyStore
) -> None:
    keystore.save(school.database.path, school.key)
    result = rekey(school.database, school.clock, keystore)
    assert result.recovery_key != format_recovery_key(school.key)
    new_key = keystore.load(database_path(school.data_dir))
    assert new_key is not None and new_key != school.key
    with pytest.raises(WrongKey):
        open_database(school.data_dir, school.key, school.clock)
    assert _pupils(school.data_dir, new_key, school.clock) == school.summary.pupils
    assert check_backup(result.backup, raw_key_literal(school.key)).revision
    school.database = open_database(school.data_dir, new_key, school.clock)
    assert [r.kind for r in _records(school, "rekey")] == ["rekey"]
