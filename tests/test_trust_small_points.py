"""Issue 12, item 11: the smaller points, each against the real part."""

from __future__ import annotations

import faulthandler
import stat
import subprocess
import sys
from pathlib import Path

import keyring.backend
import keyring.errors
import pytest

from hvdesk.clock import FakeClock
from hvdesk.db.database import create_database, database_path
from hvdesk.db.keys import KeyStore, new_database_key
from hvdesk.domain.passwords import SCRYPT_N, hash_password, needs_rehash
from hvdesk.domain.policy import SchoolPolicy, SettingError
from hvdesk.errors import KeyNeeded
from hvdesk.services.accounts import (
    LOCK_AFTER,
    PC_SLOW_DOWN_AFTER,
    AccountLocked,
    Accounts,
    SignInRefused,
)
from hvdesk.services.backups import Backups
from hvdesk.services.opening import DatabaseOpener
from tests.conftest import MONDAY_MORNING

PASSWORD = "a long enough password 1"


def test_scrypt_is_at_owasp_minimum_and_old_hashes_are_rehashed(tmp_path: Path) -> None:
    assert SCRYPT_N == 2**17
    old = hash_password(PASSWORD, n=2**14)  # what hvdesk stored before
    assert needs_rehash(old)
    clock = FakeClock(MONDAY_MORNING)
    database = create_database(tmp_path / "school", new_database_key(), clock)
    try:
        accounts = Accounts(database, clock)
        admin = accounts.create_first_administrator("it.office", "IT office", PASSWORD)
        from hvdesk.db.models import UserAccount

        with database.session() as session:
            account = session.get(UserAccount, admin.user_id)
            assert account is not None and account.password_hash is not None
            assert account.password_hash.startswith("scrypt$131072$8$1$")
            account.password_hash = old
        accounts.sign_in("it.office", PASSWORD)
        with database.session() as session:
            account = session.get(UserAccount, admin.user_id)
            assert account is not None and account.password_hash is not None
            assert account.password_hash.startswith("scrypt$131072$")
    finally:
        database.close()


@pytest.mark.slow
def test_a_throttle_across_accounts_on_one_computer(tmp_path: Path) -> None:
    """One guess at each of 24 accounts: after the tenth, the next waits, whichever account."""
    clock = FakeClock(MONDAY_MORNING)
    database = create_database(tmp_path / "school", new_database_key(), clock)
    try:
        accounts = Accounts(database, clock)
        admin = accounts.create_first_administrator("it.office", "IT office", PASSWORD)
        from hvdesk.domain.people import Role

        for number in range(24):
            accounts.create_account(
                admin, f"staff.{number}", f"Staff {number}", Role.RECEPTION, PASSWORD
            )
        outcomes = []
        for number in range(24):
            clock.advance(1)
            try:
                accounts.sign_in(f"staff.{number}", "a wrong guess 123")
            except (SignInRefused, AccountLocked) as refused:
                outcomes.append(type(refused).__name__)
        assert outcomes[:PC_SLOW_DOWN_AFTER] == ["SignInRefused"] * PC_SLOW_DOWN_AFTER
        assert "AccountLocked" in outcomes[PC_SLOW_DOWN_AFTER:]
        with pytest.raises(AccountLocked, match="on this computer"):
            accounts.sign_in("it.office", PASSWORD)  # even the right password waits its turn
        clock.advance(120)  # the wait is over: the right password works
        assert accounts.sign_in("it.office", PASSWORD).username == "it.office"
        assert LOCK_AFTER > 1  # no single account was locked by one guess each
    finally:
        database.close()


@pytest.mark.parametrize("minutes", [0, 61, 24 * 60])
def test_idle_sign_out_is_between_1_and_60_minutes(minutes: int) -> None:
    with pytest.raises(SettingError, match="1 to 60 minutes"):
        SchoolPolicy(idle_lock_minutes=minutes)
    assert SchoolPolicy(idle_lock_minutes=1).idle_lock_minutes == 1
    assert SchoolPolicy(idle_lock_minutes=60).idle_lock_minutes == 60


def test_a_stored_never_from_an_older_hvdesk_becomes_the_longest() -> None:
    assert SchoolPolicy.from_settings({"idle_lock_minutes": 0}).idle_lock_minutes == 60


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_database_its_wal_and_backups_are_0600(tmp_path: Path) -> None:
    clock = FakeClock(MONDAY_MORNING)
    folder = tmp_path / "school"
    database = create_database(folder, new_database_key(), clock)
    try:
        Accounts(database, clock).create_first_administrator("it.office", "IT office", PASSWORD)
        path = database_path(folder)
        wal = path.with_name(path.name + "-wal")
        assert wal.exists()
        assert _mode(path) == 0o600 and _mode(wal) == 0o600
        backup = tmp_path / "nightly.db"
        Backups(database, clock).back_up(backup)
        assert _mode(backup) == 0o600
    finally:
        database.close()


class LockedKeyring(keyring.backend.KeyringBackend):
    """A Secret Service collection that exists but is locked."""

    priority = 1  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        raise keyring.errors.KeyringLocked("Failed to unlock the collection!")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise keyring.errors.KeyringLocked("Failed to unlock the collection!")

    def delete_password(self, service: str, username: str) -> None:
        raise keyring.errors.KeyringLocked("Failed to unlock the collection!")


def test_a_locked_keyring_says_it_is_locked(tmp_path: Path) -> None:
    clock = FakeClock(MONDAY_MORNING)
    folder = tmp_path / "school"
    create_database(folder, new_database_key(), clock).close()
    with pytest.raises(KeyNeeded) as caught:
        DatabaseOpener(KeyStore(LockedKeyring()), clock).find_key(folder)
    assert "locked" in caught.value.what and "no credential store" not in caught.value.what
    assert "Unlock it" in caught.value.todo


def test_a_native_crash_is_written_to_the_log_file(tmp_path: Path) -> None:
    """A real crash (faulthandler's own SIGSEGV) in a child process that set up logging."""
    logs = tmp_path / "logs"
    script = (
        "import faulthandler, pathlib, sys\n"
        "from hvdesk.logging_setup import setup_logging\n"
        "setup_logging(pathlib.Path(sys.argv[1]))\n"
        "faulthandler._sigsegv()\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(logs)], capture_output=True, check=False
    )
    assert result.returncode != 0
    text = (logs / "hvdesk.log").read_text()
    assert "Fatal Python error" in text and "Segmentation fault" in text
    assert faulthandler.is_enabled()  # this process's own handler is untouched
