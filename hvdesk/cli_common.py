"""What every command of the command line shares: exit codes, the data folder, the key.

Commands live in their own modules (`hvdesk/cli_<thing>.py`) and import from here, never from
`hvdesk.cli`, which only builds the parser and runs a command (so nothing imports back into it).
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from hvdesk.clock import Clock
from hvdesk.errors import DataFolderError, HvdeskError, KeyNeeded
from hvdesk.paths import default_data_dir

if TYPE_CHECKING:
    from hvdesk.db.database import Database

__all__ = [
    "EXIT_ERROR",
    "EXIT_OK",
    "EXIT_USAGE",
    "MAX_PATH_CHARS",
    "Command",
    "data_dir",
    "data_dir_option",
    "find_key",
    "open_current_database",
    "recovery_key_from_user",
]

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2

MAX_PATH_CHARS = 1024
"""Longer than any real folder path on the school's PCs (Windows' own limit is 260 unless long
paths are switched on; Linux's PATH_MAX is 4096 bytes): a longer one is a typo or a test."""

Command = Callable[[argparse.Namespace, Clock], int]


def data_dir_option(default: object) -> argparse.ArgumentParser:
    """The parent parser carrying --data-dir (SUPPRESS under subcommands, so one given before
    the command is not reset)."""
    options = argparse.ArgumentParser(add_help=False)
    options.add_argument(
        "--data-dir",
        type=Path,
        default=default,
        metavar="DIR",
        help="folder holding the database (default: $HVDESK_DATA_DIR or the user data folder)",
    )
    from hvdesk.cli_db import add_server_option  # issue 16: --database-url on every command

    add_server_option(options, default)
    return options


def data_dir(args: argparse.Namespace) -> Path:
    """The data folder the command works on, refused plainly when it cannot be a folder."""
    given: Path | None = getattr(args, "data_dir", None)
    folder = (given or default_data_dir()).expanduser()
    text = str(folder)
    if len(text) > MAX_PATH_CHARS or any(len(part) > 255 for part in folder.parts):
        raise DataFolderError(
            f"The data folder path is too long ({len(text)} characters).",
            "Check --data-dir (or HVDESK_DATA_DIR): give the folder that holds hvdesk.db.",
        )
    if "\x00" in text:
        raise DataFolderError(
            "The data folder path contains a null character.", "Check --data-dir."
        )
    return folder


def recovery_key_from_user(reason: KeyNeeded) -> str:
    """HVDESK_RECOVERY_KEY, or a prompt without echo when someone is at the keyboard."""
    from hvdesk.services.opening import RECOVERY_KEY_ENV

    from_env = os.environ.get(RECOVERY_KEY_ENV)
    if from_env:
        return from_env
    if not sys.stdin or not sys.stdin.isatty():
        raise reason
    print(f"hvdesk: {reason.what}", file=sys.stderr)
    return getpass.getpass("Recovery key: ")


def find_key(args: argparse.Namespace, clock: Clock) -> bytes:
    """The key of the database in --data-dir: the credential store's, else the recovery key."""
    from hvdesk.db.keys import KeyStore
    from hvdesk.services.opening import DatabaseOpener

    opener = DatabaseOpener(KeyStore(), clock)
    folder = data_dir(args)
    try:
        key, _ = opener.find_key(folder)
    except KeyNeeded as exc:
        key, _ = opener.find_key(folder, recovery_key_from_user(exc))
    return key


def open_current_database(args: argparse.Namespace, clock: Clock) -> Database:
    """The database of --data-dir for a command that reads it: never upgraded here, and
    refused (closed again) when it is behind this hvdesk's schema."""
    from hvdesk.cli_db import open_server_for_command, server_of
    from hvdesk.db.database import open_database
    from hvdesk.db.schema_version import schema_state

    server = server_of(args)
    if server is not None:  # issue 16: the school's database on a server
        return open_server_for_command(server, clock)
    database = open_database(data_dir(args), find_key(args, clock), clock, upgrade=False)
    try:
        with database.engine.connect() as connection:
            state = schema_state(connection)
        if state.needs_upgrade:
            raise HvdeskError(
                f"The database is at schema {state.current}; this hvdesk needs {state.head}.",
                "Upgrade it first with: hvdesk db upgrade",
            )
    except BaseException:
        database.close()
        raise
    return database
