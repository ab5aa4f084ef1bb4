"""Item 11: every bad input gives a clear message and the data on disk is never changed."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa

from hvdesk.clock import FakeClock
from hvdesk.db.database import create_database, database_path, open_database
from hvdesk.db.keys import KeyStore, new_database_key
from hvdesk.db.models import Setting
from hvdesk.errors import (
    DatabaseMissing,
    DataFolderError,
    DiskFull,
    HvdeskError,
    KeyNeeded,
    NotADatabase,
    ReadOnlyData,
    WrongKey,
)
from hvdesk.services.opening import DatabaseOpener
from tests.conftest import MemoryKeyring, remount_read_only
from tests.helpers import checksums


def _refused_untouched(data_dir: Path, call: object, error: type[HvdeskError]) -> HvdeskError:
    before = checksums(data_dir)
    with pytest.raises(error) as caught:
        call()  # type: ignore[operator]
    assert checksums(data_dir) == before, "a refused open changed the files"
    assert caught.value.what and caught.value.todo, "every message says what to do"
    return caught.value


def test_wrong_key(data_dir: Path, clock: FakeClock) -> None:
    create_database(data_dir, new_database_key()).close()
    _refused_untouched(
        data_dir, lambda: open_database(data_dir, new_database_key(), clock), WrongKey
    )


def test_missing_key(data_dir: Path, clock: FakeClock) -> None:
    create_database(data_dir, new_database_key()).close()
    opener = DatabaseOpener(KeyStore(MemoryKeyring()), clock)
    error = _refused_untouched(data_dir, lambda: opener.open(data_dir), KeyNeeded)
    assert "recovery key" in error.todo


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(os.urandom(8192), id="random-bytes"),
        pytest.param(b"Dear parents,\nplease find attached...\n" * 50, id="a-letter"),
    ],
)
def test_a_file_that_is_not_a_database(data_dir: Path, clock: FakeClock, content: bytes) -> None:
    data_dir.mkdir()
    database_path(data_dir).write_bytes(content)
    _refused_untouched(
        data_dir, lambda: open_database(data_dir, new_database_key(), clock), NotADatabase
    )


def test_a_corrupt_database(data_dir: Path, clock: FakeClock) -> None:
    key = new_database_key()
    database = create_database(data_dir, key)
    with database.session() as session:
        session.add(Setting(key="school_name", value="Ysgol Gymraeg", updated_at=clock.now()))
    database.close()
    path = database_path(data_dir)
    damaged = bytearray(path.read_bytes())
    damaged[100:4000] = os.urandom(3900)  # scribble over the first page
    path.write_bytes(bytes(damaged))
    _refused_untouched(data_dir, lambda: open_database(data_dir, key, clock), NotADatabase)


def test_an_empty_file_is_not_turned_into_a_database(data_dir: Path, clock: FakeClock) -> None:
    data_dir.mkdir()
    database_path(data_dir).touch()
    error = _refused_untouched(
        data_dir, lambda: open_database(data_dir, new_database_key(), clock), NotADatabase
    )
    assert "empty" in error.what
    assert database_path(data_dir).stat().st_size == 0


def test_an_unencrypted_sqlite_file(data_dir: Path, clock: FakeClock) -> None:
    data_dir.mkdir()
    plain = sqlite3.connect(database_path(data_dir))
    plain.execute("CREATE TABLE pupils (name TEXT)")
    plain.commit()
    plain.close()
    error = _refused_untouched(
        data_dir, lambda: open_database(data_dir, new_database_key(), clock), NotADatabase
    )
    assert "unencrypted" in error.what


def test_a_missing_folder(tmp_path: Path, clock: FakeClock) -> None:
    missing = tmp_path / "nowhere"
    with pytest.raises(DataFolderError, match="does not exist"):
        open_database(missing, new_database_key(), clock)
    assert not missing.exists()


def test_a_folder_without_a_database(data_dir: Path, clock: FakeClock) -> None:
    data_dir.mkdir()
    (data_dir / "notes.txt").write_text("keep me")
    _refused_untouched(
        data_dir, lambda: open_database(data_dir, new_database_key(), clock), DatabaseMissing
    )
    assert not database_path(data_dir).exists()


def test_a_file_given_as_the_data_folder(tmp_path: Path, clock: FakeClock) -> None:
    not_a_folder = tmp_path / "hvdesk-data"
    not_a_folder.write_text("a file")
    with pytest.raises(DataFolderError, match="is a file, not a folder"):
        open_database(not_a_folder, new_database_key(), clock)
    with pytest.raises(DataFolderError):
        create_database(not_a_folder, new_database_key())
    assert not_a_folder.read_text() == "a file"


def test_a_read_only_folder(small_disk: Path, clock: FakeClock) -> None:
    key = new_database_key()
    create_database(small_disk, key).close()
    before = checksums(small_disk)
    remount_read_only(small_disk)
    with pytest.raises((ReadOnlyData, DataFolderError)) as caught:
        database = open_database(small_disk, key, clock)
        with database.session() as session:
            session.add(Setting(key="school_name", value="x", updated_at=clock.now()))
    assert caught.value.todo
    assert checksums(small_disk) == before


def test_creating_on_a_read_only_folder(small_disk: Path) -> None:
    remount_read_only(small_disk)
    with pytest.raises((ReadOnlyData, DataFolderError)):
        create_database(small_disk / "new", new_database_key())


def test_a_full_disk_while_creating(small_disk: Path) -> None:
    _fill(small_disk)
    with pytest.raises(DiskFull, match="full"):
        create_database(small_disk / "school", new_database_key())


def test_a_full_disk_while_working_loses_nothing_saved(small_disk: Path, clock: FakeClock) -> None:
    key = new_database_key()
    database = create_database(small_disk, key)
    with database.session() as session:
        session.add(Setting(key="school_name", value="Ysgol y Môr", updated_at=clock.now()))
    _fill(small_disk)
    with pytest.raises(DiskFull, match="full") as caught, database.session() as session:
        for n in range(2000):
            session.add(Setting(key=f"note_{n}", value="x" * 2000, updated_at=clock.now()))
    assert "try again" in caught.value.todo  # typed where the session is, not by each caller
    database.close()
    for filler in small_disk.glob("filler*"):
        filler.unlink()
    reopened = open_database(small_disk, key, clock)
    with reopened.session() as session:
        assert session.get(Setting, "school_name") is not None
        assert session.scalar(sa.select(sa.func.count()).select_from(Setting)) == 1
    reopened.close()


def _fill(folder: Path) -> None:
    """Fill the small filesystem to the last byte."""
    chunk = b"\0" * 4096
    handle = (folder / "filler-last").open("ab", buffering=0)
    try:
        while True:
            handle.write(chunk)
    except OSError:
        pass
    finally:
        handle.close()
