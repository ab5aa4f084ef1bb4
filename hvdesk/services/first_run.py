"""The first-run assistant's record: whether a school database still needs setting up, the
confirmation that the recovery key was kept, the school's logo, and the end of the set-up.

A database needs setting up until the assistant has been finished, unless it is already in use
(it has visits: a school that landed before the assistant existed, or the demo). Closing the
assistant half-way leaves it needed, so it opens again at the next start; the safety-critical
steps (an administrator, the recovery key kept, the ladder and working hours) cannot be passed
without being done.
"""

from __future__ import annotations

import base64
import logging
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from hvdesk.clock import Clock
from hvdesk.db.database import Database
from hvdesk.db.models import SchoolSetup, Setting, Visit
from hvdesk.domain.people import Role
from hvdesk.errors import HvdeskError
from hvdesk.services.acting import require_active_account
from hvdesk.services.audit import writing_as
from hvdesk.services.documents import LOGO_SETTING
from hvdesk.services.identity import SignedInUser

__all__ = ["LOGO_MAX_BYTES", "FirstRun", "LogoRejected", "SetupState"]

log = logging.getLogger(__name__)

LOGO_MAX_BYTES = 2_000_000
_PICTURES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")  # PNG, JPEG


class LogoRejected(HvdeskError):
    title = "Logo not used"


class SetupNotPermitted(HvdeskError):
    title = "Not permitted"


@dataclass(frozen=True)
class SetupState:
    """Where the set-up stands."""

    needed: bool
    recovery_key_confirmed: bool
    has_logo: bool


class FirstRun:
    """The set-up record of one database."""

    def __init__(self, database: Database, clock: Clock) -> None:
        self._database = database
        self._clock = clock

    def state(self) -> SetupState:
        with self._database.session() as session:
            setup = session.get(SchoolSetup, 1)
            in_use = session.scalar(sa.select(sa.func.count(Visit.id))) or 0
            done = setup is not None and setup.completed_at is not None
            return SetupState(
                needed=not done and in_use == 0,
                recovery_key_confirmed=setup is not None
                and setup.recovery_key_confirmed_at is not None,
                has_logo=session.get(Setting, LOGO_SETTING) is not None,
            )

    def confirm_recovery_key(self, by: SignedInUser) -> None:
        """The office says it has printed or written down the recovery key."""
        with writing_as(self._database, by, self._clock) as session:
            self._admin(session, by).recovery_key_confirmed_at = self._clock.now()

    def save_logo(self, by: SignedInUser, picture: bytes | None) -> None:
        """The school's logo, printed in every document's header (None: no logo). Kept as
        the `school_logo` setting the documents read."""
        if picture is not None and (
            not picture.startswith(_PICTURES) or len(picture) > LOGO_MAX_BYTES
        ):
            raise LogoRejected(
                "The logo must be a PNG or JPEG picture of at most 2 MB.",
                "Choose another file, or go on without a logo.",
            )
        with writing_as(self._database, by, self._clock) as session:
            self._admin(session, by)
            row = session.get(Setting, LOGO_SETTING)
            if picture is None:
                if row is not None:
                    session.delete(row)
                return
            encoded = base64.b64encode(picture).decode("ascii")
            if row is None:
                row = Setting(key=LOGO_SETTING)
                session.add(row)
            row.value = encoded
            row.updated_at = self._clock.now()
            row.updated_by_id = by.user_id

    def logo(self) -> bytes | None:
        with self._database.session() as session:
            stored = session.get(Setting, LOGO_SETTING)
            if stored is None or not isinstance(stored.value, str):
                return None
            return base64.b64decode(stored.value)

    def complete(self, by: SignedInUser) -> None:
        """The assistant's last step; refused while the recovery key is not confirmed."""
        with writing_as(self._database, by, self._clock) as session:
            setup = self._admin(session, by)
            if setup.recovery_key_confirmed_at is None:
                raise SetupNotPermitted(
                    "The set-up cannot finish before the office confirms it has kept the "
                    "recovery key.",
                    "Go back to the recovery key step.",
                )
            setup.completed_at = self._clock.now()
            setup.completed_by_id = by.user_id
        log.info("First-run set-up completed by user %d", by.user_id)

    def _admin(self, session: Session, by: SignedInUser) -> SchoolSetup:
        account = require_active_account(session, by, SetupNotPermitted)
        if account.role is not Role.ADMINISTRATOR:
            raise SetupNotPermitted(
                "Only the administrator sets up a new school database.",
                "Sign in as the administrator.",
            )
        setup = session.get(SchoolSetup, 1)
        if setup is None:
            setup = SchoolSetup(id=1)
            session.add(setup)
        return setup
