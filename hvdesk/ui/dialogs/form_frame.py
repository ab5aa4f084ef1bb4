"""The frame the small form dialogs share (sign in, sign an approval, create the administrator,
amend a visit, log a request…): one roomy column of heading, text, form, inline error and a
button row whose action button is the default, so the dialogs look and behave alike."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

STRETCH = None
"""In `dialog_column`: the space that takes up any extra height."""


class ButtonRow(NamedTuple):
    box: QDialogButtonBox
    action: QPushButton
    """The button that does what the dialog is for (Sign in, Sign and approve…)."""
    cancel: QPushButton


def button_row(
    action_label: str,
    on_action: Callable[[], None],
    on_cancel: Callable[[], None],
    *,
    cancel_label: str | None = None,
    default: bool = True,
) -> ButtonRow:
    """The action button (Enter presses it when `default`) and Cancel, or a named way out
    (`cancel_label`, e.g. "&Later") in Cancel's place."""
    box = QDialogButtonBox()
    action = box.addButton(action_label, QDialogButtonBox.ButtonRole.AcceptRole)
    if default:
        action.setDefault(True)
    if cancel_label is None:
        cancel = box.addButton(QDialogButtonBox.StandardButton.Cancel)
    else:
        cancel = box.addButton(cancel_label, QDialogButtonBox.ButtonRole.RejectRole)
    box.accepted.connect(on_action)
    box.rejected.connect(on_cancel)
    return ButtonRow(box, action, cancel)


def buttons_at_right(
    action_label: str, close_label: str
) -> tuple[QHBoxLayout, QPushButton, QPushButton]:
    """A row of plain buttons at the right: the action (Enter presses it) and the way out,
    for windows that connect each button themselves rather than accept or reject."""
    action = QPushButton(action_label)
    action.setDefault(True)
    close = QPushButton(close_label)
    row = QHBoxLayout()
    row.addStretch(1)
    row.addWidget(action)
    row.addWidget(close)
    return row, action, close


def growing_form() -> QFormLayout:
    """A form whose fields take the dialog's width (the platform default may not)."""
    form = QFormLayout()
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    return form


def password_field(accessible_name: str) -> QLineEdit:
    """A field that shows dots for what is typed."""
    edit = QLineEdit()
    edit.setAccessibleName(accessible_name)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit


def dialog_column(dialog: QDialog, *parts: QWidget | QLayout | None) -> QVBoxLayout:
    """Lay `parts` out top to bottom with the form dialogs' margins and spacing; a `STRETCH`
    among them takes any extra height."""
    layout = QVBoxLayout(dialog)
    layout.setContentsMargins(24, 20, 24, 16)
    layout.setSpacing(12)
    for part in parts:
        if part is None:
            layout.addStretch(1)
        elif isinstance(part, QLayout):
            layout.addLayout(part)
        else:
            layout.addWidget(part)
    return layout
