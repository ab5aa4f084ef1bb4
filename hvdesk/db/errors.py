"""Sorting database errors into the ones the office can act on and the bugs.

After qutebrowser: a locked database, a full disk or a read-only folder is "known" and gets a
message; anything else is re-raised as a bug and logged with its traceback.
"""

from __future__ import annotations

import errno
from pathlib import Path

import sqlalchemy.exc

from hvdesk.errors import (
    DatabaseLocked,
    DiskFull,
    HvdeskError,
    NotADatabase,
    ReadOnlyData,
)


def known_error(exc: BaseException, path: Path) -> HvdeskError | None:
    """The user-facing error this exception stands for, or None if it is a bug."""
    if isinstance(exc, HvdeskError):
        return exc
    if isinstance(exc, OSError):
        return _from_oserror(exc, path)
    if isinstance(exc, sqlalchemy.exc.DBAPIError):
        return _from_sqlite_message(str(exc.orig).lower(), path)
    return None


def _from_oserror(exc: OSError, path: Path) -> HvdeskError | None:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return _disk_full(path)
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return _read_only(path)
    return None


def _from_sqlite_message(message: str, path: Path) -> HvdeskError | None:
    if "database or disk is full" in message or "disk is full" in message:
        return _disk_full(path)
    if "locked" in message or "busy" in message:
        return DatabaseLocked(
            f"The database in {path.parent} is in use by another program.",
            "Close any other copy of hvdesk or backup tool using it, then try again.",
        )
    if "readonly" in message or "read-only" in message or "unable to open" in message:
        return _read_only(path)
    if "file is not a database" in message or "malformed" in message:
        return NotADatabase(
            f"{path.name} cannot be read: it is damaged, or it is not an hvdesk database.",
            "Restore the latest backup, or choose the right data folder. The file was not changed.",
        )
    if "disk i/o error" in message:
        return ReadOnlyData(
            f"The disk holding {path.parent} reported an error.",
            "Check the disk is connected and has space, then try again.",
        )
    return None


def _disk_full(path: Path) -> DiskFull:
    return DiskFull(
        f"The disk holding {path.parent} is full, so nothing more could be saved.",
        "Free some space (or ask IT to), then try again. Nothing already saved was lost.",
    )


def _read_only(path: Path) -> ReadOnlyData:
    return ReadOnlyData(
        f"hvdesk cannot write to {path.parent}.",
        "Check the folder exists and that your Windows account may write to it, or choose "
        "another data folder.",
    )
