"""In the home (issue 18): rules of conduct answered on the record

- visit_rule_answers: each rule of conduct that applied to a visit, as worded then, kept or not
  and why not.
- visits: who was spoken to (the household's adults chosen, someone not on the record), whether
  the home was entered, a child found alone and what was done, the DSL's review of a record
  that broke a rule, and seed 001's question whether sending two staff may escalate matters.
- pupils: SEND, medical and behaviour needs, for the visitors only (need-to-know).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from hvdesk.db.types import UTCDateTime

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "visit_rule_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=80), nullable=False),
        sa.Column(
            "rule_group",
            sa.Enum(
                "every_visit",
                "doorstep",
                "entering",
                "tutoring",
                name="conductgroup",
                native_enum=False,
                create_constraint=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("wording", sa.Text(), nullable=False),
        sa.Column("kept", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["visit_id"],
            ["visits.id"],
            name=op.f("fk_visit_rule_answers_visit_id_visits"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visit_rule_answers")),
    )
    with op.batch_alter_table("visit_rule_answers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_visit_rule_answers_code"), ["code"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_visit_rule_answers_visit_id"), ["visit_id"], unique=False
        )

    with op.batch_alter_table("visits", schema=None) as batch_op:
        batch_op.add_column(sa.Column("spoken_to_adult_ids", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("spoken_to_other", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("entered_home", sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column("child_found_alone", sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column("child_alone_action", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("entered_for_emergency", sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column("conduct_answered_at", UTCDateTime(), nullable=True))
        batch_op.add_column(
            sa.Column("needs_dsl_review", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("dsl_reviewed_at", UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("dsl_reviewed_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("dsl_review_note", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("two_staff_may_escalate", sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column("two_staff_note", sa.Text(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_visits_needs_dsl_review"), ["needs_dsl_review"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_visits_dsl_reviewed_by_id"), ["dsl_reviewed_by_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_visits_dsl_reviewed_by_id_user_accounts"),
            "user_accounts",
            ["dsl_reviewed_by_id"],
            ["id"],
        )

    with op.batch_alter_table("pupils", schema=None) as batch_op:
        batch_op.add_column(sa.Column("send_needs", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("medical_needs", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("behaviour_needs", sa.Text(), nullable=True))
    _restore_board_stamp_triggers()


def downgrade() -> None:
    with op.batch_alter_table("pupils", schema=None) as batch_op:
        batch_op.drop_column("behaviour_needs")
        batch_op.drop_column("medical_needs")
        batch_op.drop_column("send_needs")

    with op.batch_alter_table("visits", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_visits_dsl_reviewed_by_id_user_accounts"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_visits_dsl_reviewed_by_id"))
        batch_op.drop_index(batch_op.f("ix_visits_needs_dsl_review"))
        for column in (
            "two_staff_note",
            "two_staff_may_escalate",
            "dsl_review_note",
            "dsl_reviewed_by_id",
            "dsl_reviewed_at",
            "needs_dsl_review",
            "conduct_answered_at",
            "entered_for_emergency",
            "child_alone_action",
            "child_found_alone",
            "entered_home",
            "spoken_to_other",
            "spoken_to_adult_ids",
        ):
            batch_op.drop_column(column)

    with op.batch_alter_table("visit_rule_answers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_visit_rule_answers_visit_id"))
        batch_op.drop_index(batch_op.f("ix_visit_rule_answers_code"))
    op.drop_table("visit_rule_answers")
    _restore_board_stamp_triggers()


BOARD_STAMP_TABLES = ("visits", "pupils")
"""Tables of migration 0005's board stamp that this migration's batch operations rebuild."""


def _restore_board_stamp_triggers() -> None:
    """SQLite rebuilds a table for a new foreign key, dropping its triggers: put back the
    board stamp's (migration 0005), or the board would miss changes to visits."""
    if op.get_bind().dialect.name != "sqlite":
        return
    for table in BOARD_STAMP_TABLES:
        for change in ("insert", "update", "delete"):
            op.execute(  # names from the constants above, never from input
                f"CREATE TRIGGER IF NOT EXISTS board_stamp_{table}_{change} "  # noqa: S608
                f"AFTER {change.upper()} ON {table} "
                "BEGIN UPDATE board_stamp SET changes = changes + 1 WHERE id = 1; END"
            )
