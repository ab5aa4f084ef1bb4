"""A list of records the office adds to and edits in a dialog (pupils, staff): "Add…" and
"Edit…" above the table, a double-click or the context menu's "Edit…" on a row, and the list
following a save by selecting the saved row.

One dialog at a time: opening another closes the one open. Which buttons work depends on who is
signed in (the service enforces it whatever the buttons say)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Generic, Protocol, TypeVar

from PySide6.QtCore import QModelIndex, QPoint
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QHBoxLayout, QMenu, QPushButton, QWidget

from hvdesk.errors import HvdeskError
from hvdesk.services.container import Services
from hvdesk.services.identity import SignedInUser
from hvdesk.ui.current_user import CurrentUser
from hvdesk.ui.pages.base import ListPage
from hvdesk.ui.people.form_parts import PersonDialog
from hvdesk.ui.row_table_model import Column

log = logging.getLogger(__name__)


class _Record(Protocol):
    @property
    def id(self) -> int: ...


RowT = TypeVar("RowT", bound=_Record)
DialogT = TypeVar("DialogT", bound=PersonDialog)


class RecordListPage(ListPage[RowT], Generic[RowT, DialogT]):
    """The list with its Add and Edit actions; subclasses name their `columns` and Add button,
    say which dialog opens a record (`make_dialog`) and which buttons the signed-in user may use
    (`_update_actions`)."""

    columns: Sequence[Column[RowT]] = ()
    add_label = "&Add…"
    record_word = "Record"
    """How the log line names a saved record: "Pupil 12 saved from the Pupils page"."""

    def __init__(
        self,
        services: Services,
        parent: QWidget | None = None,
        *,
        current_user: CurrentUser | None = None,
    ) -> None:
        super().__init__(self.columns, key=lambda r: r.id, parent=parent)
        self.services = services
        self.clock = services.clock
        self.current_user = current_user
        self.people = services.people
        self.dialog: QDialog | None = None

        self.add_button = QPushButton(self.add_label)
        self.edit_button = QPushButton("&Edit…")
        actions = QHBoxLayout()
        actions.setSpacing(8)
        for button in (self.add_button, self.edit_button, *self.extra_actions()):
            actions.addWidget(button)
        actions.addStretch(1)
        self.layout_.insertLayout(self.layout_.indexOf(self.table), actions)
        self.add_button.clicked.connect(lambda: self.open_record(None))
        self.edit_button.clicked.connect(self.edit_selected)
        self.table.doubleClicked.connect(self._double_clicked)
        self.selected_row_changed.connect(self._update_actions)
        if current_user is not None:
            current_user.changed.connect(self._update_actions)
        self._update_actions()

    def extra_actions(self) -> list[QPushButton]:
        """Buttons after "Edit…" (built and connected here, before `_update_actions` runs)."""
        return []

    def make_dialog(self, user: SignedInUser, record_id: int | None) -> DialogT:
        """The record's dialog (None: a new record); may raise HvdeskError if it cannot load."""
        raise NotImplementedError

    @property
    def user(self) -> SignedInUser | None:
        return self.current_user.user if self.current_user is not None else None

    def _update_actions(self) -> None:
        """Enable the buttons this user may use; "Edit…" needs someone signed in and a row."""
        self.edit_button.setEnabled(self.user is not None and self.selected_row() is not None)

    def context_menu(self, position: QPoint) -> QMenu | None:
        if self.user is None or self.selected_row() is None:
            return None
        menu = QMenu(self)
        edit = QAction("&Edit…", menu)
        edit.triggered.connect(self.edit_selected)
        menu.addAction(edit)
        return menu

    def edit_selected(self) -> DialogT | None:
        row = self.selected_row()
        return self.open_record(row.id) if row is not None else None

    def open_record(self, record_id: int | None) -> DialogT | None:
        """Open a record (None: a new one), window-modal; the list follows a save."""
        user = self.user
        if user is None:
            return None
        try:
            dialog = self.make_dialog(user, record_id)
        except HvdeskError as exc:
            self._show_problem(exc)
            return None
        dialog.accepted.connect(lambda: self._saved(dialog.saved_id))
        self.open_dialog(dialog)
        return dialog

    def open_dialog(self, dialog: QDialog) -> None:
        """Show `dialog` window-modal in place of any open one; it is deleted once closed."""
        if self.dialog is not None:
            self.dialog.close()
        self.dialog = dialog
        dialog.finished.connect(lambda _result: self._closed(dialog))
        dialog.open()

    def _closed(self, dialog: QDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()

    def _saved(self, record_id: int | None) -> None:
        log.info("%s %s saved from the %s page", self.record_word, record_id, self.title)
        self.refresh()
        if record_id is not None:
            self.select_row(lambda r: r.id == record_id)

    def _show_problem(self, exc: HvdeskError) -> None:
        self.problem_label.setText(str(exc))
        self.problem_label.show()

    def _double_clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            self.edit_selected()
