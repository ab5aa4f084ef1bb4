"""The signature on an approval: the signer types their password again.

Signing is the approval itself (`Authorisations.approve`), so nothing is approved until the
password is right. A wrong password says so under the field and the dialog stays open with the
field cleared; wrong attempts count towards the same lock as signing in, and the lock's message
(until when, what to do) is shown here. A refusal that retyping cannot cure (the signer may not
approve this visit, or the request is no longer ready) is shown and the Sign button is disabled.
"""

from __future__ import annotations

import logging
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel, QWidget

from hvdesk.errors import HvdeskError
from hvdesk.services.accounts import AccountLocked, SignInRefused
from hvdesk.services.authorisation import Authorisations
from hvdesk.services.identity import SignedInUser
from hvdesk.ui.dialogs.form_frame import (
    STRETCH,
    button_row,
    dialog_column,
    growing_form,
    password_field,
)
from hvdesk.ui.dialogs.inline_error import InlineError

log = logging.getLogger(__name__)

WRONG_SIGNATURE = (
    "That is not your password, so nothing was approved. Type it again "
    "(passwords are case-sensitive); repeated wrong passwords lock the account for a while."
)


class SignatureDialog(QDialog):
    """Re-enter the password to sign; after acceptance `authorisation_id` is the approval."""

    def __init__(
        self,
        service: Authorisations,
        user: SignedInUser,
        visit_id: int,
        what: str,
        conditions: str | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._user = user
        self._visit_id = visit_id
        self._conditions = conditions
        self.authorisation_id: int | None = None
        self.setWindowTitle(f"hvdesk: sign the approval of visit {visit_id}")
        self.setMinimumWidth(560)

        heading = QLabel("Sign the approval")
        heading.setObjectName("dialogTitle")
        conditions_html = (
            f"<p><b>Conditions:</b> {escape(conditions)}</p>"
            if conditions
            else "<p>No conditions.</p>"
        )
        intro = QLabel(
            f"<p>You are approving <b>{escape(what)}</b>.</p>{conditions_html}"
            f"<p>Your signature records your name ({escape(user.display_name)}), the time, and "
            "a fingerprint of exactly what you approve: the times, the address, the visitors, "
            "doorstep or enter, and the risk assessment. If any of those change later, the "
            "approval becomes void and the visit comes back to the queue.</p>"
        )
        intro.setTextFormat(Qt.TextFormat.RichText)
        intro.setWordWrap(True)

        self.password_edit = password_field("Your password")
        self.password_edit.textEdited.connect(self._clear_error)
        form = growing_form()
        form.addRow("Your &password:", self.password_edit)

        self.error_label = InlineError()
        self.buttons, self.sign_button, _ = button_row("&Sign and approve", self.sign, self.reject)
        dialog_column(self, heading, intro, form, self.error_label, STRETCH, self.buttons)
        self.password_edit.setFocus()

    @property
    def error_text(self) -> str:
        return self.error_label.message

    def sign(self) -> None:
        """Approve with the typed password; stay open and say why when refused."""
        password = self.password_edit.text()
        if not password:
            self._show_error("Type your password to sign.")
            return
        try:
            self.authorisation_id = self._service.approve(
                self._visit_id, self._user, password, self._conditions
            )
        except SignInRefused:
            self._show_error(WRONG_SIGNATURE)
            return
        except AccountLocked as exc:
            self._show_error(str(exc))
            return
        except HvdeskError as exc:  # not permitted, or no longer ready: retyping cannot help
            self._show_error(str(exc))
            self.sign_button.setEnabled(False)
            return
        finally:
            self.password_edit.clear()
        log.info("Visit %s approval signed by user %s", self._visit_id, self._user.user_id)
        self.accept()

    def _show_error(self, message: str) -> None:
        self.error_label.show_for(self.password_edit, message)
        self.adjustSize()

    def _clear_error(self) -> None:
        self.error_label.clear_from((self.password_edit,))
