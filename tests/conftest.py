"""Shared fixtures: offscreen Qt, an in-memory credential store and a fake clock.

Those two are the only stand-ins: the database, migrations, PDFs and windows are real.
"""

from __future__ import annotations

import os
import subprocess

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import keyring
import keyring.backend
import keyring.errors
import pytest

from hvdesk.clock import FakeClock
from hvdesk.db.keys import KeyStore
from hvdesk.services.opening import DatabaseOpener

# A Monday in term time, 10:30 in London (GMT).
MONDAY_MORNING = datetime(2026, 11, 23, 10, 30, tzinfo=UTC)


class MemoryKeyring(keyring.backend.KeyringBackend):
    """A credential store that lives in a dict for the length of one test."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if (service, username) not in self.secrets:
            raise keyring.errors.PasswordDeleteError("no such entry")
        del self.secrets[(service, username)]


class NoKeyring(keyring.backend.KeyringBackend):
    """A machine with no credential store at all, as headless Linux is."""

    priority = 1  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        raise keyring.errors.NoKeyringError("No recommended backend was available.")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise keyring.errors.NoKeyringError("No recommended backend was available.")

    def delete_password(self, service: str, username: str) -> None:
        raise keyring.errors.NoKeyringError("No recommended backend was available.")


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    """Install an in-memory keyring for the test, restoring whatever was there before."""
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def no_keyring() -> Iterator[NoKeyring]:
    previous = keyring.get_keyring()
    backend = NoKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(MONDAY_MORNING)


@pytest.fixture
def keystore(memory_keyring: MemoryKeyring) -> KeyStore:
    return KeyStore(memory_keyring)


@pytest.fixture
def opener(keystore: KeyStore, clock: FakeClock) -> DatabaseOpener:
    return DatabaseOpener(keystore, clock)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture(autouse=True)
def _private_dirs(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Keep every test's log and default data folder out of the real user folders."""
    logs = tmp_path_factory.mktemp("logs")
    monkeypatch.setenv("HVDESK_LOG_DIR", str(logs))
    monkeypatch.setenv("HVDESK_DATA_DIR", str(tmp_path_factory.mktemp("default-data")))
    monkeypatch.delenv("HVDESK_RECOVERY_KEY", raising=False)
    return logs


@pytest.fixture(autouse=True)
def _nobody_signed_in_to_the_audit() -> Iterator[None]:
    """The audit trail's fallback actor is process-wide (the window's signed-in user): a test
    that signs in and never signs out must not lend its user to the next test's writes."""
    from hvdesk.services import audit

    audit.set_signed_in(None)
    yield
    audit.set_signed_in(None)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real, tiny filesystem (tmpfs) to fill up; skipped where mounting is not allowed."""
    mount_point = tmp_path / "small-disk"
    mount_point.mkdir()
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount_point)],
        capture_output=True,
        check=False,
    )
    if result.returncode != 0:
        pytest.skip("cannot mount a small filesystem here (needs root)")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def remount_read_only(mount_point: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(mount_point)], check=True)


# --- issue 16: the backend the school fixture runs on, and the real-server marker ----------

pytest_plugins = ("tests.server_support",)  # the demo school on the test server, per module


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--backend",
        choices=("sqlcipher", "postgresql"),
        default="sqlcipher",
        help="database the school fixture uses (postgresql needs $HVDESK_TEST_SERVER)",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "server: needs a real PostgreSQL server")
    config.addinivalue_line("markers", "file_only: about the encrypted file itself")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--backend") != "postgresql":
        return
    skip = pytest.mark.skip(reason="about the encrypted file, not the database server")
    for item in items:
        if "file_only" in item.keywords:
            item.add_marker(skip)
