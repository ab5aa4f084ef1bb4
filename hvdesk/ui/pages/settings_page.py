"""The school's policy as hvdesk applies it, editable by the roles the school names.

Grouped as the policies read (the school, before the visit, during it, the ladder, records,
security), each setting with the widget its kind needs and hvdesk's default beside the school's
value. Saving sends every edited setting to the settings service in one go (so the ladder's
steps can move together); the service decides who may and whether the values fit, and its
refusal is shown under the buttons with nothing changed. Who may change settings is the
service's decision: the widgets are only greyed out to say so in advance.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from hvdesk.domain.people import Role
from hvdesk.domain.policy import SchoolPolicy, SettingError, stored_value
from hvdesk.domain.setting_fields import SettingGroup
from hvdesk.errors import HvdeskError
from hvdesk.services.settings import SchoolSettings, SettingEntry
from hvdesk.ui.current_user import CurrentUser
from hvdesk.ui.pages.base import Page
from hvdesk.ui.restyle import set_style_properties
from hvdesk.ui.settings_editors import SettingEditor


class SettingsPage(Page):
    """Every school setting, grouped, editable by those allowed to."""

    title = "Settings: the school's home-visit policy"
    icon_name = "settings"
    policy_changed = Signal(object)  # the SchoolPolicy now in force

    def __init__(
        self,
        settings: SchoolSettings,
        current_user: CurrentUser,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent=parent)
        self.settings = settings
        self.current_user = current_user
        self.editors: dict[str, SettingEditor] = {}
        self.defaults: dict[str, QLabel] = {}
        self.entries: dict[str, SettingEntry] = {}
        self._loading = False

        inner = QWidget()
        inner.setObjectName("settingsForm")
        column = QVBoxLayout(inner)
        column.setContentsMargins(0, 0, 12, 0)
        column.setSpacing(14)
        self.groups: dict[SettingGroup, QFrame] = {}
        for entry in settings.entries():
            box = self.groups.get(entry.field.group)
            if box is None:
                box = self._group(entry.field.group)
                heading = QLabel(entry.field.group.value)
                heading.setObjectName("settingsHeading")
                column.addWidget(heading)
                column.addWidget(box)
            self._add_row(box, entry)
        column.addStretch(1)
        self.form_scroll = QScrollArea()
        self.form_scroll.setObjectName("settingsScroll")
        self.form_scroll.setWidgetResizable(True)
        self.form_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.form_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.form_scroll.setWidget(inner)
        self.layout_.addWidget(self.form_scroll, 1)

        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.hide()
        self.save_button = QPushButton("Save changes")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.undo_button = QPushButton("Undo changes")
        self.undo_button.clicked.connect(self.refresh)
        bar = QHBoxLayout()
        bar.addWidget(self.message, 3)
        bar.addStretch(1)
        bar.addWidget(self.undo_button)
        bar.addWidget(self.save_button)
        self.layout_.addLayout(bar)
        current_user.changed.connect(self.refresh)
        self.refresh()

    # -- building ------------------------------------------------------------------------------

    def _group(self, group: SettingGroup) -> QFrame:
        box = QFrame()
        box.setObjectName("settingsGroup")
        box.setAccessibleName(group.value)
        grid = QGridLayout(box)
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(10)
        grid.setColumnStretch(1, 1)
        grid.setColumnMinimumWidth(0, 260)
        self.groups[group] = box
        return box

    def _add_row(self, box: QFrame, entry: SettingEntry) -> None:
        grid = box.layout()
        assert isinstance(grid, QGridLayout)
        row = grid.rowCount()
        label = QLabel(entry.field.label)
        label.setWordWrap(True)
        label.setMaximumWidth(300)
        editor = SettingEditor(entry.field)
        editor.edited.connect(self._edited)
        label.setBuddy(editor.focusProxy() or editor)
        default = QLabel(f"Default: {entry.default_shown}")
        default.setObjectName("settingDefault")
        default.setWordWrap(True)
        default.setMinimumWidth(180)
        default.setMaximumWidth(280)
        grid.addWidget(label, row, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(editor, row, 1)
        grid.addWidget(default, row, 2, Qt.AlignmentFlag.AlignTop)
        self.editors[entry.key] = editor
        self.defaults[entry.key] = default

    # -- reading and saving --------------------------------------------------------------------

    def refresh(self) -> None:
        try:
            entries = self.read(self.settings.entries, "the settings")
        except SettingError as exc:
            self.problem_label.setText(
                f"A stored setting cannot be used: {exc} Set it again below; until then "
                "hvdesk's default is in force."
            )
            self.problem_label.show()
            return
        if entries is None:
            return
        self._loading = True
        try:
            for entry in entries:
                self.entries[entry.key] = entry
                self.editors[entry.key].set_value(entry.value)
                self._mark(entry.key, entry.changed)
        finally:
            self._loading = False
        allowed = self.settings.may_change(self.current_user.user)
        user = self.current_user.user
        for key, editor in self.editors.items():
            admin_only = key == "settings_roles" and (
                user is None or user.role is not Role.ADMINISTRATOR
            )
            editor.set_editable(allowed and not admin_only)
        self.save_button.setEnabled(False)
        self.undo_button.setEnabled(False)
        changed = sum(e.changed for e in entries)
        school = next((e.value for e in entries if e.key == "school_name"), "the school")
        who = (
            "Change a value and choose Save changes; each change is recorded with its old and "
            "new value."
            if allowed
            else "Only the roles the school names (the administrator and the DSL unless changed) "
            "may change them: sign in as one of them."
        )
        self.summary_label.setText(
            f"The rules hvdesk follows for {school}: {changed} of {len(entries)} set by the "
            f"school, the rest hvdesk's defaults (shown on the right). {who}"
        )

    def edited_values(self) -> dict[str, Any]:
        """The settings whose widget no longer shows the stored value."""
        edited: dict[str, Any] = {}
        for key, editor in self.editors.items():
            value = editor.value()
            entry = self.entries.get(key)
            if entry is None or _same_roles(value, entry.value):
                continue
            if stored_value(value) != stored_value(entry.value):
                edited[key] = value
        return edited

    def save(self) -> bool:
        """Send the edited settings to the service; True if they are now in force."""
        user = self.current_user.user
        edited = self.edited_values()
        if not edited:
            return True
        if user is None:
            self._say("Sign in to change the settings.", error=True)
            return False
        try:
            policy = self.settings.change_many(user, edited)
        except HvdeskError as exc:
            self._say(str(exc), error=True)
            return False
        self.refresh()
        count = len(edited)
        self._say(
            f"Saved: {count} setting{'s' if count != 1 else ''} changed, in force now.", error=False
        )
        self.policy_changed.emit(policy)
        return True

    def _edited(self) -> None:
        if self._loading:
            return
        edited = self.edited_values()
        for key in self.editors:
            entry = self.entries.get(key)
            if entry is not None:
                self._mark(key, entry.changed, pending=key in edited)
        self.save_button.setEnabled(bool(edited))
        self.undo_button.setEnabled(bool(edited))
        self.message.hide()

    def _mark(self, key: str, changed: bool, *, pending: bool = False) -> None:
        entry = self.entries[key]
        note = " (the school's value differs)" if changed else ""
        note = " (not saved yet)" if pending else note
        self.defaults[key].setText(f"Default: {entry.default_shown}{note}")
        set_style_properties(self.defaults[key], changed=changed or pending)

    def _say(self, text: str, *, error: bool) -> None:
        self.message.setObjectName("inlineError" if error else "inlineDone")
        self.message.setText(text)
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)
        self.message.show()

    def policy_in_force(self) -> SchoolPolicy:
        return self.settings.policy()


def _same_roles(one: Any, other: Any) -> bool:
    return isinstance(one, tuple) and isinstance(other, tuple) and set(one) == set(other)
