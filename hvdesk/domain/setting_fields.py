"""What each school setting is, for the screens and commands that change it: its group (as the
policies read: before the visit, during it, the ladder, records, security), its label in the
office's words, and its kind (which decides the widget and how typed text is read).

Generic over `SchoolPolicy`: a field added by another issue without a descriptor here still
appears, with a label made from its name, a kind taken from its default value and a group
guessed from its name ("Other settings" when nothing fits). Pure: no Qt, no I/O.
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time
from typing import Any, cast

from hvdesk.domain.people import Role
from hvdesk.domain.policy import SchoolPolicy, SettingError
from hvdesk.domain.risk import BandThresholds

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class SettingGroup(enum.Enum):
    """The headings of the Settings page, in the order a policy reads."""

    SCHOOL = "The school"
    BEFORE = "Before the visit"
    DURING = "During the visit"
    LADDER = "The escalation ladder"
    RECORDS = "Records and backups"
    SECURITY = "Security"
    OTHER = "Other settings"


class SettingKind(enum.Enum):
    """How a setting is edited and read from typed text."""

    MINUTES = "minutes"
    DAYS = "days"
    YEARS = "years"
    COUNT = "number"
    TIME = "time"
    YES_NO = "yes/no"
    WEEKDAYS = "weekdays"
    ROLES = "roles"
    BANDS = "risk bands"
    FOLDER = "folder"
    TEXT = "text"
    TEXT_LIST = "list of lines"
    CHOICE = "choice"


@dataclass(frozen=True)
class SettingField:
    """One setting as the Settings page and `hvdesk settings` present it."""

    key: str
    label: str
    group: SettingGroup
    kind: SettingKind
    default: Any

    @property
    def choices(self) -> tuple[Any, ...]:
        """The members a CHOICE setting may take (its default's enum)."""
        if self.kind is SettingKind.CHOICE:
            members: list[Any] = list(cast(Iterable[Any], type(self.default)))
            return tuple(members)
        return ()


@dataclass(frozen=True)
class SettingChangeRow:
    """A change of a setting, in words, for the governors' annual pack."""

    key: str
    label: str
    old: str
    new: str
    changed_at: datetime
    changed_by: str


_G = SettingGroup
# key: (label, group). Kinds come from the default values.
_KNOWN: dict[str, tuple[str, SettingGroup]] = {
    "school_name": ("School name", _G.SCHOOL),
    "document_marking": ("Marking printed on documents", _G.SCHOOL),
    "pairs_by_default": ("Visits are made in pairs unless a lone visit is approved", _G.BEFORE),
    "authorising_roles": ("Who may authorise a visit", _G.BEFORE),
    "lone_visit_roles": ("Who may approve a lone visit", _G.BEFORE),
    "out_of_hours_roles": ("Who may approve a visit outside working hours", _G.BEFORE),
    "working_day_start": ("Working day starts", _G.BEFORE),
    "working_day_end": ("Working day ends", _G.BEFORE),
    "working_weekdays": ("Working days", _G.BEFORE),
    "dbs_valid_years": ("A DBS check counts as current for (years)", _G.BEFORE),
    "safeguarding_training_valid_years": ("Safeguarding training counts as current for (years)", _G.BEFORE),  # noqa: E501
    "risk_bands": ("Risk bands (score = severity × likelihood, 1 to 25)", _G.BEFORE),
    "arrival_call_grace_minutes": ("Time allowed for the arrival call", _G.DURING),
    "not_signed_out_grace_minutes": ("Time allowed for signing out before a visit is flagged", _G.DURING),  # noqa: E501
    "due_soon_minutes": ("Show a visit as due back soon, before its planned end", _G.DURING),
    "parent_wait_limit_minutes": ("Longest wait at the door for a parent who is not in", _G.DURING),
    "late_parent_wait_limit_minutes": ("Longest wait for a parent who said they would be late", _G.DURING),  # noqa: E501
    "home_safe_grace_minutes": ("Time allowed for the home-safe call after leaving the home", _G.DURING),  # noqa: E501
    "end_of_day_check": ("End-of-day check that everyone is back", _G.DURING),
    "emergency_contact_after_minutes": ("Call the emergency contact, after the agreed time", _G.LADDER),  # noqa: E501
    "police_after_minutes": ("Inform the police, after the agreed time", _G.LADDER),
    "follow_up_call_minutes": ("Next call due after staff are reached with no new time agreed", _G.LADDER),  # noqa: E501
    "incident_review_days": ("Incident review due, in days after it is raised", _G.RECORDS),
    "backup_folder": ("Daily encrypted backup goes to", _G.RECORDS),
    "backups_to_keep": ("Daily backups kept", _G.RECORDS),
    "backup_warn_after_days": ("Warn when the last backup is older than (days)", _G.RECORDS),
    "retention_visit_years_after_birth": ("Keep visit records until the pupil is (years old)", _G.RECORDS),  # noqa: E501
    "retention_incident_years": ("Keep incident records for at least (years)", _G.RECORDS),
    "retention_staff_years_after_leaving": ("Keep staff contact details after leaving (years)", _G.RECORDS),  # noqa: E501
    "idle_lock_minutes": ("Lock hvdesk when left unused for", _G.SECURITY),
    "settings_roles": ("Who may change these settings (the administrator always may)", _G.SECURITY),
}  # fmt: skip

# Guesses for fields added elsewhere: the first word found in the name decides the group.
_GROUP_HINTS: tuple[tuple[str, SettingGroup], ...] = (
    ("police", _G.LADDER),
    ("emergency", _G.LADDER),
    ("escalat", _G.LADDER),
    ("ladder", _G.LADDER),
    ("supervisor", _G.LADDER),
    ("next_person", _G.LADDER),
    ("retention", _G.RECORDS),
    ("backup", _G.RECORDS),
    ("record", _G.RECORDS),
    ("review", _G.RECORDS),
    ("password", _G.SECURITY),
    ("lock", _G.SECURITY),
    ("sign_in", _G.SECURITY),
    ("security", _G.SECURITY),
    ("wait", _G.DURING),
    ("call", _G.DURING),
    ("conduct", _G.DURING),
    ("during", _G.DURING),
    ("roles", _G.BEFORE),
    ("working", _G.BEFORE),
    ("risk", _G.BEFORE),
    ("pair", _G.BEFORE),
    ("lone", _G.BEFORE),
    ("school", _G.SCHOOL),
)


def setting_fields() -> list[SettingField]:
    """Every field of `SchoolPolicy`, grouped in page order (known ones in policy order)."""
    defaults = SchoolPolicy()
    found = [
        setting_field(f.name, getattr(defaults, f.name)) for f in dataclasses.fields(SchoolPolicy)
    ]
    order = list(SettingGroup)
    return sorted(found, key=lambda f: order.index(f.group))


def field_for(key: str) -> SettingField:
    """The descriptor of one setting; SettingError naming it if there is none."""
    for found in setting_fields():
        if found.key == key:
            return found
    raise SettingError(f"There is no setting called “{key}”. `hvdesk settings list` shows them.")


def setting_field(key: str, default: Any) -> SettingField:
    label, group = _KNOWN.get(key, (key.replace("_", " ").capitalize(), _guess_group(key)))
    return SettingField(key, label, group, kind_of(key, default), default)


def _guess_group(key: str) -> SettingGroup:
    for hint, group in _GROUP_HINTS:
        if hint in key:
            return group
    return SettingGroup.OTHER


def kind_of(key: str, default: Any) -> SettingKind:
    """The kind a default value implies (the name decides between minutes, days and years)."""
    if isinstance(default, bool):
        return SettingKind.YES_NO
    if isinstance(default, enum.Enum):
        return SettingKind.CHOICE
    if isinstance(default, int):
        for suffix, kind in (
            ("minutes", SettingKind.MINUTES),
            ("days", SettingKind.DAYS),
            ("years", SettingKind.YEARS),
            ("years_after_birth", SettingKind.YEARS),
            ("years_after_leaving", SettingKind.YEARS),
        ):
            if key.endswith(suffix):
                return kind
        return SettingKind.COUNT
    if isinstance(default, time):
        return SettingKind.TIME
    if isinstance(default, BandThresholds):
        return SettingKind.BANDS
    if key.endswith("weekdays"):
        return SettingKind.WEEKDAYS
    if key.endswith("_roles"):
        return SettingKind.ROLES
    if isinstance(default, tuple):
        return SettingKind.TEXT_LIST
    if key.endswith(("_folder", "_dir", "_directory")):
        return SettingKind.FOLDER
    return SettingKind.TEXT


# --- words ------------------------------------------------------------------------------------


def describe_value(found: SettingField, value: Any) -> str:
    """A setting's value as the office reads it, without a manual."""
    kind = found.kind
    if kind is SettingKind.YES_NO:
        return "Yes" if value else "No"
    if kind in (SettingKind.MINUTES, SettingKind.DAYS, SettingKind.YEARS):
        unit = kind.value[:-1]
        return f"1 {unit}" if value == 1 else f"{value} {kind.value}"
    if kind is SettingKind.TIME:
        return str(value.strftime("%H:%M"))
    if kind is SettingKind.BANDS:
        return (
            f"Low up to {value.low_max}, medium up to {value.medium_max}, "
            f"high above {value.medium_max}"
        )
    if kind is SettingKind.WEEKDAYS:
        days = sorted(value)
        if days and days == list(range(days[0], days[-1] + 1)) and len(days) > 2:
            return f"{WEEKDAYS[days[0]]} to {WEEKDAYS[days[-1]]}"
        return ", ".join(WEEKDAYS[d] for d in days) or "None"
    if kind is SettingKind.ROLES:
        return ", ".join(r.label for r in value) or "Nobody"
    if kind is SettingKind.FOLDER and not value:
        return "The “backups” folder inside the data folder"
    if kind is SettingKind.CHOICE:
        return str(getattr(value, "label", value.value))
    if kind is SettingKind.TEXT_LIST:
        return "; ".join(str(v) for v in value) or "None"
    return str(value)


def value_as_text(found: SettingField, value: Any) -> str:
    """The value as `hvdesk settings set` accepts it back (so list and set round-trip)."""
    kind = found.kind
    if kind is SettingKind.YES_NO:
        return "yes" if value else "no"
    if kind is SettingKind.TIME:
        return str(value.strftime("%H:%M"))
    if kind is SettingKind.BANDS:
        return f"{value.low_max},{value.medium_max}"
    if kind is SettingKind.WEEKDAYS:
        return ",".join(WEEKDAYS[d][:3].lower() for d in sorted(value))
    if kind is SettingKind.ROLES:
        return ",".join(r.value for r in value)
    if kind is SettingKind.CHOICE:
        return str(value.value)
    if kind is SettingKind.TEXT_LIST:
        return "; ".join(str(v) for v in value)
    return str(value)


def parse_value(found: SettingField, text: str) -> Any:
    """Typed text read as the setting's kind; SettingError in the office's words if it is not."""
    text = text.strip()
    label = found.label
    kind = found.kind
    if kind in (SettingKind.MINUTES, SettingKind.DAYS, SettingKind.YEARS, SettingKind.COUNT):
        if not text.isdigit():
            unit = "" if kind is SettingKind.COUNT else f" of {kind.value}"
            raise SettingError(f"“{label}” needs a whole number{unit}, such as 15, not “{text}”.")
        return int(text)
    if kind is SettingKind.YES_NO:
        answer = text.casefold()
        if answer in ("yes", "y", "true", "on", "1"):
            return True
        if answer in ("no", "n", "false", "off", "0"):
            return False
        raise SettingError(f"“{label}” needs yes or no, not “{text}”.")
    if kind is SettingKind.TIME:
        return _parse_time(label, text)
    if kind is SettingKind.BANDS:
        parts = [p.strip() for p in text.split(",")]
        if len(parts) != 2 or not all(p.isdigit() for p in parts):
            raise SettingError(f"“{label}” needs the top score of low and of medium, such as 4,12.")
        try:
            return BandThresholds(int(parts[0]), int(parts[1]))
        except ValueError as exc:
            raise SettingError(
                "Risk bands: low must end before medium, and medium below 25 (such as 4,12)."
            ) from exc
    if kind is SettingKind.WEEKDAYS:
        return _parse_weekdays(label, text)
    if kind is SettingKind.ROLES:
        return _parse_roles(label, text)
    if kind is SettingKind.CHOICE:
        for member in found.choices:
            if text.casefold() in (
                str(member.value).casefold(),
                str(getattr(member, "label", "")).casefold(),
            ):
                return member
        names = ", ".join(str(m.value) for m in found.choices)
        raise SettingError(f"“{label}” is one of: {names}.")
    if kind is SettingKind.TEXT_LIST:
        return tuple(p.strip() for p in text.split(";") if p.strip())
    return text


def _parse_time(label: str, text: str) -> time:
    hours, sep, minutes = text.partition(":")
    digits = sep and hours.isdigit() and minutes.isdigit() and len(minutes) == 2
    if digits and int(hours) < 24 and int(minutes) < 60:
        return time(int(hours), int(minutes))
    raise SettingError(f"“{label}” needs a time on the 24-hour clock, such as 16:00, not “{text}”.")


def _parse_weekdays(label: str, text: str) -> tuple[int, ...]:
    days: set[int] = set()
    for part in (p.strip().casefold() for p in text.split(",") if p.strip()):
        match = [i for i, name in enumerate(WEEKDAYS) if name.casefold().startswith(part[:3])]
        if len(part) < 3 or not match:
            raise SettingError(f"“{label}”: “{part}” is not a day of the week (mon, tue, wed...).")
        days.add(match[0])
    return tuple(sorted(days))


def _parse_roles(label: str, text: str) -> tuple[Role, ...]:
    roles: list[Role] = []
    for part in (p.strip().casefold() for p in text.split(",") if p.strip()):
        found = [r for r in Role if part in (r.value, r.label.casefold())]
        if not found:
            names = ", ".join(r.value for r in Role)
            raise SettingError(f"“{label}”: “{part}” is not a role. The roles are: {names}.")
        if found[0] not in roles:
            roles.append(found[0])
    return tuple(roles)


def check_kind(found: SettingField, value: Any) -> None:
    """SettingError unless `value` is of the setting's kind (the policy's own checks then
    judge whether it fits with the rest)."""
    kind = found.kind
    whole = isinstance(value, int) and not isinstance(value, bool)
    ok = {
        SettingKind.MINUTES: whole,
        SettingKind.DAYS: whole,
        SettingKind.YEARS: whole,
        SettingKind.COUNT: whole,
        SettingKind.YES_NO: isinstance(value, bool),
        SettingKind.TIME: isinstance(value, time),
        SettingKind.BANDS: isinstance(value, BandThresholds),
        SettingKind.WEEKDAYS: isinstance(value, tuple)
        and all(isinstance(d, int) and 0 <= d <= 6 for d in value),
        SettingKind.ROLES: isinstance(value, tuple) and all(isinstance(r, Role) for r in value),
        SettingKind.CHOICE: isinstance(value, type(found.default)),
        SettingKind.TEXT_LIST: isinstance(value, tuple) and all(isinstance(v, str) for v in value),
        SettingKind.FOLDER: isinstance(value, str),
        SettingKind.TEXT: isinstance(value, str),
    }[kind]
    if not ok and kind is SettingKind.BANDS and isinstance(value, tuple) and len(value) == 2:
        raise SettingError(
            "Risk bands: the low band must end before the medium band, and medium below 25."
        )
    if not ok:
        raise SettingError(f"“{found.label}” needs a value of the kind: {kind.value}.")
    if whole and not 0 <= value <= 1_000_000:
        raise SettingError(f"“{found.label}” is out of range.")
