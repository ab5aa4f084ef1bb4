"""Encrypted copies of the database, made with SQLite's online backup into a keyed file.

The destination is opened with the same raw key before the copy, so a backup cannot come out
in plain text; it is written under a temporary name and renamed only once complete.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import sqlalchemy as sa
import sqlcipher3

from hvdesk.db.errors import server_job
from hvdesk.errors import DatabaseExists


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
    finally:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
