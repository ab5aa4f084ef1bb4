"""The command line: `hvdesk` opens the app; `hvdesk COMMAND` works without a window.

The contract other checks rely on: every command takes --data-dir (default: the user's data
folder, or $HVDESK_DATA_DIR); exit 0 on success, 2 on a usage error, 1 on any other error with
one line on stderr saying what is wrong and what to do.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from hvdesk import __version__
from hvdesk.cli_audit import register as register_audit
from hvdesk.cli_backup import register as register_backup
from hvdesk.cli_common import (
    EXIT_ERROR,
    EXIT_OK,
    EXIT_USAGE,
    Command,
    data_dir_option,
    open_current_database,
)
from hvdesk.cli_common import data_dir as _data_dir
from hvdesk.cli_db import for_server, server_of
from hvdesk.cli_db import register as register_db
from hvdesk.cli_import import register as register_import
from hvdesk.cli_pdf import register as register_pdf
from hvdesk.cli_settings import register as register_settings
from hvdesk.clock import Clock, SystemClock, school_time_to_utc
from hvdesk.errors import HvdeskError
from hvdesk.logging_setup import setup_logging
from hvdesk.paths import default_log_dir

__all__ = ["EXIT_ERROR", "EXIT_OK", "EXIT_USAGE", "main", "open_current_database"]

log = logging.getLogger(__name__)


def main(argv: Sequence[str] | None = None, clock: Clock | None = None) -> int:
    """Entry point of both `hvdesk` (GUI scripts) and `hvdesk-cli` (console)."""
    args = _parser().parse_args(argv)
    clock = clock or SystemClock()
    setup_logging(default_log_dir())
    command: Command | None = getattr(args, "command_fn", None)
    try:
        if command is None:
            return _run_gui(args)
        result = for_server(args, command)(args, clock)
        sys.stdout.flush()  # a closed pipe shows here, not at exit
        return result
    except BrokenPipeError:
        return _reader_went_away()
    except HvdeskError as exc:
        _fail(exc)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("hvdesk: interrupted; nothing further was changed.", file=sys.stderr)
        return EXIT_ERROR
    except Exception as exc:
        known = _known(exc, args)
        if known is not None:
            _fail(known)
            return EXIT_ERROR
        log.exception("Unexpected error in %s", getattr(args, "command_name", "hvdesk"))
        print(
            f"hvdesk: unexpected error ({type(exc).__name__}); this is a bug. Details are in "
            f"the log in {default_log_dir()}.",
            file=sys.stderr,
        )
        return EXIT_ERROR


def _known(exc: Exception, args: argparse.Namespace) -> HvdeskError | None:
    """A database or disk error the office can act on (locked, full, read-only, damaged)."""
    from hvdesk.db.database import database_path
    from hvdesk.db.errors import known_error

    try:
        path = database_path(_data_dir(args))
    except HvdeskError:
        path = Path("hvdesk.db")
    return known_error(exc, path)


def _reader_went_away() -> int:
    """`hvdesk board --json | head -1`: the reader closed the pipe. Not an error of ours: stop
    quietly (Python would otherwise complain again when it flushes stdout at exit)."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
    return EXIT_OK


def _fail(exc: HvdeskError) -> None:
    line = " ".join(f"{exc.what} {exc.todo}".split())
    print(f"hvdesk: {line}", file=sys.stderr)


def _parser() -> argparse.ArgumentParser:
    # Subcommands must not reset a --data-dir given before them, hence SUPPRESS there.
    common = data_dir_option(argparse.SUPPRESS)
    parser = argparse.ArgumentParser(
        prog="hvdesk",
        description="Plan, authorise and watch staff home visits. Without a command, opens "
        "the app.",
        parents=[data_dir_option(None)],
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
    register_import(commands, common)
    register_settings(commands, common)
    return parser


EARLIEST_AT = datetime(2000, 1, 1)  # noqa: DTZ001  (school time, made UTC below)
LATEST_AT = datetime(2100, 1, 1)  # noqa: DTZ001


def _instant(text: str) -> datetime:
    """An ISO-8601 instant for --at: with an offset as given, without one in UK time; within
    this century (the board's deadlines are computed from it and must stay real dates)."""
    try:
        parsed = datetime.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"not an ISO-8601 date and time: {text!r} (for example 2026-11-23T15:30)"
        ) from None
    return parsed


def _board_instant(at: datetime | None) -> datetime | None:
    """--at as UTC, refused plainly outside this century (the board computes deadlines from
    it, and they must stay real dates)."""
    if at is None:
        return None
    if not EARLIEST_AT <= at.replace(tzinfo=None) < LATEST_AT:
        raise HvdeskError(
            f"--at {at.isoformat(timespec='minutes')} is outside the years 2000 to 2099.",
            "Give a date and time in this century, for example 2026-11-23T15:30.",
        )
    return school_time_to_utc(at)


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

    at = _board_instant(args.at)
    database = open_current_database(args, clock)
    try:
        snapshot = BoardService(database, clock).read(include_private=False, at=at)
    finally:
        database.close()
    if args.json:
        print(json.dumps(board_json(snapshot), ensure_ascii=False, indent=2))
    else:
        print(board_table(snapshot))
    return EXIT_OK


def _run_gui(args: argparse.Namespace) -> int:
    from hvdesk.qt_platform import platform_problem

    problem = platform_problem()  # one plain line instead of Qt's abort (issue 15)
    if problem is not None:
        print(problem, file=sys.stderr)
        return EXIT_ERROR
    from hvdesk.app import run_gui

    return run_gui(data_dir=args.data_dir, demo=args.demo, argv=sys.argv[:1])


if __name__ == "__main__":
    sys.exit(main())
