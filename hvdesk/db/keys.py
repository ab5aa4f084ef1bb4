"""Database keys: the OS credential store, and the recovery key printed for the school safe.

Each database has its own random 256-bit key. The key lives in the OS credential store
(Windows Credential Manager, macOS Keychain, Secret Service) through `keyring`, one entry per
database. hvdesk never writes it to a file. The recovery key is the same 32 bytes written for
people: base32 in groups of four with a checksum, so a typo is caught before any attempt to open.

A rekey keeps both keys in the store until the switch is done: the new one under a "pending"
entry, saved before the file changes. Whichever instant a rekey is cut short at, `load` hands
back the stored key that actually opens the file (promoting the pending one if it is that).
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import logging
import secrets
from pathlib import Path

import keyring
import keyring.backend
import keyring.errors

from hvdesk.db.backup import key_opens
from hvdesk.db.engine import KEY_BYTES, raw_key_literal
from hvdesk.errors import CredentialStoreUnavailable, InvalidRecoveryKey

log = logging.getLogger(__name__)

SERVICE = "hvdesk"
_CHECK_BYTES = 3
_GROUP = 4
# Base32 without the padding; 0/O and 1/I/L typed in place of their look-alikes are forgiven.
_CONFUSABLE = str.maketrans({"0": "O", "1": "I", "8": "B"})


def new_database_key() -> bytes:
    """A fresh random key for a new database."""
    return secrets.token_bytes(KEY_BYTES)


def format_recovery_key(key: bytes) -> str:
    """The key as people copy it: 14 groups of 4 (A-Z, 2-7), ending in a checksum."""
    if len(key) != KEY_BYTES:
        raise ValueError("a database key is 32 bytes")
    check = hashlib.sha256(b"hvdesk-recovery" + key).digest()[:_CHECK_BYTES]
    text = base64.b32encode(key + check).decode("ascii").rstrip("=")
    return "-".join(text[i : i + _GROUP] for i in range(0, len(text), _GROUP))


def parse_recovery_key(typed: str) -> bytes:
    """Read a recovery key as typed: any case, spaces or dashes; a typo is caught by its check."""
    cleaned = "".join(ch for ch in typed.upper() if ch.isalnum()).translate(_CONFUSABLE)
    expected = len(format_recovery_key(bytes(KEY_BYTES)).replace("-", ""))
    if len(cleaned) != expected:
        raise InvalidRecoveryKey(
            f"A recovery key has {expected} letters and digits; {len(cleaned)} were entered.",
            "Check the printed recovery key and type it again (dashes and spaces are optional).",
        )
    padded = cleaned + "=" * (-len(cleaned) % 8)
    try:
        raw = base64.b32decode(padded)
    except ValueError as exc:
        raise InvalidRecoveryKey(
            "The recovery key contains characters that cannot be in a recovery key.",
            "Recovery keys use the letters A-Z and the digits 2-7; check the printed copy.",
        ) from exc
    key, check = raw[:KEY_BYTES], raw[KEY_BYTES:]
    if hashlib.sha256(b"hvdesk-recovery" + key).digest()[:_CHECK_BYTES] != check:
        raise InvalidRecoveryKey(
            "The recovery key has a typo: its check digits do not match.",
            "Compare each group with the printed copy and type it again.",
        )
    return key


def key_entry_name(database_path: Path) -> str:
    """The credential-store entry of one database: one entry per database file."""
    return f"database:{database_path.resolve()}"


def anchor_entry_name(database_path: Path) -> str:
    """The entry holding the audit trail's head (an anchor: an id and a hash, not a secret)."""
    return f"audit-anchor:{database_path.resolve()}"


def pending_entry_name(database_path: Path) -> str:
    """The entry holding a rekey's new key until the file has switched to it."""
    return f"pending:{database_path.resolve()}"


class CredentialStoreLocked(CredentialStoreUnavailable):
    """The credential store is there but locked (a keyring not yet unlocked this session)."""

    title = "Credential store locked"


class KeyStore:
    """The OS credential store, with "no store here" turned into one clear error."""

    def __init__(self, backend: keyring.backend.KeyringBackend | None = None) -> None:
        self._backend = backend

    @property
    def backend(self) -> keyring.backend.KeyringBackend:
        return self._backend or keyring.get_keyring()

    def load(self, database_path: Path) -> bytes | None:
        """The stored key of this database, or None when the store has no entry for it. After
        an interrupted rekey, whichever stored key opens the file."""
        current = self._read(key_entry_name(database_path))
        pending = self._read(pending_entry_name(database_path))
        if pending is None or not database_path.is_file():
            return current
        if current is not None and key_opens(database_path, raw_key_literal(current)):
            return current
        if key_opens(database_path, raw_key_literal(pending)):
            log.warning("A rekey was interrupted after the switch: keeping the new key")
            self.save(database_path, pending)
            self.forget_pending(database_path)
            return pending
        return current

    def _read(self, entry: str) -> bytes | None:
        try:
            stored = self.backend.get_password(SERVICE, entry)
        except keyring.errors.KeyringError as exc:
            raise _unavailable(exc) from exc
        if stored is None:
            return None
        try:
            key = bytes.fromhex(stored)
        except ValueError:
            log.warning("The credential store entry for the database is not a key; ignoring it")
            return None
        return key if len(key) == KEY_BYTES else None

    def save_pending(self, database_path: Path, key: bytes) -> bool:
        """Keep a rekey's new key beside the current one (False where there is no store)."""
        try:
            self.backend.set_password(SERVICE, pending_entry_name(database_path), key.hex())
        except keyring.errors.KeyringError:
            return False
        return True

    def forget_pending(self, database_path: Path) -> None:
        """Drop the pending entry once the switch is done (or abandoned before the file)."""
        with contextlib.suppress(keyring.errors.KeyringError):
            self.backend.delete_password(SERVICE, pending_entry_name(database_path))

    def save(self, database_path: Path, key: bytes) -> None:
        """Keep the key for this account (after creation, or after a recovery key opened it)."""
        try:
            self.backend.set_password(SERVICE, key_entry_name(database_path), key.hex())
        except keyring.errors.KeyringError as exc:
            raise _unavailable(exc) from exc

    def try_save(self, database_path: Path, key: bytes) -> bool:
        """`save`, reporting False instead of raising where this computer has no store."""
        try:
            self.save(database_path, key)
        except CredentialStoreUnavailable:
            return False
        return True

    def forget(self, database_path: Path) -> None:
        """Remove this database's entry; missing entries are fine."""
        try:
            self.backend.delete_password(SERVICE, key_entry_name(database_path))
        except keyring.errors.PasswordDeleteError:
            pass
        except keyring.errors.KeyringError as exc:
            raise _unavailable(exc) from exc

    def keep_anchor(self, database_path: Path, anchor: str) -> bool:
        """Keep the audit trail's head beside the key; False where there is no store."""
        try:
            self.backend.set_password(SERVICE, anchor_entry_name(database_path), anchor)
        except keyring.errors.KeyringError:
            return False
        return True

    def anchor(self, database_path: Path) -> str | None:
        """The audit trail's head as last kept here, or None."""
        try:
            return self.backend.get_password(SERVICE, anchor_entry_name(database_path))
        except keyring.errors.KeyringError:
            return None

    def is_available(self) -> bool:
        """Whether a working credential store is here (not so on a headless Linux box)."""
        try:
            self.backend.get_password(SERVICE, "availability-check")
        except keyring.errors.KeyringError:
            return False
        return True


def _unavailable(exc: Exception) -> CredentialStoreUnavailable:
    if isinstance(exc, keyring.errors.KeyringLocked):
        log.info("Credential store locked")
        return CredentialStoreLocked(
            "The credential store on this computer is locked, so the database key cannot be "
            "read from it.",
            "Unlock it (sign in to the desktop, or unlock the login keyring), then try again; "
            "or enter the recovery key.",
        )
    log.info("Credential store unavailable: %s", type(exc).__name__)
    return CredentialStoreUnavailable(
        "This computer has no working credential store to keep the database key in.",
        "Enter the recovery key each time hvdesk starts (or set HVDESK_RECOVERY_KEY for the "
        "command line).",
    )
