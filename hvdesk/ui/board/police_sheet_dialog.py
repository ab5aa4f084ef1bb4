"""The police information sheet: one page, readable at a glance, and printable.

What the police ask for when a colleague is missing (seed 000, 003): who they are and what they
look like, their phone, the vehicle, where the visit is and how to find the door, when it was
due to end, the household's known risks, and everything logged so far. It opens in its own
window (`show()`, never `exec()`), so the board and its alerts stay live beside it.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QPageLayout, QPageSize, QTextDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from hvdesk.clock import format_school_time
from hvdesk.services.board import PoliceSheet

_DRILL_BANNER = (
    '<p style="background:#5b2a86;color:#ffffff;font-size:20pt;font-weight:bold;'
    'padding:6px;text-align:center">DRILL — PRACTICE ONLY: DO NOT CALL THE POLICE</p>'
)


def _cell(text: str | None, empty: str = "Not recorded") -> str:
    return escape(text) if text else f'<span style="color:#5c6670">{empty}</span>'


def sheet_html(sheet: PoliceSheet) -> str:
    """The sheet as HTML for QTextDocument (screen and print share it)."""
    when = format_school_time(sheet.generated_at, "%d %b %Y %H:%M")
    rows: list[str] = []

    def row(label: str, value: str) -> None:
        rows.append(
            f'<tr><th align="left" valign="top" width="28%">{escape(label)}</th>'
            f"<td>{value}</td></tr>"
        )

    for number, visitor in enumerate(sheet.visitors, start=1):
        who = escape(visitor.name)
        if visitor.job_role:
            who += f" ({escape(visitor.job_role)})"
        label = "Staff member" if len(sheet.visitors) == 1 else f"Staff member {number}"
        row(label, f"<b>{who}</b>")
        row("Description", _cell(visitor.description))
        row("Work mobile", f"<b>{_cell(visitor.work_mobile)}</b>")
        row("Vehicle", _cell(visitor.vehicle))
    if sheet.vehicle:
        row("Vehicle used for the visit", escape(sheet.vehicle))
    row("Visit address", f"<b>{escape(sheet.address)}</b> ({escape(sheet.area)})")
    row("How to find it", _cell(sheet.location_notes, "No location notes recorded"))
    if sheet.pupil_name:
        row("Family visited", f"Home of the pupil {escape(sheet.pupil_name)}")
    row(
        "Visit planned",
        f"{format_school_time(sheet.planned_start, '%H:%M')} to "
        f"{format_school_time(sheet.planned_end, '%H:%M')}",
    )
    row(
        "Scheduled end (agreed)",
        f"<b>{format_school_time(sheet.scheduled_end, '%d %b %Y %H:%M')}</b>",
    )
    risks = (
        "<br>".join(escape(r) for r in sheet.known_risks) if sheet.known_risks else "None recorded"
    )
    row("Known household risks", risks)
    row("Where the escalation stands", escape(sheet.stage.label))

    steps = []
    for line in sheet.timeline:
        what = escape(line.what)
        if line.outcome:
            what += f": {escape(line.outcome)}"
        if line.note:
            what += f" — {escape(line.note)}"
        by = escape(line.recorded_by) if line.recorded_by else ""
        steps.append(
            f"<tr><td>{line.at.strftime('%H:%M:%S')}</td><td>{what}</td><td>{by}</td></tr>"
        )
    timeline = (
        '<table width="100%" cellspacing="0" cellpadding="3" border="1" '
        'style="border-collapse:collapse">'
        "<tr><th align='left' width='14%'>Time</th><th align='left' width='62%'>What happened"
        "</th><th align='left' width='24%'>Recorded by</th></tr>" + "".join(steps) + "</table>"
        if steps
        else "<p>Nothing logged yet.</p>"
    )
    drill = _DRILL_BANNER if sheet.is_drill else ""
    title = "DRILL: police information sheet" if sheet.is_drill else "Police information sheet"
    marking = escape(sheet.marking)
    return (
        "<html><body style=\"font-family:'DejaVu Sans',Arial,sans-serif;font-size:10.5pt\">"
        f'<p align="center" style="font-weight:bold">{marking}</p>'
        f"{drill}"
        f'<h1 style="font-size:17pt;margin-bottom:2px">{escape(title)}</h1>'
        f"<p>{escape(sheet.school_name)} · visit {sheet.visit_id} · prepared {when} "
        "(UK time)</p>"
        '<table width="100%" cellspacing="0" cellpadding="4" border="1" '
        'style="border-collapse:collapse">' + "".join(rows) + "</table>"
        '<h2 style="font-size:13pt">Timeline so far</h2>'
        f"{timeline}{drill}"
        f'<p align="center" style="font-weight:bold">{marking}</p>'
        "</body></html>"
    )


class PoliceSheetWindow(QDialog):
    """The sheet on screen, with Print. Non-modal: the board stays in use beside it."""

    def __init__(self, sheet: PoliceSheet, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.sheet = sheet
        self.setObjectName("policeSheet")
        self.setModal(False)
        self.setWindowModality(Qt.WindowModality.NonModal)
        prefix = "DRILL: " if sheet.is_drill else ""
        names = ", ".join(v.name for v in sheet.visitors)
        self.setWindowTitle(f"{prefix}Police information sheet: {names}")
        self.resize(760, 900)
        self.browser = QTextBrowser()
        self.browser.setObjectName("policeSheetText")
        self.browser.setAccessibleName("Police information sheet")
        self.browser.setOpenLinks(False)
        self.browser.setHtml(sheet_html(sheet))
        buttons = QDialogButtonBox()
        self.print_button = QPushButton("&Print…")
        self.print_button.setDefault(True)
        buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.clicked.connect(self.close)
        self.print_button.clicked.connect(self.print_with_dialog)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addWidget(buttons)

    def document(self) -> QTextDocument:
        document = QTextDocument()
        document.setHtml(sheet_html(self.sheet))
        return document

    def print_to(self, printer: QPrinter) -> None:
        """Print the sheet on one A4 page (or to a PDF file, if the printer says so)."""
        printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        printer.setPageOrientation(QPageLayout.Orientation.Portrait)
        self.document().print_(printer)

    def print_with_dialog(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle("Print the police information sheet")
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.print_to(printer)
