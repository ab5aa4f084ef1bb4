"""Follow-ups, incident reviews, and the tables of trust (audit, holds, retention, access, backups)

- follow_ups: the actions a visit record requires, with owner, due date and when done.
- visits.record_written_at/by: who wrote the after-visit record.
- incidents.review_started_at/by; known_risks.incident_id: a risk added by an incident review.
- audit_entries: the append-only, hash-chained audit trail. Triggers refuse UPDATE and DELETE,
  so only a deliberate change of the schema can alter it, and the chain shows that too.
- legal_holds, retention_deletions, subject_access_requests, backup_records.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from hvdesk.db.types import UTCDateTime

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APPEND_ONLY = (
    "CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries "
    "BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END",
    "CREATE TRIGGER audit_entries_no_delete BEFORE DELETE ON audit_entries "
    "BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END",
)
# The same refusal on PostgreSQL (issue 16): a PL/pgSQL function the two triggers call.
APPEND_ONLY_POSTGRESQL = (
    "CREATE FUNCTION audit_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN RAISE EXCEPTION 'the audit trail is append-only'; END $$",
    "CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries "
    "FOR EACH ROW EXECUTE FUNCTION audit_entries_append_only()",
    "CREATE TRIGGER audit_entries_no_delete BEFORE DELETE ON audit_entries "
    "FOR EACH ROW EXECUTE FUNCTION audit_entries_append_only()",
    "CREATE TRIGGER audit_entries_no_truncate BEFORE TRUNCATE ON audit_entries "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_entries_append_only()",
)


def _append_only() -> tuple[str, ...]:
    return APPEND_ONLY_POSTGRESQL if op.get_bind().dialect.name == "postgresql" else APPEND_ONLY


def upgrade() -> None:
    op.create_table(
        "audit_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("username", sa.String(length=80), nullable=True),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("record_type", sa.String(length=40), nullable=True),
        sa.Column("record_id", sa.Integer(), nullable=True),
        sa.Column("details", sa.Text(), nullable=True),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("entry_hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_entries")),
        sa.UniqueConstraint("entry_hash", name=op.f("uq_audit_entries_entry_hash")),
        # Two entries can never follow the same one: the chain cannot fork, whatever writes.
        sa.UniqueConstraint("prev_hash", name=op.f("uq_audit_entries_prev_hash")),
    )
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_entries_at"), ["at"], unique=False)
        batch_op.create_index("ix_audit_entries_record", ["record_type", "record_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_entries_user_id"), ["user_id"], unique=False)
    for statement in _append_only():
        op.execute(statement)

    op.create_table(
        "backup_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("file_name", sa.String(length=260), nullable=True),
        sa.Column("ok", sa.Boolean(), nullable=False),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["by_id"], ["user_accounts.id"], name=op.f("fk_backup_records_by_id_user_accounts")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_backup_records")),
    )
    with op.batch_alter_table("backup_records", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_backup_records_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_backup_records_by_id"), ["by_id"], unique=False)

    op.create_table(
        "legal_holds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_type", sa.String(length=40), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("placed_at", UTCDateTime(), nullable=False),
        sa.Column("placed_by_id", sa.Integer(), nullable=True),
        sa.Column("lifted_at", UTCDateTime(), nullable=True),
        sa.Column("lifted_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["lifted_by_id"],
            ["user_accounts.id"],
            name=op.f("fk_legal_holds_lifted_by_id_user_accounts"),
        ),
        sa.ForeignKeyConstraint(
            ["placed_by_id"],
            ["user_accounts.id"],
            name=op.f("fk_legal_holds_placed_by_id_user_accounts"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_legal_holds")),
    )
    with op.batch_alter_table("legal_holds", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_legal_holds_lifted_by_id"), ["lifted_by_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_legal_holds_placed_by_id"), ["placed_by_id"], unique=False
        )

    op.create_table(
        "retention_deletions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=60), nullable=False),
        sa.Column("rule", sa.String(length=200), nullable=False),
        sa.Column("record_type", sa.String(length=40), nullable=False),
        sa.Column("record_count", sa.Integer(), nullable=False),
        sa.Column("deleted_at", UTCDateTime(), nullable=False),
        sa.Column("deleted_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["deleted_by_id"],
            ["user_accounts.id"],
            name=op.f("fk_retention_deletions_deleted_by_id_user_accounts"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_retention_deletions")),
    )
    with op.batch_alter_table("retention_deletions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_retention_deletions_deleted_by_id"), ["deleted_by_id"], unique=False
        )

    op.create_table(
        "subject_access_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subject_type", sa.String(length=20), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("requested_by", sa.String(length=160), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("logged_at", UTCDateTime(), nullable=False),
        sa.Column("logged_by_id", sa.Integer(), nullable=True),
        sa.Column("exported_at", UTCDateTime(), nullable=True),
        sa.Column("exported_by_id", sa.Integer(), nullable=True),
        sa.Column("completed_at", UTCDateTime(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["exported_by_id"],
            ["user_accounts.id"],
            name=op.f("fk_subject_access_requests_exported_by_id_user_accounts"),
        ),
        sa.ForeignKeyConstraint(
            ["logged_by_id"],
            ["user_accounts.id"],
            name=op.f("fk_subject_access_requests_logged_by_id_user_accounts"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subject_access_requests")),
    )
    with op.batch_alter_table("subject_access_requests", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_subject_access_requests_due_on"), ["due_on"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_subject_access_requests_exported_by_id"),
            ["exported_by_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_subject_access_requests_logged_by_id"), ["logged_by_id"], unique=False
        )

    op.create_table(
        "follow_ups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("owner_staff_id", sa.Integer(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("done_at", UTCDateTime(), nullable=True),
        sa.Column("done_by_id", sa.Integer(), nullable=True),
        sa.Column("done_note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_accounts.id"],
            name=op.f("fk_follow_ups_created_by_id_user_accounts"),
        ),
        sa.ForeignKeyConstraint(
            ["done_by_id"],
            ["user_accounts.id"],
            name=op.f("fk_follow_ups_done_by_id_user_accounts"),
        ),
        sa.ForeignKeyConstraint(
            ["owner_staff_id"], ["staff.id"], name=op.f("fk_follow_ups_owner_staff_id_staff")
        ),
        sa.ForeignKeyConstraint(
            ["visit_id"],
            ["visits.id"],
            name=op.f("fk_follow_ups_visit_id_visits"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follow_ups")),
    )
    with op.batch_alter_table("follow_ups", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_follow_ups_created_by_id"), ["created_by_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_follow_ups_done_by_id"), ["done_by_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_follow_ups_due_on"), ["due_on"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_follow_ups_owner_staff_id"), ["owner_staff_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_follow_ups_visit_id"), ["visit_id"], unique=False)

    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("review_started_at", UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("review_started_by_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_incidents_review_started_by_id"), ["review_started_by_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_incidents_review_started_by_id_user_accounts"),
            "user_accounts",
            ["review_started_by_id"],
            ["id"],
        )

    with op.batch_alter_table("known_risks", schema=None) as batch_op:
        batch_op.add_column(sa.Column("incident_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_known_risks_incident_id"), ["incident_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_known_risks_incident_id_incidents"), "incidents", ["incident_id"], ["id"]
        )

    with op.batch_alter_table("visits", schema=None) as batch_op:
        batch_op.add_column(sa.Column("record_written_at", UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("record_written_by_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_visits_record_written_by_id"), ["record_written_by_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_visits_record_written_by_id_user_accounts"),
            "user_accounts",
            ["record_written_by_id"],
            ["id"],
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS audit_entries_append_only() CASCADE")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_entries_no_delete")
        op.execute("DROP TRIGGER IF EXISTS audit_entries_no_update")
    with op.batch_alter_table("visits", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_visits_record_written_by_id_user_accounts"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_visits_record_written_by_id"))
        batch_op.drop_column("record_written_by_id")
        batch_op.drop_column("record_written_at")

    with op.batch_alter_table("known_risks", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_known_risks_incident_id_incidents"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_known_risks_incident_id"))
        batch_op.drop_column("incident_id")

    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_incidents_review_started_by_id_user_accounts"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_incidents_review_started_by_id"))
        batch_op.drop_column("review_started_by_id")
        batch_op.drop_column("review_started_at")

    with op.batch_alter_table("follow_ups", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_follow_ups_visit_id"))
        batch_op.drop_index(batch_op.f("ix_follow_ups_owner_staff_id"))
        batch_op.drop_index(batch_op.f("ix_follow_ups_due_on"))
        batch_op.drop_index(batch_op.f("ix_follow_ups_done_by_id"))
        batch_op.drop_index(batch_op.f("ix_follow_ups_created_by_id"))

    op.drop_table("follow_ups")
    with op.batch_alter_table("subject_access_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_subject_access_requests_logged_by_id"))
        batch_op.drop_index(batch_op.f("ix_subject_access_requests_exported_by_id"))
        batch_op.drop_index(batch_op.f("ix_subject_access_requests_due_on"))

    op.drop_table("subject_access_requests")
    with op.batch_alter_table("retention_deletions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_retention_deletions_deleted_by_id"))

    op.drop_table("retention_deletions")
    with op.batch_alter_table("legal_holds", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_legal_holds_placed_by_id"))
        batch_op.drop_index(batch_op.f("ix_legal_holds_lifted_by_id"))

    op.drop_table("legal_holds")
    with op.batch_alter_table("backup_records", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_backup_records_by_id"))
        batch_op.drop_index(batch_op.f("ix_backup_records_at"))

    op.drop_table("backup_records")
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_entries_user_id"))
        batch_op.drop_index("ix_audit_entries_record")
        batch_op.drop_index(batch_op.f("ix_audit_entries_at"))

    op.drop_table("audit_entries")
