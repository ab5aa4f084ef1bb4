"""A busy database and a full disk, met for real by the services and the command line.

A second process holds the write lock past the busy timeout, and the database lives on a real
filesystem of a few hundred kilobytes that is filled to the last byte. Each time the office
gets a typed error saying what happened and "try again" (never "this is a bug"), nothing is
half-written, and trying the same step again once the cause has gone works.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from hvdesk.cli import main
from hvdesk.clock import FakeClock
from hvdesk.db.database import create_database, database_path, open_database
from hvdesk.db.engine import BUSY_TIMEOUT_ENV
from hvdesk.db.keys import KeyStore, new_database_key
from hvdesk.db.models import AuditEntry, UserAccount, Visit
from hvdesk.errors import DatabaseLocked, DiskFull
from hvdesk.services.accounts import Accounts
from tests.conftest import MemoryKeyring
from tests.helpers import checksums
from tests.trouble import fill, holding_the_write_lock, tiny_filesystem
from tests.ui.school import build_school

PASSWORD = "a long enough password"


@pytest.fixture(autouse=True)
def _short_busy_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    """Wait half a second for the other process (the office waits ten); the command line
    signs in as the administrator."""
    monkeypatch.setenv(BUSY_TIMEOUT_ENV, "0.5")
    monkeypatch.setenv("HVDESK_PASSWORD", PASSWORD)


@pytest.fixture
def school_folder(tmp_path: Path, clock: FakeClock, memory_keyring: MemoryKeyring) -> Path:
    """A small school with one administrator, closed, its key in the credential store."""
    folder = tmp_path / "school"
    key = new_database_key()
    database = create_database(folder, key, clock)
    with database.session() as session:
        build_school(session, clock.now())
    Accounts(database, clock).create_first_administrator("p.stanton", "Paul Stanton", PASSWORD)
    database.close()
    KeyStore().save(database_path(folder), key)
    return folder


def _key(folder: Path) -> bytes:
    key = KeyStore().load(database_path(folder))
    assert key is not None
    return key


def _audit_count(folder: Path, clock: FakeClock, action: str | None = None) -> int:
    database = open_database(folder, _key(folder), clock, upgrade=False)
    try:
        with database.session() as session:
            query = sa.select(sa.func.count()).select_from(AuditEntry)
            if action is not None:
                query = query.where(AuditEntry.action == action)
            return session.scalar(query) or 0
    finally:
        database.close()


def _a_visit(folder: Path, clock: FakeClock) -> int:
    database = open_database(folder, _key(folder), clock, upgrade=False)
    try:
        with database.session() as session:
            return session.scalars(sa.select(Visit.id).order_by(Visit.id)).first() or 0
    finally:
        database.close()


# --- another PC or program is writing ------------------------------------------------------


def test_a_service_told_the_database_is_busy_says_try_again_and_then_works(
    school_folder: Path, clock: FakeClock
) -> None:
    database = open_database(school_folder, _key(school_folder), clock)
    accounts = Accounts(database, clock)
    try:
        with holding_the_write_lock(database.path, _key(school_folder)):
            with pytest.raises(DatabaseLocked) as busy:
                accounts.sign_in("p.stanton", PASSWORD)
            assert "another pc or program is writing" in busy.value.what.lower()
            assert "try again" in busy.value.todo
        user = accounts.sign_in("p.stanton", PASSWORD)  # the retry, once the other has gone
        assert user.username == "p.stanton"
        with database.session() as session:
            account = session.scalars(
                sa.select(UserAccount).where(UserAccount.username == "p.stanton")
            ).one()
            assert account.failed_sign_ins == 0
            sign_ins = session.scalars(
                sa.select(AuditEntry.action).where(AuditEntry.username == "p.stanton")
            ).all()
        assert sign_ins.count("sign_in") == 1  # the refused attempt left nothing half-written
    finally:
        database.close()


def test_the_command_line_told_the_database_is_busy_prints_one_line_and_then_works(
    school_folder: Path, clock: FakeClock, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    visit = _a_visit(school_folder, clock)
    out = tmp_path / "form.pdf"
    command = [
        *("pdf", "visit-form", str(visit), "--out", str(out), "--data-dir", str(school_folder)),
        *("--user", "p.stanton"),
    ]
    before = _audit_count(school_folder, clock)
    with holding_the_write_lock(database_path(school_folder), _key(school_folder)):
        assert main(command, clock) == 1
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1
    assert "try again" in err
    assert "bug" not in err
    assert not out.exists()  # the export is recorded with the file, so neither happened
    assert _audit_count(school_folder, clock) == before

    exports = _audit_count(school_folder, clock, "export")
    assert main(command, clock) == 0  # trying again once the other program has finished
    assert out.read_bytes().startswith(b"%PDF")
    assert _audit_count(school_folder, clock, "export") == exports + 1


# --- the disk is full ----------------------------------------------------------------------


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    with tiny_filesystem(tmp_path / "tiny-disk") as disk:
        yield disk


def _school_on(disk: Path, school_folder: Path) -> Path:
    """The closed school database moved onto the small disk, its key kept for the new place."""
    folder = disk / "school"
    folder.mkdir()
    shutil.copy2(database_path(school_folder), database_path(folder))
    KeyStore().save(database_path(folder), _key(school_folder))
    return folder


def test_a_service_on_a_full_disk_says_so_and_works_once_there_is_room(
    tiny_disk: Path, school_folder: Path, clock: FakeClock
) -> None:
    folder = _school_on(tiny_disk, school_folder)
    database = open_database(folder, _key(folder), clock)
    accounts = Accounts(database, clock)
    try:
        filler = fill(tiny_disk)
        with pytest.raises(DiskFull) as full:
            for _ in range(50):  # until the WAL needs a page the disk has not got
                accounts.sign_in("p.stanton", PASSWORD)
        assert "full" in full.value.what and "try again" in full.value.todo
        filler.unlink()
        assert accounts.sign_in("p.stanton", PASSWORD).username == "p.stanton"
    finally:
        database.close()


def test_the_command_line_on_a_full_disk_prints_one_line_and_then_works(
    tiny_disk: Path,
    school_folder: Path,
    clock: FakeClock,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    folder = _school_on(tiny_disk, school_folder)
    visit = _a_visit(folder, clock)
    out = tmp_path / "form.pdf"
    command = [
        *("pdf", "visit-form", str(visit), "--out", str(out), "--data-dir", str(folder)),
        *("--user", "p.stanton"),
    ]
    filler = fill(tiny_disk)
    before = checksums(folder)
    assert main(command, clock) == 1
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1
    assert "full" in err and "try again" in err
    assert "bug" not in err
    assert not out.exists()
    after = checksums(folder)
    assert after["hvdesk.db"] == before["hvdesk.db"]  # nothing half-written into the database
    wal = database_path(folder).with_name("hvdesk.db-wal")
    assert not wal.exists() or wal.stat().st_size == 0  # nor waiting in its write-ahead log

    filler.unlink()
    assert main(command, clock) == 0
    assert out.read_bytes().startswith(b"%PDF")
