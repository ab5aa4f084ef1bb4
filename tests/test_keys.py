"""Keys: the recovery key's format and typo detection, and the credential store."""

from __future__ import annotations

from pathlib import Path

import pytest

from hvdesk.db.keys import (
    KeyStore,
    format_recovery_key,
    new_database_key,
    parse_recovery_key,
)
from hvdesk.errors import CredentialStoreUnavailable, InvalidRecoveryKey


def test_recovery_key_round_trips_however_it_is_typed() -> None:
    key = new_database_key()
    printed = format_recovery_key(key)
    assert len(printed.split("-")) == 14
    assert all(len(group) == 4 for group in printed.split("-"))
    assert parse_recovery_key(printed) == key
    assert parse_recovery_key(printed.lower().replace("-", " ")) == key
    assert parse_recovery_key("  " + printed.replace("-", "") + "\n") == key


def test_each_database_gets_a_different_key() -> None:
    assert len({new_database_key() for _ in range(50)}) == 50


@pytest.mark.parametrize("position", [0, 10, 30, 55])
def test_a_single_typo_is_caught_by_the_checksum(position: int) -> None:
    printed = format_recovery_key(new_database_key()).replace("-", "")
    wrong = "B" if printed[position] != "B" else "C"
    typo = printed[:position] + wrong + printed[position + 1 :]
    with pytest.raises(InvalidRecoveryKey, match="typo"):
        parse_recovery_key(typo)


def test_a_short_key_says_how_many_characters_were_missing() -> None:
    printed = format_recovery_key(new_database_key())
    with pytest.raises(InvalidRecoveryKey, match="56 letters and digits; 52 were entered"):
        parse_recovery_key(printed[:-5])


def test_keystore_keeps_one_entry_per_database(keystore: KeyStore, tmp_path: Path) -> None:
    first, second = tmp_path / "a" / "hvdesk.db", tmp_path / "b" / "hvdesk.db"
    k1, k2 = new_database_key(), new_database_key()
    keystore.save(first, k1)
    keystore.save(second, k2)
    assert keystore.load(first) == k1
    assert keystore.load(second) == k2
    keystore.forget(first)
    assert keystore.load(first) is None
    keystore.forget(first)  # forgetting twice is fine


def test_no_credential_store_is_one_clear_error(no_keyring: object, tmp_path: Path) -> None:
    store = KeyStore()
    assert not store.is_available()
    with pytest.raises(CredentialStoreUnavailable, match="no working credential store"):
        store.load(tmp_path / "hvdesk.db")
    with pytest.raises(CredentialStoreUnavailable):
        store.save(tmp_path / "hvdesk.db", new_database_key())
