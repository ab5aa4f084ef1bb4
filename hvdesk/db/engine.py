"""The encrypted engine: SQLCipher through SQLAlchemy, with the pragmas and transaction fix
that ENGINEERING-NOTES found necessary.

- A raw 32-byte key (``x'…'``), never a passphrase: opening costs well under a millisecond.
- The URL is built in code; string URLs break on Windows paths and on ``@ : / %``.
- ``isolation_level = None`` on the DBAPI connection plus an explicit ``BEGIN`` makes every
  transaction, DDL included, all-or-nothing, so a failed migration rolls back whole.
- A deliberate pool (QueuePool): the dialect's SingletonThreadPool is not for production.
"""

from __future__ import annotations

import functools
import logging
import os
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import URL, Engine
from sqlalchemy.pool import QueuePool

from hvdesk.db.errors import translate_errors

log = logging.getLogger(__name__)

KEY_BYTES = 32
# Execution option of a connection that will write: it begins with BEGIN IMMEDIATE, so two
# writers queue for the lock (busy_timeout) instead of the second failing on a stale snapshot.
WRITER_OPTION = "hvdesk_writer"
# How long a writer waits for another PC or program to finish before "try again" (seconds).
BUSY_TIMEOUT_ENV = "HVDESK_BUSY_TIMEOUT"
DEFAULT_BUSY_TIMEOUT = 10.0


def busy_timeout() -> float:
    """The wait for a busy database: $HVDESK_BUSY_TIMEOUT seconds, else 10 (a bad value too)."""
    try:
        seconds = float(os.environ.get(BUSY_TIMEOUT_ENV, DEFAULT_BUSY_TIMEOUT))
    except ValueError:
        return DEFAULT_BUSY_TIMEOUT
    return seconds if 0 < seconds <= 600 else DEFAULT_BUSY_TIMEOUT


def database_url(path: Path, key: bytes) -> URL:
    """The SQLAlchemy URL for an encrypted database file (the key is a raw hex literal)."""
    if len(key) != KEY_BYTES:
        raise ValueError("a database key is 32 bytes")
    return URL.create("sqlite+pysqlcipher", password=raw_key_literal(key), database=str(path))


def raw_key_literal(key: bytes) -> str:
    """The raw-key literal SQLCipher takes (x'…'), in the URL and in ``PRAGMA key``."""
    return f"x'{key.hex()}'"


def create_encrypted_engine(path: Path, key: bytes, *, pool_size: int = 2) -> Engine:
    """An engine for one encrypted database file. The file is created on first write.

    Errors the office can act on (locked, full, read-only, damaged) leave it typed."""
    wait = busy_timeout()
    engine = sa.create_engine(
        database_url(path, key),
        poolclass=QueuePool,
        pool_size=pool_size,
        max_overflow=2,
        pool_timeout=10,
        connect_args={"timeout": wait, "check_same_thread": False},
        hide_parameters=True,
    )
    event.listen(engine, "connect", functools.partial(_on_connect, busy_ms=int(wait * 1000)))
    event.listen(engine, "begin", _on_begin)
    translate_errors(engine, path)
    return engine


def _on_connect(dbapi_conn: Any, _record: Any, *, busy_ms: int) -> None:
    # Runs after the dialect has sent PRAGMA key.
    dbapi_conn.isolation_level = None
    cursor = dbapi_conn.cursor()
    try:
        cursor.execute("PRAGMA cipher_log_level = NONE")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute(f"PRAGMA busy_timeout = {busy_ms}")
        cursor.execute("PRAGMA cache_size = -65536")
    finally:
        cursor.close()


def _on_begin(conn: sa.Connection) -> None:
    writer = conn.get_execution_options().get(WRITER_OPTION)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if writer else "BEGIN")
