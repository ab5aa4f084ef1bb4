"""Changing the school's settings: who may, what is accepted, and the record of each change.

The Settings page, the first-run assistant and `hvdesk settings set` all come through here, so
the same checks hold everywhere: the acting account is read again inside the unit of work (a
role changed since sign-in counts as it is now), the whole new policy must validate (the police
step after the emergency-contact step, working hours that end after they start...), and a folder
must exist, be writable, and not be the data folder. Each change is one `SettingChange` row (old
and new value; these are not personal data) and one audit entry, in the same transaction. The
board reads the policy on every tick, so a change is in force on its next read.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from hvdesk.clock import Clock
from hvdesk.db.audit_trail import AuditAction, Draft, append
from hvdesk.db.database import Database
from hvdesk.db.models import Setting, SettingChange, UserAccount
from hvdesk.domain.permissions import may_change_settings, may_change_who_changes_settings
from hvdesk.domain.policy import SchoolPolicy, SettingError, loaded_value, stored_value
from hvdesk.domain.setting_fields import (
    SettingChangeRow,
    SettingField,
    SettingGroup,
    SettingKind,
    check_kind,
    describe_value,
    field_for,
    setting_fields,
)
from hvdesk.errors import HvdeskError
from hvdesk.services.acting import require_active_account
from hvdesk.services.audit import writing_as
from hvdesk.services.directory import school_policy
from hvdesk.services.identity import SignedInUser

__all__ = [
    "LADDER_KEYS",
    "SchoolSettings",
    "SettingChangeRow",
    "SettingEntry",
    "SettingRejected",
    "SettingsNotPermitted",
    "changes_between",
    "last_ladder_change",
]

log = logging.getLogger(__name__)

# Settings whose change moves a visit already out along the ladder (the board says so).
LADDER_KEYS = frozenset(
    f.key for f in setting_fields() if f.group in (SettingGroup.LADDER, SettingGroup.DURING)
)


class SettingRejected(HvdeskError):
    """A value the policy cannot take; nothing was changed."""

    title = "Setting not changed"


class SettingsNotPermitted(HvdeskError):
    """The acting account's role may not change (this) setting."""

    title = "Not permitted"


@dataclass(frozen=True)
class SettingEntry:
    """One setting as the page and `hvdesk settings list` show it."""

    field: SettingField
    value: Any
    changed: bool

    @property
    def key(self) -> str:
        return self.field.key

    @property
    def shown(self) -> str:
        return describe_value(self.field, self.value)

    @property
    def default_shown(self) -> str:
        return describe_value(self.field, self.field.default)


class SchoolSettings:
    """Reading and changing the school's settings over one database."""

    def __init__(self, database: Database, clock: Clock) -> None:
        self._database = database
        self._clock = clock

    @property
    def data_folder(self) -> Path:
        return self._database.path.parent

    def policy(self) -> SchoolPolicy:
        with self._database.session() as session:
            return school_policy(session)

    def entries(self) -> list[SettingEntry]:
        """Every setting, in page order, with the school's value and whether it differs from
        the default."""
        policy = self.policy()
        return [
            SettingEntry(f, value, _stored(f, value) != _stored(f, f.default))
            for f in setting_fields()
            for value in (getattr(policy, f.key),)
        ]

    def may_change(self, by: SignedInUser | None) -> bool:
        """Whether `by`, as the database has them now, may change settings (for the page's
        buttons; `change` checks again)."""
        if by is None:
            return False
        with self._database.session() as session:
            account = session.get(UserAccount, by.user_id)
            if account is None or not account.active:
                return False
            return may_change_settings(account.role, school_policy(session))

    def change(self, by: SignedInUser, key: str, value: Any) -> SchoolPolicy:
        return self.change_many(by, {key: value})

    def change_many(self, by: SignedInUser, changes: Mapping[str, Any]) -> SchoolPolicy:
        """Apply several changes at once (so the police and emergency-contact steps can move
        together); all or nothing. Returns the policy now in force."""
        with writing_as(self._database, by, self._clock) as session:
            account = require_active_account(
                session, by, SettingsNotPermitted, nothing_done="no setting was changed"
            )
            current = school_policy(session)
            if not may_change_settings(account.role, current):
                raise SettingsNotPermitted(
                    f"Your role ({account.role.label}) may not change the school's settings.",
                    "Ask the administrator or the DSL.",
                )
            fields = {key: _field(key) for key in changes}
            wanted = {
                key: _same_order(fields[key], getattr(current, key), value)
                for key, value in changes.items()
            }
            wanted = {
                k: v
                for k, v in wanted.items()
                if _stored(fields[k], v) != _stored(fields[k], getattr(current, k))
            }
            if not wanted:
                return current
            if "settings_roles" in wanted and not may_change_who_changes_settings(account.role):
                raise SettingsNotPermitted(
                    "Only the administrator may change who can change the settings.",
                    "Nothing was changed.",
                )
            try:
                for key, value in wanted.items():
                    check_kind(fields[key], value)
                proposed = current.with_changes(**wanted)
            except SettingError as exc:
                raise SettingRejected(str(exc), "Nothing was changed.") from exc
            except (TypeError, ValueError) as exc:
                raise SettingRejected(
                    "One of the values is not of the right kind.", "Nothing was changed."
                ) from exc
            for key in wanted:
                if fields[key].kind is SettingKind.FOLDER:
                    self._check_folder(fields[key], str(getattr(proposed, key)))
            self._record(session, account, current, proposed, fields, wanted)
            log.info("Settings changed by user %d: %s", account.id, ", ".join(sorted(wanted)))
            return proposed

    def changes_between(self, start: datetime, end: datetime) -> list[SettingChangeRow]:
        """Changes made in [start, end), oldest first, in words."""
        with self._database.session() as session:
            return changes_between(session, start, end)

    def _check_folder(self, found: SettingField, text: str) -> None:
        if not text:
            return  # the default: a folder inside the data folder, made when needed
        folder = Path(text).expanduser()
        if not folder.is_absolute():
            raise SettingRejected(
                f"“{found.label}” must be a full path, such as D:\\hvdesk-backups.",
                "Nothing was changed.",
            )
        if not folder.is_dir():
            raise SettingRejected(
                f"The folder {folder} does not exist (or is not a folder).",
                "Create it first, or choose another; nothing was changed.",
            )
        if _same_place(folder, self.data_folder):
            raise SettingRejected(
                "The backup folder cannot be the data folder itself: a backup must survive the "
                "loss of the data folder.",
                "Choose a folder on another disk, a USB drive or a network share.",
            )
        if not os.access(folder, os.W_OK):
            raise SettingRejected(
                f"hvdesk cannot write to {folder}.",
                "Ask IT for write access, or choose another folder; nothing was changed.",
            )

    def _record(
        self,
        session: Session,
        account: UserAccount,
        current: SchoolPolicy,
        proposed: SchoolPolicy,
        fields: Mapping[str, SettingField],
        wanted: Mapping[str, Any],
    ) -> None:
        now = self._clock.now()
        for key in wanted:
            found = fields[key]
            old = _stored(found, getattr(current, key))
            new = _stored(found, getattr(proposed, key))
            row = session.get(Setting, key)
            if new == _stored(found, found.default):
                if row is not None:
                    session.delete(row)  # back to the default: no override kept
            elif row is None:
                session.add(Setting(key=key, value=new, updated_at=now, updated_by_id=account.id))
            else:
                row.value = new
                row.updated_at = now
                row.updated_by_id = account.id
            session.add(
                SettingChange(
                    key=key, old_value=old, new_value=new, changed_at=now, changed_by_id=account.id
                )
            )
        session.flush()
        append(
            session,
            [
                Draft(
                    AuditAction.UPDATE,
                    "settings",
                    None,
                    {
                        "fields": sorted(wanted),
                        "values": {
                            k: [
                                _stored(fields[k], getattr(current, k)),
                                _stored(fields[k], getattr(proposed, k)),
                            ]
                            for k in sorted(wanted)
                        },
                    },
                )
            ],
        )


def last_ladder_change(session: Session) -> datetime | None:
    """When a setting that moves visits already out (the ladder, call deadlines) last changed."""
    return session.scalar(
        sa.select(sa.func.max(SettingChange.changed_at)).where(
            SettingChange.key.in_(sorted(LADDER_KEYS))
        )
    )


def changes_between(session: Session, start: datetime, end: datetime) -> list[SettingChangeRow]:
    """The setting changes made in [start, end), oldest first, with the account's name."""
    rows = session.execute(
        sa.select(SettingChange, UserAccount.display_name)
        .outerjoin(UserAccount, SettingChange.changed_by_id == UserAccount.id)
        .where(SettingChange.changed_at >= start, SettingChange.changed_at < end)
        .order_by(SettingChange.changed_at, SettingChange.id)
    )
    found: list[SettingChangeRow] = []
    for change, name in rows:
        try:
            field = field_for(change.key)
            old = describe_value(field, _loaded(change.key, change.old_value))
            new = describe_value(field, _loaded(change.key, change.new_value))
            label = field.label
        except (SettingError, TypeError, ValueError, KeyError):
            label, old, new = change.key, str(change.old_value), str(change.new_value)
        found.append(
            SettingChangeRow(change.key, label, old, new, change.changed_at, name or "system")
        )
    return found


def _stored(found: SettingField, value: Any) -> Any:
    """The value as the settings table stores it (JSON-ready), for comparing and the record."""
    return stored_value(value)


def _loaded(key: str, raw: Any) -> Any:
    return loaded_value(key, raw)


def _field(key: str) -> SettingField:
    try:
        return field_for(key)
    except SettingError as exc:
        raise SettingRejected(str(exc), "Nothing was changed.") from exc


def _same_order(found: SettingField, current: Any, value: Any) -> Any:
    """Roles chosen in another order are the same choice: keep the stored order."""
    if not isinstance(value, tuple):
        return value
    if found.kind is SettingKind.ROLES and set(value) == set(current):
        return current
    if found.kind is SettingKind.WEEKDAYS and all(isinstance(d, int) for d in value):
        return tuple(sorted(set(value)))
    return value


def _same_place(one: Path, other: Path) -> bool:
    try:
        return one.resolve() == other.resolve() or one.samefile(other)
    except OSError:
        return False
