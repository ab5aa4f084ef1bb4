"""The steps of the first-run assistant, one page each: the school, the administrator, the
recovery key, the policy essentials, staff and pupils.

Each page's `validatePage` does its step through the services (the account, the settings, the
set-up record) and stays on the page with the reason in words if the step fails; a safety-
critical step cannot be passed without being done (`isComplete` keeps Next greyed until it is).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from hvdesk.domain.passwords import MIN_LENGTH
from hvdesk.domain.setting_fields import describe_value, field_for
from hvdesk.errors import HvdeskError
from hvdesk.ui.dialogs.form_frame import password_field
from hvdesk.ui.dialogs.recovery_key_dialog import NOBODY_CAN_RECOVER, WHEN_NEEDED, key_lines
from hvdesk.ui.settings_editors import SettingEditor

if TYPE_CHECKING:
    from hvdesk.ui.first_run import FirstRunAssistant

ESSENTIALS = (
    "emergency_contact_after_minutes",
    "police_after_minutes",
    "working_day_start",
    "working_day_end",
    "working_weekdays",
    "parent_wait_limit_minutes",
    "late_parent_wait_limit_minutes",
    "authorising_roles",
    "pairs_by_default",
)


def _note(text: str, name: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    if name:
        label.setObjectName(name)
    return label


class _Step(QWizardPage):
    """A page that knows its assistant and shows a refusal under its fields."""

    def __init__(self, assistant: FirstRunAssistant, title: str, subtitle: str) -> None:
        super().__init__()
        self.assistant = assistant
        self.setTitle(title)
        self.setSubTitle(subtitle)
        # The step scrolls rather than squeezes: at 150% on a 1366x768 screen a step has about
        # 900x300 pixels, and a recovery key cut in half is worse than a scroll bar.
        inner = QWidget()
        inner.setObjectName("settingsForm")
        self.column = QVBoxLayout(inner)
        self.column.setContentsMargins(0, 0, 8, 0)
        self.column.setSpacing(10)
        scroll = QScrollArea()
        scroll.setObjectName("settingsScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(inner)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        self.error = _note("", "inlineError")
        self.error.hide()

    def finish_layout(self) -> None:
        self.column.addWidget(self.error)
        self.column.addStretch(1)

    def refuse(self, message: str) -> bool:
        self.error.setText(message)
        self.error.show()
        return False


class SchoolStep(_Step):
    """The school's name (required) and logo (optional, printed on every document)."""

    def __init__(self, assistant: FirstRunAssistant) -> None:
        super().__init__(
            assistant,
            "The school",
            "Its name appears on the window and on every document hvdesk prints; the logo, "
            "if you add one, in the documents' header.",
        )
        self.name_edit = QLineEdit()
        self.name_edit.setAccessibleName("School name")
        self.name_edit.setPlaceholderText("e.g. Riverside Academy")
        self.name_edit.textChanged.connect(self.completeChanged)
        self.logo_preview = QLabel("No logo")
        self.logo_preview.setObjectName("logoPreview")
        self.logo_preview.setFixedSize(180, 90)
        self.logo_preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.choose_logo = QPushButton("Choose a logo…")
        self.no_logo = QPushButton("No logo")
        self.choose_logo.clicked.connect(self._pick_logo)
        self.no_logo.clicked.connect(lambda: self.set_logo(None))
        form = QFormLayout()
        form.addRow("School &name:", self.name_edit)
        logo_row = QHBoxLayout()
        logo_row.addWidget(self.logo_preview)
        logo_row.addWidget(self.choose_logo)
        logo_row.addWidget(self.no_logo)
        logo_row.addStretch(1)
        form.addRow("Logo (PNG or JPEG):", logo_row)
        self.column.addLayout(form)
        self.finish_layout()

    def isComplete(self) -> bool:  # noqa: N802
        return bool(self.name_edit.text().strip())

    def _pick_logo(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(
            self, "The school's logo", "", "Pictures (*.png *.jpg *.jpeg)"
        )
        if chosen:
            self.set_logo(Path(chosen))

    def set_logo(self, path: Path | None) -> None:
        self.error.hide()
        if path is None:
            self.assistant.logo = None
            self.logo_preview.setPixmap(QPixmap())
            self.logo_preview.setText("No logo")
            return
        try:
            data = path.read_bytes()
        except OSError as exc:
            self.refuse(f"Could not read {path.name}: {exc.strerror or exc}.")
            return
        picture = QPixmap()
        if not picture.loadFromData(data):
            self.refuse(f"{path.name} is not a picture hvdesk can read. Choose a PNG or JPEG.")
            return
        self.assistant.logo = data
        self.logo_preview.setPixmap(
            picture.scaled(
                self.logo_preview.size(),
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        )


class AdministratorStep(_Step):
    """The first administrator (or, when the set-up is resumed, the administrator signs in)."""

    def __init__(self, assistant: FirstRunAssistant) -> None:
        resuming = not assistant.accounts.needs_first_administrator()
        super().__init__(
            assistant,
            "The administrator",
            "The administrator signs in to finish the set-up they started."
            if resuming
            else "The administrator creates everyone else's account (reception, the DSL and "
            "deputies, visiting staff) and resets forgotten passwords.",
        )
        self.resuming = resuming
        self.name_edit = QLineEdit()
        self.name_edit.setAccessibleName("Your name")
        self.name_edit.setPlaceholderText("As the office knows you, e.g. Jo Smith")
        self.username_edit = QLineEdit()
        self.username_edit.setAccessibleName("Username")
        self.username_edit.setPlaceholderText("e.g. j.smith")
        self.password_edit = password_field("Password")
        self.again_edit = password_field("Password again")
        form = QFormLayout()
        if not resuming:
            form.addRow("Your &name:", self.name_edit)
        form.addRow("&Username:", self.username_edit)
        form.addRow("&Password:", self.password_edit)
        if not resuming:
            form.addRow("Password &again:", self.again_edit)
        self.column.addLayout(form)
        if not resuming:
            self.column.addWidget(
                _note(
                    f"A password of at least {MIN_LENGTH} characters that is not your "
                    "username. A few unrelated words are easy to remember and hard to guess."
                )
            )
        self.finish_layout()

    def validatePage(self) -> bool:  # noqa: N802
        if not self.assistant.school_name():
            return self.refuse("Go back and type the school's name.")
        if self.assistant.user is not None:
            return self._apply_school()
        accounts = self.assistant.accounts
        try:
            if self.resuming:
                user = accounts.sign_in(self.username_edit.text(), self.password_edit.text())
                if user.role.value != "administrator":
                    return self.refuse("The set-up is finished by the administrator.")
            else:
                if not self.name_edit.text().strip():
                    return self.refuse("Type your name.")
                if self.password_edit.text() != self.again_edit.text():
                    self.again_edit.clear()
                    return self.refuse("The two passwords are not the same. Type it again.")
                user = accounts.create_first_administrator(
                    self.username_edit.text(), self.name_edit.text(), self.password_edit.text()
                )
        except HvdeskError as exc:
            return self.refuse(str(exc))
        self.password_edit.clear()
        self.again_edit.clear()
        self.assistant.user = user
        return self._apply_school()

    def _apply_school(self) -> bool:
        user = self.assistant.user
        assert user is not None
        try:
            self.assistant.settings.change(user, "school_name", self.assistant.school_name())
            self.assistant.first_run.save_logo(user, self.assistant.logo)
        except HvdeskError as exc:
            return self.refuse(str(exc))
        return True


class RecoveryKeyStep(_Step):
    """The recovery key, shown once, saved as a one-page PDF; no going on until it is kept."""

    def __init__(self, assistant: FirstRunAssistant) -> None:
        super().__init__(
            assistant,
            "The recovery key",
            "Print it and keep it in the school safe. It is the only way into the records "
            "on another PC, or after IT resets a Windows password.",
        )
        key = assistant.recovery_key
        self.last_group = key.split("-")[-1] if key else ""
        if key:
            self.key_label = QLabel(key_lines(key))
            self.key_label.setObjectName("recoveryKey")
            self.key_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.key_label.setTextInteractionFlags(
                Qt.TextInteractionFlag.TextSelectableByMouse
                | Qt.TextInteractionFlag.TextSelectableByKeyboard
            )
            self.key_label.setAccessibleName("Recovery key")
            self.key_label.setMinimumHeight(self.key_label.sizeHint().height())
            self.column.addWidget(self.key_label)
        else:
            self.column.addWidget(
                _note(
                    "The recovery key was shown when this database was created. If the office "
                    "does not have it, finish the set-up, then make a new one at once with "
                    "`hvdesk rekey` and print that."
                )
            )
        self.column.addWidget(_note("hvdesk asks for it " + " ".join(WHEN_NEEDED)))
        self.column.addWidget(_note(NOBODY_CAN_RECOVER))
        buttons = QHBoxLayout()
        self.pdf_button = QPushButton("Save as PDF to print…")
        self.pdf_button.setEnabled(bool(key))
        self.pdf_button.clicked.connect(self._save_pdf)
        buttons.addWidget(self.pdf_button)
        buttons.addStretch(1)
        self.column.addLayout(buttons)
        self.saved_note = _note("", "inlineDone")
        self.saved_note.hide()
        self.column.addWidget(self.saved_note)
        self.kept = QCheckBox(
            "We have printed or written down the recovery key, and it will be kept in the "
            "school safe"
        )
        self.kept.toggled.connect(self.completeChanged)
        self.column.addWidget(self.kept)
        self.check_edit = QLineEdit()
        self.check_edit.setMaxLength(4)
        self.check_edit.setMaximumWidth(120)
        self.check_edit.setAccessibleName("The last four characters of the recovery key")
        self.check_edit.textChanged.connect(self.completeChanged)
        if key:
            row = QHBoxLayout()
            row.addWidget(QLabel("To check, type the key's last four characters, from the copy:"))
            row.addWidget(self.check_edit)
            row.addStretch(1)
            self.column.addLayout(row)
        self.finish_layout()

    def isComplete(self) -> bool:  # noqa: N802
        typed_ok = not self.last_group or (
            self.check_edit.text().strip().upper() == self.last_group
        )
        return self.kept.isChecked() and typed_ok

    def save_pdf_to(self, path: Path) -> None:
        from hvdesk.reports.recovery_key_sheet import recovery_key_sheet

        data = recovery_key_sheet(
            self.assistant.school_name(),
            self.assistant.recovery_key or "",
            str(self.assistant.folder),
            self.assistant.clock.now(),
        )
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        self.saved_note.setText(
            f"Saved to {path}. Print it now, then delete the file: a copy left on a computer "
            "lets anyone holding it open the records."
        )
        self.saved_note.show()

    def _save_pdf(self) -> None:
        chosen, _ = QFileDialog.getSaveFileName(
            self, "Save the recovery key to print", "hvdesk-recovery-key.pdf", "PDF (*.pdf)"
        )
        if chosen:
            try:
                self.save_pdf_to(Path(chosen))
            except OSError as exc:
                self.refuse(f"Could not save the PDF there: {exc.strerror or exc}.")

    def validatePage(self) -> bool:  # noqa: N802
        if not self.isComplete():
            return self.refuse(
                "Tick the box once the key is printed or written down, and type its last "
                "four characters from your copy."
            )
        user = self.assistant.user
        assert user is not None
        try:
            self.assistant.first_run.confirm_recovery_key(user)
        except HvdeskError as exc:
            return self.refuse(str(exc))
        return True


class PolicyStep(_Step):
    """The policy essentials: the ladder, working hours, waits at the door, who authorises,
    pairs. The defaults are shown; whatever is on screen is saved."""

    def __init__(self, assistant: FirstRunAssistant) -> None:
        super().__init__(
            assistant,
            "The school's policy: the essentials",
            "As your home-visit policy says. Everything else, and these again later, is on "
            "the Settings page.",
        )
        holder = QWidget()
        holder.setObjectName("settingsForm")
        grid = QGridLayout(holder)
        grid.setContentsMargins(0, 0, 8, 0)
        grid.setHorizontalSpacing(14)
        grid.setColumnStretch(1, 1)
        grid.setColumnMinimumWidth(0, 230)
        grid.setVerticalSpacing(2)
        self.editors: dict[str, SettingEditor] = {}
        policy = assistant.settings.policy()
        for row, key in enumerate(ESSENTIALS):
            found = field_for(key)
            editor = SettingEditor(found)
            editor.set_value(getattr(policy, key))
            label = _note(found.label)
            label.setMaximumWidth(300)
            default = _note(f"Default: {describe_value(found, found.default)}", "settingDefault")
            default.setMaximumWidth(300)
            default.setContentsMargins(0, 0, 0, 10)
            grid.addWidget(label, 2 * row, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(default, 2 * row + 1, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(editor, 2 * row, 1, 2, 1, Qt.AlignmentFlag.AlignTop)
            self.editors[key] = editor
        self.column.addWidget(holder)
        self.finish_layout()

    def validatePage(self) -> bool:  # noqa: N802
        user = self.assistant.user
        assert user is not None
        values = {key: editor.value() for key, editor in self.editors.items()}
        try:
            self.assistant.settings.change_many(user, values)
        except HvdeskError as exc:
            return self.refuse(str(exc))
        return True


class PeopleStep(_Step):
    """Pupils and families from the MIS file now, or later; staff on the Staff page."""

    def __init__(self, assistant: FirstRunAssistant) -> None:
        super().__init__(
            assistant,
            "Staff and pupils",
            "Pupils and their families come from your MIS (SIMS, Arbor, Bromcom...) as a CSV "
            "file; staff who go on visits are added on the Staff page.",
        )
        self.now_button = QRadioButton("Import pupils and families from the MIS file now")
        self.later_button = QRadioButton(
            "Add them later (Pupils page: Import from the MIS; Staff page: Add)"
        )
        self.import_button = QPushButton("Import from the MIS file…")
        self.import_button.setEnabled(False)
        self.now_button.toggled.connect(self.import_button.setEnabled)
        for button in (self.now_button, self.later_button):
            button.toggled.connect(self.completeChanged)
        self.import_button.clicked.connect(self._import)
        self.imported = _note("", "inlineDone")
        self.imported.hide()
        self.column.addWidget(self.now_button)
        row = QHBoxLayout()
        row.addSpacing(28)
        row.addWidget(self.import_button)
        row.addStretch(1)
        self.column.addLayout(row)
        self.column.addWidget(self.imported)
        self.column.addWidget(self.later_button)
        self.finish_layout()
        self.summary: str | None = None

    def isComplete(self) -> bool:  # noqa: N802
        return self.later_button.isChecked() or self.summary is not None

    def _import(self) -> None:
        from hvdesk.ui.people.import_dialog import ImportDialog

        user = self.assistant.user
        assert user is not None
        dialog = ImportDialog(self.assistant.services.mis_import, user, self)
        try:
            dialog.exec()
            if dialog.summary is not None:
                self.record_import(dialog.summary.describe())
        finally:
            dialog.deleteLater()

    def record_import(self, summary: str) -> None:
        self.summary = summary
        self.imported.setText(f"Imported: {summary}")
        self.imported.show()
        self.completeChanged.emit()

    def validatePage(self) -> bool:  # noqa: N802
        if not self.isComplete():
            return self.refuse("Import the MIS file now, or choose to add staff and pupils later.")
        user = self.assistant.user
        assert user is not None
        try:
            self.assistant.first_run.complete(user)
        except HvdeskError as exc:
            return self.refuse(str(exc))
        return True


__all__ = [
    "ESSENTIALS",
    "AdministratorStep",
    "PeopleStep",
    "PolicyStep",
    "RecoveryKeyStep",
    "SchoolStep",
]
