"""The demo school for the board's service tests: seeded once per test session into a real
encrypted database, then copied for each test (a copy takes a millisecond, a seed most of a
second), and opened the way the app opens it.

Not a test module: the fixtures are imported by the board's test files.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa

from hvdesk.clock import FakeClock
from hvdesk.db.database import Database, create_database, open_database
from hvdesk.db.keys import new_database_key
from hvdesk.db.models import UserAccount
from hvdesk.db.server_database import open_server_database
from hvdesk.demo.school import DemoSummary, seed_demo
from hvdesk.services.board import BoardService
from hvdesk.services.identity import SignedInUser
from hvdesk.services.monitoring import Monitoring
from hvdesk.services.visit_log import VisitLog
from tests.conftest import MONDAY_MORNING
from tests.server_support import (
    backend,
    create_server_database,
    drop_server_database,
    settings_for,
)


@dataclass(frozen=True)
class Template:
    folder: Path
    key: bytes
    summary: DemoSummary
    server_database: str | None = None  # --backend postgresql: the seeded template database


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
    server_database: str | None = None

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
        if self.server_database is not None:
            self.database = open_server_database(settings_for(self.server_database), self.clock)
        else:
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


@pytest.fixture(scope="session")
def demo_template(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[Template]:
    folder = tmp_path_factory.mktemp("demo-template") / "data"
    key = new_database_key()
    clock = FakeClock(MONDAY_MORNING)
    if backend(request.config) == "postgresql":
        yield from _server_template(folder, clock)
        return
    database = create_database(folder, key, clock)
    with database.session() as session:
        summary = seed_demo(session, clock)
    database.close()
    yield Template(folder, key, summary)


@pytest.fixture
def school(demo_template: Template, tmp_path: Path, clock: FakeClock) -> Iterator[School]:
    """The demo school at MONDAY_MORNING (the `clock` fixture's start), a fresh copy per test."""
    assert clock.now() == MONDAY_MORNING
    data_dir = tmp_path / "school"
    copy = None
    if demo_template.server_database is not None:
        copy = create_server_database(template=demo_template.server_database)
        database = open_server_database(settings_for(copy), clock)
    else:
        shutil.copytree(demo_template.folder, data_dir)
        database = open_database(data_dir, demo_template.key, clock)
    opened = School(
        data_dir=data_dir,
        key=demo_template.key,
        database=database,
        clock=clock,
        summary=demo_template.summary,
        board=BoardService(database, clock),
        log=VisitLog(database, clock),
        monitoring=Monitoring(database, clock),
        server_database=copy,
    )
    yield opened
    opened.database.close()
    if copy is not None:
        drop_server_database(copy)


def _server_template(folder: Path, clock: FakeClock) -> Iterator[Template]:
    """The demo school seeded once into a server database that each test copies."""
    name = create_server_database(prefix="hvdesk_template")
    database = open_server_database(settings_for(name), clock, upgrade=True)
    with database.session() as session:
        summary = seed_demo(session, clock)
    database.close()
    yield Template(folder, b"", summary, server_database=name)
    drop_server_database(name)
