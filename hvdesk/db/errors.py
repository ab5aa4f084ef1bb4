"""Sorting database errors into the ones the office can act on and the bugs.

After qutebrowser's ``misc/sql.py``: a locked database, a full disk, a read-only folder, a
damaged file, an unreachable server are "known" and get a message saying what happened and what
to do; anything else is left alone, so it surfaces as a bug and is logged with its traceback.

`translate_errors` installs the sorting on an engine (SQLAlchemy's ``handle_error`` event), so
every statement, commit and connect made through it, by any service, raises the typed
`HvdeskError` without the service catching anything. `known_error` is the same sorting for code
that meets an exception some other way (a file copy, a backup).
"""

from __future__ import annotations

import errno
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
import sqlalchemy.exc
from sqlalchemy import event

from hvdesk.errors import (
    DatabaseDamaged,
    DatabaseLocked,
    DatabaseMissing,
    DiskFull,
    HvdeskError,
    InvalidText,
    NotADatabase,
    ReadOnlyData,
    ServerModeOnly,
    ServerSignInRefused,
    ServerTlsRefused,
    ServerUnreachable,
)

LOCAL_WORDS = "this PC"


@dataclass(frozen=True)
class ServerPlace:
    """Where a server database is, in words for a message (never the password)."""

    host: str
    database: str

    def __str__(self) -> str:
        host = "on this PC" if self.host == LOCAL_WORDS else self.host
        return f"the database server {host} (database {self.database})"


Place = Path | ServerPlace
"""The database file of a data folder, or a database on a server."""


def known_error(exc: BaseException, place: Place) -> HvdeskError | None:
    """The user-facing error this exception stands for, or None if it is a bug."""
    if isinstance(exc, HvdeskError):
        return exc
    if isinstance(exc, OSError):
        return _from_oserror(exc, place)
    if isinstance(exc, sqlalchemy.exc.DBAPIError):
        if isinstance(place, ServerPlace):
            return _from_server(exc.orig, place)
        return _from_sqlite_message(str(exc.orig).lower(), place)
    return None


def translate_errors(engine: sa.Engine, place: Place) -> None:
    """Make every database error the office can act on leave this engine as its HvdeskError."""

    @event.listens_for(engine, "handle_error")
    def _typed(context: sa.engine.ExceptionContext) -> BaseException | None:
        error = context.sqlalchemy_exception
        if error is None:
            return None
        return known_error(error, place)


def _from_oserror(exc: OSError, place: Place) -> HvdeskError | None:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return _disk_full(place)
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return _read_only(place)
    return None


def _from_sqlite_message(message: str, place: Place) -> HvdeskError | None:
    if "database or disk is full" in message or "disk is full" in message:
        return _disk_full(place)
    if ("disk i/o error" in message or "unable to open" in message) and _no_room(place):
        return _disk_full(place)  # SQLite says "I/O error" when the WAL cannot be made
    if "locked" in message or "busy" in message:
        return _locked(place)
    if "readonly" in message or "read-only" in message or "unable to open" in message:
        return _read_only(place)
    if "malformed" in message or "corrupt" in message:
        return _damaged(place)
    if "file is not a database" in message:
        return NotADatabase(
            f"{_name(place)} cannot be read: it is damaged, or it is not an hvdesk database.",
            "Restore the latest backup, or choose the right data folder. The file was not changed.",
        )
    if "disk i/o error" in message:
        return ReadOnlyData(
            f"The disk holding {_folder(place)} reported an error.",
            "Check the disk is connected and has space, then try again.",
        )
    return None


# PostgreSQL's SQLSTATE codes (appendix A of its manual), by what the office should do.
_SERVER_BUSY = {"40001", "40P01", "55P03", "57014"}  # serialisation, deadlock, lock/statement time
_SERVER_GONE_PREFIX = ("08", "57P")  # connection exceptions; the server shutting down
_SIGN_IN = {"28000", "28P01"}


def _from_server(orig: Any, place: ServerPlace) -> HvdeskError | None:
    code = getattr(orig, "sqlstate", None) or ""
    message = str(orig).lower()
    if code == "53100":
        return _disk_full(place)
    if code in ("22021", "22P05") or "nul (0x00)" in message:
        return InvalidText(
            "The text contains an invisible control character (NUL, often from a paste) that "
            f"{place} cannot store, so nothing was saved.",
            "Type the text again rather than pasting it, then save.",
        )
    if code in _SERVER_BUSY:
        return _locked(place)
    if code == "25006":
        return ReadOnlyData(
            f"{place} accepts only reading just now (it may be a standby, or in maintenance).",
            "Nothing was saved. Ask IT whether the server is being switched over, then try again.",
        )
    if code == "42501":
        return ReadOnlyData(
            f"hvdesk's account on {place} may not do this.",
            "Nothing was saved. Ask IT to check the account's rights (README: 'For IT').",
        )
    if code.startswith("XX"):
        return _damaged(place)
    if code == "3D000" or ("does not exist" in message and "database" in message):
        return DatabaseMissing(
            f"There is no database {place.database} on {place.host}.",
            "Check the database address in the settings, or ask IT to create it.",
        )
    if code in _SIGN_IN or "password" in message or "authentication" in message:
        return ServerSignInRefused(
            f"{place} refused hvdesk's sign-in (the password or certificate is not accepted).",
            "Nothing was changed. Check the database password (hvdesk asks for it again when "
            "it is wrong) or ask IT about the account.",
        )
    if "ssl" in message or "certificate" in message or "tls" in message:
        return ServerTlsRefused(
            f"A secure (TLS) connection to {place} could not be set up or checked.",
            "Nothing was changed. Ask IT for the server's CA certificate file and set it "
            "(ca_file in the settings file), or check the server's name is the one in its "
            "certificate.",
        )
    if code.startswith(_SERVER_GONE_PREFIX) or isinstance(
        orig, _operational_errors()
    ):  # connecting failed: refused, timed out, unknown host
        return ServerUnreachable(
            f"{place} is not answering (the network, or the server is stopped).",
            "Nothing was changed. Check this PC's network, then try again; if other PCs "
            "cannot reach it either, tell IT.",
        )
    return None


def _operational_errors() -> tuple[type[BaseException], ...]:
    try:
        import psycopg
    except ImportError:  # pragma: no cover - only without the server extra
        return ()
    return (psycopg.OperationalError,)


def _locked(place: Place) -> DatabaseLocked:
    if isinstance(place, ServerPlace):
        return DatabaseLocked(
            f"Another PC was changing the same records on {place}, and hvdesk waited for it.",
            "Nothing from this step was saved: try again in a moment.",
        )
    return DatabaseLocked(
        f"Another PC or program is writing to the database in {place.parent}, and hvdesk "
        "waited for it to finish.",
        "Nothing from this step was saved: try again in a moment. If it keeps happening, close "
        "any other copy of hvdesk or backup tool using that folder.",
    )


def _damaged(place: Place) -> DatabaseDamaged:
    return DatabaseDamaged(
        f"{_name(place)} is damaged: part of it cannot be read.",
        "Stop using it, keep it as it is, and restore the latest backup (or ask IT to, for a "
        "server). Nothing was changed by this step.",
    )


def _disk_full(place: Place) -> DiskFull:
    return DiskFull(
        f"The disk holding {_folder(place)} is full, so nothing more could be saved.",
        "Free some space (or ask IT to), then try again. Nothing already saved was lost.",
    )


def _read_only(place: Place) -> ReadOnlyData:
    return ReadOnlyData(
        f"hvdesk cannot write to {_folder(place)}.",
        "Check the folder exists and that your Windows account may write to it, or choose "
        "another data folder.",
    )


_ROOM_NEEDED = 64 * 1024  # less than this free and SQLite cannot start its write-ahead log


def _no_room(place: Place) -> bool:
    if isinstance(place, ServerPlace):
        return False
    try:
        return shutil.disk_usage(place.parent).free < _ROOM_NEEDED
    except OSError:
        return False


def _folder(place: Place) -> str:
    return str(place) if isinstance(place, ServerPlace) else str(place.parent)


def _name(place: Place) -> str:
    return f"The database on {place}" if isinstance(place, ServerPlace) else place.name


IT_SECTION = "README, 'For IT: a database server'"


def server_job(what: str) -> ServerModeOnly:
    """The answer of a command that, with a server, is done by the server's own tools."""
    return ServerModeOnly(
        f"{what} is done by the database server's own tools when hvdesk uses a server "
        "(pg_dump or pgBackRest for backups and restores, the server's disk encryption for "
        "keys); hvdesk keeps nothing on this PC to back up or re-key.",
        f"Ask IT; what to set up is in the {IT_SECTION}.",
    )
