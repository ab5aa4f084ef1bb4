"""Signing in on the command line, for every command that prints or exports personal data.

`add_user_option` gives a command `--user NAME`; `sign_in` then asks for the password without
echo at a terminal, or reads it from $HVDESK_PASSWORD for scripts, and signs in through the same
service as the window (`Accounts.sign_in`): the same slow-down and lock after wrong passwords,
kept in the database, and the same audit entries. What the command then does is recorded under
the identity returned, and permissions are decided from that account as it is at that moment.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from typing import TYPE_CHECKING

from hvdesk.clock import Clock
from hvdesk.errors import HvdeskError

if TYPE_CHECKING:
    from hvdesk.db.database import Database
    from hvdesk.services.identity import SignedInUser

__all__ = ["PASSWORD_ENV", "SignInNeeded", "add_user_option", "sign_in"]

PASSWORD_ENV = "HVDESK_PASSWORD"  # noqa: S105  (the name of a variable, not a password)


class SignInNeeded(HvdeskError):
    """The command shows personal data, and nobody has said who they are."""

    title = "Sign in first"


def add_user_option(parser: argparse.ArgumentParser) -> None:
    """Add `--user NAME` (the account to sign in as) to a command's parser."""
    parser.add_argument(
        "--user",
        metavar="NAME",
        help="your hvdesk username; the password is asked for without echo, or read from "
        f"${PASSWORD_ENV}",
    )


def sign_in(args: argparse.Namespace, database: Database, clock: Clock) -> SignedInUser:
    """The account named by --user, signed in with its password (AccountLocked, SignInRefused
    or SignInNeeded otherwise). Nobody else's writes are put down to it: the command passes the
    returned user to each service it calls."""
    from hvdesk.services.accounts import Accounts

    username: str | None = getattr(args, "user", None)
    command = getattr(args, "command_name", "this command")
    if not username or not username.strip():
        raise SignInNeeded(
            f"'hvdesk {command}' shows personal data, so it needs you to sign in.",
            "Add --user YOUR-USERNAME (the password is then asked for, or read from "
            f"{PASSWORD_ENV}).",
        )
    password = _password(username.strip())
    return Accounts(database, clock).sign_in(username, password)


def _password(username: str) -> str:
    from_env = os.environ.get(PASSWORD_ENV)
    if from_env is not None:
        return from_env
    if not sys.stdin or not sys.stdin.isatty():
        raise SignInNeeded(
            f"No password for {username}: there is no terminal to ask at.",
            f"Run it at a terminal, or set {PASSWORD_ENV} for a script.",
        )
    try:
        return getpass.getpass(f"Password for {username}: ")
    except EOFError:
        raise SignInNeeded("No password was typed.", "Run the command again.") from None
