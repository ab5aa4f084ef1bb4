"""The accounts behind recorded steps: the acting one, read again before anything is written, and
the display names shown beside what others recorded.

Every service that writes checks the acting account against the database (an account switched
off since it signed in can do nothing more); each raises its own error type so the office sees the
title of the screen they were on ("Visit request not saved", "Nothing was recorded"...).
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.orm import Session

from hvdesk.db.models import UserAccount
from hvdesk.errors import HvdeskError
from hvdesk.services.identity import SignedInUser
from hvdesk.services.refusals import NotPermitted, name_actor


def require_active_account(
    session: Session,
    by: SignedInUser,
    refused: type[HvdeskError] = NotPermitted,
    *,
    nothing_done: str = "nothing was saved",
) -> UserAccount:
    """The acting account as the database has it now (its role may have changed); `refused`
    if it is gone or switched off, so no step is ever written under a closed account."""
    account = session.get(UserAccount, by.user_id)
    if account is None or not account.active:
        raise refused(
            f"Your account is not an active hvdesk account; {nothing_done}.",
            "Sign in again, or ask an administrator to check your account.",
        )
    name_actor(session, account)  # this session's changes are audited under it
    return account


def current_identity(
    session: Session,
    by: SignedInUser,
    refused: type[HvdeskError] = NotPermitted,
    *,
    nothing_done: str = "nothing was saved",
) -> SignedInUser:
    """`by` as the database has it now: the role and staff link read again in this unit of
    work. A `SignedInUser` identifies; this decides. Every permission check in a service is
    made on what this returns, never on the caller's object (a DSL demoted while signed in,
    or an object built by a caller, gains nothing)."""
    account = require_active_account(session, by, refused, nothing_done=nothing_done)
    return SignedInUser(
        user_id=account.id,
        username=account.username,
        display_name=account.display_name,
        role=account.role,
        staff_id=account.staff_id,
    )


def display_names(session: Session, user_ids: Iterable[int | None]) -> dict[int | None, str]:
    """The display name of each account named (ids not given, or not found, are left out), in
    one query rather than one per row."""
    wanted = {i for i in user_ids if i is not None}
    if not wanted:
        return {}
    rows = session.execute(
        sa.select(UserAccount.id, UserAccount.display_name).where(UserAccount.id.in_(wanted))
    )
    return {user_id: name for user_id, name in rows}
