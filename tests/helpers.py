"""Small helpers shared by tests (not fixtures)."""

from __future__ import annotations

import hashlib
from pathlib import Path


def checksums(folder: Path) -> dict[str, str]:
    """SHA-256 of every file under a folder, to prove an error left the data untouched."""
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def plain_text_hits(folder: Path, needles: list[str]) -> list[tuple[str, str]]:
    """Which of the needles appear in plain text (UTF-8 or UTF-16) in any file of a folder."""
    hits = []
    for path in folder.rglob("*"):
        if not path.is_file():
            continue
        data = path.read_bytes()
        for needle in needles:
            for encoded in (needle.encode("utf-8"), needle.encode("utf-16-le")):
                if encoded in data:
                    hits.append((path.name, needle))
    return hits


def user_with_role(database: object, role: object) -> object:
    """The first active account with `role`, as a signed-in identity (for tests that act as it)."""
    import sqlalchemy as sa

    from hvdesk.db.models import UserAccount
    from hvdesk.services.identity import SignedInUser

    with database.session() as session:  # type: ignore[attr-defined]
        account = session.scalars(
            sa.select(UserAccount)
            .where(UserAccount.role == role, UserAccount.active.is_(True))
            .order_by(UserAccount.id)
        ).first()
        assert account is not None, f"no active {role} account"
        return SignedInUser(
            account.id, account.username, account.display_name, account.role, account.staff_id
        )
