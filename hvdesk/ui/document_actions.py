"""Preview, Print… and Save as PDF… for hvdesk's documents, wherever a record is listed.

`DocumentActions` does the work: it asks the `DocumentService` for the PDF only when someone
picks an action (reportlab takes a moment, so the cursor says so), hands it to
`PrintableDocument`, which keeps it in memory, and drops it afterwards: nothing with a name in it
is written anywhere but the file the user chose. A problem the office can act on (no risk
assessment yet, a visit that no longer exists, a folder that cannot be written) is shown in the
error dialog, never raised. Log lines carry the document kind and the record id, never a name.

`DocumentBar` is what a page shows under its table: one button per document of the selected
record, each opening Preview / Print… / Save as PDF…, and (on the Visits page) the blank Home
Visit Form, which needs no record. A document that cannot be made now (nothing selected, no risk
assessment yet) has its button disabled, with the reason as its tooltip and accessible
description. `DocumentBar.menu` gives the same choices as a context menu.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFrame,
    QHBoxLayout,
    QMenu,
    QPushButton,
    QWidget,
)

from hvdesk.errors import HvdeskError
from hvdesk.services.documents import (
    DocumentError,
    DocumentKind,
    DocumentService,
    NotReadyToPrint,
)
from hvdesk.ui.dialogs.error_dialog import ErrorDialog
from hvdesk.ui.flow_layout import FlowLayout, flow_policy
from hvdesk.ui.print_document import PrintableDocument

__all__ = ["DocumentActions", "DocumentBar", "DocumentButton", "DocumentEntry", "Verb"]

log = logging.getLogger(__name__)

_Probe = Callable[[DocumentService, int], object]

_PROBES: dict[DocumentKind, _Probe] = {
    DocumentKind.RISK_ASSESSMENT: DocumentService.risk_assessment,
}
"""The documents whose record may exist without what they print (the service then refuses with
`NotReadyToPrint`), each with the service's read-model to ask before offering it: reading it
costs milliseconds, rendering it a tenth of a second. The others print for any record that
exists; if the service refuses one anyway, its button is disabled once it has said why."""

# The application style sheet draws disabled buttons like enabled ones and puts the menu arrow
# over the text: say "not now" in grey, and give the arrow room of its own.
_BAR_STYLE = """
QPushButton#documentButton {
    padding: 4px 24px 4px 9px;
    min-height: 20px;
}
QPushButton#documentButton:focus {
    padding: 3px 23px 3px 8px;
}
QPushButton#documentButton::menu-indicator {
    subcontrol-origin: padding;
    subcontrol-position: center right;
    right: 8px;
}
QPushButton#documentButton:disabled {
    color: #6b7682;
    background: #eef1f4;
    border: 1px dashed #9aa7b5;
}
"""


class Verb(Enum):
    """What the office can do with a document; the value is the menu text."""

    PREVIEW = "Pre&view"
    PRINT = "&Print…"
    SAVE = "&Save as PDF…"


def _title(kind: DocumentKind, record_id: int | None) -> str:
    """The document's title in dialogs and the print queue: the record's number, never a name."""
    if record_id is None:
        return f"Blank {kind.label}"
    return f"{kind.label} ({kind.record} {record_id})"


class DocumentActions(QObject):
    """Makes a document on demand and previews, prints or saves it, reporting problems in the
    error dialog over `parent`."""

    refused = Signal(str, int, str)
    """The service would not make a document: its kind, the record id, and why."""

    def __init__(
        self,
        service: DocumentService,
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.service = service
        self._widget = parent
        self.folder: Path | None = None
        """Where the last PDF was saved this session: the next Save as starts there."""

    # --- before offering ----------------------------------------------------------------

    def why_not(self, kind: DocumentKind, record_id: int | None) -> str | None:
        """Why the document cannot be made for this record now, or None if it can."""
        if record_id is None:
            return None if kind.has_blank else f"Select {_article(kind.record)} first."
        probe = _PROBES.get(kind)
        if probe is None:
            return None
        try:
            probe(self.service, record_id)
        except DocumentError as exc:
            return exc.what
        except HvdeskError as exc:
            # Offer it anyway: choosing it will say what the problem is.
            log.warning(
                "Could not check the %s of %s %d: %s",
                kind.value,
                kind.record,
                record_id,
                type(exc).__name__,
            )
        return None

    # --- the three actions --------------------------------------------------------------

    def run(self, verb: Verb, kind: DocumentKind, record_id: int | None) -> None:
        """Do `verb` with the document (what a menu item does)."""
        if verb is Verb.PREVIEW:
            self.preview(kind, record_id)
        elif verb is Verb.PRINT:
            self.print_with_dialog(kind, record_id)
        else:
            self.save_as(kind, record_id)

    def preview(self, kind: DocumentKind, record_id: int | None) -> bool:
        """Qt's print preview (it can print from there too: that print, and only that, goes
        into the audit trail); False if nothing was shown."""
        with self._reporting(kind, record_id), self._document(kind, record_id) as document:
            log.info("Previewing %s", _which(kind, record_id))
            if document.preview() == QDialog.DialogCode.Accepted.value:
                self.service.record_printed(kind, record_id)
                log.info("Printed %s from the preview", _which(kind, record_id))
            return True
        return False

    def print_with_dialog(self, kind: DocumentKind, record_id: int | None) -> bool:
        """Qt's print dialog, then print; False if cancelled or it could not be printed. The
        audit trail records the print once the job is with the printer, and never a cancelled
        or failed one."""
        with self._reporting(kind, record_id), self._document(kind, record_id) as document:
            printed = document.print_with_dialog()
            if printed:
                self.service.record_printed(kind, record_id)
                log.info("Printed %s", _which(kind, record_id))
            return printed
        return False

    def save_as(self, kind: DocumentKind, record_id: int | None) -> Path | None:
        """Ask where, then save the PDF (named by ids only); None if cancelled or not saved."""
        with (
            self._reporting(kind, record_id),
            self._document(kind, record_id, exported=True) as document,
        ):
            suggested = self.service.filename(kind, record_id)
            saved = document.save_as(suggested, self.folder)
            if saved is not None:
                self.folder = saved.parent
                log.info("Saved %s as a PDF", _which(kind, record_id))
            return saved
        return None

    # --- making and reporting -----------------------------------------------------------

    @contextmanager
    def _document(
        self, kind: DocumentKind, record_id: int | None, *, exported: bool = False
    ) -> Iterator[PrintableDocument]:
        """The document, held in memory for the length of the `with` and dropped after. Saved to
        a file, the audit trail records it as exported at once; to be printed, only once the
        printer has it (by the signed-in user, whom `CurrentUser` tells the audit service)."""
        with _busy():
            if exported:
                pdf = self.service.render(kind, record_id, exported=True)
            else:  # printed or previewed: recorded only if it reaches a printer
                pdf = self.service.make(kind, record_id)
        # The document and the dialogs it opens (print, preview, save) belong to a hidden
        # child of the page, deleted afterwards: no copy of the PDF, and no spent dialog
        # holding a deleted printer, outlives the action.
        holder = QWidget(self._widget)
        holder.setObjectName("documentHolder")
        holder.hide()
        document = PrintableDocument(pdf, _title(kind, record_id), holder)
        try:
            yield document
        finally:
            holder.deleteLater()

    @contextmanager
    def _reporting(self, kind: DocumentKind, record_id: int | None) -> Iterator[None]:
        """Problems the office can act on go to the error dialog; anything else is a bug."""
        try:
            yield
        except NotReadyToPrint as exc:
            log.info("Not ready: %s", _which(kind, record_id))
            if record_id is not None:
                self.refused.emit(kind.value, record_id, exc.what)
            self._show_error(exc)
        except HvdeskError as error:
            log.warning("Could not make %s: %s", _which(kind, record_id), type(error).__name__)
            self._show_error(error)

    def _show_error(self, error: HvdeskError) -> None:
        dialog = ErrorDialog(error, self._widget)
        try:
            dialog.exec()
        finally:
            dialog.deleteLater()


@contextmanager
def _busy() -> Iterator[None]:
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        yield
    finally:
        QApplication.restoreOverrideCursor()


def _which(kind: DocumentKind, record_id: int | None) -> str:
    """For the log: ids only."""
    if record_id is None:
        return f"the blank {kind.value}"
    return f"the {kind.value} of {kind.record} {record_id}"


def _article(noun: str) -> str:
    return f"an {noun}" if noun[:1] in "aeiou" else f"a {noun}"


# --- the bar under a table ----------------------------------------------------------------------


@dataclass(frozen=True)
class DocumentEntry:
    """One button of a bar: which document, and the button's short text (with an Alt+letter
    mnemonic); menus, tooltips and screen readers use the document's full name."""

    kind: DocumentKind
    text: str
    blank: bool = False
    """The blank version, which needs no record (the Home Visit Form for when systems are down)."""

    @property
    def name(self) -> str:
        """The full name ("Authorisation certificate", "Blank Home Visit Form")."""
        return f"Blank {self.kind.label}" if self.blank else self.kind.label


class DocumentButton(QPushButton):
    """A document's button: opens Preview / Print… / Save as PDF… for the record it is set to."""

    def __init__(
        self, documents: DocumentActions, entry: DocumentEntry, parent: QWidget | None = None
    ) -> None:
        super().__init__(entry.text, parent)
        self.documents = documents
        self.entry = entry
        self.record_id: int | None = None
        self.setObjectName("documentButton")
        self.setAutoDefault(False)
        self.setAccessibleName(entry.name)
        menu = QMenu(self)
        menu.setAccessibleName(entry.name)
        self.verb_actions: dict[Verb, QAction] = {}
        for verb in Verb:
            action = menu.addAction(verb.value)
            action.triggered.connect(lambda _checked=False, v=verb: self.run(v))
            self.verb_actions[verb] = action
        self.setMenu(menu)
        self.set_record(None, None)

    def run(self, verb: Verb) -> None:
        if self.isEnabled():
            self.documents.run(verb, self.entry.kind, self.record_id)

    def set_record(self, record_id: int | None, why_not: str | None) -> None:
        """Act on `record_id` from now on; disabled, saying why, if `why_not` is given."""
        self.record_id = None if self.entry.blank else record_id
        self.setEnabled(why_not is None)
        if why_not is not None:
            tip = why_not
        elif self.entry.blank:
            tip = f"Preview, print or save the {self.entry.kind.label} with no details filled in"
        else:
            tip = (
                f"Preview, print or save the {self.entry.kind.label} of "
                f"{self.entry.kind.record} {record_id}"
            )
        self.setToolTip(tip)
        self.setAccessibleDescription(tip)

    def add_to(self, menu: QMenu) -> QMenu:
        """The same choices as a submenu of `menu` (a context menu)."""
        submenu = menu.addMenu(self.entry.name)
        submenu.menuAction().setToolTip(self.toolTip())
        submenu.setEnabled(self.isEnabled())
        for verb in Verb:
            action = submenu.addAction(verb.value)
            action.triggered.connect(lambda _checked=False, v=verb: self.run(v))
        return submenu


class DocumentBar(QFrame):
    """The documents of the selected record: a row of buttons under the table, wrapping onto a
    second line in a narrow window rather than making the window wider; the blank form keeps to
    the right."""

    def __init__(
        self,
        documents: DocumentActions,
        entries: Sequence[DocumentEntry],
        *,
        record_noun: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.documents = documents
        self.record_noun = record_noun
        self.record_id: int | None = None
        self.setObjectName("documentBar")
        self.setAccessibleName(f"Documents of the selected {record_noun}")
        self.setStyleSheet(_BAR_STYLE)
        self.buttons = [DocumentButton(documents, entry, self) for entry in entries]

        wrapped = QWidget()
        wrapped.setSizePolicy(flow_policy())
        record_row = FlowLayout(wrapped, spacing=8, one_line_hint=True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 0)
        layout.setSpacing(16)
        layout.addWidget(wrapped, 1)
        for button in self.buttons:
            if button.entry.blank:
                layout.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
            else:
                record_row.addWidget(button)
        self.setSizePolicy(flow_policy())
        documents.refused.connect(self._refused)
        self.set_record(None)

    def button(self, kind: DocumentKind, *, blank: bool = False) -> DocumentButton:
        for candidate in self.buttons:
            if candidate.entry.kind is kind and candidate.entry.blank is blank:
                return candidate
        raise KeyError(kind)

    def set_record(self, record_id: int | None) -> None:
        """Offer the documents of `record_id` (None: nothing selected), asking the service which
        can be made now."""
        self.record_id = record_id
        noun = self.record_noun
        for button in self.buttons:
            if button.entry.blank:
                why_not = None
            elif record_id is None:
                why_not = f"Select {_article(noun)} in the list first."
            else:
                why_not = self.documents.why_not(button.entry.kind, record_id)
            button.set_record(record_id, why_not)

    def menu(self, parent: QWidget) -> QMenu:
        """The bar's choices as a context menu: the record's documents (if one is selected),
        then the blank form."""
        menu = QMenu(parent)
        menu.setToolTipsVisible(True)
        record_buttons = [b for b in self.buttons if not b.entry.blank]
        blank_buttons = [b for b in self.buttons if b.entry.blank]
        if self.record_id is not None:
            for button in record_buttons:
                button.add_to(menu)
            if blank_buttons:
                menu.addSeparator()
        for button in blank_buttons:
            button.add_to(menu)
        return menu

    def _refused(self, kind: str, record_id: int, why: str) -> None:
        if record_id != self.record_id:
            return
        for button in self.buttons:
            if button.entry.kind.value == kind and not button.entry.blank:
                button.set_record(record_id, why)


# --- wrapping -------------------------------------------------------------------------------------
