"""A school sets it up itself (issue 15): settings history and first-run state

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from hvdesk.db.types import UTCDateTime

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "setting_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("old_value", sa.JSON(), nullable=False),
        sa.Column("new_value", sa.JSON(), nullable=False),
        sa.Column("changed_at", UTCDateTime(), nullable=False),
        sa.Column("changed_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["changed_by_id"],
            ["user_accounts.id"],
            name=op.f("fk_setting_changes_changed_by_id_user_accounts"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_setting_changes")),
    )
    with op.batch_alter_table("setting_changes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_setting_changes_key"), ["key"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_setting_changes_changed_at"), ["changed_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_setting_changes_changed_by_id"), ["changed_by_id"], unique=False
        )
    op.create_table(
        "school_setup",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recovery_key_confirmed_at", UTCDateTime(), nullable=True),
        sa.Column("completed_at", UTCDateTime(), nullable=True),
        sa.Column("completed_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["completed_by_id"],
            ["user_accounts.id"],
            name=op.f("fk_school_setup_completed_by_id_user_accounts"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_school_setup")),
    )
    with op.batch_alter_table("school_setup", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_school_setup_completed_by_id"), ["completed_by_id"], unique=False
        )


def downgrade() -> None:
    op.drop_table("school_setup")
    op.drop_table("setting_changes")
