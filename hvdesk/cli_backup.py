"""`hvdesk backup`, `hvdesk restore`, `hvdesk rekey`: keeping the school's data safe from the
command line (IT's scheduled tasks, or recovery on a new PC).

Follows the command line's contract (hvdesk.cli). A restore needs the recovery key that was
current when the backup was made (HVDESK_RECOVERY_KEY, or asked for without echo).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from hvdesk.clock import Clock
from hvdesk.errors import HvdeskError, KeyNeeded

__all__ = ["register"]


def register(subparsers: Any, common_parent: argparse.ArgumentParser) -> None:
    """Add `backup`, `restore` and `rekey` to hvdesk's subcommands."""
    backup = subparsers.add_parser(
        "backup",
        parents=[common_parent],
        help="write an encrypted, checked backup of the database to FILE",
    )
    backup.add_argument("--out", type=Path, required=True, metavar="FILE", help="backup file")
    backup.set_defaults(command_fn=_backup, command_name="backup")

    restore = subparsers.add_parser(
        "restore",
        parents=[common_parent],
        help="restore a backup into --data-dir (checks it, then upgrades it if older)",
        description="Restore a backup made by hvdesk. The recovery key current when the backup "
        "was made is needed. A folder that is not empty is refused unless --force, which puts "
        "the database there aside (never deletes it). --test restores into a temporary folder, "
        "checks it and deletes it, and logs the test in the database of --data-dir.",
    )
    restore.add_argument("backup_file", type=Path, metavar="FILE", help="the backup to restore")
    restore.add_argument(
        "--force", action="store_true", help="restore even if the folder is not empty"
    )
    restore.add_argument(
        "--test", action="store_true", help="only test that the backup restores; change nothing"
    )
    restore.set_defaults(command_fn=_restore, command_name="restore")

    rekey = subparsers.add_parser(
        "rekey",
        parents=[common_parent],
        help="give the database a new key and recovery key (after a suspected leak)",
    )
    rekey.set_defaults(command_fn=_rekey, command_name="rekey")


def _backup(args: argparse.Namespace, clock: Clock) -> int:
    from hvdesk.cli_common import EXIT_OK, find_key
    from hvdesk.cli_common import data_dir as _data_dir
    from hvdesk.db.database import open_database
    from hvdesk.services.backups import Backups

    out: Path = args.out.expanduser()
    if out.exists():
        raise HvdeskError(f"{out} already exists.", "Choose a new file name for the backup.")
    if not out.parent.is_dir():
        raise HvdeskError(f"The folder {out.parent} does not exist.", "Create it first.")
    database = open_database(_data_dir(args), find_key(args, clock), clock)
    try:
        checked = Backups(database, clock).back_up(out)
    finally:
        database.close()
    print(f"Backup written and checked (schema {checked.revision}): {out}")
    print("It is encrypted with this database's key: keep the recovery key to restore it.")
    return EXIT_OK


def _restore(args: argparse.Namespace, clock: Clock) -> int:
    from hvdesk.cli_common import EXIT_OK, find_key, recovery_key_from_user
    from hvdesk.cli_common import data_dir as _data_dir
    from hvdesk.db.database import open_database
    from hvdesk.db.keys import KeyStore, parse_recovery_key
    from hvdesk.services.restore import restore_backup, try_restore

    data_dir = _data_dir(args)
    typed = recovery_key_from_user(
        KeyNeeded(
            "Restoring needs the recovery key that was current when the backup was made.",
            "Set HVDESK_RECOVERY_KEY, or run this at a terminal to be asked for it.",
        )
    )
    key = parse_recovery_key(typed)
    if args.test:
        database = open_database(data_dir, find_key(args, clock), clock)
        try:
            revision = try_restore(args.backup_file, key, clock, database)
        finally:
            database.close()
        print(f"The backup restores and checks out (schema {revision}); the test is logged.")
        return EXIT_OK
    result = restore_backup(args.backup_file, data_dir, key, clock, KeyStore(), force=args.force)
    print(
        f"Restored into {result.data_dir} (backup schema {result.backup_revision}, "
        f"now {result.revision})."
    )
    if result.replaced_to is not None:
        print(f"The database that was there is kept in {result.replaced_to}.")
    if not result.key_saved:
        print("No credential store here: enter the recovery key each time hvdesk opens it.")
    return EXIT_OK


def _rekey(args: argparse.Namespace, clock: Clock) -> int:
    from hvdesk.cli_common import EXIT_OK, find_key
    from hvdesk.cli_common import data_dir as _data_dir
    from hvdesk.db.database import open_database
    from hvdesk.db.keys import KeyStore
    from hvdesk.services.restore import rekey

    def announce(recovery_key: str) -> None:
        """Shown before the file changes, so a cut at any later instant leaves the office
        holding a key that opens it (the old one until the switch, this one after)."""
        print("New recovery key (shown once; print it, lock it in the school safe, and destroy")
        print("the old one once this command says the database has its new key):")
        print(f"  {recovery_key}", flush=True)

    database = open_database(_data_dir(args), find_key(args, clock), clock)
    result = rekey(database, clock, KeyStore(), announce)
    print()
    print("The database has its new key: the recovery key above now opens it.")
    print(f"A backup under the OLD key was made first: {result.backup}")
    print("Delete it once you are sure all is well: the old key opens it.")
    if not result.key_saved:
        print("No credential store here: enter the new recovery key each time hvdesk opens it.")
    return EXIT_OK
