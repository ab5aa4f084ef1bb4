"""Under stress (issue 13): the screen lock's short PIN, with its own lockout

- user_accounts.screen_pin_hash: the PIN (scrypt, like a password) that reopens a screen lock;
- user_accounts.screen_pin_failures / screen_pin_locked_at: wrong PINs in a row, and when the
  PIN stopped being accepted (a full sign-in resets both).

The wait at the door and the stand-down are new event kinds and one new outcome, stored as
strings in existing columns: no schema change for them.

Revision ID: 0007
Revises: 0005
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from hvdesk.db.types import UTCDateTime

revision: str = "0007"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("user_accounts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("screen_pin_hash", sa.String(length=300), nullable=True))
        batch_op.add_column(
            sa.Column("screen_pin_failures", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(sa.Column("screen_pin_locked_at", UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("user_accounts", schema=None) as batch_op:
        batch_op.drop_column("screen_pin_locked_at")
        batch_op.drop_column("screen_pin_failures")
        batch_op.drop_column("screen_pin_hash")
