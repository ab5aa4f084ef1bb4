"""Accounts: the first administrator, new accounts, passwords, and signing in.

Permissions are enforced here, not by hiding buttons: only an administrator creates accounts or
resets another person's password, and the acting account is read again from the database, so an
account switched off since it signed in can do nothing more.

Signing in gives nothing away: an unknown username, a switched-off account and a wrong password
get the same message and cost the same (an unknown name is checked against a dummy hash). Wrong
passwords in a row slow down and then lock the account (`SLOW_DOWN_AFTER`, `LOCK_AFTER`); the
count and the lock live in the database, so restarting hvdesk does not reset them. The log names
accounts by id only, never by username, and never holds a password.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime, timedelta
from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import Session

from hvdesk.clock import Clock, format_school_time
from hvdesk.db.audit_trail import AuditAction
from hvdesk.db.database import Database
from hvdesk.db.models import AuditEntry, Staff, UserAccount
from hvdesk.domain.passwords import (
    dummy_hash,
    hash_password,
    needs_rehash,
    password_problem,
    verify_password,
)
from hvdesk.domain.people import Role
from hvdesk.domain.permissions import may_manage_accounts
from hvdesk.errors import HvdeskError
from hvdesk.services import audit
from hvdesk.services.identity import SignedInUser
from hvdesk.services.refusals import NotPermitted, acting_account

__all__ = [
    "LOCK_AFTER",
    "AccountLocked",
    "AccountRejected",
    "Accounts",
    "HandoverUser",
    "NotPermitted",
    "PasswordRejected",
    "SignInRefused",
    "acting_account",
    "normalise_username",
]

log = logging.getLogger(__name__)

SLOW_DOWN_AFTER = 3  # wrong passwords in a row before each further attempt must wait
LOCK_AFTER = 8  # wrong passwords in a row that lock the account
MAX_DELAY = timedelta(seconds=60)
LOCK_FOR = timedelta(minutes=15)
# Across accounts on this computer (issue 12): one guess at each of many accounts is also a
# guessing run. After this many refused sign-ins within the window, whoever signs in next
# waits, doubling up to MAX_DELAY, whichever account they name.
PC_SLOW_DOWN_AFTER = 10
PC_WINDOW = timedelta(minutes=15)
USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{1,79}")
MAX_DISPLAY_NAME = 160

NOT_RIGHT = "The username or password is not right."
NOT_RIGHT_TODO = "Check them and try again (passwords are case-sensitive)."


class SignInRefused(HvdeskError):
    """The username or password is not right (deliberately not saying which)."""

    title = "Sign-in refused"


class AccountLocked(HvdeskError):
    """Too many wrong passwords in a row: no attempt is checked until `until`."""

    title = "Account locked"

    def __init__(self, what: str, todo: str, until: datetime) -> None:
        super().__init__(what, todo)
        self.until = until


class PasswordRejected(HvdeskError):
    """A new password breaks a rule (too short, the same as the username...)."""

    title = "Password not accepted"


class AccountRejected(HvdeskError):
    """An account's details cannot be used (username taken or malformed, no name...)."""

    title = "Account not saved"


class HandoverUser(NamedTuple):
    """Someone the board can be handed over to."""

    user_id: int
    display_name: str
    role: Role


def normalise_username(typed: str) -> str:
    """Usernames are kept and compared in lower case, without surrounding spaces."""
    return typed.strip().lower()


class Accounts:
    """Use cases over user accounts; each call is one unit of work on the database."""

    def __init__(self, database: Database, clock: Clock) -> None:
        self._database = database
        self._clock = clock

    # -- first run -----------------------------------------------------------------------------

    def needs_first_administrator(self) -> bool:
        """True while no active administrator who can sign in exists (a new database)."""
        with self._database.session() as session:
            return not _has_administrator(session)

    def create_first_administrator(
        self, username: str, display_name: str, password: str
    ) -> SignedInUser:
        """Create the administrator of a new database and sign them in. Only once: when an
        administrator exists, accounts are created by them."""
        with self._database.session() as session:
            if _has_administrator(session):
                raise NotPermitted(
                    "This database already has an administrator.",
                    "Ask them to create your account.",
                )
            account = self._new_account(
                session, username, display_name, Role.ADMINISTRATOR, password, None
            )
            account.last_sign_in_at = self._clock.now()
            session.flush()
            user = _signed_in(account)
        log.info("First administrator created: account %d", user.user_id)
        return user

    # -- administration ------------------------------------------------------------------------

    def create_account(
        self,
        by: SignedInUser,
        username: str,
        display_name: str,
        role: Role,
        password: str,
        staff_id: int | None = None,
    ) -> int:
        """Create an account (administrators only); returns its id."""
        with self._database.session() as session:
            audit.acting(session, by, self._clock)
            actor = _acting(session, by)
            if not may_manage_accounts(actor.role):
                raise NotPermitted(
                    "Only an administrator can create accounts.",
                    "Ask the school's hvdesk administrator to create this account.",
                )
            account = self._new_account(session, username, display_name, role, password, staff_id)
            session.flush()
            new_id = account.id
        log.info("Account %d (%s) created by account %d", new_id, role.value, by.user_id)
        return new_id

    def set_password(
        self,
        by: SignedInUser,
        user_id: int,
        new_password: str,
        *,
        current_password: str | None = None,
    ) -> None:
        """Change your own password (with your current one), or, as an administrator, set
        anyone's: that also lifts a lock from wrong passwords."""
        own = by.user_id == user_id
        with self._database.session() as session:
            actor = _acting(session, by)
            if not own and not may_manage_accounts(actor.role):
                raise NotPermitted(
                    "You can change only your own password.",
                    "Ask an administrator to set a new password for someone else.",
                )
            target = session.get(UserAccount, user_id)
            if target is None:
                raise AccountRejected("There is no such account.", "Refresh the list of accounts.")
            _check_new_password(new_password, target.username)
        if own:
            if current_password is None:
                raise SignInRefused(
                    "Type your current password to change it.", "Then type the new one."
                )
            self.confirm_password(by, current_password)
        new_hash = hash_password(new_password)
        with self._database.session() as session:
            audit.acting(session, by, self._clock)
            target = session.get(UserAccount, user_id)
            assert target is not None  # checked above; accounts are never deleted
            target.password_hash = new_hash
            target.failed_sign_ins = 0
            target.locked_until = None
        log.info("Password of account %d set by account %d", user_id, by.user_id)

    def list_users_for_handover(self) -> list[HandoverUser]:
        """Active accounts that can sign in, by name: who the board may be handed over to."""
        with self._database.session() as session:
            rows = session.execute(
                sa.select(UserAccount.id, UserAccount.display_name, UserAccount.role)
                .where(UserAccount.active.is_(True), UserAccount.password_hash.is_not(None))
                .order_by(UserAccount.display_name, UserAccount.id)
            )
            return [HandoverUser(user_id, name, role) for user_id, name, role in rows]

    # -- signing in ----------------------------------------------------------------------------

    def sign_in(self, username: str, password: str) -> SignedInUser:
        """The user with this username and password, or `SignInRefused` / `AccountLocked`."""
        name = normalise_username(username)
        with audit.writing_as(self._database, None, self._clock) as session:
            account = session.scalar(sa.select(UserAccount).where(UserAccount.username == name))
            waiting = self._computer_throttle(session)
            outcome = waiting or self._attempt(session, account, password)
            _audit_attempt(session, account, outcome)
        if isinstance(outcome, HvdeskError):
            raise outcome  # after the session committed the count and the lock
        return outcome

    def confirm_password(self, user: SignedInUser, password: str) -> None:
        """Check a signed-in user's password again (a signature, a password change); wrong
        attempts count towards the same slow-down and lock as signing in."""
        with audit.writing_as(self._database, user, self._clock) as session:
            outcome = self._attempt(session, session.get(UserAccount, user.user_id), password)
            if isinstance(outcome, HvdeskError):
                _audit_attempt(session, session.get(UserAccount, user.user_id), outcome)
        if isinstance(outcome, HvdeskError):
            raise outcome

    def _computer_throttle(self, session: Session) -> AccountLocked | None:
        """Refused sign-ins on this computer, whatever accounts they named (the trail keeps
        them): past PC_SLOW_DOWN_AFTER in PC_WINDOW, the next attempt waits, unchecked."""
        now = self._clock.now()
        failed = session.execute(
            sa.select(sa.func.count(AuditEntry.id), sa.func.max(AuditEntry.at)).where(
                AuditEntry.action == AuditAction.SIGN_IN_FAILED,
                AuditEntry.at > now - PC_WINDOW,
            )
        ).one()
        count, latest = failed
        if count < PC_SLOW_DOWN_AFTER or latest is None:
            return None
        until = latest + min(timedelta(seconds=2 ** (count - PC_SLOW_DOWN_AFTER)), MAX_DELAY)
        if now >= until:
            return None
        log.warning("Sign-in throttled on this computer: %d refused in %s", count, PC_WINDOW)
        return AccountLocked(
            f"Too many wrong sign-ins on this computer ({count} in the last "
            f"{PC_WINDOW // timedelta(minutes=1)} minutes), whichever accounts they named.",
            f"Wait a moment: try again after {format_school_time(until, '%H:%M:%S')} (UK time).",
            until,
        )

    def _attempt(
        self, session: Session, account: UserAccount | None, password: str
    ) -> SignedInUser | HvdeskError:
        now = self._clock.now()
        if account is None or not account.active or account.password_hash is None:
            verify_password(password, dummy_hash())  # as slow as a real check: no enumeration
            log.info("Sign-in refused: no such account, or it cannot sign in")
            return SignInRefused(NOT_RIGHT, NOT_RIGHT_TODO)
        if account.locked_until is not None and now < account.locked_until:
            return _locked(account.failed_sign_ins, account.locked_until)
        if verify_password(password, account.password_hash):
            if needs_rehash(account.password_hash):
                account.password_hash = hash_password(password)
            account.failed_sign_ins = 0
            account.locked_until = None
            account.last_sign_in_at = now
            log.info("Account %d signed in", account.id)
            return _signed_in(account)
        failures = (account.failed_sign_ins or 0) + 1
        account.failed_sign_ins = failures
        if failures >= LOCK_AFTER:
            account.locked_until = now + LOCK_FOR
            log.warning(
                "Account %d locked until %s after %d wrong passwords in a row",
                account.id,
                account.locked_until.isoformat(timespec="seconds"),
                failures,
            )
            return _locked(failures, account.locked_until)
        if failures >= SLOW_DOWN_AFTER:
            account.locked_until = now + min(
                timedelta(seconds=2 ** (failures - SLOW_DOWN_AFTER)), MAX_DELAY
            )
        log.info("Wrong password for account %d (%d in a row)", account.id, failures)
        return SignInRefused(NOT_RIGHT, NOT_RIGHT_TODO)

    # -- shared --------------------------------------------------------------------------------

    def _new_account(
        self,
        session: Session,
        username: str,
        display_name: str,
        role: Role,
        password: str,
        staff_id: int | None,
    ) -> UserAccount:
        """Validate everything (cheap checks first), then hash and add the account."""
        name = normalise_username(username)
        if not USERNAME.fullmatch(name):
            raise AccountRejected(
                "A username is 2 to 80 letters (a to z), digits, dots, hyphens or underscores, "
                "with no spaces, starting with a letter or digit.",
                "For example: s.whitfield",
            )
        shown = " ".join(display_name.split())
        if not shown or len(shown) > MAX_DISPLAY_NAME:
            raise AccountRejected(
                "Enter the person's name as the office knows them "
                f"(at most {MAX_DISPLAY_NAME} characters).",
            )
        if not isinstance(role, Role):
            raise AccountRejected("Choose a role for the account.")
        taken = session.scalar(sa.select(UserAccount.id).where(UserAccount.username == name))
        if taken is not None:
            raise AccountRejected(
                f"The username “{name}” is already used by another account.",
                "Choose another, for example with a number after it.",
            )
        if staff_id is not None:
            if session.get(Staff, staff_id) is None:
                raise AccountRejected("That member of staff is not in the staff list.")
            linked = session.scalar(
                sa.select(UserAccount.username).where(
                    UserAccount.staff_id == staff_id, UserAccount.active.is_(True)
                )
            )
            if linked is not None:
                raise AccountRejected(
                    f"That member of staff already has an account (username “{linked}”)."
                )
        _check_new_password(password, name)
        account = UserAccount(
            username=name,
            display_name=shown,
            role=role,
            staff_id=staff_id,
            password_hash=hash_password(password),
            active=True,
            created_at=self._clock.now(),
            failed_sign_ins=0,
        )
        session.add(account)
        return account


def _has_administrator(session: Session) -> bool:
    found = session.scalar(
        sa.select(UserAccount.id)
        .where(
            UserAccount.role == Role.ADMINISTRATOR,
            UserAccount.active.is_(True),
            UserAccount.password_hash.is_not(None),
        )
        .limit(1)
    )
    return found is not None


def _audit_attempt(
    session: Session, account: UserAccount | None, outcome: SignedInUser | HvdeskError
) -> None:
    """Sign-ins and refused ones go into the audit trail, in the attempt's own transaction."""
    if account is None:
        audit.record_unknown_sign_in(session)
    else:
        ok = not isinstance(outcome, HvdeskError)
        audit.record_sign_in(session, account.id, account.username, ok=ok)


_acting = acting_account


def _check_new_password(password: str, username: str) -> None:
    problem = password_problem(password, username)
    if problem is not None:
        raise PasswordRejected(problem, "Choose another password.")


def _locked(failures: int, until: datetime) -> AccountLocked:
    when = format_school_time(until, "%H:%M:%S")
    if failures >= LOCK_AFTER:
        minutes = LOCK_FOR // timedelta(minutes=1)
        return AccountLocked(
            f"This account is locked for {minutes} minutes after {failures} wrong passwords "
            "in a row.",
            f"Try again after {when} (UK time), or ask an administrator to set a new password.",
            until,
        )
    return AccountLocked(
        "Too many wrong passwords in a row.",
        f"Wait a moment: try again after {when} (UK time).",
        until,
    )


def _signed_in(account: UserAccount) -> SignedInUser:
    return SignedInUser(
        user_id=account.id,
        username=account.username,
        display_name=account.display_name,
        role=account.role,
        staff_id=account.staff_id,
    )
