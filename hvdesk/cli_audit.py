"""`hvdesk audit verify`: check the audit trail's hash chain from the command line.

Follows the command line's contract (hvdesk.cli): --data-dir everywhere; exit 0 when the chain
holds, 1 when it is broken (naming the first entry that does not fit) or on any other error,
with one line on stderr. Read-only: the database is opened without upgrading it.
"""

from __future__ import annotations

import argparse
from typing import Any

from hvdesk.clock import Clock

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
    from hvdesk.cli import EXIT_OK, _data_dir, _find_key
    from hvdesk.cli_db import open_server_for_command, server_of
    from hvdesk.db.database import open_database
    from hvdesk.services.audit import AuditTrail, ChainBroken

    server = server_of(args)
    database = (
        open_server_for_command(server, clock)
        if server is not None
        else open_database(_data_dir(args), _find_key(args, clock), clock, upgrade=False)
    )
    try:
        report = AuditTrail(database, clock).verify()
    finally:
        database.close()
    if report.first_break is not None:
        raise ChainBroken(
            f"The audit trail is broken at entry {report.first_break.entry_id}: "
            f"{report.first_break.reason}.",
            "Keep this database as it is (do not edit or restore over it) and tell the DSL and "
            "the data protection officer; restore checks can use the latest backup.",
        )
    print(f"The audit trail holds: {report.entries} entries checked, the chain is unbroken.")
    return EXIT_OK
