"""The screen lock's part of signing in (issue 13), kept out of the main window's class.

After the idle lock, the desk is in privacy mode (nothing private on screen) but remembers who
was signed in: "Sign in" then asks that person only for their PIN (`UnlockDialog`); a
different person chooses "Someone else" and signs in in full, which forgets the lock. A
deliberate sign-out forgets it too.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QDialog, QWidget

from hvdesk.services.identity import SignedInUser
from hvdesk.services.screen_lock import ScreenLock
from hvdesk.ui.dialogs.screen_lock_dialog import SetPinDialog, UnlockDialog
from hvdesk.ui.idle_lock import IdleLock

__all__ = ["ScreenLockFlow"]


class ScreenLockFlow(QObject):
    """Who the locked screen belongs to, and how they (or someone else) get back in."""

    def __init__(
        self,
        window: QWidget,
        lock: ScreenLock,
        idle_lock: IdleLock,
        full_sign_in: Callable[[], SignedInUser | None],
    ) -> None:
        super().__init__(window)
        self._window = window
        self.lock = lock
        self._idle_lock = idle_lock
        self._full_sign_in = full_sign_in
        self.dialog: UnlockDialog | None = None

    @property
    def locked_user(self) -> SignedInUser | None:
        return self._idle_lock.last_user

    def forget(self) -> None:
        """A deliberate sign-out, or someone else signed in in full."""
        self._idle_lock.last_user = None

    def sign_in(self) -> SignedInUser | None:
        """The PIN of whoever the screen is locked for, or a full sign-in."""
        locked = self.locked_user
        if locked is None:
            return self._signed_in_in_full()
        self.dialog = UnlockDialog(self.lock, locked, self._window)
        try:
            if self.dialog.exec() == QDialog.DialogCode.Accepted and self.dialog.user is not None:
                return self.dialog.user
            if self.dialog.someone_else:
                return self._signed_in_in_full()
            return None
        finally:
            self.dialog.deleteLater()
            self.dialog = None

    def set_pin(self, user: SignedInUser) -> bool:
        dialog = SetPinDialog(self.lock, user, self._window)
        try:
            return dialog.exec() == QDialog.DialogCode.Accepted
        finally:
            dialog.deleteLater()

    def _signed_in_in_full(self) -> SignedInUser | None:
        user = self._full_sign_in()
        if user is not None:
            self.forget()
            self.lock.reset_after_sign_in(user)
        return user
