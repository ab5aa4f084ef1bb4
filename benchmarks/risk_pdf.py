"""The risk-assessment PDF against its floor: a bare two-page reportlab form with the same TTF
fonts (DejaVu Sans, embedded) and a table, built in the same process, by turns.

Both are timed from a read-model already read (the PDF alone: the database read is not what
either is about). The fonts are registered before either is timed (once per process for both).

    python -m benchmarks.risk_pdf
"""

from __future__ import annotations

import io
import shutil

import sqlalchemy as sa
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from benchmarks.demo_school import demo_school
from benchmarks.harness import Figure, figure, interleaved, mean_ms
from hvdesk.db.models import RiskAssessment
from hvdesk.reports.fonts import BOLD, REGULAR, register_fonts
from hvdesk.reports.risk_assessment import risk_assessment
from hvdesk.services.documents import DocumentService


def bare_form() -> bytes:
    """Two A4 pages: a heading, a few lines, and a 60-row table in DejaVu Sans."""
    sheet = getSampleStyleSheet()
    body = sheet["BodyText"].clone("body", fontName=REGULAR)
    title = sheet["Title"].clone("title", fontName=BOLD)
    rows = [["#", "Hazard", "Who", "S", "L", "Risk", "Controls"]] + [
        [str(n), f"Hazard {n}", "Staff", "3", "2", "6", "Two staff, phone on, check-in agreed"]
        for n in range(1, 61)
    ]
    grid = Table(rows, repeatRows=1)
    grid.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), REGULAR, 8),
                ("FONT", (0, 0), (-1, 0), BOLD, 8),
                ("GRID", (0, 0), (-1, -1), 0.4, "#999999"),
            ]
        )
    )
    story = [Paragraph("Risk assessment", title), Spacer(1, 6)]
    story += [Paragraph(f"Field {n}: a line of the form's details.", body) for n in range(8)]
    story.append(grid)
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4).build(story)
    return buffer.getvalue()


def figures(quick: bool) -> list[Figure]:
    school = demo_school()
    try:
        with school.database.session() as session:
            visit_id = session.scalars(
                sa.select(RiskAssessment.visit_id).order_by(RiskAssessment.id.desc()).limit(1)
            ).one()
        context, data = DocumentService(school.database, school.clock).risk_assessment(visit_id)
    finally:
        school.database.close()
        shutil.rmtree(school.folder, ignore_errors=True)
    register_fonts()
    bare_form(), risk_assessment(context, data)  # warm-up
    repeat = 3 if quick else 10
    values, floors = interleaved(
        lambda: mean_ms(lambda: risk_assessment(context, data), repeat),
        lambda: mean_ms(bare_form, repeat),
        7 if quick else 15,
    )
    return [
        figure(
            "risk-assessment PDF",
            "<= 1.5x",
            values,
            floors,
            floor="a bare 2-page reportlab form with TTF fonts and a table",
        )
    ]


if __name__ == "__main__":
    from benchmarks.harness import table

    print(table(figures(quick=False)))
