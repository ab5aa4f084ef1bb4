"""Migrations: empty and older databases reach head intact, newer ones are refused untouched,
and a failure part-way leaves nothing applied."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from hvdesk.clock import FakeClock
from hvdesk.db.database import create_database, current_state, database_path, open_database
from hvdesk.db.engine import create_encrypted_engine
from hvdesk.db.keys import new_database_key
from hvdesk.db.migrate import head_revision, revisions_in_order, upgrade_to_head
from hvdesk.db.models import Base, Household, Staff
from hvdesk.db.schema_version import HEAD, KNOWN_REVISIONS, schema_state
from hvdesk.errors import DatabaseTooNew
from tests.helpers import checksums

MIGRATIONS = Path(__file__).resolve().parents[1] / "hvdesk" / "db" / "migrations"


def _database_at(data_dir: Path, key: bytes, revision: str) -> None:
    data_dir.mkdir(parents=True)
    engine = create_encrypted_engine(database_path(data_dir), key)
    upgrade_to_head(engine, target=revision)
    engine.dispose()


def test_an_empty_database_reaches_head(data_dir: Path) -> None:
    database = create_database(data_dir, new_database_key())
    with database.engine.connect() as connection:
        state = schema_state(connection)
    assert state.current == head_revision()
    assert not state.needs_upgrade
    database.close()


def test_the_fast_version_check_knows_every_shipped_migration() -> None:
    """Start-up reads the version without Alembic; its list must match the scripts."""
    assert list(KNOWN_REVISIONS) == revisions_in_order()
    assert head_revision() == HEAD


def test_models_and_migrations_agree(data_dir: Path) -> None:
    database = create_database(data_dir, new_database_key())
    with database.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
    database.close()


def test_a_database_at_the_previous_revision_with_rows_reaches_head_intact(
    data_dir: Path, clock: FakeClock
) -> None:
    key = new_database_key()
    _database_at(data_dir, key, "0001")
    engine = create_encrypted_engine(database_path(data_dir), key)
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO households (id, address_line1, town, postcode, area, created_at) "
            "VALUES (7, '3 Ffordd Llŷr', 'Bangor', 'LL57 9ZZ', 'Hirael', '2025-01-02 09:00:00')"
        )
        connection.exec_driver_sql(
            "INSERT INTO staff (id, first_name, last_name, job_role, dbs_level, active) "
            "VALUES (3, 'Łukasz', 'Kowalczyk', 'attendance_officer', 'enhanced', 1)"
        )
    engine.dispose()
    assert current_state(data_dir, key).current == "0001"

    database = open_database(data_dir, key, clock)
    assert database.upgraded_from == "0001"
    with database.session() as session:
        home = session.get(Household, 7)
        staff = session.get(Staff, 3)
        assert home is not None and staff is not None
        assert home.address_line1 == "3 Ffordd Llŷr"
        assert home.created_at == datetime(2025, 1, 2, 9, 0, tzinfo=UTC)
        assert home.location_notes is None  # the new column, empty for old rows
        assert staff.full_name == "Łukasz Kowalczyk"
        staff.description = "Tall, dark hair, glasses"
    database.close()
    assert current_state(data_dir, key).current == head_revision()

    # The copy set aside before the upgrade is the old database, still encrypted.
    copy = database.pre_upgrade_copy
    assert copy is not None and copy.parent.name == "backups"
    assert not copy.read_bytes().startswith(b"SQLite format 3")
    copy_dir = data_dir.parent / "copy"
    copy_dir.mkdir()
    shutil.copy(copy, copy_dir / "hvdesk.db")
    assert current_state(copy_dir, key).current == "0001"


def test_a_database_from_a_newer_hvdesk_is_refused_untouched(
    data_dir: Path, clock: FakeClock
) -> None:
    key = new_database_key()
    create_database(data_dir, key).close()
    engine = create_encrypted_engine(database_path(data_dir), key)
    with engine.begin() as connection:
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = '0099_future'")
    engine.dispose()
    before = checksums(data_dir)
    with pytest.raises(DatabaseTooNew, match="newer version of hvdesk"):
        open_database(data_dir, key, clock)
    with pytest.raises(DatabaseTooNew):
        current_state(data_dir, key)
    assert checksums(data_dir) == before


def test_a_failing_migration_rolls_back_whole(data_dir: Path, tmp_path: Path) -> None:
    """A migration after head that creates a table, alters another, then fails: none of it
    stays."""
    scripts = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    (scripts / "versions" / "9999_broken.py").write_text(
        '"""A migration that fails part-way."""\n'
        "import sqlalchemy as sa\n"
        "from alembic import op\n\n"
        f"revision = '9999'\ndown_revision = '{HEAD}'\n"
        "branch_labels = None\ndepends_on = None\n\n\n"
        "def upgrade():\n"
        "    op.create_table('half_done', sa.Column('id', sa.Integer, primary_key=True))\n"
        "    with op.batch_alter_table('staff') as batch:\n"
        "        batch.add_column(sa.Column('shoe_size', sa.Integer))\n"
        "    op.execute('INSERT INTO no_such_table VALUES (1)')\n\n\n"
        "def downgrade():\n    pass\n",
        encoding="utf-8",
    )
    key = new_database_key()
    create_database(data_dir, key).close()
    engine = create_encrypted_engine(database_path(data_dir), key)
    with pytest.raises(sa.exc.OperationalError, match="no_such_table"):
        upgrade_to_head(engine, script_location=str(scripts))
    with engine.connect() as connection:
        inspector = sa.inspect(connection)
        assert "half_done" not in inspector.get_table_names()
        assert "shoe_size" not in {c["name"] for c in inspector.get_columns("staff")}
        assert schema_state(connection).current == head_revision()
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()
