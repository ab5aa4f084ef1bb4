"""Who is watching the board: shifts, and handing over to a colleague in one logged action.

A shift is a `BoardShift` row; the open one (no `ended_at`) is who is monitoring now. Handing
over ends the open shift (recording to whom) and starts the colleague's at the same instant,
in one unit of work, so there is never a moment with nobody or two people on record.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from hvdesk.clock import Clock
from hvdesk.db.database import Database
from hvdesk.db.models import BoardShift, UserAccount
from hvdesk.services import audit
from hvdesk.services.identity import SignedInUser
from hvdesk.services.visit_log import InvalidAction

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class MonitorShift:
    """Who is monitoring the board now, and since when (UTC)."""

    shift_id: int
    user_id: int
    display_name: str
    since: datetime


def current_shift(session: Session) -> MonitorShift | None:
    """The open shift, if anyone is monitoring (the latest started, should there be two)."""
    row = session.execute(
        sa.select(
            BoardShift.id, BoardShift.user_id, BoardShift.started_at, UserAccount.display_name
        )
        .join(UserAccount, UserAccount.id == BoardShift.user_id)
        .where(BoardShift.ended_at.is_(None))
        .order_by(BoardShift.started_at.desc(), BoardShift.id.desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    return MonitorShift(
        shift_id=row.id, user_id=row.user_id, display_name=row.display_name, since=row.started_at
    )


class Monitoring:
    """Start, hand over and end board-monitoring shifts."""

    def __init__(self, database: Database, clock: Clock) -> None:
        self._database = database
        self._clock = clock

    def current(self) -> MonitorShift | None:
        with self._database.session() as session:
            return current_shift(session)

    def start(self, by: SignedInUser) -> int:
        """`by` starts monitoring; returns the shift id.

        Already monitoring: the open shift's id, nothing written. Someone else monitoring: their
        shift ends now, recorded as handed to `by` (taking over the desk is a handover too).
        """
        now = self._clock.now()
        with audit.writing_as(self._database, by, self._clock) as session:
            _active_account(session, by.user_id, "Your account")
            open_shifts = _open_shifts(session)
            if len(open_shifts) == 1 and open_shifts[0].user_id == by.user_id:
                return open_shifts[0].id
            for shift in open_shifts:
                shift.ended_at = now
                shift.handed_to_id = by.user_id
            shift = BoardShift(user_id=by.user_id, started_at=now)
            session.add(shift)
            session.flush()
            shift_id = shift.id
        log.info("Board monitoring: shift %s started by user %s", shift_id, by.user_id)
        return shift_id

    def hand_over(self, from_user: SignedInUser, to_user_id: int) -> int:
        """`from_user` hands the board to a colleague: one action, both shifts recorded.

        Returns the new shift's id. Refused unless `from_user` is the one monitoring now.
        """
        now = self._clock.now()
        if to_user_id == from_user.user_id:
            raise InvalidAction(
                "You cannot hand the board over to yourself; nothing was recorded.",
                "Choose the colleague who is taking over.",
            )
        with audit.writing_as(self._database, from_user, self._clock) as session:
            open_shifts = _open_shifts(session)
            mine = [s for s in open_shifts if s.user_id == from_user.user_id]
            if not mine:
                holder = current_shift(session)
                raise InvalidAction(
                    "You are not monitoring the board"
                    + (f" ({holder.display_name} is)" if holder else "")
                    + ", so there is nothing to hand over; nothing was recorded.",
                    "Start monitoring first, or ask whoever is monitoring to hand over.",
                )
            _active_account(session, to_user_id, "The colleague's account")
            for shift in open_shifts:
                shift.ended_at = now
                shift.handed_to_id = to_user_id
            shift = BoardShift(user_id=to_user_id, started_at=now)
            session.add(shift)
            session.flush()
            shift_id = shift.id
        log.info(
            "Board monitoring: user %s handed over to user %s (shift %s)",
            from_user.user_id,
            to_user_id,
            shift_id,
        )
        return shift_id

    def end(self, by: SignedInUser) -> int:
        """`by` stops monitoring (the end of the day) without handing over; returns the shift id."""
        now = self._clock.now()
        with audit.writing_as(self._database, by, self._clock) as session:
            mine = [s for s in _open_shifts(session) if s.user_id == by.user_id]
            if not mine:
                raise InvalidAction(
                    "You are not monitoring the board; nothing was recorded.",
                    "Only the person monitoring can end their shift.",
                )
            for shift in mine:
                shift.ended_at = now
            shift_id = mine[-1].id
        log.info("Board monitoring: shift %s ended by user %s", shift_id, by.user_id)
        return shift_id


def _open_shifts(session: Session) -> list[BoardShift]:
    return list(
        session.scalars(
            sa.select(BoardShift)
            .where(BoardShift.ended_at.is_(None))
            .order_by(BoardShift.started_at, BoardShift.id)
        )
    )


def _active_account(session: Session, user_id: int, whose: str) -> UserAccount:
    account = session.get(UserAccount, user_id)
    if account is None or not account.active:
        raise InvalidAction(
            f"{whose} (user {user_id}) is not an active hvdesk account; nothing was recorded.",
            "Ask an administrator to check the account.",
        )
    return account
