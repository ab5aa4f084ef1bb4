"""A real PostgreSQL server for the tests of server mode (issue 16).

The server is a throwaway cluster (started by `.ci/run`, or by hand) whose administrator URL is
in `HVDESK_TEST_SERVER`, for example
``postgresql://postgres@/postgres?host=/tmp/hvdesk-pg&port=55432``. Tests that need it are
skipped, saying so, when it is not set. `--backend postgresql` runs the school fixture (and so
the database, service and board tests built on it) on that server instead of SQLCipher.

Not a test module.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from hvdesk.clock import FakeClock
from hvdesk.db.server import ServerSettings, parse_settings
from hvdesk.db.server_database import open_server_database
from hvdesk.demo.school import seed_demo

SERVER_ENV = "HVDESK_TEST_SERVER"
_MONDAY_MORNING = datetime(2026, 11, 23, 10, 30, tzinfo=UTC)  # as tests.conftest
_names = itertools.count(1)


def admin_url() -> str:
    url = os.environ.get(SERVER_ENV)
    if not url:
        pytest.skip(f"no PostgreSQL server for the tests ({SERVER_ENV} is not set)")
    return url


def backend(config: pytest.Config) -> str:
    return str(config.getoption("--backend"))


@contextmanager
def _admin() -> Iterator[sa.Connection]:
    url = make_url(admin_url()).set(drivername="postgresql+psycopg")
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as connection:
            yield connection
    finally:
        engine.dispose()


def settings_for(name: str) -> ServerSettings:
    """The settings hvdesk would use for database `name` on the test server."""
    url = make_url(admin_url()).set(database=name)
    return parse_settings(url.render_as_string(hide_password=False))


def create_server_database(template: str | None = None, prefix: str = "hvdesk_test") -> str:
    """A new, empty (or copied from `template`) database on the test server: its name."""
    name = f"{prefix}_{os.getpid()}_{next(_names)}"
    with _admin() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}"')
        copy = f' TEMPLATE "{template}"' if template else ""
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"{copy}')
    return name


def drop_server_database(name: str) -> None:
    with _admin() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run_as_admin(name: str, *statements: str) -> None:
    """Statements run by the server's administrator in database `name` (roles, grants)."""
    url = make_url(admin_url()).set(drivername="postgresql+psycopg", database=name)
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as connection:
            for statement in statements:
                connection.exec_driver_sql(statement)
    finally:
        engine.dispose()


@dataclass(frozen=True)
class Demo:
    name: str
    states: dict[str, list[int]]


@pytest.fixture(scope="module")
def demo_on_server() -> Iterator[Demo]:
    """The demo school seeded once on the server; tests copy it."""
    admin_url()
    name = create_server_database(prefix="hvdesk_server_demo")
    clock = FakeClock(_MONDAY_MORNING)
    database = open_server_database(settings_for(name), clock, upgrade=True)
    with database.session() as session:
        summary = seed_demo(session, clock)
    database.close()
    yield Demo(name, summary.states)
    drop_server_database(name)


@pytest.fixture
def demo_copy(demo_on_server: Demo) -> Iterator[str]:
    name = create_server_database(template=demo_on_server.name)
    yield name
    drop_server_database(name)
