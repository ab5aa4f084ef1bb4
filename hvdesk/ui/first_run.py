"""The first-run assistant: a new school database is walked from empty to a working board.

The school, the first administrator, the recovery key (shown once, saved as a one-page PDF to
print; no going on until the office confirms it has it), the policy essentials, staff and
pupils. Closing it half-way asks first, then ends hvdesk: the set-up opens again at the next
start, because an office without an administrator, a kept key and its ladder is not safe to
run. Every step can be changed afterwards in Settings.

`run_first_run` is the composition root's one hook: it shows the assistant when the database
needs it and says whether to go on, and as whom.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget, QWizard

from hvdesk.services.container import Services
from hvdesk.services.identity import SignedInUser
from hvdesk.ui.first_run_pages import (
    AdministratorStep,
    PeopleStep,
    PolicyStep,
    RecoveryKeyStep,
    SchoolStep,
)

__all__ = ["FirstRunAssistant", "run_first_run"]

log = logging.getLogger(__name__)


class FirstRunAssistant(QWizard):
    """The assistant; after `exec()`, `user` is the administrator, signed in, if finished."""

    def __init__(
        self,
        services: Services,
        *,
        recovery_key: str | None,
        folder: Path,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.clock = services.clock
        self.accounts = services.accounts
        self.settings = services.school_settings
        self.first_run = services.first_run
        self.recovery_key = recovery_key
        self.folder = folder
        self.user: SignedInUser | None = None
        self.logo: bytes | None = None
        self.finished_setup = False
        self.setObjectName("firstRunAssistant")
        self.setWindowTitle("hvdesk: set up the school")
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, False)
        self.setButtonText(QWizard.WizardButton.CancelButton, "Stop for now")
        self.setButtonText(QWizard.WizardButton.FinishButton, "Finish: open the board")
        self.school = SchoolStep(self)
        self.administrator = AdministratorStep(self)
        self.key = RecoveryKeyStep(self)
        self.policy = PolicyStep(self)
        self.people = PeopleStep(self)
        for page in (self.school, self.administrator, self.key, self.policy, self.people):
            self.addPage(page)
        self.school.name_edit.setText(self.settings.policy().school_name)
        if self.school.name_edit.text() == "Demo School":
            self.school.name_edit.clear()
        self._fit_screen()

    def _fit_screen(self) -> None:
        """As large as is comfortable, never larger than the screen (a 1366x768 laptop at
        150% has room for about 900x480)."""
        room = self.screen().availableGeometry()
        self.resize(min(980, room.width() - 20), min(760, room.height() - 40))

    def school_name(self) -> str:
        return self.school.name_edit.text().strip()

    def accept(self) -> None:
        self.finished_setup = True
        log.info("First-run assistant finished")
        super().accept()

    def reject(self) -> None:
        """ "Stop for now" or the close button: ask, since hvdesk then closes."""
        answer = QMessageBox.question(
            self,
            "Stop setting up?",
            "hvdesk will close. The set-up starts again where it is needed at the next start: "
            "the school cannot use hvdesk before the administrator, the recovery key and the "
            "policy are set up.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer == QMessageBox.StandardButton.Yes:
            log.info("First-run assistant stopped before the end")
            super().reject()


def run_first_run(
    services: Services, *, recovery_key: str | None, folder: Path
) -> tuple[bool, SignedInUser | None]:
    """(go on?, the administrator to sign in): (True, None) when no set-up is needed."""
    if not services.first_run.state().needed:
        return True, None
    assistant = FirstRunAssistant(services, recovery_key=recovery_key, folder=folder)
    try:
        assistant.exec()
        return assistant.finished_setup, assistant.user if assistant.finished_setup else None
    finally:
        assistant.deleteLater()
