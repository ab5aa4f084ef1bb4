"""The demo school in a temporary folder, for the benchmarks that need a believable school."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

from hvdesk.clock import FakeClock
from hvdesk.db.database import Database, create_database
from hvdesk.db.keys import new_database_key
from hvdesk.db.models import UserAccount, Visit
from hvdesk.demo.school import seed_demo
from hvdesk.domain.visits import VisitStatus
from hvdesk.services.identity import SignedInUser

NOW = datetime(2026, 11, 23, 10, 30, tzinfo=UTC)  # a Monday morning in term time


@dataclass
class DemoSchool:
    folder: Path
    key: bytes
    database: Database
    clock: FakeClock

    def user(self, username: str = "k.lewis") -> SignedInUser:
        with self.database.session() as session:
            account = session.scalars(
                sa.select(UserAccount).where(UserAccount.username == username)
            ).one()
            return SignedInUser(account.id, account.username, account.display_name, account.role)

    def out_visits(self) -> list[int]:
        with self.database.session() as session:
            return list(
                session.scalars(
                    sa.select(Visit.id).where(Visit.status == VisitStatus.OUT).order_by(Visit.id)
                )
            )


def demo_school(now: datetime = NOW) -> DemoSchool:
    """The demo school seeded at `now` (its colleagues out, due and overdue then)."""
    folder = Path(tempfile.mkdtemp(prefix="hvdesk-bench-demo-"))
    key = new_database_key()
    clock = FakeClock(now)
    database = create_database(folder / "data", key)
    with database.session() as session:
        seed_demo(session, clock)
    return DemoSchool(folder, key, database, clock)
