"""The school's settings: where the five policies differ, it is a number here, not a code path.

Defaults follow seed 000 (School of Coding): escalation at the agreed time, +15 and +30 minutes,
pair visits by default, the DSL authorises, a lone visit needs the DSL or SLT.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import time, timedelta
from typing import Any

from hvdesk.domain.conduct_wording import (
    CHILD_ALONE_INSTRUCTION,
    DEFAULT_RULES,
    NO_ADULT_INSTRUCTION,
    TWO_STAFF_QUESTION,
)
from hvdesk.domain.people import Role
from hvdesk.domain.risk import BandThresholds


class SettingError(ValueError):
    """A setting value that cannot be used; the message names the setting."""


@dataclass(frozen=True)
class SchoolPolicy:
    """Every school setting with its default. Stored as overrides, one row per changed key."""

    school_name: str = "Demo School"
    # The ladder (minutes after the missed deadline), seed 000.
    due_soon_minutes: int = 10
    arrival_call_grace_minutes: int = 15
    not_signed_out_grace_minutes: int = 15
    emergency_contact_after_minutes: int = 15
    police_after_minutes: int = 30
    # After leaving the home, the back-at-base / home-safe call is due this long after (000).
    home_safe_grace_minutes: int = 30
    # Staff reached at or after a deadline (or arriving after the agreed end) with no new time
    # agreed: the next call is due this long after that contact.
    follow_up_call_minutes: int = 15
    # Before the visit.
    pairs_by_default: bool = True
    authorising_roles: tuple[Role, ...] = (Role.DSL, Role.DEPUTY_DSL)
    lone_visit_roles: tuple[Role, ...] = (Role.DSL, Role.SLT, Role.HEADTEACHER)
    out_of_hours_roles: tuple[Role, ...] = (Role.DSL, Role.SLT, Role.HEADTEACHER)
    working_day_start: time = time(8, 0)
    working_day_end: time = time(18, 0)
    working_weekdays: tuple[int, ...] = (0, 1, 2, 3, 4)
    # A visitor's DBS check and safeguarding training count as current for this many years.
    dbs_valid_years: int = 3
    safeguarding_training_valid_years: int = 2
    # During the visit (003: 5 minutes, 004: 10; 004: a parent who warned they would be late, 30).
    parent_wait_limit_minutes: int = 10
    late_parent_wait_limit_minutes: int = 30
    # The office.
    end_of_day_check: time = time(17, 30)
    idle_lock_minutes: int = 10
    risk_bands: BandThresholds = field(default_factory=BandThresholds)
    document_marking: str = "OFFICIAL-SENSITIVE"
    # After an incident: its review (debrief, lessons, sign-off) is due this many calendar
    # days after it was raised (000 and 003 ask for a review, not a number of days).
    incident_review_days: int = 10
    # Backups (issue 7): a daily encrypted copy; empty folder = "backups" in the data folder.
    # A second disk or a network share is fine: the copy is encrypted with the database key.
    backup_folder: str = ""
    backups_to_keep: int = 14
    backup_warn_after_days: int = 2
    # Retention (issue 7), defaults from the IRMS toolkit for schools: safeguarding and visit
    # records to the pupil's date of birth + 25 years, incidents at least 3 years, staff contact
    # and vehicle details 6 years after leaving; then the DSL reviews and may delete.
    retention_visit_years_after_birth: int = 25
    retention_incident_years: int = 3
    retention_staff_years_after_leaving: int = 6
    # Who may change these settings (issue 15); the administrator always may.
    settings_roles: tuple[Role, ...] = (Role.ADMINISTRATOR, Role.DSL)
    # In the home (issue 18): the rules of conduct, each worded as the school's policy says it
    # (an empty rule is one the school does not use), grouped by the visits they are for (see
    # `hvdesk.domain.conduct_wording`); the school's own extra rules per group, one a line;
    # what the office tells a colleague who phones in a child found alone or no appropriate
    # adult for tutoring; and the question seed 001 asks of pair visits (empty: not asked).
    rule_official_id: str = DEFAULT_RULES["official_id"][1]
    rule_parental_responsibility: str = DEFAULT_RULES["parental_responsibility"][1]
    rule_child_found_alone: str = DEFAULT_RULES["child_found_alone"][1]
    rule_siblings: str = DEFAULT_RULES["siblings"][1]
    rule_leave_if_unsafe: str = DEFAULT_RULES["leave_if_unsafe"][1]
    rule_doorstep_only: str = DEFAULT_RULES["doorstep_only"][1]
    rule_invited_in_by_adult: str = DEFAULT_RULES["invited_in_by_adult"][1]
    rule_shared_areas: str = DEFAULT_RULES["shared_areas"][1]
    rule_tutoring_appropriate_adult: str = DEFAULT_RULES["tutoring_appropriate_adult"][1]
    rule_tutoring_not_in_bedroom: str = DEFAULT_RULES["tutoring_not_in_bedroom"][1]
    rule_tutoring_door_open: str = DEFAULT_RULES["tutoring_door_open"][1]
    rule_tutoring_siblings: str = DEFAULT_RULES["tutoring_siblings"][1]
    rule_tutoring_schedule_changes: str = DEFAULT_RULES["tutoring_schedule_changes"][1]
    rules_extra_every_visit: tuple[str, ...] = ()
    rules_extra_doorstep: tuple[str, ...] = ()
    rules_extra_entering: tuple[str, ...] = ()
    rules_extra_tutoring: tuple[str, ...] = ()
    child_alone_instruction: str = CHILD_ALONE_INSTRUCTION
    no_adult_instruction: str = NO_ADULT_INSTRUCTION
    two_staff_question: str = TWO_STAFF_QUESTION

    @property
    def emergency_contact_after(self) -> timedelta:
        return timedelta(minutes=self.emergency_contact_after_minutes)

    @property
    def police_after(self) -> timedelta:
        return timedelta(minutes=self.police_after_minutes)

    @property
    def due_soon(self) -> timedelta:
        return timedelta(minutes=self.due_soon_minutes)

    @property
    def home_safe_grace(self) -> timedelta:
        return timedelta(minutes=self.home_safe_grace_minutes)

    @property
    def follow_up_call(self) -> timedelta:
        return timedelta(minutes=self.follow_up_call_minutes)

    def __post_init__(self) -> None:
        for name in (
            "due_soon_minutes",
            "arrival_call_grace_minutes",
            "not_signed_out_grace_minutes",
            "emergency_contact_after_minutes",
            "police_after_minutes",
            "home_safe_grace_minutes",
            "follow_up_call_minutes",
            "parent_wait_limit_minutes",
            "late_parent_wait_limit_minutes",
            "idle_lock_minutes",
        ):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 24 * 60:
                raise SettingError(f"{_label(name)} must be a whole number of minutes, 0 to 1440.")
        if self.follow_up_call_minutes < 1:
            raise SettingError("Follow up call minutes must be at least 1 minute.")
        if not self.emergency_contact_after_minutes < self.police_after_minutes:
            raise SettingError(
                "The police step must come after the emergency-contact step "
                f"({self.emergency_contact_after_minutes} is not before "
                f"{self.police_after_minutes} minutes)."
            )
        for name in ("dbs_valid_years", "safeguarding_training_valid_years"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 20:
                raise SettingError(f"{_label(name)} must be a whole number of years, 1 to 20.")
        if not isinstance(self.backups_to_keep, int) or not 1 <= self.backups_to_keep <= 366:
            raise SettingError("Backups to keep must be a whole number, 1 to 366.")
        if not isinstance(self.backup_warn_after_days, int) or not (
            1 <= self.backup_warn_after_days <= 30
        ):
            raise SettingError("Warn about an old backup after must be 1 to 30 days.")
        days = self.incident_review_days
        if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= 365:
            raise SettingError("Incident review days must be a whole number of days, 1 to 365.")
        for name in (
            "retention_visit_years_after_birth",
            "retention_incident_years",
            "retention_staff_years_after_leaving",
        ):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 100:
                raise SettingError(f"{_label(name)} must be a whole number of years, 1 to 100.")
        if not self.working_day_start < self.working_day_end:
            raise SettingError("Working hours must start before they end.")
        if not self.authorising_roles:
            raise SettingError("At least one role must be allowed to authorise visits.")
        if not self.school_name.strip():
            raise SettingError("The school's name cannot be empty.")
        # Issue 15: settings changed from the Settings page and the command line.
        if not isinstance(self.pairs_by_default, bool):
            raise SettingError("Visits in pairs must be yes or no.")
        if not set(self.working_weekdays) <= set(range(7)) or not self.working_weekdays:
            raise SettingError("Choose at least one working day.")
        if not self.document_marking.strip():
            raise SettingError("The marking printed on documents cannot be empty.")
        if not self.lone_visit_roles or not self.out_of_hours_roles:
            raise SettingError("At least one role must be able to approve lone and late visits.")
        if self.late_parent_wait_limit_minutes < self.parent_wait_limit_minutes:
            raise SettingError(
                "The wait for a parent who said they would be late cannot be shorter than the "
                "wait for a parent who is simply not in."
            )
        if self.idle_lock_minutes < 1:
            raise SettingError("hvdesk must lock after at least 1 minute unused.")
        # Issue 12: the idle sign-out cannot be switched off or left for hours: a desk left
        # signed in shows families' addresses to whoever walks past.
        idle = self.idle_lock_minutes
        if not isinstance(idle, int) or isinstance(idle, bool) or not 1 <= idle <= MAX_IDLE_LOCK:
            raise SettingError(f"The idle lock must be 1 to {MAX_IDLE_LOCK} minutes.")
        # In the home (issue 18).
        _check_conduct(self)

    def to_settings(self) -> dict[str, Any]:
        """Every setting as JSON-ready values (what the settings table stores)."""
        return {f.name: _dump(getattr(self, f.name)) for f in dataclasses.fields(self)}

    @classmethod
    def from_settings(cls, stored: Mapping[str, Any]) -> SchoolPolicy:
        """Build the policy from stored overrides; unknown keys (from a newer hvdesk) are kept
        out rather than guessed at."""
        kwargs: dict[str, Any] = {}
        types = {f.name: f for f in dataclasses.fields(cls)}
        for key, raw in stored.items():
            if key not in types:
                continue
            if key == "idle_lock_minutes" and isinstance(raw, int) and not 1 <= raw <= 60:
                raw = MAX_IDLE_LOCK  # stored by an older hvdesk (0 was "never"): the longest now
            try:
                kwargs[key] = _load(key, raw)
            except (TypeError, ValueError) as exc:
                raise SettingError(f"The setting “{_label(key)}” has an unusable value.") from exc
        return cls(**kwargs)

    def with_changes(self, **changes: Any) -> SchoolPolicy:
        return dataclasses.replace(self, **changes)


MAX_IDLE_LOCK = 60  # minutes (issue 12)

MAX_RULE_TEXT = 600
MAX_EXTRA_RULES = 20


def _check_conduct(policy: SchoolPolicy) -> None:
    """The rules of conduct (issue 18): text of a sensible length; instructions not empty."""
    for f in dataclasses.fields(policy):
        value = getattr(policy, f.name)
        if f.name.startswith("rule_") or f.name == "two_staff_question":
            if not isinstance(value, str) or len(value.strip()) > MAX_RULE_TEXT:
                raise SettingError(
                    f"{_label(f.name)} must be text under {MAX_RULE_TEXT} characters."
                )
        elif f.name.startswith("rules_extra_"):
            if not isinstance(value, tuple) or len(value) > MAX_EXTRA_RULES:
                raise SettingError(f"{_label(f.name)}: at most {MAX_EXTRA_RULES} rules.")
            for rule in value:
                if not isinstance(rule, str) or not rule.strip():
                    raise SettingError(f"{_label(f.name)}: a rule cannot be empty.")
                if len(rule.strip()) > MAX_RULE_TEXT:
                    raise SettingError(
                        f"{_label(f.name)}: keep each rule under {MAX_RULE_TEXT} characters."
                    )
    for name in ("child_alone_instruction", "no_adult_instruction"):
        value = getattr(policy, name)
        if not isinstance(value, str) or not value.strip():
            raise SettingError(f"{_label(name)} cannot be empty: the office reads it out.")
        if len(value) > MAX_RULE_TEXT:
            raise SettingError(f"{_label(name)} must be under {MAX_RULE_TEXT} characters.")


def _label(name: str) -> str:
    return name.replace("_", " ").capitalize()


def _dump(value: Any) -> Any:
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, BandThresholds):
        return {"low_max": value.low_max, "medium_max": value.medium_max}
    if isinstance(value, tuple):
        return [str(v) if isinstance(v, Role) else v for v in value]
    return value


def _load(key: str, raw: Any) -> Any:
    if key in ("working_day_start", "working_day_end", "end_of_day_check"):
        hours, minutes = str(raw).split(":")
        return time(int(hours), int(minutes))
    if key == "risk_bands":
        return BandThresholds(int(raw["low_max"]), int(raw["medium_max"]))
    if key.endswith("_roles"):
        return tuple(Role(v) for v in raw)
    if key == "working_weekdays":
        return tuple(int(v) for v in raw)
    if key.startswith("rules_extra_"):
        return tuple(str(v) for v in raw)
    return raw


def stored_value(value: Any) -> Any:
    """A setting's value as the settings table stores it (issue 15: for comparing and the
    record of changes)."""
    return _dump(value)


def loaded_value(key: str, raw: Any) -> Any:
    """A stored value read back as the setting's type, without checking it against the rest
    of the policy (a change record's old value may not fit today's other settings)."""
    return _load(key, raw)
