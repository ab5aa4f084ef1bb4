"""Police sheet details: a description of each member of staff and location notes per home

The police information sheet (seed 000, 003) needs what a description of the missing
colleague and how to find the door; both were missing from the first schema.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("staff", schema=None) as batch_op:
        batch_op.add_column(sa.Column("description", sa.Text(), nullable=True))
    with op.batch_alter_table("households", schema=None) as batch_op:
        batch_op.add_column(sa.Column("location_notes", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("households", schema=None) as batch_op:
        batch_op.drop_column("location_notes")
    with op.batch_alter_table("staff", schema=None) as batch_op:
        batch_op.drop_column("description")
