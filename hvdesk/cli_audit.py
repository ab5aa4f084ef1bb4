"""`hvdesk audit verify`: check the audit trail from the command line.

Follows the command line's contract (hvdesk.cli_common): --data-dir everywhere; exit 0 when the
trail holds, 1 when it does not (naming what disagrees: the chain, the triggers, or an anchor
kept outside the database) or on any other error, with one line on stderr. Read-only: the
database is opened without upgrading it.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from hvdesk.clock import Clock

if TYPE_CHECKING:
    from hvdesk.db.database import Database

__all__ = ["register"]


def register(subparsers: Any, common_parent: argparse.ArgumentParser) -> None:
    """Add `audit verify` to hvdesk's subcommands (`common_parent` carries --data-dir)."""
    audit = subparsers.add_parser(
        "audit",
        parents=[common_parent],
        help="check the audit trail",
        description="Commands about the audit trail (who changed, viewed or printed what).",
    )
    commands = audit.add_subparsers(title="audit commands", metavar="AUDIT_COMMAND", required=True)
    verify = commands.add_parser(
        "verify",
        parents=[common_parent],
        help="check that no audit entry was changed, added or removed (exit 1 if one was)",
    )
    verify.set_defaults(command_fn=_verify, command_name="audit verify")


def _verify(args: argparse.Namespace, clock: Clock) -> int:
    """The chain, its triggers, and the trail against every anchor this computer holds (the
    credential store, the log, every backup); exit 1 naming each thing that disagrees."""
    from hvdesk.cli_common import EXIT_OK, find_key
    from hvdesk.cli_common import data_dir as _data_dir
    from hvdesk.cli_db import open_server_for_command, server_of
    from hvdesk.db.database import open_database
    from hvdesk.db.keys import KeyStore
    from hvdesk.paths import default_log_dir
    from hvdesk.services.audit import AuditTrail, ChainBroken
    from hvdesk.services.audit_anchors import default_backup_folders, gather
    from hvdesk.services.backups import Backups

    server = server_of(args)
    if server is not None:  # issue 16: the trail on the server; anchors are this PC's files'
        return _verify_on_server(open_server_for_command(server, clock), clock)
    database = open_database(_data_dir(args), find_key(args, clock), clock, upgrade=False)
    try:
        folders = default_backup_folders(database, Backups(database, clock).folder())
        anchors = gather(database, KeyStore(), default_log_dir(), folders)
        report = AuditTrail(database, clock).verify(anchors)
    finally:
        database.close()
    if not report.ok:
        problems = report.problems()
        first = problems[0]
        more = f" (and {len(problems) - 1} more: {'; '.join(problems[1:])})" if problems[1:] else ""
        raise ChainBroken(
            f"The audit trail was tampered with: {first}{more}.",
            "Keep this database as it is (do not edit or restore over it) and tell the DSL and "
            "the data protection officer; restore checks can use the latest backup.",
        )
    print(
        f"The audit trail holds: {report.entries} entries checked, the chain is unbroken, its "
        f"protections are in place, and it matches all {report.anchors_checked} anchors "
        "(credential store, log, backups)."
    )
    return EXIT_OK


def _verify_on_server(database: Database, clock: Clock) -> int:
    """`audit verify` on a server (issue 16): the chain and its triggers. This PC keeps no
    anchors of a server's trail (no key, no backups of it); the app's role cannot change the
    trail at all (`hvdesk db grant`)."""
    from hvdesk.cli_common import EXIT_OK
    from hvdesk.services.audit import AuditTrail, ChainBroken

    try:
        report = AuditTrail(database, clock).verify()
    finally:
        database.close()
    if not report.ok:
        raise ChainBroken(
            f"The audit trail was tampered with: {'; '.join(report.problems())}.",
            "Keep the server's database as it is and tell the DSL, the data protection officer "
            "and IT; the server's backups can show when it happened.",
        )
    print(
        f"The audit trail holds: {report.entries} entries checked, the chain is unbroken and "
        "its protections are in place (on the server)."
    )
    return EXIT_OK
