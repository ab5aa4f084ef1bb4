"""The risk assessment (seed 001, appendix 2): the hazard table before and after controls, and
the 5×5 matrix with every hazard placed twice (outlined before controls, filled after).

Scores and bands come from the domain's rules and the thresholds stored with the assessment,
so a reprint years later shows the bands it was scored against. The safe word is never printed
here: the form says only whether one is agreed.
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, Table

from hvdesk.domain.risk import BandThresholds, RiskBand, risk_score
from hvdesk.domain.risk_matrix import HazardRow
from hvdesk.reports.fonts import BOLD, REGULAR, markup
from hvdesk.reports.layout import (
    ACCENT,
    CONTENT_WIDTH,
    INK,
    LABEL_BG,
    MUTED,
    RULE,
    build_pdf,
    field_table,
    keep,
    long_table,
    para,
    section,
    signature_block,
    spacer,
    styles,
    table_style,
    when,
)
from hvdesk.reports.models import DocumentContext, RiskAssessmentData

__all__ = ["BAND_FILL", "HeatMap", "band_ranges", "heat_map", "risk_assessment"]

TITLE = "Risk assessment"

BAND_FILL = {
    RiskBand.LOW: colors.HexColor("#D7EDD3"),
    RiskBand.MEDIUM: colors.HexColor("#FCE7B0"),
    RiskBand.HIGH: colors.HexColor("#F6CBC5"),
}
BAND_INK = {
    RiskBand.LOW: colors.HexColor("#1E6B2E"),
    RiskBand.MEDIUM: colors.HexColor("#7A4F00"),
    RiskBand.HIGH: colors.HexColor("#A4161A"),
}


def band_ranges(thresholds: BandThresholds) -> str:
    """The bands as score ranges ("Low 1–4 · Medium 5–12 · High 13–25")."""
    return (
        f"Low 1–{thresholds.low_max} · Medium {thresholds.low_max + 1}–{thresholds.medium_max}"
        f" · High {thresholds.medium_max + 1}–25"
    )


def risk_assessment(context: DocumentContext, data: RiskAssessmentData) -> bytes:
    """The visit's risk assessment as a PDF."""
    st = styles()
    bands = data.thresholds
    story: list[Flowable] = [
        Paragraph(TITLE, st.title),
        Paragraph(
            markup(
                f"Lone working and home visits · Visit {data.visit_id} · "
                f"Assessment {data.assessment_id}"
            ),
            st.subtitle,
        ),
        spacer(2),
    ]
    highest = data.highest_residual_band
    worst = (
        Paragraph(
            f'<font color="{BAND_INK[highest].hexval()}"><b>{highest.label}</b></font>', st.body
        )
        if highest is not None
        else "Not worked out"
    )
    summary = field_table(
        [
            ("Staff", "\n".join(f"{s.name}, {s.job_role}" for s in data.staff) or "None named"),
            ("Date and time", f"{when(data.planned_start)} to {when(data.planned_end, '%H:%M')}"),
            ("Address", data.address),
            ("Pupil", data.pupil or "Not named"),
            ("Entry", data.entry_mode),
            (
                "Assessed",
                f"{when(data.created_at)}" + (f" by {data.created_by}" if data.created_by else ""),
            ),
            ("Highest risk after controls", worst),
            (
                "Safe word",
                "Agreed (kept in hvdesk, never printed)"
                if data.safe_word_agreed
                else "None recorded",
            ),
        ],
        label_width=30 * mm,
        width=CONTENT_WIDTH - 76 * mm,
        style=st.cell,
    )
    chart = Table(
        [
            [heat_map(data.hazards, bands)],
            [Paragraph(markup(f"Bands by score: {band_ranges(bands)}."), st.small)],
        ],
        colWidths=[72 * mm],
    )
    chart.setStyle(
        table_style(
            [
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("ALIGN", (0, 0), (-1, -1), "CENTER"),
            ]
        )
    )
    top = Table([[summary, chart]], colWidths=[CONTENT_WIDTH - 72 * mm, 72 * mm], hAlign="LEFT")
    top.setStyle(
        table_style(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    story += [top, section("Hazards and controls: the risk before (initial) and after (residual)")]
    story.append(_hazard_table(data.hazards, bands))
    story.append(
        Paragraph(
            "S = severity of harm, L = likelihood, each 1 (lowest) to 5 (highest); score = S × L.",
            st.muted,
        )
    )
    story.append(spacer(2))
    story.append(
        field_table(
            [
                (
                    "Known risks at the address",
                    "\n".join(f"• {risk}" for risk in data.known_risks) or "None recorded",
                ),
                ("Notes", data.notes or "None"),
            ],
            label_width=33 * mm,
            style=st.cell,
        )
    )
    story.append(spacer(3))
    story.append(
        keep(
            signature_block(
                [
                    [("Staff member", None, 0.4), ("Signed", None, 0.35), ("Date", None, 0.25)],
                    [
                        ("Safeguarding Lead", None, 0.4),
                        ("Signed", None, 0.35),
                        ("Date", None, 0.25),
                    ],
                ]
            ),
        )
    )
    return build_pdf(context, TITLE, story)


# --- the table -----------------------------------------------------------------------------------


def _risk_cell(score: int, band: RiskBand) -> Paragraph:
    st = styles()
    return Paragraph(
        f'<b>{score}</b><br/><font color="{BAND_INK[band].hexval()}">{band.label}</font>',
        st.cell,
    )


def _hazard_table(hazards: tuple[HazardRow, ...], bands: BandThresholds) -> Table:
    st = styles()
    widths = [6, 29, 22, 6.5, 6.5, 15, 67, 6.5, 6.5, 15]
    col_widths = [w * mm for w in widths]
    head_top = [
        "",
        "",
        "",
        Paragraph("<b>Initial risk</b>", st.cell),
        "",
        "",
        "",
        Paragraph("<b>Residual risk</b>", st.cell),
        "",
        "",
    ]
    head = [
        Paragraph(f"<b>{text}</b>", st.cell)
        for text in (
            "#",
            "Hazard",
            "Who may be harmed",
            "S",
            "L",
            "Risk",
            "Controls",
            "S",
            "L",
            "Risk",
        )
    ]
    rows: list[list[Any]] = []
    fills: list[tuple[Any, ...]] = []
    for number, hazard in enumerate(hazards, 1):
        before = risk_score(hazard.severity, hazard.likelihood)
        after = risk_score(hazard.residual_severity, hazard.residual_likelihood)
        band_before, band_after = bands.band(before), bands.band(after)
        what: list[Flowable] = [para(hazard.hazard, st.cell_bold)]
        if hazard.known_risk_id is not None:
            what.append(Paragraph("Raised for a known risk at this address", st.small))
        rows.append(
            [
                str(number),
                what,
                para(hazard.who_at_risk, st.cell),
                str(hazard.severity),
                str(hazard.likelihood),
                _risk_cell(before, band_before),
                para(hazard.controls or "None recorded", st.cell),
                str(hazard.residual_severity),
                str(hazard.residual_likelihood),
                _risk_cell(after, band_after),
            ]
        )
        row = number + 1
        fills.append(("BACKGROUND", (5, row), (5, row), BAND_FILL[band_before]))
        fills.append(("BACKGROUND", (9, row), (9, row), BAND_FILL[band_after]))
    return long_table(
        [],
        rows,
        col_widths,
        header_rows=2,
        header_data=[head_top, head],
        extra_style=[
            ("SPAN", (0, 0), (2, 0)),
            ("SPAN", (3, 0), (5, 0)),
            ("SPAN", (7, 0), (9, 0)),
            ("BACKGROUND", (0, 0), (-1, 1), LABEL_BG),
            ("ALIGN", (3, 0), (5, -1), "CENTER"),
            ("ALIGN", (7, 0), (9, -1), "CENTER"),
            ("ALIGN", (0, 0), (0, -1), "CENTER"),
            ("LINEBELOW", (0, 1), (-1, 1), 0.9, INK),
            *fills,
        ],
    )


# --- the matrix ----------------------------------------------------------------------------------

_CELL = 11 * mm
_LEFT = 12 * mm  # room for "Severity" and the numbers
_BOTTOM = 11 * mm  # room for "Likelihood" and the numbers


class HeatMap(Flowable):  # type: ignore[misc]
    """The 5×5 matrix (likelihood across, severity up), cells tinted by band, each hazard
    numbered as in the table: an outline where it starts, a filled disc after controls.

    Drawn straight onto the page's canvas: as a reportlab `Drawing` of some 150 shapes it took
    most of the document's time (issue 14), for the same marks."""

    def __init__(self, hazards: tuple[HazardRow, ...], bands: BandThresholds) -> None:
        super().__init__()
        self.hazards = hazards
        self.bands = bands
        self.width = _LEFT + 5 * _CELL + 2 * mm
        self.height = _BOTTOM + 5 * _CELL + 9 * mm

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        size = 5 * _CELL
        crowd = _cells(self.hazards)
        canvas.setStrokeColor(colors.white)
        canvas.setLineWidth(1)
        canvas.setFont(REGULAR, 5.5)
        for severity in range(1, 6):
            for likelihood in range(1, 6):
                score = risk_score(severity, likelihood)
                x = _LEFT + (likelihood - 1) * _CELL
                y = _BOTTOM + (severity - 1) * _CELL
                canvas.setFillColor(BAND_FILL[self.bands.band(score)])
                canvas.rect(x, y, _CELL, _CELL, stroke=1, fill=1)
                if len(crowd.get((likelihood, severity), ())) < 3:
                    canvas.setFillColor(MUTED)
                    canvas.drawRightString(x + _CELL - 1 * mm, y + 1 * mm, str(score))
        canvas.setFont(REGULAR, 7)
        canvas.setFillColor(INK)
        for n in range(1, 6):
            middle = (n - 0.5) * _CELL
            canvas.drawCentredString(_LEFT + middle, _BOTTOM - 3.5 * mm, str(n))
            canvas.drawCentredString(_LEFT - 2.5 * mm, _BOTTOM + middle - 1 * mm, str(n))
        canvas.setFont(BOLD, 7.5)
        canvas.setFillColor(ACCENT)
        canvas.drawCentredString(_LEFT + size / 2, _BOTTOM - 8 * mm, "Likelihood")
        canvas.saveState()
        canvas.translate(_LEFT - 6.5 * mm, _BOTTOM + size / 2)
        canvas.rotate(90)
        canvas.drawCentredString(0, 0, "Severity")
        canvas.restoreState()
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.6)
        canvas.rect(_LEFT, _BOTTOM, size, size, stroke=1, fill=0)
        _markers(canvas, self.hazards, crowd)
        _legend(canvas, _LEFT, _BOTTOM + size + 3.5 * mm)


def heat_map(hazards: tuple[HazardRow, ...], bands: BandThresholds) -> HeatMap:
    """The matrix as a flowable for the document."""
    return HeatMap(hazards, bands)


def _cells(hazards: tuple[HazardRow, ...]) -> dict[tuple[int, int], list[tuple[int, bool]]]:
    """The markers of each cell (likelihood, severity): (hazard number, after controls)."""
    cells: dict[tuple[int, int], list[tuple[int, bool]]] = defaultdict(list)
    for number, h in enumerate(hazards, 1):
        cells[(h.likelihood, h.severity)].append((number, False))
        cells[(h.residual_likelihood, h.residual_severity)].append((number, True))
    return cells


def _markers(
    canvas: Canvas,
    hazards: tuple[HazardRow, ...],
    cells: dict[tuple[int, int], list[tuple[int, bool]]],
) -> None:
    """Place every marker in its cell, sharing the cell in a small grid when several land in
    the same one, and join each hazard's before and after with a faint line."""
    centres: dict[tuple[int, bool], tuple[float, float]] = {}
    radius: dict[tuple[int, int], float] = {}
    for (likelihood, severity), markers in cells.items():
        per_row = max(2, math.ceil(math.sqrt(len(markers))))
        step = _CELL / (per_row + 0.35)
        radius[(likelihood, severity)] = min(2.0 * mm, step * 0.42)
        x0 = _LEFT + (likelihood - 1) * _CELL
        y0 = _BOTTOM + (severity - 1) * _CELL
        for index, key in enumerate(markers):
            column, row = index % per_row, index // per_row
            cx = x0 + step * (column + 0.675)
            cy = y0 + _CELL - step * (row + 0.675) - 0.6 * mm
            centres[key] = (cx, cy)
    canvas.saveState()
    canvas.setStrokeColor(MUTED)
    canvas.setLineWidth(0.5)
    canvas.setDash([1.5, 1.2])
    for number, _ in enumerate(hazards, 1):
        (bx, by), (ax, ay) = centres[(number, False)], centres[(number, True)]
        if (bx, by) != (ax, ay):
            canvas.line(bx, by, ax, ay)
    canvas.restoreState()
    for (likelihood, severity), markers in cells.items():
        r = radius[(likelihood, severity)]
        for key in markers:
            number, after = key
            cx, cy = centres[key]
            _marker(canvas, cx, cy, r, number, filled=after)


def _marker(canvas: Canvas, x: float, y: float, r: float, number: int, *, filled: bool) -> None:
    canvas.setLineWidth(0.9)
    canvas.setStrokeColor(ACCENT)
    canvas.setFillColor(ACCENT if filled else colors.white)
    canvas.circle(x, y, r, stroke=1, fill=1)
    size = 5.5 if number < 10 else 4.5
    canvas.setFont(BOLD, size)
    canvas.setFillColor(colors.white if filled else ACCENT)
    canvas.drawCentredString(x, y - size * 0.36, str(number))


def _legend(canvas: Canvas, x: float, y: float) -> None:
    r = 1.7 * mm
    for offset, words, filled in (
        (0.0, "before controls", False),
        (27 * mm, "after controls", True),
    ):
        _marker(canvas, x + offset + r, y + r * 0.4, r, 1, filled=filled)
        canvas.setFont(REGULAR, 6.5)
        canvas.setFillColor(INK)
        canvas.drawString(x + offset + 2 * r + 1.2 * mm, y - 0.6 * mm, words)
