"""Board shifts, and an index for the live board's query

The board shows who is watching it; handing over to a colleague is one logged action, which
ends one shift (recording to whom) and starts the next: the new table board_shifts.

The board reads visits by status within a range of planned starts (the ones out, those due out
today, the finished ones of the last week) every few seconds. Without statistics (hvdesk never
runs ANALYZE) SQLite picks the status index alone and walks every finished visit in the
history; the composite index (status, planned_start) makes each of those a short range.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from hvdesk.db.types import UTCDateTime

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "board_shifts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("started_at", UTCDateTime(), nullable=False),
        sa.Column("ended_at", UTCDateTime(), nullable=True),
        sa.Column("handed_to_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_accounts.id"], name=op.f("fk_board_shifts_user_id_user_accounts")
        ),
        sa.ForeignKeyConstraint(
            ["handed_to_id"],
            ["user_accounts.id"],
            name=op.f("fk_board_shifts_handed_to_id_user_accounts"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_board_shifts")),
    )
    with op.batch_alter_table("board_shifts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_board_shifts_user_id"), ["user_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_board_shifts_handed_to_id"), ["handed_to_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_board_shifts_ended_at"), ["ended_at"], unique=False)
    with op.batch_alter_table("visits", schema=None) as batch_op:
        batch_op.create_index(
            "ix_visits_status_planned_start", ["status", "planned_start"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("visits", schema=None) as batch_op:
        batch_op.drop_index("ix_visits_status_planned_start")
    with op.batch_alter_table("board_shifts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_board_shifts_ended_at"))
        batch_op.drop_index(batch_op.f("ix_board_shifts_handed_to_id"))
        batch_op.drop_index(batch_op.f("ix_board_shifts_user_id"))
    op.drop_table("board_shifts")
