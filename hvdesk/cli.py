"""The command line: `hvdesk` opens the app; `hvdesk COMMAND` works without a window.

The contract other checks rely on: every command takes --data-dir (default: the user's data
folder, or $HVDESK_DATA_DIR); exit 0 on success, 2 on a usage error, 1 on any other error with
one line on stderr saying what is wrong and what to do.
"""

from __future__ import annotations

import argparse
import getpass
import json
import logging
import os
import sys
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from hvdesk import __version__
from hvdesk.cli_audit import register as register_audit
from hvdesk.cli_backup import register as register_backup
from hvdesk.cli_db import add_server_option, for_server, server_of
from hvdesk.cli_db import register as register_db
from hvdesk.cli_pdf import register as register_pdf
from hvdesk.clock import Clock, SystemClock, school_time_to_utc
from hvdesk.errors import HvdeskError, KeyNeeded
from hvdesk.logging_setup import setup_logging
from hvdesk.paths import default_data_dir, default_log_dir

if TYPE_CHECKING:
    from hvdesk.db.database import Database

log = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2

Command = Callable[[argparse.Namespace, Clock], int]


def main(argv: Sequence[str] | None = None, clock: Clock | None = None) -> int:
    """Entry point of both `hvdesk` (GUI scripts) and `hvdesk-cli` (console)."""
    args = _parser().parse_args(argv)
    clock = clock or SystemClock()
    setup_logging(default_log_dir())
    command: Command | None = getattr(args, "command_fn", None)
    try:
        if command is None:
            return _run_gui(args)
        return for_server(args, command)(args, clock)
    except HvdeskError as exc:
        _fail(exc)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("hvdesk: interrupted; nothing further was changed.", file=sys.stderr)
        return EXIT_ERROR
    except Exception as exc:  # a bug: log it whole, tell the user where
        log.exception("Unexpected error in %s", getattr(args, "command_name", "hvdesk"))
        print(
            f"hvdesk: unexpected error ({type(exc).__name__}); this is a bug. Details are in "
            f"the log in {default_log_dir()}.",
            file=sys.stderr,
        )
        return EXIT_ERROR


def _fail(exc: HvdeskError) -> None:
    line = " ".join(f"{exc.what} {exc.todo}".split())
    print(f"hvdesk: {line}", file=sys.stderr)


def _data_dir_option(default: object) -> argparse.ArgumentParser:
    options = argparse.ArgumentParser(add_help=False)
    options.add_argument(
        "--data-dir",
        type=Path,
        default=default,
        metavar="DIR",
        help="folder holding the database (default: $HVDESK_DATA_DIR or the user data folder)",
    )
    add_server_option(options, default)
    return options


def _parser() -> argparse.ArgumentParser:
    # Subcommands must not reset a --data-dir given before them, hence SUPPRESS there.
    common = _data_dir_option(argparse.SUPPRESS)
    parser = argparse.ArgumentParser(
        prog="hvdesk",
        description="Plan, authorise and watch staff home visits. Without a command, opens "
        "the app.",
        parents=[_data_dir_option(None)],
    )
    parser.add_argument("--version", action="version", version=f"hvdesk {__version__}")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="open a throwaway demo school (in a temporary folder, or --data-dir)",
    )
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    seed = commands.add_parser(
        "seed-demo",
        parents=[common],
        help="create a demo school database without a window; prints its recovery key once",
    )
    seed.set_defaults(command_fn=_seed_demo, command_name="seed-demo")

    register_db(commands, common)

    board = commands.add_parser(
        "board",
        parents=[common],
        help="print the live board: who is out, their stage and what is due (no addresses)",
    )
    board.add_argument("--json", action="store_true", help="print JSON instead of a table")
    board.add_argument(
        "--at",
        type=_instant,
        metavar="ISO-8601",
        help="evaluate the board at another instant (no offset: UK time)",
    )
    board.set_defaults(command_fn=_board, command_name="board")
    register_pdf(commands, common)
    register_backup(commands, common)
    register_audit(commands, common)
    return parser


def _instant(text: str) -> datetime:
    """An ISO-8601 instant for --at: with an offset as given, without one in UK time."""
    try:
        parsed = datetime.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"not an ISO-8601 date and time: {text!r} (for example 2026-11-23T15:30)"
        ) from None
    return school_time_to_utc(parsed)


def _data_dir(args: argparse.Namespace) -> Path:
    given: Path | None = args.data_dir
    return (given or default_data_dir()).expanduser()


def _recovery_key_from_user(reason: KeyNeeded) -> str:
    """HVDESK_RECOVERY_KEY, or a prompt without echo when someone is at the keyboard."""
    from hvdesk.services.opening import RECOVERY_KEY_ENV

    from_env = os.environ.get(RECOVERY_KEY_ENV)
    if from_env:
        return from_env
    if not sys.stdin or not sys.stdin.isatty():
        raise reason
    print(f"hvdesk: {reason.what}", file=sys.stderr)
    return getpass.getpass("Recovery key: ")


def _find_key(args: argparse.Namespace, clock: Clock) -> bytes:
    from hvdesk.db.keys import KeyStore
    from hvdesk.services.opening import DatabaseOpener

    opener = DatabaseOpener(KeyStore(), clock)
    data_dir = _data_dir(args)
    try:
        key, _ = opener.find_key(data_dir)
    except KeyNeeded as exc:
        key, _ = opener.find_key(data_dir, _recovery_key_from_user(exc))
    return key


def open_current_database(args: argparse.Namespace, clock: Clock) -> Database:
    """The database of --data-dir for a command that reads it: never upgraded here, and
    refused (closed again) when it is behind this hvdesk's schema."""
    from hvdesk.cli_db import open_server_for_command
    from hvdesk.db.database import open_database
    from hvdesk.db.schema_version import schema_state

    server = server_of(args)
    if server is not None:
        return open_server_for_command(server, clock)
    database = open_database(_data_dir(args), _find_key(args, clock), clock, upgrade=False)
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


def _seed_demo(args: argparse.Namespace, clock: Clock) -> int:
    from hvdesk.db.keys import KeyStore
    from hvdesk.services.demo import create_demo_database
    from hvdesk.services.opening import RECOVERY_KEY_ENV, DatabaseOpener

    server = server_of(args)
    if server is not None:
        from hvdesk.cli_db import seed_demo_on_server

        return seed_demo_on_server(server, clock)
    data_dir = _data_dir(args)
    opened, summary = create_demo_database(data_dir, DatabaseOpener(KeyStore(), clock), clock)
    opened.database.close()
    print(f"Demo school created in {data_dir}")
    print(
        f"  {summary.staff} staff, {summary.pupils} pupils in {summary.households} households, "
        f"{summary.visits} visits, {summary.incidents} incidents"
    )
    print()
    print("Recovery key (shown once; print it and keep it in the school safe):")
    print(f"  {opened.recovery_key}")
    if not opened.key_saved:
        print()
        print(
            "This computer has no credential store: to open this database, enter the recovery "
            f"key when asked, or set {RECOVERY_KEY_ENV}."
        )
    return EXIT_OK


def _board(args: argparse.Namespace, clock: Clock) -> int:
    """The board as a command line sees it: nobody is signed in, so no family details."""
    from hvdesk.services.board import BoardService
    from hvdesk.services.board_json import board_json, board_table

    database = open_current_database(args, clock)
    try:
        snapshot = BoardService(database, clock).read(include_private=False, at=args.at)
    finally:
        database.close()
    if args.json:
        print(json.dumps(board_json(snapshot), ensure_ascii=False, indent=2))
    else:
        print(board_table(snapshot))
    return EXIT_OK


def _run_gui(args: argparse.Namespace) -> int:
    from hvdesk.app import run_gui

    return run_gui(data_dir=args.data_dir, demo=args.demo, argv=sys.argv[:1])


if __name__ == "__main__":
    sys.exit(main())
