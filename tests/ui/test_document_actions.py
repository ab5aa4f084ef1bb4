"""Print, preview and save as PDF from the Visits and Incidents pages, on real encrypted
databases: the bar under the table follows the selection, the saved file is the real document
with the pupil's name in it and an id-only file name, printing reaches the printer, a document
that cannot be made yet says why, and nothing is left in the temporary folder."""

from __future__ import annotations

import io
import logging
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QCoreApplication, QDir, QEvent, QPoint, Qt
from PySide6.QtGui import QAction
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QMenu
from pytestqt.qtbot import QtBot

from hvdesk.clock import FakeClock
from hvdesk.db.database import Database
from hvdesk.domain.people import Role
from hvdesk.services import audit
from hvdesk.services.accounts import Accounts
from hvdesk.services.container import Services
from hvdesk.services.directory import IncidentRow, VisitRow
from hvdesk.services.documents import DocumentKind, DocumentService, NotReadyToPrint
from hvdesk.services.identity import SignedInUser
from hvdesk.ui.dialogs.error_dialog import ErrorDialog
from hvdesk.ui.document_actions import DocumentBar, DocumentButton, Verb
from hvdesk.ui.main_window import MainWindow
from hvdesk.ui.pages.incidents_page import IncidentsPage
from hvdesk.ui.pages.visits_page import VisitsPage
from hvdesk.ui.print_document import PrintableDocument
from tests.ui.conftest import Demo, SmallSchool
from tests.ui.test_main_window import signed_in

VISIT_DOCUMENTS = [
    DocumentKind.VISIT_FORM,
    DocumentKind.VISIT_RECORD,
    DocumentKind.RISK_ASSESSMENT,
    DocumentKind.AUTHORISATION,
    DocumentKind.POLICE_SHEET,
]


# --- fixtures and helpers -----------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _dsl_at_the_desk() -> None:
    """Documents are made for whoever is signed in to the window (account 1, the DSL)."""
    audit.set_signed_in(SignedInUser(1, "s.whitfield", "Sarah Whitfield", Role.DSL))


@pytest.fixture
def no_new_temporary_files(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    """Printing, previewing and saving leave nothing in the temporary folder (a private one:
    Python's tempfile and Qt's QDir.tempPath() both read TMPDIR)."""
    folder = tmp_path_factory.mktemp("private-tmp")
    monkeypatch.setenv("TMPDIR", str(folder))
    monkeypatch.setattr(tempfile, "tempdir", None)  # forget the cached answer
    assert Path(tempfile.gettempdir()) == folder
    assert Path(QDir.tempPath()) == folder
    yield folder
    assert list(folder.iterdir()) == []


@pytest.fixture
def errors(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str, str]]:
    """The error dialogs shown (title, what, what to do) instead of waiting for OK."""
    shown: list[tuple[str, str, str]] = []

    def fake_exec(dialog: ErrorDialog) -> int:
        shown.append((dialog.windowTitle(), dialog.text(), dialog.informativeText()))
        return 0

    monkeypatch.setattr(ErrorDialog, "exec", fake_exec)
    return shown


class SaveDialog:
    """QFileDialog.getSaveFileName, answering with `answer` and noting the suggested path."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, answer: Path | None) -> None:
        self.answer = answer
        self.suggested: list[Path] = []
        monkeypatch.setattr(QFileDialog, "getSaveFileName", self)

    def __call__(self, *args: object, **kwargs: object) -> tuple[str, str]:
        self.suggested.append(Path(str(args[2])))
        return (str(self.answer) if self.answer else ""), "PDF documents (*.pdf)"


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def open_visits(qtbot: QtBot, database: Database, clock: FakeClock) -> VisitsPage:
    page = VisitsPage(Services.build(database, clock))
    qtbot.addWidget(page)
    page.resize(1100, 700)
    page.show()
    page.refresh()
    return page


def select_visit(page: VisitsPage, visit_id: int) -> VisitRow:
    assert page.select_row(lambda r: r.id == visit_id)
    row = page.selected_row()
    assert row is not None and row.id == visit_id
    return row


def a_visit_with_a_pupil(page: VisitsPage) -> VisitRow:
    """A visit whose pupil's name is plain Latin letters (pypdf reads those back exactly; the
    report tests check the Welsh, Vietnamese and Urdu names)."""
    for row in page.model.rows:
        if row.pupil_name and row.pupil_name.isascii():
            return row
    raise AssertionError("the demo has no visit with a pupil")


@pytest.fixture
def visit_with_a_pupil(qtbot: QtBot, demo: Demo, clock: FakeClock) -> tuple[VisitsPage, VisitRow]:
    """The Visits page on the demo, a visit with a pupil selected (see `a_visit_with_a_pupil`)."""
    page = open_visits(qtbot, demo.database, clock)
    return page, select_visit(page, a_visit_with_a_pupil(page).id)


def submenu(menu: QMenu, name: str) -> QMenu:
    for action in menu.actions():
        if action.text() == name:
            found = action.menu()
            assert isinstance(found, QMenu)
            return found
    raise AssertionError(f"no {name!r} in {[a.text() for a in menu.actions()]}")


def verb(menu: QMenu, which: Verb) -> QAction:
    return next(a for a in menu.actions() if a.text() == which.value)


# --- the bar follows the selection ------------------------------------------------------------


def test_selecting_a_visit_enables_its_documents(qtbot: QtBot, demo: Demo, clock: FakeClock):
    page = open_visits(qtbot, demo.database, clock)
    bar = page.document_bar
    assert isinstance(bar, DocumentBar)

    # Nothing selected: only the blank form, and every other button says why not.
    assert page.selected_row() is None
    for kind in VISIT_DOCUMENTS:
        button = bar.button(kind)
        assert not button.isEnabled(), kind
        assert button.toolTip() == "Select a visit in the list first."
        assert button.accessibleDescription() == button.toolTip()
    blank = bar.button(DocumentKind.VISIT_FORM, blank=True)
    assert blank.isEnabled()
    assert blank.accessibleName() == "Blank Home Visit Form"

    row = select_visit(page, a_visit_with_a_pupil(page).id)
    for kind in VISIT_DOCUMENTS:
        button = bar.button(kind)
        assert button.isEnabled(), kind
        assert button.record_id == row.id
        assert f"visit {row.id}" in button.toolTip()
        assert row.pupil_name not in button.toolTip()  # ids only, even on screen
        assert button.accessibleName() == kind.label
        assert button.focusPolicy() & Qt.FocusPolicy.TabFocus
        assert "&" in button.text()  # an Alt+letter mnemonic
        menu = button.menu()
        assert [a.text().replace("&", "") for a in menu.actions()] == [
            "Preview",
            "Print…",
            "Save as PDF…",
        ]
    assert blank.isEnabled() and blank.record_id is None

    # Searching the selected row away leaves nothing selected: the bar says so again.
    page.search_box.setText("no visit is called this")
    assert page.selected_row() is None
    assert not bar.button(DocumentKind.VISIT_FORM).isEnabled()
    page.search_box.clear()

    # So does a refresh that lists other visits (another status).
    select_visit(page, row.id)
    assert bar.button(DocumentKind.VISIT_FORM).isEnabled()
    other = next(
        i
        for i in range(1, page.status_box.count())
        if page.status_box.itemData(i) != row.status.value
    )
    page.status_box.setCurrentIndex(other)
    assert page.selected_row() is None
    assert not bar.button(DocumentKind.VISIT_FORM).isEnabled()


def test_the_context_menu_offers_the_same_documents(
    qtbot: QtBot, demo: Demo, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
):
    page = open_visits(qtbot, demo.database, clock)
    nothing = page.context_menu(QPoint(0, 0))
    assert [a.text() for a in nothing.actions()] == ["Blank Home Visit Form"]
    nothing.deleteLater()

    row = a_visit_with_a_pupil(page)
    select_visit(page, row.id)
    menu = page.context_menu(QPoint(0, 0))
    names = [a.text() for a in menu.actions() if not a.isSeparator()]
    assert names == [kind.label for kind in VISIT_DOCUMENTS] + ["Blank Home Visit Form"]
    for name in names:
        assert [a.text() for a in submenu(menu, name).actions()] == [v.value for v in Verb]
    menu.deleteLater()

    # A right click on another row selects it and opens the menu there. (Popping it up for
    # real grabs the keyboard, which the offscreen platform warns about.)
    popped: list[tuple[QMenu, QPoint]] = []
    monkeypatch.setattr(QMenu, "popup", lambda menu, at, action=None: popped.append((menu, at)))
    page.table.scrollToTop()
    second = page.proxy.index(1, 0)
    where = page.table.visualRect(second).center()
    page._context_menu(where)
    assert page.selected_row() == page.model.row(page.proxy.mapToSource(second).row())
    assert len(popped) == 1
    shown, at = popped[0]
    assert at == page.table.viewport().mapToGlobal(where)
    assert shown.testAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    assert shown.actions()[0].text() == "Home Visit Form"
    shown.deleteLater()


def test_the_visits_page_in_the_window_has_the_bar(qtbot: QtBot, demo_window: MainWindow):
    w = signed_in(demo_window)
    w.show_section(w.section_index(w.visits_page))
    page = w.visits_page
    assert page.isVisible() and page.document_bar.isVisible()
    page.table.selectRow(0)
    assert page.document_bar.button(DocumentKind.POLICE_SHEET).isEnabled()
    # The bar wraps rather than widening the window: it still fits a 1280-pixel screen.
    assert w.minimumSizeHint().width() <= 1280


# --- saving, printing, previewing --------------------------------------------------------------


@pytest.mark.usefixtures("no_new_temporary_files")
def test_save_as_pdf_writes_the_visit_form_with_the_pupils_name(
    visit_with_a_pupil: tuple[VisitsPage, VisitRow],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    errors: list[tuple[str, str, str]],
):
    page, row = visit_with_a_pupil
    dialog = SaveDialog(monkeypatch, tmp_path / "for-cpoms")
    button = page.document_bar.button(DocumentKind.VISIT_FORM)

    with caplog.at_level(logging.INFO, logger="hvdesk"):
        verb(button.menu(), Verb.SAVE).trigger()

    assert errors == []
    saved = tmp_path / "for-cpoms.pdf"
    assert saved.read_bytes().startswith(b"%PDF")
    text = pdf_text(saved)
    assert row.pupil_name in text
    assert "Home Visit Form" in text
    # The suggested name carries the visit's number, never a name; so do the log lines.
    assert dialog.suggested[0].name == f"visit-{row.id}-visit-form.pdf"
    assert row.pupil_name not in caplog.text
    assert f"visit {row.id}" in caplog.text

    # The next Save as starts in the folder the last one went to.
    dialog.answer = None
    verb(page.document_bar.button(DocumentKind.VISIT_RECORD).menu(), Verb.SAVE).trigger()
    assert dialog.suggested[1] == tmp_path / f"visit-{row.id}-visit-record.pdf"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["for-cpoms.pdf"]  # cancelled: nothing


@pytest.mark.usefixtures("no_new_temporary_files")
def test_every_visit_document_saves_from_the_context_menu(
    visit_with_a_pupil: tuple[VisitsPage, VisitRow],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    errors: list[tuple[str, str, str]],
):
    page, row = visit_with_a_pupil
    dialog = SaveDialog(monkeypatch, None)
    for kind in VISIT_DOCUMENTS:
        dialog.answer = tmp_path / DocumentService.filename(kind, row.id)
        menu = page.context_menu(QPoint(0, 0))
        verb(submenu(menu, kind.label), Verb.SAVE).trigger()
        menu.deleteLater()
        assert dialog.suggested[-1].name == f"visit-{row.id}-{kind.value}.pdf"
        assert f"Visit {row.id}" in pdf_text(dialog.answer), kind
    assert errors == []


@pytest.mark.usefixtures("no_new_temporary_files")
def test_print_sends_the_document_to_the_printer(
    visit_with_a_pupil: tuple[VisitsPage, VisitRow],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    errors: list[tuple[str, str, str]],
):
    page, row = visit_with_a_pupil
    out = tmp_path / "printed.pdf"
    titles: list[str] = []

    def fake_exec(dialog: QPrintDialog) -> int:
        """The office picks a printer (here, a PDF file) and presses Print."""
        titles.append(dialog.windowTitle())
        printer = dialog.printer()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))
        return int(QDialog.DialogCode.Accepted.value)

    monkeypatch.setattr(QPrintDialog, "exec", fake_exec)
    button = page.document_bar.button(DocumentKind.VISIT_RECORD)
    assert page.documents.print_with_dialog(DocumentKind.VISIT_RECORD, row.id) is True
    expected = PdfReader(
        io.BytesIO(page.documents.service.render(DocumentKind.VISIT_RECORD, row.id))
    )
    assert len(PdfReader(out).pages) == len(expected.pages) >= 1
    assert titles == [f"Print Record of Home Visit (visit {row.id})"]  # a number, not a name
    # Once printed, neither the document nor the spent dialog stays behind on the page.
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert page.findChildren(PrintableDocument) == []
    assert page.findChildren(QPrintDialog) == []

    # From the button's menu too; and cancelling prints nothing.
    out.unlink()
    monkeypatch.setattr(QPrintDialog, "exec", lambda dialog: 0)
    verb(button.menu(), Verb.PRINT).trigger()
    assert not out.exists()
    assert errors == []


@pytest.mark.usefixtures("no_new_temporary_files")
def test_preview_opens_qts_print_preview(
    visit_with_a_pupil: tuple[VisitsPage, VisitRow],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    errors: list[tuple[str, str, str]],
):
    page, row = visit_with_a_pupil
    pages_painted: list[int] = []

    def fake_exec(dialog: QPrintPreviewDialog) -> int:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(tmp_path / "preview.pdf"))
        dialog.paintRequested.emit(printer)  # what the preview does to draw its pages
        pages_painted.append(1)
        assert dialog.windowTitle() == f"Print preview: Police information sheet (visit {row.id})"
        return 0

    monkeypatch.setattr(QPrintPreviewDialog, "exec", fake_exec)
    verb(page.document_bar.button(DocumentKind.POLICE_SHEET).menu(), Verb.PREVIEW).trigger()
    assert pages_painted == [1]
    assert errors == []
    assert QApplication.overrideCursor() is None  # the wait cursor is gone


@pytest.mark.usefixtures("no_new_temporary_files")
def test_the_blank_form_needs_no_visit(
    qtbot: QtBot,
    demo: Demo,
    clock: FakeClock,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    errors: list[tuple[str, str, str]],
):
    page = open_visits(qtbot, demo.database, clock)
    assert page.selected_row() is None
    dialog = SaveDialog(monkeypatch, tmp_path / "spare.pdf")
    blank = page.document_bar.button(DocumentKind.VISIT_FORM, blank=True)
    verb(blank.menu(), Verb.SAVE).trigger()
    assert dialog.suggested[0].name == "blank-visit-form.pdf"
    text = pdf_text(tmp_path / "spare.pdf")
    assert "Home Visit Form" in text
    assert errors == []


# --- when a document cannot be made --------------------------------------------------------------


def test_a_document_not_ready_says_why(
    qtbot: QtBot,
    small_school: SmallSchool,
    clock: FakeClock,
    errors: list[tuple[str, str, str]],
):
    """The hand-made school has no risk assessments: the button says so before anyone tries,
    and asking anyway shows the service's reason instead of crashing."""
    admin = Accounts(small_school.database, clock).create_first_administrator(
        "it.office", "IT office", "a long enough password 1"
    )
    audit.set_signed_in(admin)
    page = open_visits(qtbot, small_school.database, clock)
    visit_id = page.model.rows[0].id
    select_visit(page, visit_id)
    button = page.document_bar.button(DocumentKind.RISK_ASSESSMENT)
    reason = f"Visit {visit_id} has no risk assessment yet."
    assert not button.isEnabled()
    assert button.toolTip() == reason
    assert button.accessibleDescription() == reason
    assert page.document_bar.button(DocumentKind.VISIT_FORM).isEnabled()

    menu = page.context_menu(QPoint(0, 0))
    risk = submenu(menu, "Risk assessment")
    assert not risk.isEnabled()
    assert risk.menuAction().toolTip() == reason
    assert menu.toolTipsVisible()
    menu.deleteLater()

    # Asked for anyway (a keyboard shortcut, say): the reason in the error dialog.
    assert page.documents.preview(DocumentKind.RISK_ASSESSMENT, visit_id) is False
    assert errors == [
        (
            "hvdesk: Nothing to print yet",
            reason,
            "Complete the visit's risk assessment first.",
        )
    ]
    assert QApplication.overrideCursor() is None


def test_a_refusal_disables_the_button_with_the_reason(
    visit_with_a_pupil: tuple[VisitsPage, VisitRow],
    monkeypatch: pytest.MonkeyPatch,
    errors: list[tuple[str, str, str]],
):
    """A document the bar does not check beforehand is disabled once the service refuses it."""
    page, row = visit_with_a_pupil

    def refuse(kind: DocumentKind | str, record_id: int | None, **_: object) -> bytes:
        raise NotReadyToPrint("Nothing has happened on this visit yet.", "Try again later.")

    monkeypatch.setattr(page.documents.service, "render", refuse)
    monkeypatch.setattr(page.documents.service, "make", refuse)  # what Print asks for
    button: DocumentButton = page.document_bar.button(DocumentKind.POLICE_SHEET)
    verb(button.menu(), Verb.PRINT).trigger()
    assert [e[1] for e in errors] == ["Nothing has happened on this visit yet."]
    assert not button.isEnabled()
    assert button.toolTip() == "Nothing has happened on this visit yet."
    assert page.document_bar.button(DocumentKind.VISIT_FORM).isEnabled()
    assert page.document_bar.record_id == row.id


@pytest.mark.usefixtures("no_new_temporary_files")
def test_a_folder_that_cannot_be_written_is_reported(
    visit_with_a_pupil: tuple[VisitsPage, VisitRow],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    errors: list[tuple[str, str, str]],
):
    page, row = visit_with_a_pupil
    SaveDialog(monkeypatch, tmp_path / "no such folder" / "form.pdf")
    assert page.documents.save_as(DocumentKind.AUTHORISATION, row.id) is None
    assert len(errors) == 1
    assert "no such folder does not exist" in errors[0][1]
    assert page.documents.folder is None


# --- the Incidents page ---------------------------------------------------------------------------


@pytest.mark.usefixtures("no_new_temporary_files")
def test_the_incident_report_from_the_incidents_page(
    qtbot: QtBot,
    demo: Demo,
    clock: FakeClock,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    errors: list[tuple[str, str, str]],
):
    page = IncidentsPage(Services.build(demo.database, clock))
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    button = page.document_bar.button(DocumentKind.INCIDENT)
    assert not button.isEnabled()
    assert button.toolTip() == "Select an incident in the list first."
    empty = page.context_menu(QPoint(0, 0))
    assert empty.isEmpty()  # nothing to offer: no menu opens
    empty.deleteLater()

    row: IncidentRow = page.model.rows[0]
    assert page.select_row(lambda r: r.id == row.id)
    assert button.isEnabled()
    assert button.accessibleName() == "Incident report"
    menu = page.context_menu(QPoint(0, 0))
    assert [a.text() for a in menu.actions()] == ["Incident report"]
    menu.deleteLater()

    dialog = SaveDialog(monkeypatch, tmp_path / "incident.pdf")
    verb(button.menu(), Verb.SAVE).trigger()
    assert dialog.suggested[0].name == f"incident-{row.id}-incident.pdf"
    text = pdf_text(tmp_path / "incident.pdf")
    assert "Incident report" in text
    assert row.kind in text
    assert errors == []


# --- a print is audited when it is printed (issue 12, item 10) ---------------------------------


def _prints(database: Database) -> list[tuple[str, int | None, str | None]]:
    import sqlalchemy as sa

    from hvdesk.db.models import AuditEntry

    with database.session() as session:
        rows = session.execute(
            sa.select(AuditEntry.username, AuditEntry.record_id, AuditEntry.details)
            .where(AuditEntry.action == "print")
            .order_by(AuditEntry.id)
        )
        return [(r.username, r.record_id, r.details) for r in rows]


@pytest.mark.qt_log_ignore("QPainter::begin")  # the broken printer below says so, rightly
def test_a_print_is_audited_only_when_the_printer_has_it(
    visit_with_a_pupil: tuple[VisitsPage, VisitRow],
    demo: Demo,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    errors: list[tuple[str, str, str]],
):
    page, row = visit_with_a_pupil
    before = _prints(demo.database)

    # Cancelled in the print dialog: nothing printed, nothing recorded.
    monkeypatch.setattr(QPrintDialog, "exec", lambda dialog: 0)
    assert page.documents.print_with_dialog(DocumentKind.VISIT_RECORD, row.id) is False
    assert _prints(demo.database) == before

    # No printer installed (the dialog's own printer, nothing chosen): said plainly.
    monkeypatch.setattr(QPrintDialog, "exec", lambda dialog: int(QDialog.DialogCode.Accepted.value))
    assert page.documents.print_with_dialog(DocumentKind.VISIT_RECORD, row.id) is False
    assert errors[-1][1].startswith("No printer is installed on this computer")
    assert "Check the printer is on" not in errors[-1][1]
    assert _prints(demo.database) == before

    # A printer that fails to start (its output cannot be written): not recorded either.
    def broken_printer(dialog: QPrintDialog) -> int:
        printer = dialog.printer()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(tmp_path / "no such folder" / "out.pdf"))
        return int(QDialog.DialogCode.Accepted.value)

    monkeypatch.setattr(QPrintDialog, "exec", broken_printer)
    assert page.documents.print_with_dialog(DocumentKind.VISIT_RECORD, row.id) is False
    assert _prints(demo.database) == before

    # Printed: recorded once, under the signed-in user, after the job went to the printer.
    def prints(dialog: QPrintDialog) -> int:
        printer = dialog.printer()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(tmp_path / "printed.pdf"))
        return int(QDialog.DialogCode.Accepted.value)

    monkeypatch.setattr(QPrintDialog, "exec", prints)
    assert page.documents.print_with_dialog(DocumentKind.VISIT_RECORD, row.id) is True
    assert (tmp_path / "printed.pdf").exists()
    assert _prints(demo.database) == [
        *before,
        ("s.whitfield", row.id, '{"document":"visit-record"}'),
    ]


def test_a_preview_closed_without_printing_is_not_a_print(
    visit_with_a_pupil: tuple[VisitsPage, VisitRow],
    demo: Demo,
    monkeypatch: pytest.MonkeyPatch,
    errors: list[tuple[str, str, str]],
):
    page, row = visit_with_a_pupil
    before = _prints(demo.database)
    monkeypatch.setattr(QPrintPreviewDialog, "exec", lambda dialog: 0)
    assert page.documents.preview(DocumentKind.POLICE_SHEET, row.id) is True
    assert _prints(demo.database) == before
    monkeypatch.setattr(
        QPrintPreviewDialog, "exec", lambda dialog: int(QDialog.DialogCode.Accepted.value)
    )
    assert page.documents.preview(DocumentKind.POLICE_SHEET, row.id) is True
    assert len(_prints(demo.database)) == len(before) + 1
