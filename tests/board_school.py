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
from hvdesk.db.server_database import open_server_database
from hvdesk.demo.school import DemoSummary, seed_demo
from hvdesk.services.board import BoardService
from hvdesk.services.identity import SignedInUser
from hvdesk.services.monitoring import Monitoring
from hvdesk.services.visit_log import VisitLog
from tests.conftest import MONDAY_MORNING
from tests.school_copies import Seeded, open_copy, seed
from tests.server_support import (
    backend,
    create_server_database,
    drop_server_database,
    settings_for,
)

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
    server_database: str | None = None  # --backend postgresql: this test's copy on the server

    def state(self, name: str) -> list[int]:
        return self.summary.states[name]

    def one(self, name: str) -> int:
        return self.summary.states[name][0]

    def user(self, username: str) -> SignedInUser:
        return signed_in(self.database, username)

    def open_again(self) -> Database:
        """A second, independent engine on the same database (as another PC would open it)."""
        if self.server_database is not None:
            return open_server_database(settings_for(self.server_database), self.clock)
        return open_database(self.data_dir, self.key, self.clock)

    def reopen(self) -> None:
        """Close the database and open it again, as after a crash or a restart of the PC."""
        self.database.close()
        self.database = self.open_again()
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


_SERVER_DEMO: list[tuple[str, DemoSummary]] = []


def _server_demo() -> tuple[str, DemoSummary]:
    """--backend postgresql: the demo seeded once into a server database that tests copy."""
    if not _SERVER_DEMO:
        name = create_server_database(prefix="hvdesk_template")
        clock = FakeClock(MONDAY_MORNING)
        database = open_server_database(settings_for(name), clock, upgrade=True)
        try:
            _SERVER_DEMO.append((name, _seed_the_demo(database, clock)))
        finally:
            database.close()
    return _SERVER_DEMO[0]


@pytest.fixture
def school(request: pytest.FixtureRequest, tmp_path: Path, clock: FakeClock) -> Iterator[School]:
    """The demo school at MONDAY_MORNING (the `clock` fixture's start), a fresh copy per test:
    of the encrypted file, or (--backend postgresql) of a database on the test server."""
    assert clock.now() == MONDAY_MORNING
    data_dir = tmp_path / "school"
    copy = None
    if backend(request.config) == "postgresql":
        template, summary = _server_demo()
        copy = create_server_database(template=template)
        database = open_server_database(settings_for(copy), clock)
        key = b""
    else:
        demo_template: Template = request.getfixturevalue("demo_template")
        database = open_copy(demo_template, data_dir, clock)
        key, summary = demo_template.key, demo_template.built
    opened = School(
        data_dir=data_dir,
        key=key,
        database=database,
        clock=clock,
        summary=summary,
        board=BoardService(database, clock),
        log=VisitLog(database, clock),
        monitoring=Monitoring(database, clock),
        server_database=copy,
    )
    yield opened
    opened.database.close()
    if copy is not None:
        drop_server_database(copy)
