"""The refusal every service raises when the acting account may not do something, and the
read of that account as it is now.

Kept apart from hvdesk.services.accounts so that the audit trail (which refuses readers) and the
accounts (which write to the audit trail) need not import each other.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from hvdesk.db.audit_trail import ACTOR_KEY, Actor
from hvdesk.db.models import UserAccount
from hvdesk.errors import HvdeskError
from hvdesk.services.identity import SignedInUser

__all__ = ["NotPermitted", "acting_account", "name_actor"]


class NotPermitted(HvdeskError):
    """The signed-in user's role does not allow this."""

    title = "Not permitted"


def acting_account(session: Session, by: SignedInUser) -> UserAccount:
    """The acting account as the database has it now (its role may have changed);
    NotPermitted if it is gone or switched off. The session's changes are audited under it."""
    account = session.get(UserAccount, by.user_id)
    if account is None or not account.active:
        raise NotPermitted(
            "Your account is no longer active.", "Sign out, and ask an administrator."
        )
    name_actor(session, account)
    return account


def name_actor(session: Session, account: UserAccount) -> None:
    """Whatever route a write comes by (window, command line, a service calling another), the
    audit trail names the account the service checked, never "system"."""
    session.info[ACTOR_KEY] = Actor(account.id, account.username)
