"""Initial schema: people, households, visits, timeline

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "households",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("address_line1", sa.String(length=200), nullable=False),
        sa.Column("address_line2", sa.String(length=200), nullable=True),
        sa.Column("town", sa.String(length=100), nullable=False),
        sa.Column("postcode", sa.String(length=10), nullable=False),
        sa.Column("area", sa.String(length=100), nullable=False),
        sa.Column("home_phone", sa.String(length=40), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_households")),
    )
    with op.batch_alter_table("households", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_households_postcode"), ["postcode"], unique=False)

    op.create_table(
        "staff",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("first_name", sa.String(length=80), nullable=False),
        sa.Column("last_name", sa.String(length=80), nullable=False),
        sa.Column(
            "job_role",
            sa.Enum(
                "attendance_officer",
                "family_support_worker",
                "teacher",
                "tutor",
                "teaching_assistant",
                "pastoral_lead",
                "senco",
                "slt",
                "dsl",
                "deputy_dsl",
                "headteacher",
                "office",
                name="jobrole",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("email", sa.String(length=200), nullable=True),
        sa.Column("work_mobile", sa.String(length=40), nullable=True),
        sa.Column("emergency_contact_name", sa.String(length=160), nullable=True),
        sa.Column("emergency_contact_relationship", sa.String(length=80), nullable=True),
        sa.Column("emergency_contact_phone", sa.String(length=40), nullable=True),
        sa.Column("vehicle_make", sa.String(length=60), nullable=True),
        sa.Column("vehicle_model", sa.String(length=60), nullable=True),
        sa.Column("vehicle_colour", sa.String(length=40), nullable=True),
        sa.Column("vehicle_registration", sa.String(length=16), nullable=True),
        sa.Column("safeguarding_trained_on", sa.Date(), nullable=True),
        sa.Column(
            "dbs_level",
            sa.Enum(
                "none",
                "basic",
                "standard",
                "enhanced",
                "enhanced_barred",
                name="dbslevel",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("dbs_checked_on", sa.Date(), nullable=True),
        sa.Column("supervisor_id", sa.Integer(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("left_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["supervisor_id"], ["staff.id"], name=op.f("fk_staff_supervisor_id_staff")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff")),
    )
    with op.batch_alter_table("staff", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_staff_last_name"), ["last_name"], unique=False)
        batch_op.create_index(batch_op.f("ix_staff_supervisor_id"), ["supervisor_id"], unique=False)

    op.create_table(
        "adults",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=True),
        sa.Column("first_name", sa.String(length=80), nullable=False),
        sa.Column("last_name", sa.String(length=80), nullable=False),
        sa.Column("phone", sa.String(length=40), nullable=True),
        sa.Column("email", sa.String(length=200), nullable=True),
        sa.Column("preferred_language", sa.String(length=60), nullable=True),
        sa.ForeignKeyConstraint(
            ["household_id"], ["households.id"], name=op.f("fk_adults_household_id_households")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_adults")),
    )
    with op.batch_alter_table("adults", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_adults_household_id"), ["household_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_adults_last_name"), ["last_name"], unique=False)

    op.create_table(
        "professionals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=160), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "social_worker",
                "early_help",
                "family_support",
                "health_visitor",
                "youth_justice",
                "camhs",
                "other",
                name="professionalrole",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("organisation", sa.String(length=160), nullable=True),
        sa.Column("phone", sa.String(length=40), nullable=True),
        sa.Column("email", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["households.id"],
            name=op.f("fk_professionals_household_id_households"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_professionals")),
    )
    with op.batch_alter_table("professionals", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_professionals_household_id"), ["household_id"], unique=False
        )

    op.create_table(
        "pupils",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("mis_id", sa.String(length=40), nullable=True),
        sa.Column("first_name", sa.String(length=80), nullable=False),
        sa.Column("last_name", sa.String(length=80), nullable=False),
        sa.Column("date_of_birth", sa.Date(), nullable=False),
        sa.Column("year_group", sa.Integer(), nullable=True),
        sa.Column("household_id", sa.Integer(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["household_id"], ["households.id"], name=op.f("fk_pupils_household_id_households")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pupils")),
        sa.UniqueConstraint("mis_id", name=op.f("uq_pupils_mis_id")),
    )
    with op.batch_alter_table("pupils", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pupils_household_id"), ["household_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_pupils_last_name"), ["last_name"], unique=False)

    op.create_table(
        "user_accounts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=80), nullable=False),
        sa.Column("display_name", sa.String(length=160), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "reception",
                "visiting_staff",
                "dsl",
                "deputy_dsl",
                "headteacher",
                "slt",
                "administrator",
                name="role",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("password_hash", sa.String(length=300), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_sign_in_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("failed_sign_ins", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff.id"], name=op.f("fk_user_accounts_staff_id_staff")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_accounts")),
        sa.UniqueConstraint("username", name=op.f("uq_user_accounts_username")),
    )
    with op.batch_alter_table("user_accounts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_user_accounts_staff_id"), ["staff_id"], unique=False)

    op.create_table(
        "known_risks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "dog",
                "aggression",
                "do_not_enter_alone",
                "cultural",
                "health",
                "location",
                "safeguarding_history",
                "other",
                name="riskkind",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["households.id"],
            name=op.f("fk_known_risks_household_id_households"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["user_accounts.id"],
            name=op.f("fk_known_risks_recorded_by_id_user_accounts"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_known_risks")),
    )
    with op.batch_alter_table("known_risks", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_known_risks_household_id"), ["household_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_known_risks_recorded_by_id"), ["recorded_by_id"], unique=False
        )

    op.create_table(
        "pupil_adults",
        sa.Column("pupil_id", sa.Integer(), nullable=False),
        sa.Column("adult_id", sa.Integer(), nullable=False),
        sa.Column(
            "relationship_to_pupil",
            sa.Enum(
                "mother",
                "father",
                "stepparent",
                "grandparent",
                "aunt_uncle",
                "foster_carer",
                "guardian",
                "sibling",
                "other",
                name="relationship",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("parental_responsibility", sa.Boolean(), nullable=False),
        sa.Column("lives_with_pupil", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["adult_id"],
            ["adults.id"],
            name=op.f("fk_pupil_adults_adult_id_adults"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["pupil_id"],
            ["pupils.id"],
            name=op.f("fk_pupil_adults_pupil_id_pupils"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("pupil_id", "adult_id", name=op.f("pk_pupil_adults")),
    )
    with op.batch_alter_table("pupil_adults", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pupil_adults_adult_id"), ["adult_id"], unique=False)

    op.create_table(
        "settings",
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["user_accounts.id"],
            name=op.f("fk_settings_updated_by_id_user_accounts"),
        ),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_settings")),
    )
    with op.batch_alter_table("settings", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_settings_updated_by_id"), ["updated_by_id"], unique=False
        )

    op.create_table(
        "visits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("pupil_id", sa.Integer(), nullable=True),
        sa.Column(
            "reason",
            sa.Enum(
                "welfare_check",
                "other_contact_failed",
                "refusing_school",
                "attendance_support",
                "child_missing_education",
                "educated_at_home",
                "parent_cannot_come_in",
                "collect_or_drop_child",
                "work_or_equipment",
                "long_illness",
                "suspected_holiday",
                "tutoring",
                "new_family",
                "emergency_safeguarding",
                "other",
                name="visitreason",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("reason_other", sa.String(length=200), nullable=True),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("parent_could_come_in", sa.Boolean(), nullable=True),
        sa.Column("parent_could_come_in_note", sa.Text(), nullable=True),
        sa.Column("announced", sa.Boolean(), nullable=False),
        sa.Column("unannounced_reason", sa.Text(), nullable=True),
        sa.Column(
            "entry_mode",
            sa.Enum("doorstep", "enter", name="entrymode", native_enum=False, length=40),
            nullable=False,
        ),
        sa.Column("planned_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("planned_end", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "draft",
                "awaiting_authorisation",
                "changes_requested",
                "authorised",
                "refused",
                "out",
                "completed",
                "cancelled",
                name="visitstatus",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("lone_visit_justification", sa.Text(), nullable=True),
        sa.Column("out_of_hours", sa.Boolean(), nullable=False),
        sa.Column("responsible_contact_name", sa.String(length=160), nullable=True),
        sa.Column("responsible_contact_phone", sa.String(length=40), nullable=True),
        sa.Column("social_worker_id", sa.Integer(), nullable=True),
        sa.Column("joint_visit", sa.Boolean(), nullable=False),
        sa.Column("resources_to_take", sa.Text(), nullable=True),
        sa.Column("vehicle", sa.String(length=120), nullable=True),
        sa.Column("safe_word", sa.String(length=80), nullable=True),
        sa.Column("is_drill", sa.Boolean(), nullable=False),
        sa.Column("urgent_unplanned", sa.Boolean(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("child_seen", sa.Boolean(), nullable=True),
        sa.Column("spoken_to", sa.Text(), nullable=True),
        sa.Column("observations", sa.Text(), nullable=True),
        sa.Column("opinions", sa.Text(), nullable=True),
        sa.Column("concerns_raised", sa.Text(), nullable=True),
        sa.Column("outcome", sa.Text(), nullable=True),
        sa.Column("action_required", sa.Text(), nullable=True),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "cancellation_cause",
            sa.Enum(
                "parent_not_present",
                "animal_not_secured",
                "felt_unsafe",
                "parent_cancelled",
                "staff_unavailable",
                "other",
                name="cancellationcause",
                native_enum=False,
                length=40,
            ),
            nullable=True,
        ),
        sa.Column("recorded_on_safeguarding_system_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("recorded_on_safeguarding_system_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_accounts.id"],
            name=op.f("fk_visits_created_by_id_user_accounts"),
        ),
        sa.ForeignKeyConstraint(
            ["household_id"], ["households.id"], name=op.f("fk_visits_household_id_households")
        ),
        sa.ForeignKeyConstraint(
            ["pupil_id"], ["pupils.id"], name=op.f("fk_visits_pupil_id_pupils")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_on_safeguarding_system_by_id"],
            ["user_accounts.id"],
            name=op.f("fk_visits_recorded_on_safeguarding_system_by_id_user_accounts"),
        ),
        sa.ForeignKeyConstraint(
            ["social_worker_id"],
            ["professionals.id"],
            name=op.f("fk_visits_social_worker_id_professionals"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visits")),
    )
    with op.batch_alter_table("visits", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_visits_created_by_id"), ["created_by_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_visits_household_id"), ["household_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_visits_planned_start"), ["planned_start"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_visits_pupil_id"), ["pupil_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_visits_recorded_on_safeguarding_system_by_id"),
            ["recorded_on_safeguarding_system_by_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_visits_social_worker_id"), ["social_worker_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_visits_status"), ["status"], unique=False)

    op.create_table(
        "authorisations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column(
            "decision",
            sa.Enum(
                "approved",
                "changes_requested",
                "refused",
                name="authorisationdecision",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("decided_by_id", sa.Integer(), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("conditions", sa.Text(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("approved_hash", sa.String(length=64), nullable=True),
        sa.Column("voided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("void_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["user_accounts.id"],
            name=op.f("fk_authorisations_decided_by_id_user_accounts"),
        ),
        sa.ForeignKeyConstraint(
            ["visit_id"],
            ["visits.id"],
            name=op.f("fk_authorisations_visit_id_visits"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_authorisations")),
    )
    with op.batch_alter_table("authorisations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_authorisations_decided_by_id"), ["decided_by_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_authorisations_visit_id"), ["visit_id"], unique=False)

    op.create_table(
        "incidents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=True),
        sa.Column(
            "kind",
            sa.Enum(
                "escalation",
                "aggressive_adult",
                "threat",
                "allegation",
                "child_found_alone",
                "animal",
                "accident",
                "near_miss",
                "safe_word",
                name="incidentkind",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column(
            "status",
            sa.Enum(
                "open",
                "under_review",
                "closed",
                name="incidentstatus",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("raised_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("raised_by_id", sa.Integer(), nullable=True),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("highest_stage", sa.Integer(), nullable=True),
        sa.Column("resolution", sa.Text(), nullable=True),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolved_by_id", sa.Integer(), nullable=True),
        sa.Column("riddor_reportable", sa.Boolean(), nullable=True),
        sa.Column("riddor_reported_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("what_happened", sa.Text(), nullable=True),
        sa.Column("debrief_held_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("debrief_with", sa.Text(), nullable=True),
        sa.Column("support_offered", sa.Text(), nullable=True),
        sa.Column("lessons", sa.Text(), nullable=True),
        sa.Column("procedure_changes", sa.Text(), nullable=True),
        sa.Column("review_due_on", sa.Date(), nullable=True),
        sa.Column("signed_off_by_id", sa.Integer(), nullable=True),
        sa.Column("signed_off_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("is_drill", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["raised_by_id"],
            ["user_accounts.id"],
            name=op.f("fk_incidents_raised_by_id_user_accounts"),
        ),
        sa.ForeignKeyConstraint(
            ["resolved_by_id"],
            ["user_accounts.id"],
            name=op.f("fk_incidents_resolved_by_id_user_accounts"),
        ),
        sa.ForeignKeyConstraint(
            ["signed_off_by_id"],
            ["user_accounts.id"],
            name=op.f("fk_incidents_signed_off_by_id_user_accounts"),
        ),
        sa.ForeignKeyConstraint(
            ["visit_id"], ["visits.id"], name=op.f("fk_incidents_visit_id_visits")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incidents")),
    )
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_incidents_raised_by_id"), ["raised_by_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_incidents_resolved_by_id"), ["resolved_by_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_incidents_signed_off_by_id"), ["signed_off_by_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_incidents_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_incidents_visit_id"), ["visit_id"], unique=False)

    op.create_table(
        "risk_assessments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("based_on_id", sa.Integer(), nullable=True),
        sa.Column("band_low_max", sa.Integer(), nullable=False),
        sa.Column("band_medium_max", sa.Integer(), nullable=False),
        sa.Column(
            "highest_residual_band",
            sa.Enum("low", "medium", "high", name="riskband", native_enum=False, length=40),
            nullable=True,
        ),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["based_on_id"],
            ["risk_assessments.id"],
            name=op.f("fk_risk_assessments_based_on_id_risk_assessments"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_accounts.id"],
            name=op.f("fk_risk_assessments_created_by_id_user_accounts"),
        ),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["households.id"],
            name=op.f("fk_risk_assessments_household_id_households"),
        ),
        sa.ForeignKeyConstraint(
            ["visit_id"],
            ["visits.id"],
            name=op.f("fk_risk_assessments_visit_id_visits"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risk_assessments")),
    )
    with op.batch_alter_table("risk_assessments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_risk_assessments_based_on_id"), ["based_on_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_risk_assessments_created_by_id"), ["created_by_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_risk_assessments_household_id"), ["household_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_risk_assessments_visit_id"), ["visit_id"], unique=False
        )

    op.create_table(
        "visit_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "signed_out",
                "arrived",
                "call_received",
                "schedule_changed",
                "safe_word",
                "left",
                "returned",
                "cancelled",
                "escalation_action",
                "alert_claimed",
                "resolved",
                "note",
                name="eventkind",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column(
            "action",
            sa.Enum(
                "called_staff",
                "informed_supervisor",
                "called_emergency_contact",
                "informed_police",
                "informed_headteacher",
                name="escalationaction",
                native_enum=False,
                length=40,
            ),
            nullable=True,
        ),
        sa.Column(
            "outcome",
            sa.Enum(
                "no_answer",
                "safe",
                "reached",
                "left_message",
                "informed",
                name="actionoutcome",
                native_enum=False,
                length=40,
            ),
            nullable=True,
        ),
        sa.Column("stage", sa.Integer(), nullable=True),
        sa.Column("new_deadline", sa.DateTime(timezone=True), nullable=True),
        sa.Column("contact_name", sa.String(length=160), nullable=True),
        sa.Column("reference", sa.String(length=80), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["user_accounts.id"],
            name=op.f("fk_visit_events_recorded_by_id_user_accounts"),
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff.id"], name=op.f("fk_visit_events_staff_id_staff")
        ),
        sa.ForeignKeyConstraint(
            ["visit_id"],
            ["visits.id"],
            name=op.f("fk_visit_events_visit_id_visits"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visit_events")),
    )
    with op.batch_alter_table("visit_events", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_visit_events_recorded_by_id"), ["recorded_by_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_visit_events_staff_id"), ["staff_id"], unique=False)
        batch_op.create_index(
            "ix_visit_events_visit_time", ["visit_id", "occurred_at"], unique=False
        )

    op.create_table(
        "visit_staff",
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column(
            "role",
            sa.Enum("lead", "second", name="visitorrole", native_enum=False, length=40),
            nullable=False,
        ),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff.id"], name=op.f("fk_visit_staff_staff_id_staff")
        ),
        sa.ForeignKeyConstraint(
            ["visit_id"],
            ["visits.id"],
            name=op.f("fk_visit_staff_visit_id_visits"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("visit_id", "staff_id", name=op.f("pk_visit_staff")),
    )
    with op.batch_alter_table("visit_staff", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_visit_staff_staff_id"), ["staff_id"], unique=False)

    op.create_table(
        "hazards",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("hazard", sa.String(length=200), nullable=False),
        sa.Column("who_at_risk", sa.String(length=200), nullable=False),
        sa.Column("severity", sa.Integer(), nullable=False),
        sa.Column("likelihood", sa.Integer(), nullable=False),
        sa.Column("controls", sa.Text(), nullable=True),
        sa.Column("residual_severity", sa.Integer(), nullable=False),
        sa.Column("residual_likelihood", sa.Integer(), nullable=False),
        sa.Column("known_risk_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["risk_assessments.id"],
            name=op.f("fk_hazards_assessment_id_risk_assessments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["known_risk_id"], ["known_risks.id"], name=op.f("fk_hazards_known_risk_id_known_risks")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hazards")),
    )
    with op.batch_alter_table("hazards", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_hazards_assessment_id"), ["assessment_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_hazards_known_risk_id"), ["known_risk_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("hazards", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hazards_known_risk_id"))
        batch_op.drop_index(batch_op.f("ix_hazards_assessment_id"))

    op.drop_table("hazards")
    with op.batch_alter_table("visit_staff", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_visit_staff_staff_id"))

    op.drop_table("visit_staff")
    with op.batch_alter_table("visit_events", schema=None) as batch_op:
        batch_op.drop_index("ix_visit_events_visit_time")
        batch_op.drop_index(batch_op.f("ix_visit_events_staff_id"))
        batch_op.drop_index(batch_op.f("ix_visit_events_recorded_by_id"))

    op.drop_table("visit_events")
    with op.batch_alter_table("risk_assessments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_risk_assessments_visit_id"))
        batch_op.drop_index(batch_op.f("ix_risk_assessments_household_id"))
        batch_op.drop_index(batch_op.f("ix_risk_assessments_created_by_id"))
        batch_op.drop_index(batch_op.f("ix_risk_assessments_based_on_id"))

    op.drop_table("risk_assessments")
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_incidents_visit_id"))
        batch_op.drop_index(batch_op.f("ix_incidents_status"))
        batch_op.drop_index(batch_op.f("ix_incidents_signed_off_by_id"))
        batch_op.drop_index(batch_op.f("ix_incidents_resolved_by_id"))
        batch_op.drop_index(batch_op.f("ix_incidents_raised_by_id"))

    op.drop_table("incidents")
    with op.batch_alter_table("authorisations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_authorisations_visit_id"))
        batch_op.drop_index(batch_op.f("ix_authorisations_decided_by_id"))

    op.drop_table("authorisations")
    with op.batch_alter_table("visits", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_visits_status"))
        batch_op.drop_index(batch_op.f("ix_visits_social_worker_id"))
        batch_op.drop_index(batch_op.f("ix_visits_recorded_on_safeguarding_system_by_id"))
        batch_op.drop_index(batch_op.f("ix_visits_pupil_id"))
        batch_op.drop_index(batch_op.f("ix_visits_planned_start"))
        batch_op.drop_index(batch_op.f("ix_visits_household_id"))
        batch_op.drop_index(batch_op.f("ix_visits_created_by_id"))

    op.drop_table("visits")
    with op.batch_alter_table("settings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_settings_updated_by_id"))

    op.drop_table("settings")
    with op.batch_alter_table("pupil_adults", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pupil_adults_adult_id"))

    op.drop_table("pupil_adults")
    with op.batch_alter_table("known_risks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_known_risks_recorded_by_id"))
        batch_op.drop_index(batch_op.f("ix_known_risks_household_id"))

    op.drop_table("known_risks")
    with op.batch_alter_table("user_accounts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_user_accounts_staff_id"))

    op.drop_table("user_accounts")
    with op.batch_alter_table("pupils", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pupils_last_name"))
        batch_op.drop_index(batch_op.f("ix_pupils_household_id"))

    op.drop_table("pupils")
    with op.batch_alter_table("professionals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_professionals_household_id"))

    op.drop_table("professionals")
    with op.batch_alter_table("adults", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_adults_last_name"))
        batch_op.drop_index(batch_op.f("ix_adults_household_id"))

    op.drop_table("adults")
    with op.batch_alter_table("staff", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_staff_supervisor_id"))
        batch_op.drop_index(batch_op.f("ix_staff_last_name"))

    op.drop_table("staff")
    with op.batch_alter_table("households", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_households_postcode"))

    op.drop_table("households")
