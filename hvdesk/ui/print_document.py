"""Print, preview and save a PDF that hvdesk made: one helper for every Print / Save as PDF
button.

The PDF stays in memory: QPdfDocument reads it from a QBuffer, never from a temporary file, so
printing or previewing leaves no copy of personal data on disk. Pages are rendered at 300 dpi
(about 0.4 s for two pages; 1200 dpi would take seconds) and scaled to the paper, keeping their
proportions. Saving writes the file whole or not at all.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, QRectF, QSize
from PySide6.QtGui import QPageLayout, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import (
    QAbstractPrintDialog,
    QPrintDialog,
    QPrinter,
    QPrinterInfo,
    QPrintPreviewDialog,
)
from PySide6.QtWidgets import QDialog, QFileDialog, QWidget

from hvdesk.errors import HvdeskError
from hvdesk.safe_files import write_atomically

__all__ = [
    "PREVIEW_DPI",
    "PRINT_DPI",
    "NoPrinter",
    "PdfUnreadable",
    "PrintFailed",
    "PrintableDocument",
]

PRINT_DPI = 300
PREVIEW_DPI = 150


class PdfUnreadable(HvdeskError):
    """The document could not be opened for printing (a bug if hvdesk made it)."""

    title = "Cannot print the document"


class NoPrinter(HvdeskError):
    """This computer has no printer installed."""

    title = "No printer"


class PrintFailed(HvdeskError):
    """The printer took the job but reported an error: nothing is known to have printed."""

    title = "Not printed"


class PrintableDocument(QObject):
    """A PDF held in memory, with the three things the office does with one."""

    def __init__(self, pdf: bytes, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._pdf = pdf
        self.title = title
        self._widget = parent
        self._bytes = QByteArray(pdf)
        self._buffer = QBuffer(self._bytes, self)
        self._document: QPdfDocument | None = None
        self._preview_printer: QPrinter | None = None

    # --- the document --------------------------------------------------------------------

    @property
    def document(self) -> QPdfDocument:
        """The PDF opened from memory (once, on first use)."""
        if self._document is None:
            document = QPdfDocument(self)
            if not self._buffer.isOpen():
                self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
            document.load(self._buffer)
            if document.status() != QPdfDocument.Status.Ready or document.pageCount() < 1:
                raise PdfUnreadable(
                    f"The {self.title.lower()} could not be opened for printing.",
                    "Please report this problem to whoever supports hvdesk at your school.",
                )
            self._document = document
        return self._document

    @property
    def page_count(self) -> int:
        return int(self.document.pageCount())

    # --- save ----------------------------------------------------------------------------

    def save_as(self, suggested_name: str, folder: Path | None = None) -> Path | None:
        """Ask where to save, then write the file; None if the user cancelled."""
        start = str((folder or Path.home()) / suggested_name)
        chosen, _ = QFileDialog.getSaveFileName(
            self._widget, f"Save {self.title} as PDF", start, "PDF documents (*.pdf)"
        )
        if not chosen:
            return None
        path = Path(chosen)
        if path.suffix.lower() != ".pdf":
            path = path.with_name(path.name + ".pdf")
        write_atomically(path, self._pdf)
        return path

    # --- print ---------------------------------------------------------------------------

    def print_with_dialog(self, printer: QPrinter | None = None) -> bool:
        """Qt's print dialog, then print. True only once the job was handed to the printer;
        False if the user cancelled; NoPrinter, PdfUnreadable or PrintFailed if it could not
        print (so a print is recorded only when there was one)."""
        printer = printer or self._new_printer()
        dialog = QPrintDialog(printer, self._widget)
        dialog.setWindowTitle(f"Print {self.title}")
        dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintPageRange, True)
        dialog.setMinMax(1, self.page_count)
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return False
            self.print_to(printer)
            return True
        finally:
            dialog.deleteLater()  # else each print leaves a hidden dialog on its parent

    def print_to(self, printer: QPrinter) -> int:
        """Print on a printer already chosen; the pages printed. Says plainly when there is
        no printer at all, and raises if the printer reports an error."""
        to_a_file = bool(printer.outputFileName())
        if not to_a_file and not (printer.printerName() and QPrinterInfo.availablePrinters()):
            raise NoPrinter(
                "No printer is installed on this computer, so nothing was printed.",
                "Ask IT to add a printer, or use Save as PDF… and print the file on a computer "
                "that has one.",
            )
        printed = self.render(printer)
        if printer.printerState() in (QPrinter.PrinterState.Error, QPrinter.PrinterState.Aborted):
            raise PrintFailed(
                f"The printer reported a problem: the {self.title.lower()} may not have printed.",
                "Check the printer is on, connected and has paper, then print again.",
            )
        return printed

    def preview(self, printer: QPrinter | None = None) -> int:
        """Qt's print preview (it can print from there too); returns the dialog's result."""
        dialog = self.preview_dialog(printer)
        try:
            return int(dialog.exec())
        finally:
            dialog.deleteLater()

    def preview_dialog(self, printer: QPrinter | None = None) -> QPrintPreviewDialog:
        """The preview dialog, wired to render this document (not yet shown)."""
        # The dialog does not own its printer: keep it alive as long as the dialog (a
        # collected printer crashes the preview).
        self._preview_printer = printer or self._new_printer()
        dialog = QPrintPreviewDialog(self._preview_printer, self._widget)
        dialog.setWindowTitle(f"Print preview: {self.title}")
        dialog.paintRequested.connect(lambda target: self.render(target, dpi=PREVIEW_DPI))
        return dialog

    def render(self, printer: QPrinter, dpi: int = PRINT_DPI) -> int:
        """Paint the pages onto `printer` (the pages it asks for), each rendered at `dpi`
        and fitted to the paper; returns how many pages were printed."""
        document = self.document
        first, last = 0, document.pageCount() - 1
        if printer.printRange() == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
            first = max(0, printer.fromPage() - 1)
            last = min(last, max(first, printer.toPage() - 1))
        printer.setDocName(self.title)
        printer.setFullPage(True)
        painter = QPainter()
        if not painter.begin(printer):
            raise PdfUnreadable(
                f"The printer would not start printing the {self.title.lower()}.",
                "Check the printer is on and connected, then try again.",
            )
        printed = 0
        try:
            target_page = printer.pageLayout().fullRectPixels(printer.resolution())
            for index in range(first, last + 1):
                if printed:
                    printer.newPage()
                points = document.pagePointSize(index)
                size = QSize(round(points.width() * dpi / 72), round(points.height() * dpi / 72))
                image = document.render(index, size)
                scale = min(
                    target_page.width() / size.width(), target_page.height() / size.height()
                )
                width, height = size.width() * scale, size.height() * scale
                x = (target_page.width() - width) / 2
                y = (target_page.height() - height) / 2
                painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
                painter.drawImage(QRectF(x, y, width, height), image)
                printed += 1
        finally:
            painter.end()
        return printed

    def _new_printer(self) -> QPrinter:
        """A printer for A4 pages, turned to match the document's first page."""
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.title)
        first = self.document.pagePointSize(0)
        printer.setPageOrientation(
            QPageLayout.Orientation.Landscape
            if first.width() > first.height()
            else QPageLayout.Orientation.Portrait
        )
        return printer
