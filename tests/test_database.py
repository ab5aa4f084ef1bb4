"""The encrypted database: round trip, nothing readable without the key, and the key paths."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from hvdesk.clock import FakeClock
from hvdesk.db.database import create_database, database_path, open_database
from hvdesk.db.keys import KeyStore, format_recovery_key, new_database_key
from hvdesk.db.models import Household, Pupil
from hvdesk.errors import DatabaseExists, InvalidRecoveryKey, KeyNeeded, WrongKey
from hvdesk.services.opening import DatabaseOpener
from tests.conftest import MemoryKeyring
from tests.helpers import plain_text_hits

SECRET_NAME = "Małgorzata Wójcik-Żak"
SECRET_STREET = "17 Heol Gwŷn Ddu"


def _add_family(database_path_dir: Path, key: bytes, clock: FakeClock) -> None:
    database = open_database(database_path_dir, key, clock)
    with database.session() as session:
        home = Household(
            address_line1=SECRET_STREET,
            town="Abertawe",
            postcode="SA1 9ZZ",
            area="Townhill",
            home_phone="07700 900123",
            created_at=clock.now(),
        )
        session.add(home)
        session.add(
            Pupil(
                first_name="Małgorzata",
                last_name="Wójcik-Żak",
                date_of_birth=date(2012, 5, 4),
                household=home,
            )
        )
    database.close()


def test_round_trip_through_the_encrypted_file(data_dir: Path, clock: FakeClock) -> None:
    key = new_database_key()
    create_database(data_dir, key).close()
    _add_family(data_dir, key, clock)
    database = open_database(data_dir, key, clock)
    with database.session() as session:
        pupil = session.scalars(sa.select(Pupil)).one()
        assert pupil.full_name == SECRET_NAME
        assert pupil.household is not None
        assert pupil.household.address_line1 == SECRET_STREET
        assert pupil.household.created_at == clock.now()
    database.close()


def test_plain_sqlite_cannot_read_the_file(data_dir: Path, clock: FakeClock) -> None:
    key = new_database_key()
    create_database(data_dir, key).close()
    _add_family(data_dir, key, clock)
    connection = sqlite3.connect(database_path(data_dir))
    with pytest.raises(sqlite3.DatabaseError, match="not a database"):
        connection.execute("SELECT count(*) FROM sqlite_master").fetchall()
    connection.close()


def test_no_personal_data_in_plain_text_in_the_file_or_wal(
    data_dir: Path, clock: FakeClock
) -> None:
    key = new_database_key()
    create_database(data_dir, key).close()
    database = open_database(data_dir, key, clock)
    _add_family(data_dir, key, clock)
    # While a connection is still open the WAL holds the latest pages: check it too.
    with database.session() as session:
        assert session.scalars(sa.select(Pupil)).one()
        assert (data_dir / "hvdesk.db-wal").exists()
        hits = plain_text_hits(data_dir, [SECRET_STREET, "Wójcik", "Małgorzata", "07700 900123"])
    database.close()
    assert hits == []


def test_the_wrong_key_is_refused(data_dir: Path, clock: FakeClock) -> None:
    create_database(data_dir, new_database_key()).close()
    with pytest.raises(WrongKey, match="does not open the database"):
        open_database(data_dir, new_database_key(), clock)


def test_creating_over_an_existing_database_is_refused(data_dir: Path) -> None:
    create_database(data_dir, new_database_key()).close()
    with pytest.raises(DatabaseExists):
        create_database(data_dir, new_database_key())


def test_pragmas_are_as_designed(data_dir: Path) -> None:
    database = create_database(data_dir, new_database_key())
    with database.engine.connect() as connection:
        pragma = connection.exec_driver_sql
        assert pragma("PRAGMA journal_mode").scalar() == "wal"
        assert pragma("PRAGMA foreign_keys").scalar() == 1
        assert pragma("PRAGMA synchronous").scalar() == 2  # FULL
    assert type(database.engine.pool).__name__ == "QueuePool"
    database.close()


# The opening service: stored key, recovery key, and no credential store.


def test_created_database_reopens_with_the_stored_key(
    opener: DatabaseOpener, data_dir: Path
) -> None:
    created = opener.create(data_dir)
    assert created.key_saved
    assert created.recovery_key is not None
    created.database.close()
    reopened = opener.open(data_dir)
    assert reopened.recovery_key is None
    reopened.database.close()


def test_new_account_needs_the_recovery_key_which_is_then_remembered(
    data_dir: Path, clock: FakeClock
) -> None:
    first_pc = DatabaseOpener(KeyStore(MemoryKeyring()), clock)
    created = first_pc.create(data_dir)
    created.database.close()
    other_account = KeyStore(MemoryKeyring())
    second_pc = DatabaseOpener(other_account, clock)
    with pytest.raises(KeyNeeded, match="not stored for this account"):
        second_pc.open(data_dir)
    assert created.recovery_key is not None
    opened = second_pc.open(data_dir, recovery_key=created.recovery_key)
    assert opened.key_saved
    opened.database.close()
    # Remembered: the next start needs nothing typed.
    second_pc.open(data_dir).database.close()
    assert other_account.load(database_path(data_dir)) is not None


def test_a_recovery_key_for_another_database_is_refused(
    opener: DatabaseOpener, data_dir: Path
) -> None:
    opener.create(data_dir).database.close()
    other = format_recovery_key(new_database_key())
    with pytest.raises(WrongKey):
        opener.open(data_dir, recovery_key=other)


def test_a_mistyped_recovery_key_never_reaches_the_database(
    opener: DatabaseOpener, data_dir: Path
) -> None:
    created = opener.create(data_dir)
    created.database.close()
    assert created.recovery_key is not None
    last = created.recovery_key[-1]
    typo = created.recovery_key[:-1] + ("Q" if last != "Q" else "R")
    with pytest.raises(InvalidRecoveryKey):
        opener.open(data_dir, recovery_key=typo)


def test_without_a_credential_store_the_recovery_key_opens_it_every_time(
    no_keyring: object, data_dir: Path, clock: FakeClock
) -> None:
    opener = DatabaseOpener(KeyStore(), clock)
    created = opener.create(data_dir)
    created.database.close()
    assert not created.key_saved
    assert created.recovery_key is not None
    with pytest.raises(KeyNeeded, match="no credential store"):
        opener.open(data_dir)
    opened = opener.open(data_dir, recovery_key=created.recovery_key)
    assert not opened.key_saved
    opened.database.close()


def test_a_stored_key_that_no_longer_fits_asks_for_the_recovery_key(
    opener: DatabaseOpener, keystore: KeyStore, data_dir: Path
) -> None:
    opener.create(data_dir).database.close()
    keystore.save(database_path(data_dir), new_database_key())
    with pytest.raises(KeyNeeded, match="does not open this database"):
        opener.open(data_dir)
