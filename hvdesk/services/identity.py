"""Who is acting: every recorded step names a signed-in user ("no silent end", no anonymous log)."""

from __future__ import annotations

from dataclasses import dataclass

from hvdesk.domain.people import Role


@dataclass(frozen=True)
class SignedInUser:
    """A user who has proved who they are; services take one to record and to check permissions."""

    user_id: int
    username: str
    display_name: str
    role: Role
    staff_id: int | None = None
