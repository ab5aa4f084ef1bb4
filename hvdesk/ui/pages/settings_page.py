"""The school's policy as hvdesk applies it, in the office's words, marking what the school
changed from hvdesk's defaults."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from datetime import time
from typing import Any

from PySide6.QtWidgets import QWidget

from hvdesk.db.database import Database
from hvdesk.domain.people import Role
from hvdesk.domain.policy import SchoolPolicy, SettingError
from hvdesk.domain.risk import BandThresholds
from hvdesk.services.directory import school_policy
from hvdesk.ui.column_fitter import ColumnFitter
from hvdesk.ui.pages.base import Page, make_table
from hvdesk.ui.row_table_model import Column, RowTableModel

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

# Each setting in plain English, in the order a reader of the policy meets them.
LABELS: dict[str, str] = {
    "school_name": "School name",
    "pairs_by_default": "Visits are made in pairs unless a lone visit is approved",
    "authorising_roles": "Who may authorise a visit",
    "lone_visit_roles": "Who may approve a lone visit",
    "out_of_hours_roles": "Who may approve a visit outside working hours",
    "working_day_start": "Working day starts",
    "working_day_end": "Working day ends",
    "working_weekdays": "Working days",
    "arrival_call_grace_minutes": "Time allowed for the arrival call",
    "not_signed_out_grace_minutes": "Time allowed for signing out before a visit is flagged",
    "due_soon_minutes": "Show a visit as due back soon, before its planned end",
    "emergency_contact_after_minutes": "Call the emergency contact, after the agreed time",
    "police_after_minutes": "Inform the police, after the agreed time",
    "home_safe_grace_minutes": "Time allowed for the home-safe call after leaving the home",
    "follow_up_call_minutes": "Next call due after staff are reached with no new time agreed",
    "parent_wait_limit_minutes": "Longest wait at the door for a parent who is not in",
    "late_parent_wait_limit_minutes": "Longest wait for a parent who said they would be late",
    "end_of_day_check": "End-of-day check that everyone is back",
    "idle_lock_minutes": "Lock hvdesk when left unused for",
    "risk_bands": "Risk bands (score = severity × likelihood, 1 to 25)",
    "document_marking": "Marking printed on documents",
    "incident_review_days": "Incident review due, in days after it is raised",
    "backup_folder": "Daily encrypted backup goes to",
    "backups_to_keep": "Daily backups kept",
    "backup_warn_after_days": "Warn when the last backup is older than (days)",
    "retention_visit_years_after_birth": "Keep visit records until the pupil is (years old)",
    "retention_incident_years": "Keep incident records for at least (years)",
    "retention_staff_years_after_leaving": "Keep staff contact details after leaving (years)",
}


@dataclass(frozen=True)
class SettingRow:
    key: str
    label: str
    value: str
    changed: bool


def describe_value(key: str, value: Any) -> str:
    """A setting's value as a sentence fragment the office reads without a manual."""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if key.endswith("_minutes") and isinstance(value, int):
        return "1 minute" if value == 1 else f"{value} minutes"
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, BandThresholds):
        return (
            f"Low up to {value.low_max}, medium up to {value.medium_max}, "
            f"high above {value.medium_max}"
        )
    if key == "working_weekdays":
        days = sorted(value)
        if days and days == list(range(days[0], days[-1] + 1)) and len(days) > 2:
            return f"{WEEKDAYS[days[0]]} to {WEEKDAYS[days[-1]]}"
        return ", ".join(WEEKDAYS[d] for d in days) or "None"
    if key == "backup_folder" and not value:
        return "The “backups” folder inside the data folder"
    if isinstance(value, tuple):
        return ", ".join(v.label if isinstance(v, Role) else str(v) for v in value) or "Nobody"
    return str(value)


def describe_policy(policy: SchoolPolicy) -> list[SettingRow]:
    """Every setting, labelled; settings a newer domain adds still appear, with their name."""
    defaults = SchoolPolicy()
    names = [f.name for f in dataclasses.fields(SchoolPolicy)]
    ordered = [n for n in LABELS if n in names] + [n for n in names if n not in LABELS]
    return [
        SettingRow(
            key=name,
            label=LABELS.get(name, name.replace("_", " ").capitalize()),
            value=describe_value(name, getattr(policy, name)),
            changed=getattr(policy, name) != getattr(defaults, name),
        )
        for name in ordered
    ]


_changed: Callable[[SettingRow], bool] = lambda r: r.changed  # noqa: E731

COLUMNS: list[Column[SettingRow]] = [
    Column("Setting", lambda r: r.label),
    Column("Value", lambda r: r.value, bold=_changed, tooltip=lambda r: r.value, stretch=True),
    Column("Source", lambda r: "Set by the school" if r.changed else "hvdesk default"),
]


class SettingsPage(Page):
    """The school policy, read-only."""

    title = "Settings: the school's home-visit policy"
    icon_name = "settings"

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(database, parent)
        self.model: RowTableModel[SettingRow] = RowTableModel(
            COLUMNS, key=lambda r: r.key, parent=self
        )
        self.table = make_table("School settings")
        self.table.setWordWrap(True)  # lists of roles read better wrapped than cut short
        self.table.setModel(self.model)
        self.fitter = ColumnFitter(
            self.table, stretch=1, keep=frozenset({2}), widest=560, wrap=True
        )
        self.layout_.addWidget(self.table, 1)

    def refresh(self) -> None:
        try:
            policy = self.load(school_policy)
        except SettingError as exc:
            self.problem_label.setText(
                f"A stored setting cannot be used: {exc} hvdesk's defaults are shown instead."
            )
            self.problem_label.show()
            policy = SchoolPolicy()
        if policy is None:
            return
        rows = describe_policy(policy)
        self.model.set_rows(rows)
        self.fitter.fit()
        changed = sum(r.changed for r in rows)
        self.summary_label.setText(
            f"The rules hvdesk follows for {policy.school_name}. "
            + (
                "All values are hvdesk's defaults."
                if changed == 0
                else f"{changed} of {len(rows)} values {'was' if changed == 1 else 'were'} set "
                "by the school; the rest are hvdesk's defaults."
            )
        )
