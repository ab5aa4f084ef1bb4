"""The print helper: print to a PDF printer, a page range, cancel, preview, save as, and no
copy of the document left in the temporary folder."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QDir
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QDialog, QFileDialog
from pytestqt.qtbot import QtBot

from hvdesk.clock import FakeClock
from hvdesk.reports.models import DocumentContext
from hvdesk.reports.visit_forms import home_visit_form
from hvdesk.ui.print_document import PdfUnreadable, PrintableDocument
from tests.conftest import MONDAY_MORNING


@pytest.fixture(scope="module")
def blank_form() -> bytes:
    """The two-page blank Home Visit Form and Record (no database needed)."""
    context = DocumentContext(
        school_name="Ysgol Llŷr",
        marking="OFFICIAL-SENSITIVE",
        generated_at=FakeClock(MONDAY_MORNING).now(),
        record_label="Blank form",
    )
    return home_visit_form(context, None)


@pytest.fixture
def no_new_temporary_files(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    """Printing, previewing and saving leave nothing in the temporary folder.

    The machine's temporary folder is shared with whatever else runs, so the test gets one of
    its own: Python's tempfile and Qt's QDir.tempPath() both read TMPDIR.
    """
    folder = tmp_path_factory.mktemp("private-tmp")
    monkeypatch.setenv("TMPDIR", str(folder))
    monkeypatch.setattr(tempfile, "tempdir", None)  # forget the cached answer
    assert Path(tempfile.gettempdir()) == folder
    assert Path(QDir.tempPath()) == folder
    yield
    assert list(folder.iterdir()) == []


def _pdf_printer(path: Path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return printer


@pytest.mark.usefixtures("no_new_temporary_files")
def test_prints_every_page_to_a_pdf_printer(
    qtbot: QtBot, tmp_path: Path, blank_form: bytes
) -> None:
    document = PrintableDocument(blank_form, "Home Visit Form")
    assert document.page_count == 2
    out = tmp_path / "printed.pdf"
    assert document.render(_pdf_printer(out)) == 2
    printed = PdfReader(out)
    assert len(printed.pages) == 2
    width, height = (float(v) for v in printed.pages[0].mediabox[2:])
    assert abs(width - 595) < 2 and abs(height - 842) < 2  # A4 portrait


@pytest.mark.usefixtures("no_new_temporary_files")
def test_print_dialog_prints_the_range_asked_for_or_nothing(
    qtbot: QtBot, tmp_path: Path, blank_form: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    document = PrintableDocument(blank_form, "Home Visit Form")
    answer = {"code": QDialog.DialogCode.Rejected}

    def fake_exec(dialog: QPrintDialog) -> int:
        printer = dialog.printer()
        printer.setPrintRange(QPrinter.PrintRange.PageRange)
        printer.setFromTo(2, 2)
        return int(answer["code"].value)

    monkeypatch.setattr(QPrintDialog, "exec", fake_exec)
    cancelled = tmp_path / "cancelled.pdf"
    assert document.print_with_dialog(_pdf_printer(cancelled)) is False
    assert not cancelled.exists()

    answer["code"] = QDialog.DialogCode.Accepted
    out = tmp_path / "page-two.pdf"
    assert document.print_with_dialog(_pdf_printer(out)) is True
    printed = PdfReader(out)
    assert len(printed.pages) == 1


@pytest.mark.usefixtures("no_new_temporary_files")
def test_preview_renders_through_the_dialog(
    qtbot: QtBot, blank_form: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    document = PrintableDocument(blank_form, "Home Visit Form")
    rendered: list[int] = []
    original = PrintableDocument.render

    def counting(self: PrintableDocument, printer: QPrinter, dpi: int = 300) -> int:
        pages = original(self, printer, dpi)
        rendered.append(pages)
        return pages

    monkeypatch.setattr(PrintableDocument, "render", counting)
    dialog = document.preview_dialog()
    assert isinstance(dialog, QPrintPreviewDialog)
    dialog.show()
    qtbot.waitUntil(lambda: len(rendered) > 0, timeout=5000)
    dialog.close()
    dialog.deleteLater()
    assert rendered and rendered[0] == 2


@pytest.mark.usefixtures("no_new_temporary_files")
def test_preview_runs_modal_and_returns(
    qtbot: QtBot, blank_form: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    document = PrintableDocument(blank_form, "Home Visit Form")
    seen: list[str] = []

    def fake_exec(dialog: QPrintPreviewDialog) -> int:
        seen.append(dialog.windowTitle())
        return 0

    monkeypatch.setattr(QPrintPreviewDialog, "exec", fake_exec)
    assert document.preview() == 0
    assert seen == ["Print preview: Home Visit Form"]


@pytest.mark.usefixtures("no_new_temporary_files")
def test_save_as_writes_the_pdf_where_the_user_chose(
    qtbot: QtBot, tmp_path: Path, blank_form: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    document = PrintableDocument(blank_form, "Home Visit Form")
    asked: list[str] = []
    answer = {"path": str(tmp_path / "for-cpoms")}

    def fake_dialog(*args: object, **kwargs: object) -> tuple[str, str]:
        asked.append(str(args[2]))
        return answer["path"], "PDF documents (*.pdf)"

    monkeypatch.setattr(QFileDialog, "getSaveFileName", fake_dialog)
    saved = document.save_as("blank-visit-form.pdf", folder=tmp_path)
    assert saved == tmp_path / "for-cpoms.pdf"
    assert saved.read_bytes() == blank_form
    assert asked == [str(tmp_path / "blank-visit-form.pdf")]

    answer["path"] = ""
    assert document.save_as("blank-visit-form.pdf", folder=tmp_path) is None
    assert sorted(p.name for p in tmp_path.iterdir()) == ["for-cpoms.pdf"]


def test_a_damaged_pdf_is_reported_not_printed(qtbot: QtBot) -> None:
    document = PrintableDocument(b"%PDF-1.4 this is not a document", "Police information sheet")
    with pytest.raises(PdfUnreadable, match="could not be opened for printing"):
        _ = document.page_count
