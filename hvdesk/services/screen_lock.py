"""The screen lock (issue 13): after a full sign-in, an idle desk is locked rather than signed
out, and the same person reopens it with a short PIN of their own (or their password).

* A PIN is 4 to 8 digits, kept like a password (scrypt), never the PIN itself.
* Wrong PINs in a row (`PIN_TRIES`) close the screen lock for that person: only a full
  sign-in reopens the desk, and it resets the count. The password still works on the lock
  screen, counting towards the account's own slow-down and lock (`Accounts.confirm_password`).
* Every unlock and every refused one goes into the audit trail, as sign-ins "via screen lock".
* A different person never reopens someone else's lock: they sign in in full.
"""

from __future__ import annotations

import logging

from hvdesk.clock import Clock
from hvdesk.db.audit_trail import AuditAction, Draft, append
from hvdesk.db.database import Database
from hvdesk.db.models import UserAccount
from hvdesk.domain.passwords import hash_password, verify_password
from hvdesk.errors import HvdeskError
from hvdesk.services import audit
from hvdesk.services.accounts import Accounts, NotPermitted, acting_account
from hvdesk.services.identity import SignedInUser

__all__ = ["PIN_TRIES", "PinRefused", "ScreenLock", "pin_problem"]

log = logging.getLogger(__name__)

PIN_TRIES = 3
PIN_LENGTHS = range(4, 9)


class PinRefused(HvdeskError):
    """A wrong PIN, or the screen lock closed after too many."""

    title = "Not unlocked"


def pin_problem(pin: str) -> str | None:
    """Why `pin` cannot be a screen-lock PIN, or None."""
    if not pin.isascii() or not pin.isdigit() or len(pin) not in PIN_LENGTHS:
        return "A screen-lock PIN is 4 to 8 digits."
    if len(set(pin)) == 1 or pin in "0123456789" or pin in "9876543210":
        return "Choose a PIN that is not all one digit or a run such as 1234."
    return None


class ScreenLock:
    """Setting a PIN, and reopening a locked screen with it."""

    def __init__(self, database: Database, clock: Clock) -> None:
        self._database = database
        self._clock = clock

    def has_pin(self, user: SignedInUser) -> bool:
        with self._database.session() as session:
            account = session.get(UserAccount, user.user_id)
            return account is not None and account.screen_pin_hash is not None

    def set_pin(self, user: SignedInUser, pin: str) -> None:
        """The signed-in user chooses their PIN (replacing any earlier one)."""
        problem = pin_problem(pin)
        if problem is not None:
            raise PinRefused(problem, "Nothing was changed.")
        with audit.writing_as(self._database, user, self._clock) as session:
            account = acting_account(session, user)
            account.screen_pin_hash = hash_password(pin)
            account.screen_pin_failures = 0
            account.screen_pin_locked_at = None
        log.info("Account %d set a screen-lock PIN", user.user_id)

    def reset_after_sign_in(self, user: SignedInUser) -> None:
        """A full sign-in reopens a closed screen lock (the PIN works again)."""
        with audit.writing_as(self._database, user, self._clock) as session:
            account = session.get(UserAccount, user.user_id)
            if account is not None and (
                account.screen_pin_failures or account.screen_pin_locked_at is not None
            ):
                account.screen_pin_failures = 0
                account.screen_pin_locked_at = None

    def unlock(self, user: SignedInUser, secret: str) -> SignedInUser:
        """Reopen `user`'s locked screen with their PIN or their password."""
        if not (secret.isascii() and secret.isdigit() and len(secret) in PIN_LENGTHS):
            Accounts(self._database, self._clock).confirm_password(user, secret)
            self._audit(user, ok=True, via="screen lock (password)")
            return user
        with audit.writing_as(self._database, user, self._clock) as session:
            account = session.get(UserAccount, user.user_id)
            if account is None or not account.active:
                raise NotPermitted(
                    "This account is no longer active.", "Sign in in full as someone else."
                )
            refused = self._check(account, secret)
            append(
                session,
                [
                    Draft(
                        AuditAction.SIGN_IN_FAILED if refused else AuditAction.SIGN_IN,
                        "user_accounts",
                        account.id,
                        {"via": "screen lock (PIN)"},
                    )
                ],
            )
        if refused is not None:
            raise refused
        log.info("Account %d reopened the screen lock with a PIN", user.user_id)
        return user

    def _check(self, account: UserAccount, pin: str) -> PinRefused | None:
        if account.screen_pin_hash is None:
            return PinRefused(
                "No screen-lock PIN is set for this account.",
                "Use your password, or sign in in full.",
            )
        if account.screen_pin_locked_at is not None:
            return _closed()
        if verify_password(pin, account.screen_pin_hash):
            account.screen_pin_failures = 0
            return None
        account.screen_pin_failures = (account.screen_pin_failures or 0) + 1
        if account.screen_pin_failures >= PIN_TRIES:
            account.screen_pin_locked_at = self._clock.now()
            log.warning("Account %d: screen lock closed after %d wrong PINs", account.id, PIN_TRIES)
            return _closed()
        left = PIN_TRIES - account.screen_pin_failures
        return PinRefused(
            "That PIN is not right.",
            f"{left} more {'try' if left == 1 else 'tries'} before the PIN stops working.",
        )

    def _audit(self, user: SignedInUser, *, ok: bool, via: str) -> None:
        with audit.writing_as(self._database, user, self._clock) as session:
            action = AuditAction.SIGN_IN if ok else AuditAction.SIGN_IN_FAILED
            append(session, [Draft(action, "user_accounts", user.user_id, {"via": via})])


def _closed() -> PinRefused:
    return PinRefused(
        f"The PIN stopped working after {PIN_TRIES} wrong tries.",
        "Sign in in full with your username and password.",
    )
