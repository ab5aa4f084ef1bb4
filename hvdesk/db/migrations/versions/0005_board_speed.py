"""The board at the physical floor (issue 14): a change counter the board reads first

The board is read every five seconds; most reads find nothing changed. `board_stamp` holds one
row whose `changes` the database itself moves on (triggers) whenever a table the board shows is
written, by hvdesk or anything else, so one indexed read of one row tells the board whether it
must look further. SQLite gets SQL triggers; PostgreSQL gets the same in PL/pgSQL (issue 16).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WATCHED = (
    "visits",
    "visit_events",
    "visit_staff",
    "staff",
    "households",
    "known_risks",
    "pupils",
    "authorisations",
    "settings",
    "board_shifts",
    "user_accounts",
)
"""Every table a board read looks at."""
_CHANGES = ("insert", "update", "delete")


def upgrade() -> None:
    op.create_table(
        "board_stamp",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("changes", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_board_stamp")),
    )
    op.execute("INSERT INTO board_stamp (id, changes) VALUES (1, 0)")
    if op.get_bind().dialect.name == "postgresql":
        _postgresql_triggers()
        return
    if op.get_bind().dialect.name != "sqlite":
        return
    for table in WATCHED:
        for change in _CHANGES:
            op.execute(  # names from the constants above, never from input
                f"CREATE TRIGGER board_stamp_{table}_{change} AFTER {change.upper()} ON {table} "  # noqa: S608
                "BEGIN UPDATE board_stamp SET changes = changes + 1 WHERE id = 1; END"
            )


# PostgreSQL (issue 16): one statement-level trigger per table. It first takes the audit
# chain's transaction lock (hvdesk.db.audit_trail.CHAIN_LOCK), so every writer takes the two
# locks in the same order (chain, then this row) and two PCs can never deadlock on them.
_BUMP_POSTGRESQL = (
    "CREATE FUNCTION board_stamp_bump() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN PERFORM pg_advisory_xact_lock(114857699799915); "
    "UPDATE board_stamp SET changes = changes + 1 WHERE id = 1; RETURN NULL; END $$"
)


def _postgresql_triggers() -> None:
    op.execute(_BUMP_POSTGRESQL)
    for table in WATCHED:
        op.execute(  # names from the constants above, never from input
            f"CREATE TRIGGER board_stamp_{table} AFTER INSERT OR UPDATE OR DELETE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION board_stamp_bump()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS board_stamp_bump() CASCADE")
    if op.get_bind().dialect.name == "sqlite":
        for table in WATCHED:
            for change in _CHANGES:
                op.execute(f"DROP TRIGGER IF EXISTS board_stamp_{table}_{change}")
    op.drop_table("board_stamp")
