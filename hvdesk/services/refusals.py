"""The refusal every service raises when the acting account may not do something, and the
read of that account as it is now.

Kept apart from hvdesk.services.accounts so that the audit trail (which refuses readers) and the
accounts (which write to the audit trail) need not import each other.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from hvdesk.db.models import UserAccount
from hvdesk.errors import HvdeskError
from hvdesk.services.identity import SignedInUser

__all__ = ["NotPermitted", "acting_account"]


class NotPermitted(HvdeskError):
    """The signed-in user's role does not allow this."""

    title = "Not permitted"


def acting_account(session: Session, by: SignedInUser) -> UserAccount:
    """The acting account as the database has it now (its role may have changed);
    NotPermitted if it is gone or switched off."""
    account = session.get(UserAccount, by.user_id)
    if account is None or not account.active:
        raise NotPermitted(
            "Your account is no longer active.", "Sign out, and ask an administrator."
        )
    return account
