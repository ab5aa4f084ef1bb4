"""Several PCs and a whole trust on one server (issue 16)

PostgreSQL only (SQLite: nothing changes):

- Every PC hears of a new audit entry at once: a statement-level trigger on the audit trail sends
  NOTIFY hvdesk_changes with the newest entry's id when the transaction commits, so every board
  listening reads again within a second (the poll stays as the fallback). Every change the
  services make writes the trail, so the trail is the one place to listen.
- A trust's schools share one database and never see each other's rows: every school-owned
  table gets a `school` column, filled from the connection's `hvdesk.school` setting (each PC's
  settings file names its school; none: "default"), and row-level security lets a session see
  and write only its school's rows, whatever SQL it runs. What was unique per database becomes
  unique per school (usernames, MIS ids, settings, the audit chain's links), so each school's
  audit chain starts at its own beginning and verifies on its own. The owner role that runs
  `db upgrade` owns the tables and is not filtered; the PCs' role (`db grant`) is. The ORM never
  names the column: the database fills and filters it.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHOOL = "coalesce(current_setting('hvdesk.school', true), 'default')"
SHARED = ("alembic_version", "board_stamp")  # the schema's version; a counter of any change
POLICY = "school_rows"


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        "CREATE FUNCTION hvdesk_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN PERFORM pg_notify('hvdesk_changes', (SELECT max(id) FROM new_entries)::text); "
        "RETURN NULL; END $$"
    )
    op.execute(
        "CREATE TRIGGER audit_entries_notify AFTER INSERT ON audit_entries "
        "REFERENCING NEW TABLE AS new_entries FOR EACH STATEMENT "
        "EXECUTE FUNCTION hvdesk_notify_change()"
    )
    inspector = sa.inspect(op.get_bind())
    for table in _school_tables(inspector):
        op.execute(  # names from the database's own catalogue, never from input
            f"ALTER TABLE {table} ADD COLUMN school varchar(40) NOT NULL DEFAULT {SCHOOL}"
        )
        for unique in inspector.get_unique_constraints(table):
            _rebuild_unique(table, unique["name"], ["school", *unique["column_names"]])
        key = inspector.get_pk_constraint(table)
        if not _has_integer(inspector, table, key["constrained_columns"]):
            op.execute(f"ALTER TABLE {table} DROP CONSTRAINT {key['name']}")
            columns = ", ".join(["school", *key["constrained_columns"]])
            op.execute(f"ALTER TABLE {table} ADD CONSTRAINT {key['name']} PRIMARY KEY ({columns})")
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(
            f"CREATE POLICY {POLICY} ON {table} USING (school = {SCHOOL}) "
            f"WITH CHECK (school = {SCHOOL})"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    inspector = sa.inspect(op.get_bind())
    for table in _school_tables(inspector):
        op.execute(f"DROP POLICY IF EXISTS {POLICY} ON {table}")
        op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
        for unique in inspector.get_unique_constraints(table):
            columns = [c for c in unique["column_names"] if c != "school"]
            _rebuild_unique(table, unique["name"], columns)
        key = inspector.get_pk_constraint(table)
        if "school" in key["constrained_columns"]:
            op.execute(f"ALTER TABLE {table} DROP CONSTRAINT {key['name']}")
            kept = ", ".join(c for c in key["constrained_columns"] if c != "school")
            op.execute(f"ALTER TABLE {table} ADD CONSTRAINT {key['name']} PRIMARY KEY ({kept})")
        op.execute(f"ALTER TABLE {table} DROP COLUMN school")
    op.execute("DROP FUNCTION IF EXISTS hvdesk_notify_change() CASCADE")


def _school_tables(inspector: sa.Inspector) -> list[str]:
    return [t for t in inspector.get_table_names() if t not in SHARED]


def _rebuild_unique(table: str, name: str | None, columns: list[str]) -> None:
    op.execute(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
    op.execute(f"ALTER TABLE {table} ADD CONSTRAINT {name} UNIQUE ({', '.join(columns)})")


def _has_integer(inspector: sa.Inspector, table: str, columns: list[str]) -> bool:
    types = {c["name"]: c["type"] for c in inspector.get_columns(table)}
    return any(isinstance(types[c], sa.Integer) for c in columns)
