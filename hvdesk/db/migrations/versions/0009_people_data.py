"""People data as schools hold it (issue 17): remembered import mappings, contacts

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06

A contact's priority (1 = the first the MIS says to call) on the pupil-adult link, as CTF and
MIS exports give it. Import mappings are remembered in the existing `settings` table.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("pupil_adults", schema=None) as batch_op:
        batch_op.add_column(sa.Column("contact_priority", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("pupil_adults", schema=None) as batch_op:
        batch_op.drop_column("contact_priority")
