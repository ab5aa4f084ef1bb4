"""The demo school for the board's service tests: seeded once per test session into a real
encrypted database, then copied for each test (a copy takes a millisecond, a seed most of a
second), and opened the way the app opens it.

Not a test module: the fixtures are imported by the board's test files.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa

from hvdesk.clock import FakeClock
from hvdesk.db.database import Database, open_database
from hvdesk.db.models import UserAccount
from hvdesk.demo.school import DemoSummary, seed_demo
from hvdesk.services.board import BoardService
from hvdesk.services.identity import SignedInUser
from hvdesk.services.monitoring import Monitoring
from hvdesk.services.visit_log import VisitLog
from tests.conftest import MONDAY_MORNING
from tests.school_copies import Seeded, open_copy, seed

Template = Seeded[DemoSummary]


@dataclass
class School:
    """An open copy of the demo school, with the services under test wired to one clock."""

    data_dir: Path
    key: bytes
    database: Database
    clock: FakeClock
    summary: DemoSummary
    board: BoardService
    log: VisitLog
    monitoring: Monitoring

    def state(self, name: str) -> list[int]:
        return self.summary.states[name]

    def one(self, name: str) -> int:
        return self.summary.states[name][0]

    def user(self, username: str) -> SignedInUser:
        return signed_in(self.database, username)

    def reopen(self) -> None:
        """Close the database and open it again, as after a crash or a restart of the PC."""
        self.database.close()
        self.database = open_database(self.data_dir, self.key, self.clock)
        self.board = BoardService(self.database, self.clock)
        self.log = VisitLog(self.database, self.clock)
        self.monitoring = Monitoring(self.database, self.clock)


def signed_in(database: Database, username: str) -> SignedInUser:
    with database.session() as session:
        account = session.scalars(
            sa.select(UserAccount).where(UserAccount.username == username)
        ).one()
        return SignedInUser(
            user_id=account.id,
            username=account.username,
            display_name=account.display_name,
            role=account.role,
            staff_id=account.staff_id,
        )


def _seed_the_demo(database: Database, clock: FakeClock) -> DemoSummary:
    with database.session() as session:
        return seed_demo(session, clock)


_DEMO: list[Template] = []


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Template:
    """The demo school, seeded once per test session at the `clock` fixture's start. Each
    module that imports this fixture gets a fixture of its own from pytest, so the seed is kept
    here, not in pytest's cache: otherwise every such module would seed it again."""
    if not _DEMO:
        folder = tmp_path_factory.mktemp("demo-template") / "data"
        _DEMO.append(seed(folder, MONDAY_MORNING, _seed_the_demo))
    return _DEMO[0]


@pytest.fixture
def school(demo_template: Template, tmp_path: Path, clock: FakeClock) -> Iterator[School]:
    """The demo school at MONDAY_MORNING (the `clock` fixture's start), a fresh copy per test."""
    assert clock.now() == MONDAY_MORNING
    data_dir = tmp_path / "school"
    database = open_copy(demo_template, data_dir, clock)
    opened = School(
        data_dir=data_dir,
        key=demo_template.key,
        database=database,
        clock=clock,
        summary=demo_template.built,
        board=BoardService(database, clock),
        log=VisitLog(database, clock),
        monitoring=Monitoring(database, clock),
    )
    yield opened
    opened.database.close()
