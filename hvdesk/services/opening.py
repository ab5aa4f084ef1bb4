"""Getting from "a data folder" to "an open database": the key from the credential store, or
the recovery key from the school safe.

Entering the recovery key also stores the key for this account, so it is asked for once per
PC and Windows account (or each time, where there is no credential store at all).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from hvdesk.clock import Clock
from hvdesk.db.database import (
    Database,
    check_database_file,
    create_database,
    database_path,
    open_database,
)
from hvdesk.db.keys import (
    CredentialStoreLocked,
    KeyStore,
    format_recovery_key,
    new_database_key,
    parse_recovery_key,
)
from hvdesk.db.server import ServerSettings, store_password
from hvdesk.db.server_database import open_server_database
from hvdesk.errors import CredentialStoreUnavailable, KeyNeeded, WrongKey

log = logging.getLogger(__name__)

RECOVERY_KEY_ENV = "HVDESK_RECOVERY_KEY"


@dataclass(frozen=True)
class OpenedDatabase:
    """An open database and what the user must be told about its key."""

    database: Database
    key_saved: bool
    recovery_key: str | None = None  # set only when just created: shown once, never stored


class DatabaseOpener:
    """Opens and creates databases, keeping keys in the OS credential store."""

    def __init__(self, keystore: KeyStore, clock: Clock) -> None:
        self._keystore = keystore
        self._clock = clock

    def open(self, data_dir: Path, recovery_key: str | None = None) -> OpenedDatabase:
        """Open with the stored key, or with a typed recovery key (which is then stored).

        An older database is copied aside and upgraded before it is handed back.
        """
        key, from_recovery = self.find_key(data_dir, recovery_key)
        try:
            database = open_database(data_dir, key, self._clock, key_store=self._keystore)
        except WrongKey as exc:
            if from_recovery:
                raise
            raise KeyNeeded(
                "The key stored on this computer does not open this database (it may have "
                "been replaced from another PC, or damaged).",
                "Enter the recovery key printed for this database, or restore a backup.",
            ) from exc
        saved = self._keystore.try_save(database.path, key) if from_recovery else True
        if from_recovery:
            log.info("Opened the database with the recovery key (key stored: %s)", saved)
        return OpenedDatabase(database, key_saved=saved)

    def find_key(self, data_dir: Path, recovery_key: str | None = None) -> tuple[bytes, bool]:
        """The key to try, and whether it came from a recovery key rather than the store."""
        check_database_file(data_dir)
        if recovery_key is not None:
            return parse_recovery_key(recovery_key), True
        try:
            stored = self._keystore.load(database_path(data_dir))
        except CredentialStoreLocked as exc:
            raise KeyNeeded(
                f"{exc.what} The recovery key is needed to open the database.",
                f"{exc.todo} (command line: set {RECOVERY_KEY_ENV}).",
            ) from exc
        except CredentialStoreUnavailable as exc:
            raise KeyNeeded(
                "This computer has no credential store, so the recovery key is needed to open "
                "the database.",
                f"Enter the recovery key from the school safe (command line: set "
                f"{RECOVERY_KEY_ENV}).",
            ) from exc
        if stored is None:
            raise KeyNeeded(
                "The database key is not stored for this account: a new PC or account, or the "
                "credential store was reset.",
                "Enter the recovery key from the school safe; it will be remembered here.",
            )
        return stored, False

    def open_server(self, settings: ServerSettings, password: str | None = None) -> OpenedDatabase:
        """The school's database on a server (server mode). A password given (typed once by
        the office) is kept in the credential store when it works; without one, the stored
        password, PGPASSFILE or a client certificate is used. Nothing touches a data folder."""
        database = open_server_database(settings, self._clock, password=password)
        if password is not None:
            saved = store_password(settings, password)
            log.info("Database server password stored in the credential store: %s", saved)
        return OpenedDatabase(database, key_saved=True)

    def create(self, data_dir: Path, *, copy_target: bool = False) -> OpenedDatabase:
        """A new, empty school database; the recovery key is returned to be shown once."""
        key = new_database_key()
        database = create_database(
            data_dir, key, self._clock, copy_target=copy_target, key_store=self._keystore
        )
        saved = self._keystore.try_save(database.path, key)
        return OpenedDatabase(database, key_saved=saved, recovery_key=format_recovery_key(key))


def check_recovery_key(typed: str) -> None:
    """Raise `InvalidRecoveryKey` when a typed recovery key has a typo (its check digits do
    not match), before anything tries to open a database with it."""
    parse_recovery_key(typed)
