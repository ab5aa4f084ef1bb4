"""The Settings page as the administrator, the DSL and reception meet it: every setting shown in
its group with the right widget and its default, edits saved through the service (refusals in
words, nothing changed), and a change in force on the window and the board at once."""

from __future__ import annotations

from datetime import time

import pytest
import sqlalchemy as sa
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QLineEdit, QSpinBox, QTimeEdit

from hvdesk.db.models import Setting, SettingChange
from hvdesk.domain.people import Role
from hvdesk.domain.setting_fields import SettingKind, setting_fields
from hvdesk.services.identity import SignedInUser
from hvdesk.ui.main_window import MainWindow
from hvdesk.ui.pages.settings_page import SettingsPage

PASSWORD = "a long enough password"
WIDGETS = {
    SettingKind.MINUTES: QSpinBox,
    SettingKind.DAYS: QSpinBox,
    SettingKind.YEARS: QSpinBox,
    SettingKind.COUNT: QSpinBox,
    SettingKind.TIME: QTimeEdit,
    SettingKind.YES_NO: QCheckBox,
    SettingKind.WEEKDAYS: QCheckBox,
    SettingKind.ROLES: QCheckBox,
    SettingKind.BANDS: QSpinBox,
    SettingKind.FOLDER: QLineEdit,
    SettingKind.TEXT: QLineEdit,
}


def _open_settings(window: MainWindow, role: Role) -> tuple[SettingsPage, SignedInUser]:
    accounts = window.accounts
    admin = accounts.create_first_administrator("admin", "Pat Admin", PASSWORD)
    user = admin
    if role is not Role.ADMINISTRATOR:
        accounts.create_account(admin, "someone", "Sam One", role, PASSWORD)
        user = accounts.sign_in("someone", PASSWORD)
    window.current_user.sign_in(user)
    window.show_section([s.name for s in window.sections].index("Settings"))
    return window.settings_page, user


def _spin(page: SettingsPage, key: str) -> QSpinBox:
    return page.editors[key].findChild(QSpinBox)


def test_every_setting_has_its_widget_its_group_and_its_default(small_window: MainWindow):
    page, _ = _open_settings(small_window, Role.ADMINISTRATOR)
    assert set(page.editors) == {f.key for f in setting_fields()}
    for found in setting_fields():
        editor = page.editors[found.key]
        widget = WIDGETS.get(found.kind)
        if widget is not None:
            assert editor.findChild(widget) is not None, found.key
        assert editor.isEnabled() and page.defaults[found.key].text().startswith("Default: ")
        assert page.groups[found.group].isAncestorOf(editor)
    titles = [box.accessibleName() for box in page.groups.values()]
    assert titles[:6] == [
        "The school",
        "Before the visit",
        "During the visit",
        "The escalation ladder",
        "Records and backups",
        "Security",
    ]
    assert "Default: 30 minutes" in page.defaults["police_after_minutes"].text()
    assert not page.save_button.isEnabled()


def test_the_dsl_moves_the_ladder_and_the_board_follows_at_once(
    qtbot, small_window: MainWindow, small_school
):
    page, _ = _open_settings(small_window, Role.DSL)
    _spin(page, "emergency_contact_after_minutes").setValue(10)
    _spin(page, "police_after_minutes").setValue(20)
    page.editors["working_day_end"].findChild(QTimeEdit).setTime(
        page.editors["working_day_end"].findChild(QTimeEdit).time().fromString("16:00", "HH:mm")
    )
    assert "not saved yet" in page.defaults["police_after_minutes"].text()
    assert page.save_button.isEnabled()
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert "Saved: 3 settings changed" in page.message.text()
    assert small_window.policy.police_after_minutes == 20
    assert small_window.policy.working_day_end == time(16, 0)
    assert small_window.board_page.policy.police_after_minutes == 20
    with small_school.database.session() as session:
        keys = set(session.scalars(sa.select(SettingChange.key)))
    assert keys == {"emergency_contact_after_minutes", "police_after_minutes", "working_day_end"}
    assert "the school's value differs" in page.defaults["police_after_minutes"].text()


def test_a_police_step_before_the_emergency_contact_is_refused_in_words(
    qtbot, small_window: MainWindow, small_school
):
    page, _ = _open_settings(small_window, Role.ADMINISTRATOR)
    _spin(page, "police_after_minutes").setValue(10)
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert page.message.isVisible()
    assert "police step must come after the emergency-contact step" in page.message.text()
    with small_school.database.session() as session:
        assert session.scalar(sa.select(sa.func.count(Setting.key))) == 1  # the school's name
    # The edit stays on screen to be corrected, then saves.
    assert _spin(page, "police_after_minutes").value() == 10
    _spin(page, "emergency_contact_after_minutes").setValue(5)
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert small_window.policy.police_after_minutes == 10


def test_undo_puts_back_the_stored_values(qtbot, small_window: MainWindow):
    page, _ = _open_settings(small_window, Role.ADMINISTRATOR)
    _spin(page, "parent_wait_limit_minutes").setValue(5)
    qtbot.mouseClick(page.undo_button, Qt.MouseButton.LeftButton)
    assert _spin(page, "parent_wait_limit_minutes").value() == 10
    assert page.edited_values() == {}


@pytest.mark.parametrize("role", [Role.RECEPTION, Role.VISITING_STAFF, Role.HEADTEACHER])
def test_other_roles_see_the_settings_but_cannot_change_them(
    small_window: MainWindow, small_school, role: Role
):
    page, _ = _open_settings(small_window, role)
    assert not page.editors["police_after_minutes"].findChild(QSpinBox).isEnabled()
    assert "may change them: sign in as one of them" in page.summary_label.text()
    # Even with the widget enabled behind the page's back, the service refuses.
    page.editors["police_after_minutes"].set_editable(True)
    _spin(page, "police_after_minutes").setValue(45)
    assert not page.save()
    assert "may not change the school's settings" in page.message.text()
    with small_school.database.session() as session:
        assert session.scalar(sa.select(sa.func.count(SettingChange.id))) == 0
