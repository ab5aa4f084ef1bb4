"""Passwords: the rules a new one must meet, and how one is kept (never the password itself).

A stored password is a self-describing string, ``scrypt$n$r$p$salt$hash`` (salt and hash in
base64), so the cost can be raised later: old hashes still verify with their own parameters and
are re-hashed at the next successful sign-in (`needs_rehash`). scrypt is memory-hard and in the
standard library; the parameters below are OWASP's minimum (N=2^17, r=8, p=1: 128 MiB), about
half a second on an office PC. Hashes made at the earlier 2^14 still verify, and are re-hashed.

Pure: no database, no clock. Lives in the domain so the demo seeder (db) and the accounts
service can share it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
import unicodedata
from dataclasses import dataclass

SCHEME = "scrypt"
SCRYPT_N = 2**17
SCRYPT_R = 8
SCRYPT_P = 1
SALT_BYTES = 16
KEY_BYTES = 32
MIN_LENGTH = 10
MAX_LENGTH = 1000  # far beyond any real password; refuses a pasted document
# A stored string asking for more than this is refused rather than allowed to exhaust memory.
_MAX_MEMORY = 256 * 1024 * 1024


class PasswordProblem(ValueError):
    """A new password that breaks a rule; the message says which, in the office's words."""


@dataclass(frozen=True)
class _Stored:
    n: int
    r: int
    p: int
    salt: bytes
    key: bytes


def password_problem(password: str, username: str) -> str | None:
    """Why this password may not be used for this username, or None if it may."""
    if len(password) < MIN_LENGTH:
        return f"The password must be at least {MIN_LENGTH} characters long."
    if len(password) > MAX_LENGTH:
        return f"The password must be at most {MAX_LENGTH} characters long."
    if not password.strip():
        return "The password cannot be only spaces."
    if username and _normal(password).casefold().strip() == _normal(username).casefold().strip():
        return "The password cannot be the same as the username."
    return None


def check_password_rules(password: str, username: str) -> None:
    """Raise `PasswordProblem` if the password breaks a rule."""
    problem = password_problem(password, username)
    if problem is not None:
        raise PasswordProblem(problem)


def hash_password(
    password: str,
    *,
    salt: bytes | None = None,
    n: int = SCRYPT_N,
    r: int = SCRYPT_R,
    p: int = SCRYPT_P,
) -> str:
    """The string to store for a password: a fresh random salt unless one is given (tests)."""
    salt = salt if salt is not None else secrets.token_bytes(SALT_BYTES)
    key = _scrypt(password, salt, n, r, p, KEY_BYTES)
    return "$".join((SCHEME, str(n), str(r), str(p), _b64(salt), _b64(key)))


def verify_password(password: str, stored: str) -> bool:
    """Whether the password matches the stored string (in constant time for the key compare).

    A malformed stored string never matches; it does not raise, so a damaged row reads as a
    wrong password rather than stopping sign-in for everyone.
    """
    parsed = _parse(stored)
    if parsed is None:
        return False
    key = _scrypt(password, parsed.salt, parsed.n, parsed.r, parsed.p, len(parsed.key))
    return hmac.compare_digest(key, parsed.key)


def needs_rehash(stored: str) -> bool:
    """Whether a stored hash uses other parameters than today's (re-hash at next sign-in)."""
    parsed = _parse(stored)
    return parsed is None or (parsed.n, parsed.r, parsed.p, len(parsed.key)) != (
        SCRYPT_N,
        SCRYPT_R,
        SCRYPT_P,
        KEY_BYTES,
    )


def dummy_hash() -> str:
    """A well-formed stored string no password matches, costing what a real one costs: checked
    for an unknown username so that "no such user" takes as long as "wrong password"."""
    fields = (SCRYPT_N, SCRYPT_R, SCRYPT_P, _b64(bytes(SALT_BYTES)), _b64(bytes(KEY_BYTES)))
    return "$".join((SCHEME, *map(str, fields)))


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int, length: int) -> bytes:
    return hashlib.scrypt(
        _normal(password).encode("utf-8"),
        salt=salt,
        n=n,
        r=r,
        p=p,
        dklen=length,
        maxmem=_MAX_MEMORY,
    )


def _normal(text: str) -> str:
    """One spelling for one password: "é" typed as one character or as e + accent."""
    return unicodedata.normalize("NFC", text)


def _parse(stored: str) -> _Stored | None:
    parts = stored.split("$")
    if len(parts) != 6 or parts[0] != SCHEME:
        return None
    try:
        n, r, p = int(parts[1]), int(parts[2]), int(parts[3])
        salt = base64.b64decode(parts[4], validate=True)
        key = base64.b64decode(parts[5], validate=True)
    except (ValueError, binascii.Error):
        return None
    if n < 2 or n & (n - 1) or not 1 <= r <= 64 or not 1 <= p <= 16 or not salt or not key:
        return None
    if 128 * r * (n + p + 2) > _MAX_MEMORY:
        return None
    return _Stored(n, r, p, salt, key)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")
