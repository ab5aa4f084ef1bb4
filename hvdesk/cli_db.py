"""`hvdesk db current|upgrade|password|copy`, and server mode for every command.

Every command takes `--database-url` (else `HVDESK_DATABASE_URL`, else the settings file): with
one, the school's database is on a PostgreSQL server, nothing is read from or written to a
data folder, and the commands whose job the server's own tools do (backup, restore, rekey) say
so and point to the README's section for IT. Follows the command line's contract (hvdesk.cli):
exit 0 on success, 2 on a usage error, 1 with one line on stderr otherwise.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from hvdesk.clock import Clock
from hvdesk.errors import HvdeskError, ServerSignInRefused

if TYPE_CHECKING:
    from hvdesk.db.database import Database
    from hvdesk.db.schema_version import SchemaState
    from hvdesk.db.server import ServerSettings

__all__ = ["add_server_option", "for_server", "open_server_for_command", "register", "server_of"]

Command = Callable[[argparse.Namespace, Clock], int]
# Done by the server's tools in server mode (pg_dump / pgBackRest, the server's disk encryption).
SERVER_JOBS = {"backup": "Backing up", "restore": "Restoring", "rekey": "Changing the key"}
BACKUP_CONFIRMATION = "--i-have-a-backup"


class BackupNotConfirmed(HvdeskError):
    """A server upgrade asked for without saying the server's backup was taken."""

    title = "Take a backup first"


def add_server_option(options: argparse.ArgumentParser, default: object) -> None:
    """`--database-url` beside `--data-dir` on every command."""
    options.add_argument(
        "--database-url",
        default=default,
        metavar="URL",
        help="use the school's database on a PostgreSQL server "
        "(postgresql+psycopg://USER@HOST/DATABASE, no password; default: "
        "$HVDESK_DATABASE_URL or the settings file)",
    )


def server_of(args: argparse.Namespace) -> ServerSettings | None:
    """The server this command works on, or None for the data folder on this PC."""
    from hvdesk.db.server import server_settings

    return server_settings(getattr(args, "database_url", None))


def for_server(args: argparse.Namespace, command: Command) -> Command:
    """The command to run: in server mode, a file-only command becomes a clear refusal."""
    name = str(getattr(args, "command_name", ""))
    if name not in SERVER_JOBS or server_of(args) is None:
        return command

    def refuse(_args: argparse.Namespace, _clock: Clock) -> int:
        from hvdesk.db.database import server_job

        raise server_job(SERVER_JOBS[name])

    return refuse


def open_server_for_command(
    settings: ServerSettings, clock: Clock, *, upgrade: bool = False, copy_target: bool = False
) -> Database:
    """Open the server's database; a refused sign-in at a keyboard asks for the password once
    and keeps it in the credential store when it works."""
    from hvdesk.db.server import store_password
    from hvdesk.db.server_database import open_server_database

    try:
        return open_server_database(settings, clock, upgrade=upgrade, copy_target=copy_target)
    except ServerSignInRefused:
        if not sys.stdin or not sys.stdin.isatty():
            raise
    password = getpass.getpass(f"Password for {settings.credential_name}: ")
    database = open_server_database(
        settings, clock, password=password, upgrade=upgrade, copy_target=copy_target
    )
    store_password(settings, password)
    return database


def register(subparsers: Any, common_parent: argparse.ArgumentParser) -> None:
    """Add `db current|upgrade|password|copy` to hvdesk's subcommands."""
    db = subparsers.add_parser("db", help="the database's schema version, upgrades and server")
    commands = db.add_subparsers(title="db commands", metavar="DB_COMMAND", required=True)
    upgrade = commands.add_parser(
        "upgrade",
        parents=[common_parent],
        help="copy the database aside (a server: after IT's backup), then upgrade it",
    )
    upgrade.add_argument(
        BACKUP_CONFIRMATION,
        dest="backup_confirmed",
        action="store_true",
        help="server mode: confirm the server's own backup was taken just now",
    )
    upgrade.set_defaults(command_fn=_upgrade, command_name="db upgrade")
    current = commands.add_parser(
        "current", parents=[common_parent], help="print the schema version, changing nothing"
    )
    current.set_defaults(command_fn=_current, command_name="db current")
    password = commands.add_parser(
        "password",
        parents=[common_parent],
        help="server mode: store the database password in this PC's credential store",
    )
    password.set_defaults(command_fn=_password, command_name="db password")
    grant = commands.add_parser(
        "grant",
        parents=[common_parent],
        help="server mode, run as the owner: give the app's login role only the rights it "
        "needs (no DDL, no changing or deleting the audit trail)",
    )
    grant.add_argument("app_role", metavar="ROLE", help="the login role the PCs use")
    grant.set_defaults(command_fn=_grant, command_name="db grant")
    copy = commands.add_parser(
        "copy",
        parents=[common_parent],
        help="copy the school from --data-dir to an empty server database (--to URL), or from "
        "a server into a new database in an empty --data-dir (--from URL); checked both sides",
    )
    direction = copy.add_mutually_exclusive_group(required=True)
    direction.add_argument("--to", metavar="URL", help="the empty server database to fill")
    direction.add_argument("--from", dest="source", metavar="URL", help="the server to copy")
    copy.set_defaults(command_fn=_copy, command_name="db copy")


def _current(args: argparse.Namespace, clock: Clock) -> int:
    from hvdesk.cli_common import EXIT_OK, find_key
    from hvdesk.cli_common import data_dir as _data_dir
    from hvdesk.db.database import current_state

    settings = server_of(args)
    if settings is not None:
        state = _server_state_asking(settings)
    else:
        state = current_state(_data_dir(args), find_key(args, clock))
    if state.is_empty:
        print("empty (no hvdesk tables yet: hvdesk db upgrade --i-have-a-backup)")
    elif state.needs_upgrade:
        how = "hvdesk db upgrade" + (f" {BACKUP_CONFIRMATION}" if settings else "")
        print(f"{state.current} (this hvdesk can upgrade it to {state.head}: {how})")
    else:
        print(f"{state.current} (head)")
    return EXIT_OK


def _server_state_asking(settings: ServerSettings) -> SchemaState:
    """The server's schema state, asking for the password once at a keyboard."""
    from hvdesk.db.server import store_password
    from hvdesk.db.server_database import server_state

    try:
        return server_state(settings)
    except ServerSignInRefused:
        if not sys.stdin or not sys.stdin.isatty():
            raise
    password = getpass.getpass(f"Password for {settings.credential_name}: ")
    state = server_state(settings, password)
    store_password(settings, password)
    return state


def _upgrade(args: argparse.Namespace, clock: Clock) -> int:
    from hvdesk.cli_common import EXIT_OK, find_key
    from hvdesk.cli_common import data_dir as _data_dir
    from hvdesk.db.database import open_database
    from hvdesk.db.schema_version import HEAD

    settings = server_of(args)
    if settings is not None:
        if not args.backup_confirmed:
            raise BackupNotConfirmed(
                f"On a server, the copy before an upgrade is the server's own backup: hvdesk "
                f"does not make one. Nothing was changed on {settings.place}.",
                "Take a backup (pg_dump or pgBackRest; README, 'For IT: a database server'), "
                f"then run: hvdesk db upgrade {BACKUP_CONFIRMATION}",
            )
        database = open_server_for_command(settings, clock, upgrade=True)
    else:
        database = open_database(_data_dir(args), find_key(args, clock), clock)
    database.close()
    if database.upgraded_from is None:
        print(f"The database is already at {HEAD}; nothing to do.")
    else:
        print(f"Upgraded the database from {database.upgraded_from} to {HEAD}.")
        if database.pre_upgrade_copy is not None:
            print(f"The database as it was is kept in {database.pre_upgrade_copy}.")
    return EXIT_OK


def _password(args: argparse.Namespace, clock: Clock) -> int:
    from hvdesk.cli_common import EXIT_OK
    from hvdesk.db.server import store_password
    from hvdesk.db.server_database import server_state

    settings = server_of(args)
    if settings is None:
        raise HvdeskError(
            "There is no database server set, so there is no server password to store.",
            "Give the server with --database-url (or HVDESK_DATABASE_URL, or the settings file).",
        )
    if sys.stdin and sys.stdin.isatty():
        password = getpass.getpass(f"Password for {settings.credential_name}: ")
    else:
        password = sys.stdin.readline().rstrip("\n") if sys.stdin else ""
    server_state(settings, password)  # proves it before keeping it
    if not store_password(settings, password):
        raise HvdeskError(
            "This PC has no credential store, so the password cannot be kept.",
            "Ask IT for a PGPASSFILE or a client certificate instead (README, 'For IT').",
        )
    print(f"The password for {settings.credential_name} is kept in this PC's credential store.")
    return EXIT_OK


def seed_demo_on_server(settings: ServerSettings, clock: Clock) -> int:
    """`seed-demo` in server mode: set up an empty server database and fill it with the demo
    school. A database that already holds anything is refused, untouched."""
    from hvdesk.cli_common import EXIT_OK
    from hvdesk.demo.school import seed_demo
    from hvdesk.errors import DatabaseExists

    state = _server_state_asking(settings)
    if not state.is_empty:
        raise DatabaseExists(
            f"{settings.place} already holds an hvdesk database; seed-demo only fills an "
            "empty one.",
            "Ask IT for an empty database for the demo. Nothing was changed.",
        )
    database = open_server_for_command(settings, clock, upgrade=True)
    try:
        with database.session() as session:
            summary = seed_demo(session, clock)
    finally:
        database.close()
    print(f"Demo school created on {settings.place}")
    print(
        f"  {summary.staff} staff, {summary.pupils} pupils in {summary.households} households, "
        f"{summary.visits} visits, {summary.incidents} incidents"
    )
    return EXIT_OK


def _copy(args: argparse.Namespace, clock: Clock) -> int:
    from hvdesk.cli_common import EXIT_OK, find_key
    from hvdesk.cli_common import data_dir as _data_dir
    from hvdesk.db.copy import copy_school
    from hvdesk.db.database import open_database
    from hvdesk.db.server import parse_settings

    data_dir = _data_dir(args)
    if args.to is not None:
        settings = parse_settings(args.to)
        source = open_database(data_dir, find_key(args, clock), clock, upgrade=False)
        try:
            target = _empty_server_at_head(settings, clock)
            try:
                report = copy_school(source.engine, target.engine, target_words=str(settings.place))
            finally:
                target.close()
        finally:
            source.close()
        print(f"Copied the school from {data_dir} to {settings.place}: {report.rows} rows.")
    else:
        report, recovery_key = _copy_from_server(parse_settings(args.source), data_dir, clock)
        print(f"Copied the school to a new database in {data_dir}: {report.rows} rows.")
        print("Recovery key of the new database (shown once; keep it in the school safe):")
        print(f"  {recovery_key}")
    print(
        f"Checked: the audit trail verifies on both sides ({report.audit_entries} entries, "
        "the same last hash) and every table has the same number of rows."
    )
    return EXIT_OK


def _empty_server_at_head(settings: ServerSettings, clock: Clock) -> Database:
    from hvdesk.errors import DatabaseExists

    state = _server_state_asking(settings)
    if not state.is_empty and state.needs_upgrade:
        raise DatabaseExists(
            f"{settings.place} already holds an hvdesk database; a copy only goes into an "
            "empty one. Nothing was changed.",
            "Ask IT for an empty database.",
        )
    return open_server_for_command(settings, clock, upgrade=state.is_empty, copy_target=True)


def _copy_from_server(
    settings: ServerSettings, data_dir: Any, clock: Clock
) -> tuple[Any, str | None]:
    from hvdesk.db.copy import copy_school
    from hvdesk.db.keys import KeyStore
    from hvdesk.services.opening import DatabaseOpener

    source = open_server_for_command(settings, clock)
    try:
        opened = DatabaseOpener(KeyStore(), clock).create(data_dir, copy_target=True)
        try:
            report = copy_school(source.engine, opened.database.engine, target_words=str(data_dir))
        except BaseException:
            opened.database.close()
            from hvdesk.db.database import database_path

            for suffix in ("", "-wal", "-shm"):
                path = database_path(data_dir)
                path.with_name(path.name + suffix).unlink(missing_ok=True)
            raise
        opened.database.close()
    finally:
        source.close()
    return report, opened.recovery_key


def _grant(args: argparse.Namespace, clock: Clock) -> int:
    from hvdesk.cli_common import EXIT_OK
    from hvdesk.db.rights import grant_app_role

    settings = server_of(args)
    if settings is None:
        raise HvdeskError(
            "Rights are for a database server; the encrypted file on this PC has none.",
            "Give the server with --database-url (the owner's account).",
        )
    database = open_server_for_command(settings, clock)
    try:
        grant_app_role(database.engine, args.app_role)
    finally:
        database.close()
    print(
        f"{args.app_role} may now read and write the school's records and add to the audit "
        "trail, but not change or delete it, nor change the tables."
    )
    return EXIT_OK
