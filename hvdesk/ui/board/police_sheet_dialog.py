"""The police information sheet: one page, readable at a glance, and printable.

What the police ask for when a colleague is missing (seed 000, 003): who they are and what they
look like, their phone, the vehicle, where the visit is and how to find the door, when it was
due to end, the household's known risks, and everything logged so far. It opens in its own
window (`show()`, never `exec()`), so the board and its alerts stay live beside it.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter
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
from hvdesk.services.documents import DocumentService
from hvdesk.ui.print_document import PrintableDocument

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
    """The sheet on screen, with Print and Save as PDF. Non-modal: the board stays in use.

    The screen shows the read-model as HTML; paper and PDF come from the one printed police
    sheet (hvdesk/reports/police_sheet.py), so the police get the same page wherever it is
    printed from. `render_pdf` makes that PDF, in memory, when it is asked for.
    """

    def __init__(
        self,
        sheet: PoliceSheet,
        render_pdf: Callable[[], bytes],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.sheet = sheet
        self._render_pdf = render_pdf
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
        self.save_button = QPushButton("&Save as PDF…")
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.clicked.connect(self.close)
        self.print_button.clicked.connect(self.print_with_dialog)
        self.save_button.clicked.connect(self.save_as)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addWidget(buttons)

    def printable(self) -> PrintableDocument:
        prefix = "DRILL " if self.sheet.is_drill else ""
        title = f"{prefix}Police information sheet (visit {self.sheet.visit_id})"
        return PrintableDocument(self._render_pdf(), title, self)

    def print_to(self, printer: QPrinter) -> None:
        """Print the sheet (or write it to a PDF file, if the printer says so)."""
        self.printable().render(printer)

    def print_with_dialog(self) -> None:
        self.printable().print_with_dialog()

    def save_as(self) -> None:
        self.printable().save_as(DocumentService.filename("police-sheet", self.sheet.visit_id))
