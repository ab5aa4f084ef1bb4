"""The recovery key on one A4 page, for the school safe (the first-run assistant's "Save as
PDF"): what it is, the key in large type in two lines, when it is needed, and that nobody can
recover it. The file holds the key, so the assistant says to print it and delete the file.
"""

from __future__ import annotations

import io
from datetime import datetime

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from hvdesk.clock import to_school_time
from hvdesk.reports.fonts import BOLD, REGULAR, register_fonts

__all__ = ["recovery_key_sheet"]

_WHEN = (
    "On a new PC, or when the database is opened from another Windows account.",
    "If this computer's credential store is lost, for example when IT resets a Windows",
    "password or rebuilds the PC.",
)


def recovery_key_sheet(
    school_name: str, recovery_key: str, folder: str, made_at: datetime
) -> bytes:
    """One page: the school, the key (groups of four, two lines), where the database is."""
    register_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=True, initialFontName=REGULAR)
    canvas.setTitle(f"hvdesk recovery key: {school_name}")
    canvas.setAuthor(school_name)
    canvas.setCreator("hvdesk")
    width, height = A4
    left = 22 * mm
    y = height - 30 * mm
    canvas.setFont(BOLD, 22)
    canvas.drawString(left, y, "hvdesk recovery key")
    y -= 10 * mm
    canvas.setFont(REGULAR, 13)
    canvas.drawString(left, y, school_name)
    y -= 8 * mm
    canvas.setFont(BOLD, 13)
    canvas.drawString(
        left, y, "Keep this page in the school safe. Do not keep a copy on a computer."
    )
    groups = recovery_key.split("-")
    lines = ["-".join(groups[:7]), "-".join(groups[7:])]
    y -= 22 * mm
    canvas.setLineWidth(1.5)
    canvas.roundRect(left - 4 * mm, y - 24 * mm, width - 2 * left + 8 * mm, 36 * mm, 4 * mm)
    canvas.setFont(BOLD, 19)
    for line in lines:
        canvas.drawCentredString(width / 2, y, line)
        y -= 12 * mm
    y -= 20 * mm
    canvas.setFont(BOLD, 12)
    canvas.drawString(left, y, "hvdesk asks for this key:")
    canvas.setFont(REGULAR, 11)
    for line in _WHEN:
        y -= 6.5 * mm
        canvas.drawString(left + 5 * mm, y, line)
    y -= 12 * mm
    canvas.setFont(BOLD, 11)
    canvas.drawString(
        left, y, "Nobody can recover this key for you: not hvdesk, not IT, not the supplier."
    )
    y -= 6.5 * mm
    canvas.setFont(REGULAR, 11)
    canvas.drawString(left, y, "Without it, the records cannot be opened on another PC.")
    y -= 14 * mm
    canvas.drawString(left, y, f"Database folder: {folder}")
    y -= 6.5 * mm
    made = to_school_time(made_at).strftime("%d %B %Y at %H:%M")
    canvas.drawString(left, y, f"Made on {made} (UK time).")
    canvas.setFont(BOLD, 10)
    canvas.drawCentredString(
        width / 2, 15 * mm, "OFFICIAL-SENSITIVE: the key to the school's safeguarding records"
    )
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
