"""Several PCs on one server (issue 16): every PC hears of a new audit entry at once

On PostgreSQL, a statement-level trigger on the audit trail sends NOTIFY hvdesk_changes with the
newest entry's id when a transaction that wrote it commits, so every board listening refreshes
within a second (the poll stays as the fallback). Every change the services make writes the
trail, so the trail is the one place to listen. SQLite has no NOTIFY: nothing changes there.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


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


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP FUNCTION IF EXISTS hvdesk_notify_change() CASCADE")
