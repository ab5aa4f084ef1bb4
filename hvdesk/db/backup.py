"""Encrypted copies of the database, made with SQLite's online backup into a keyed file, and
the file-level steps of a rekey and a restore that must be safe at every instant.

The destination is opened with the same raw key before the copy, so a backup cannot come out
in plain text; it is written under a temporary name and renamed only once complete. Copies made
aside (before an upgrade, a rekey) take a name no earlier copy has, even within one second, so a
retry after a crash never trips over the copy the crashed attempt left.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import sqlalchemy as sa
import sqlcipher3

from hvdesk.db.errors import known_error, server_job
from hvdesk.errors import DatabaseExists, HvdeskError
from hvdesk.safe_files import sync_folder

PRIVATE = 0o600
"""Files hvdesk makes hold personal data (encrypted, but still nobody else's business)."""


def known_file_error(exc: BaseException, path: Path) -> HvdeskError | None:
    """`known_error` for the raw driver's errors too (the file-level steps here talk to
    SQLCipher directly, not through SQLAlchemy): a full disk is a full disk either way."""
    if isinstance(exc, sqlcipher3.Error):
        exc = sa.exc.DBAPIError.instance(None, None, exc, sqlcipher3.Error)
    return known_error(exc, path)


def unique_path(wanted: Path) -> Path:
    """`wanted`, or `name-2.db`, `name-3.db`... when it is taken (a retry in the same second)."""
    if not wanted.exists():
        return wanted
    for number in range(2, 10_000):
        candidate = wanted.with_name(f"{wanted.stem}-{number}{wanted.suffix}")
        if not candidate.exists():
            return candidate
    raise DatabaseExists(f"Too many copies named {wanted.name}.", "Tidy the backups folder.")


def make_private(path: Path) -> None:
    """Owner read/write only (POSIX; Windows files follow the folder's permissions)."""
    if os.name == "posix":
        with contextlib.suppress(OSError):
            path.chmod(PRIVATE)


def copy_encrypted(engine: sa.Engine, target: Path) -> None:
    """Copy the whole database behind `engine` to `target`, encrypted with the same key.
    A server's database is the server's tools' to copy (issue 16): refused, saying so."""
    if engine.dialect.name != "sqlite":
        raise server_job("Backing up")
    if target.exists():
        raise DatabaseExists(f"{target} already exists.", "Choose another name for the copy.")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    key_literal = engine.url.password
    try:
        create_private_file(partial)
        with engine.connect() as connection:
            source = connection.connection.dbapi_connection
            destination = sqlcipher3.connect(str(partial))
            try:
                destination.execute(f'PRAGMA key = "{key_literal}"')
                destination.execute("PRAGMA cipher_log_level = NONE")
                source.backup(destination)  # type: ignore[union-attr]
                destination.execute("PRAGMA journal_mode = DELETE")
            finally:
                destination.close()
        with partial.open("rb+") as handle:
            os.fsync(handle.fileno())
        partial.replace(target)
        sync_folder(target.parent)
    finally:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)


def key_opens(path: Path, key_literal: str) -> bool:
    """Whether this raw-key literal opens the database file (read-only; 0.2 ms with a raw key)."""
    try:
        connection = sqlcipher3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlcipher3.Error:
        return False
    try:
        connection.execute(f'PRAGMA key = "{key_literal}"')
        connection.execute("PRAGMA cipher_log_level = NONE")
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher3.DatabaseError:
        return False
    finally:
        connection.close()
    return True


def rekeyed_copy(path: Path, partial: Path, old_literal: str, new_literal: str) -> None:
    """A copy of the database at `path` under the new key, complete and synced at `partial`;
    the database itself is not changed (its WAL is folded in first)."""
    partial.unlink(missing_ok=True)
    for sidecar in _sidecars(partial):
        sidecar.unlink(missing_ok=True)
    source = sqlcipher3.connect(str(path))
    try:
        source.execute(f'PRAGMA key = "{old_literal}"')
        source.execute("PRAGMA cipher_log_level = NONE")
        source.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        create_private_file(partial)
        destination = sqlcipher3.connect(str(partial))
        try:
            destination.execute(f'PRAGMA key = "{old_literal}"')
            destination.execute("PRAGMA cipher_log_level = NONE")
            source.backup(destination)
            destination.execute("PRAGMA journal_mode = DELETE")
            destination.execute(f'PRAGMA rekey = "{new_literal}"')
        finally:
            destination.close()
    finally:
        source.close()
    with partial.open("rb+") as handle:
        os.fsync(handle.fileno())
    if not key_opens(partial, new_literal):
        raise sqlcipher3.DatabaseError("the rekeyed copy does not open with the new key")


def swap_in(partial: Path, path: Path) -> None:
    """Put a finished copy in the database's place in one step. The old database's WAL and
    shared-memory files go first: a WAL left beside the new file could be replayed into it."""
    for sidecar in _sidecars(path):
        sidecar.unlink(missing_ok=True)
    partial.replace(path)
    sync_folder(path.parent)


def _sidecars(path: Path) -> tuple[Path, Path]:
    return path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")


def create_private_file(path: Path) -> None:
    """Create the file empty and 0600 before SQLite writes to it, so it is never readable by
    others, even for a moment (SQLite gives the WAL and shared-memory files the same mode)."""
    descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, PRIVATE)
    os.close(descriptor)
