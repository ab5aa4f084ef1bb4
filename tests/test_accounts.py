"""Accounts against a real encrypted database: password storage, signing in, the slow-down and
lock after wrong passwords, the first administrator, and who may create accounts."""

from __future__ import annotations

import base64
import logging
import unicodedata
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from hvdesk.clock import FakeClock
from hvdesk.db.database import Database
from hvdesk.db.models import Staff, UserAccount
from hvdesk.domain import passwords
from hvdesk.domain.passwords import (
    PasswordProblem,
    check_password_rules,
    dummy_hash,
    hash_password,
    needs_rehash,
    verify_password,
)
from hvdesk.domain.people import JobRole, Role
from hvdesk.services import accounts as accounts_module
from hvdesk.services.accounts import (
    NOT_RIGHT,
    AccountLocked,
    AccountRejected,
    Accounts,
    HandoverUser,
    NotPermitted,
    PasswordRejected,
    SignInRefused,
)
from hvdesk.services.identity import SignedInUser
from hvdesk.services.opening import DatabaseOpener

ADMIN_PASSWORD = "correct horse battery"
PASSWORD = "a long enough password"


@pytest.fixture
def db(opener: DatabaseOpener, data_dir: Path) -> Iterator[Database]:
    database = opener.create(data_dir).database
    yield database
    database.close()


@pytest.fixture
def accounts(db: Database, clock: FakeClock) -> Accounts:
    return Accounts(db, clock)


@pytest.fixture
def admin(accounts: Accounts) -> SignedInUser:
    return accounts.create_first_administrator("p.stanton", "Paul Stanton", ADMIN_PASSWORD)


@pytest.fixture
def reception(accounts: Accounts, admin: SignedInUser) -> SignedInUser:
    accounts.create_account(admin, "k.lewis", "Karen Lewis", Role.RECEPTION, PASSWORD)
    return accounts.sign_in("k.lewis", PASSWORD)


def stored(db: Database, username: str) -> UserAccount:
    with db.session() as session:
        account = session.scalar(sa.select(UserAccount).where(UserAccount.username == username))
        assert account is not None
        session.expunge(account)
        return account


# --- how a password is kept --------------------------------------------------------------------


def test_a_stored_password_names_its_parameters_and_verifies():
    text = hash_password("demo-password")
    scheme, n, r, p, salt, key = text.split("$")
    assert (scheme, n, r, p) == ("scrypt", "131072", "8", "1")  # OWASP minimum (issue 12)
    assert len(base64.b64decode(salt)) == 16 and len(base64.b64decode(key)) == 32
    assert verify_password("demo-password", text)
    assert not verify_password("demo-passworD", text)
    assert not verify_password("", text)
    assert hash_password("demo-password") != text  # a fresh salt every time
    assert "demo-password" not in text


def test_the_same_salt_gives_the_same_hash_and_old_parameters_still_verify():
    salt = bytes(range(16))
    assert hash_password("x" * 12, salt=salt) == hash_password("x" * 12, salt=salt)
    cheaper = hash_password("old password 1", n=2**12)
    assert verify_password("old password 1", cheaper)
    assert needs_rehash(cheaper) and not needs_rehash(hash_password("new password 1"))


def test_a_password_typed_with_a_combining_accent_is_the_same_password():
    composed = unicodedata.normalize("NFC", "café au lait!")
    decomposed = unicodedata.normalize("NFD", composed)
    assert composed != decomposed
    assert verify_password(decomposed, hash_password(composed))


@pytest.mark.parametrize(
    "damaged",
    [
        "",
        "plain text",
        "bcrypt$1$2$3$4$5",
        "scrypt$16384$8$1$not base64!$AAAA",
        "scrypt$3$8$1$AA$AA",
        "scrypt$1073741824$8$1$AAAA$AAAA",
    ],
)
def test_a_damaged_stored_password_never_matches_and_never_raises(damaged: str):
    assert not verify_password("anything at all", damaged)
    assert needs_rehash(damaged)


def test_the_dummy_hash_is_well_formed_and_matches_nothing():
    assert not needs_rehash(dummy_hash())
    assert not verify_password("", dummy_hash())


@pytest.mark.parametrize(
    ("password", "username", "message"),
    [
        ("short", "k.lewis", "at least 10 characters"),
        ("123456789", "k.lewis", "at least 10 characters"),
        ("           ", "k.lewis", "only spaces"),
        ("K.Lewis.Office", "k.lewis.office", "same as the username"),
        ("x" * 1001, "k.lewis", "at most 1000"),
    ],
)
def test_password_rules(password: str, username: str, message: str):
    with pytest.raises(PasswordProblem, match=message):
        check_password_rules(password, username)


def test_a_ten_character_password_is_enough():
    check_password_rules("0123456789", "k.lewis")


# --- the first administrator -------------------------------------------------------------------


def test_a_new_database_needs_its_first_administrator_once(accounts: Accounts, db: Database):
    assert accounts.needs_first_administrator()
    admin = accounts.create_first_administrator("  P.Stanton ", "Paul  Stanton", ADMIN_PASSWORD)
    assert admin.role is Role.ADMINISTRATOR
    assert (admin.username, admin.display_name) == ("p.stanton", "Paul Stanton")
    assert not accounts.needs_first_administrator()
    with pytest.raises(NotPermitted, match="already has an administrator"):
        accounts.create_first_administrator("other.admin", "Someone Else", ADMIN_PASSWORD)
    assert stored(db, "p.stanton").password_hash is not None
    assert accounts.sign_in("p.stanton", ADMIN_PASSWORD) == admin


def test_a_rejected_first_administrator_leaves_nothing_behind(accounts: Accounts, db: Database):
    with pytest.raises(PasswordRejected, match="at least 10"):
        accounts.create_first_administrator("p.stanton", "Paul Stanton", "short")
    with pytest.raises(AccountRejected, match="username"):
        accounts.create_first_administrator("paul stanton", "Paul Stanton", ADMIN_PASSWORD)
    with pytest.raises(AccountRejected, match="name"):
        accounts.create_first_administrator("p.stanton", "   ", ADMIN_PASSWORD)
    with db.session() as session:
        assert session.scalar(sa.select(sa.func.count(UserAccount.id))) == 0
    assert accounts.needs_first_administrator()


def test_a_switched_off_administrator_does_not_count(accounts: Accounts, admin, db: Database):
    with db.session() as session:
        session.get(UserAccount, admin.user_id).active = False  # type: ignore[union-attr]
    assert accounts.needs_first_administrator()


# --- signing in -------------------------------------------------------------------------------


def test_signing_in_gives_the_user_and_notes_when(accounts: Accounts, admin, db, clock):
    accounts.create_account(admin, "S.Whitfield", "Sarah Whitfield", Role.DSL, PASSWORD)
    clock.advance(timedelta(minutes=5))
    user = accounts.sign_in(" s.WHITFIELD ", PASSWORD)
    assert (user.username, user.display_name, user.role) == (
        "s.whitfield",
        "Sarah Whitfield",
        Role.DSL,
    )
    assert stored(db, "s.whitfield").last_sign_in_at == clock.now()


def test_wrong_password_and_unknown_user_read_the_same_and_cost_the_same(
    accounts: Accounts, admin, monkeypatch
):
    checks: list[str] = []
    real = accounts_module.verify_password

    def counting(password: str, stored_hash: str) -> bool:
        checks.append(stored_hash)
        return real(password, stored_hash)

    monkeypatch.setattr(accounts_module, "verify_password", counting)
    with pytest.raises(SignInRefused) as wrong:
        accounts.sign_in("p.stanton", "not the password")
    with pytest.raises(SignInRefused) as unknown:
        accounts.sign_in("nobody.here", "not the password")
    assert str(wrong.value) == str(unknown.value)
    assert wrong.value.what == NOT_RIGHT
    assert len(checks) == 2 and checks[1] == dummy_hash()  # one scrypt each


def test_a_switched_off_account_reads_like_an_unknown_one(accounts: Accounts, admin, db):
    accounts.create_account(admin, "k.lewis", "Karen Lewis", Role.RECEPTION, PASSWORD)
    with db.session() as session:
        session.scalar(
            sa.select(UserAccount).where(UserAccount.username == "k.lewis")
        ).active = False
    with pytest.raises(SignInRefused, match="username or password is not right"):
        accounts.sign_in("k.lewis", PASSWORD)


def wrong(accounts: Accounts, username: str = "p.stanton") -> type[Exception]:
    try:
        accounts.sign_in(username, "wrong password!")
    except (SignInRefused, AccountLocked) as exc:
        return type(exc)
    raise AssertionError("a wrong password was accepted")


def test_wrong_passwords_slow_down_then_lock_and_the_lock_is_logged(
    accounts: Accounts, admin: SignedInUser, db: Database, clock: FakeClock, caplog
):
    caplog.set_level(logging.INFO, logger="hvdesk")
    start = clock.now()
    assert wrong(accounts) is SignInRefused
    assert wrong(accounts) is SignInRefused
    assert stored(db, "p.stanton").locked_until is None  # two in a row: no wait yet
    assert wrong(accounts) is SignInRefused  # the third: from now on each attempt waits
    delays = []
    for failures in range(3, 8):
        until = stored(db, "p.stanton").locked_until
        assert until is not None
        delays.append((until - clock.now()).total_seconds())
        # Even the right password is not checked while waiting, and the wait does not count.
        with pytest.raises(AccountLocked) as waiting:
            accounts.sign_in("p.stanton", ADMIN_PASSWORD)
        assert waiting.value.until == until
        assert "Too many wrong passwords" in str(waiting.value)
        assert stored(db, "p.stanton").failed_sign_ins == failures
        clock.advance(until - clock.now())
        expected = SignInRefused if failures + 1 < 8 else AccountLocked
        assert wrong(accounts) is expected
    assert delays == [1, 2, 4, 8, 16]

    account = stored(db, "p.stanton")
    assert account.failed_sign_ins == 8
    assert account.locked_until == clock.now() + timedelta(minutes=15)
    with pytest.raises(AccountLocked, match="locked for 15 minutes after 8 wrong passwords"):
        accounts.sign_in("p.stanton", ADMIN_PASSWORD)
    locks = [r for r in caplog.records if "locked" in r.getMessage()]
    assert [r.levelno for r in locks] == [logging.WARNING]
    assert f"Account {admin.user_id} locked" in locks[0].getMessage()
    for record in caplog.records:
        assert "p.stanton" not in record.getMessage()
        assert "Paul Stanton" not in record.getMessage()
        assert ADMIN_PASSWORD not in record.getMessage()
        assert "wrong password!" not in record.getMessage()

    clock.advance(timedelta(minutes=15))
    assert accounts.sign_in("p.stanton", ADMIN_PASSWORD) == admin
    account = stored(db, "p.stanton")
    assert (account.failed_sign_ins, account.locked_until) == (0, None)
    assert clock.now() - start < timedelta(minutes=16)


def test_after_the_lock_each_wrong_password_locks_again(accounts: Accounts, admin, db, clock):
    with db.session() as session:
        account = session.get(UserAccount, admin.user_id)
        assert account is not None
        account.failed_sign_ins = 8
    assert wrong(accounts) is AccountLocked
    assert stored(db, "p.stanton").locked_until == clock.now() + timedelta(minutes=15)


def test_the_slow_down_is_capped_at_a_minute(accounts, admin, db, clock, monkeypatch):
    monkeypatch.setattr(accounts_module, "LOCK_AFTER", 20)
    with db.session() as session:
        session.get(UserAccount, admin.user_id).failed_sign_ins = 9  # type: ignore[union-attr]
    assert wrong(accounts) is SignInRefused  # the tenth: 2**7 s would be over two minutes
    assert stored(db, "p.stanton").locked_until == clock.now() + timedelta(seconds=60)


def test_a_lock_says_when_to_try_again_in_uk_time(accounts, admin, db, clock):
    clock.set(datetime(2026, 6, 15, 9, 0, tzinfo=UTC))  # 10:00 in London (BST)
    with db.session() as session:
        session.get(UserAccount, admin.user_id).failed_sign_ins = 7  # type: ignore[union-attr]
    with pytest.raises(AccountLocked) as locked:
        accounts.sign_in("p.stanton", "wrong password!")
    assert "10:15:00 (UK time)" in str(locked.value)
    assert "administrator" in locked.value.todo


def test_a_right_password_resets_the_count(accounts: Accounts, admin, db, clock):
    assert wrong(accounts) is SignInRefused
    assert wrong(accounts) is SignInRefused
    accounts.sign_in("p.stanton", ADMIN_PASSWORD)
    assert stored(db, "p.stanton").failed_sign_ins == 0
    assert wrong(accounts) is SignInRefused
    assert wrong(accounts) is SignInRefused
    assert stored(db, "p.stanton").locked_until is None  # counted from zero again


def test_an_old_hash_is_upgraded_at_the_next_sign_in(accounts: Accounts, admin, db):
    with db.session() as session:
        account = session.get(UserAccount, admin.user_id)
        assert account is not None
        account.password_hash = hash_password(ADMIN_PASSWORD, n=2**12)
    accounts.sign_in("p.stanton", ADMIN_PASSWORD)
    upgraded = stored(db, "p.stanton").password_hash
    assert upgraded is not None and not needs_rehash(upgraded)
    assert f"${passwords.SCRYPT_N}$" in upgraded


# --- administration ---------------------------------------------------------------------------


def test_only_an_administrator_creates_accounts(accounts: Accounts, admin, reception, db):
    with pytest.raises(NotPermitted, match="Only an administrator"):
        accounts.create_account(reception, "d.osei", "Daniel Osei", Role.VISITING_STAFF, PASSWORD)
    new_id = accounts.create_account(admin, "d.osei", "Daniel Osei", Role.VISITING_STAFF, PASSWORD)
    account = stored(db, "d.osei")
    assert (account.id, account.role, account.active) == (new_id, Role.VISITING_STAFF, True)


def test_an_administrator_switched_off_since_signing_in_can_do_nothing(accounts, admin, db):
    with db.session() as session:
        session.get(UserAccount, admin.user_id).active = False  # type: ignore[union-attr]
    with pytest.raises(NotPermitted, match="no longer active"):
        accounts.create_account(admin, "d.osei", "Daniel Osei", Role.VISITING_STAFF, PASSWORD)


def test_an_administrator_demoted_since_signing_in_cannot_create_accounts(accounts, admin, db):
    with db.session() as session:
        session.get(UserAccount, admin.user_id).role = Role.RECEPTION  # type: ignore[union-attr]
    with pytest.raises(NotPermitted):
        accounts.create_account(admin, "d.osei", "Daniel Osei", Role.VISITING_STAFF, PASSWORD)


def test_account_details_are_checked(accounts: Accounts, admin, db, clock):
    with pytest.raises(AccountRejected, match="already used"):
        accounts.create_account(admin, "P.Stanton", "Another Paul", Role.SLT, PASSWORD)
    with pytest.raises(AccountRejected, match="no spaces"):
        accounts.create_account(admin, "d osei", "Daniel Osei", Role.SLT, PASSWORD)
    with pytest.raises(PasswordRejected, match="same as the username"):
        accounts.create_account(admin, "d.osei.school", "Daniel Osei", Role.SLT, "D.Osei.School")
    with pytest.raises(AccountRejected, match="not in the staff list"):
        accounts.create_account(admin, "d.osei", "Daniel Osei", Role.SLT, PASSWORD, staff_id=999)
    with db.session() as session:
        staff = Staff(first_name="Daniel", last_name="Osei", job_role=JobRole.TUTOR)
        session.add(staff)
        session.flush()
        staff_id = staff.id
    accounts.create_account(admin, "d.osei", "Daniel Osei", Role.SLT, PASSWORD, staff_id=staff_id)
    assert accounts.sign_in("d.osei", PASSWORD).staff_id == staff_id
    with pytest.raises(AccountRejected, match="already has an account"):
        accounts.create_account(admin, "d.osei2", "Dan Osei", Role.SLT, PASSWORD, staff_id=staff_id)


def test_you_change_your_own_password_with_your_current_one(accounts, reception: SignedInUser):
    new = "a brand new password"
    with pytest.raises(SignInRefused, match="current password"):
        accounts.set_password(reception, reception.user_id, new)
    with pytest.raises(SignInRefused, match="not right"):
        accounts.set_password(reception, reception.user_id, new, current_password="guess work!")
    with pytest.raises(PasswordRejected):
        accounts.set_password(reception, reception.user_id, "short", current_password=PASSWORD)
    accounts.set_password(reception, reception.user_id, new, current_password=PASSWORD)
    with pytest.raises(SignInRefused):
        accounts.sign_in("k.lewis", PASSWORD)
    assert accounts.sign_in("k.lewis", new) == reception


def test_only_an_administrator_sets_someone_elses_password_which_lifts_a_lock(
    accounts: Accounts, admin: SignedInUser, reception: SignedInUser, db, clock
):
    with pytest.raises(NotPermitted, match="only your own"):
        accounts.set_password(reception, admin.user_id, "taken over now!")
    for _ in range(8):
        wrong(accounts, "k.lewis")
        clock.advance(timedelta(seconds=60))
    with pytest.raises(AccountLocked):
        accounts.sign_in("k.lewis", PASSWORD)
    accounts.set_password(admin, reception.user_id, "reset by the office")
    assert accounts.sign_in("k.lewis", "reset by the office") == reception


def test_confirming_a_password_counts_towards_the_lock(accounts, reception, db):
    accounts.confirm_password(reception, PASSWORD)
    for _ in range(3):
        with pytest.raises(SignInRefused):
            accounts.confirm_password(reception, "not it at all")
    assert stored(db, "k.lewis").failed_sign_ins == 3
    with pytest.raises(AccountLocked):
        accounts.confirm_password(reception, PASSWORD)


def test_the_handover_list_is_who_can_sign_in_by_name(accounts: Accounts, admin, db, clock):
    accounts.create_account(admin, "s.whitfield", "Sarah Whitfield", Role.DSL, PASSWORD)
    accounts.create_account(admin, "k.lewis", "Karen Lewis", Role.RECEPTION, PASSWORD)
    accounts.create_account(admin, "gone.away", "Anna Left", Role.RECEPTION, PASSWORD)
    with db.session() as session:
        session.scalar(
            sa.select(UserAccount).where(UserAccount.username == "gone.away")
        ).active = False
        session.add(
            UserAccount(
                username="no.password",
                display_name="Aaron Nopass",
                role=Role.SLT,
                created_at=clock.now(),
            )
        )
    users = accounts.list_users_for_handover()
    assert [(u.display_name, u.role) for u in users] == [
        ("Karen Lewis", Role.RECEPTION),
        ("Paul Stanton", Role.ADMINISTRATOR),
        ("Sarah Whitfield", Role.DSL),
    ]
    assert isinstance(users[0], HandoverUser) and users[1][0] == admin.user_id
