"""The police information sheet: one page an officer can read at a glance when a colleague
has not been heard from (seed 000: location, scheduled end, known risks; 003: vehicle and phone).

The key facts (names, phone, vehicle, address, scheduled end) are in large type. The whole
sheet is kept to one page: the timeline shows its latest entries, and if a long description
still overflows, the page is scaled down rather than spilling onto a second sheet.
"""

from __future__ import annotations

from typing import Any

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepInFrame, Paragraph, Table

from hvdesk.reports.fonts import BOLD, markup
from hvdesk.reports.layout import (
    ACCENT,
    CONTENT_WIDTH,
    LABEL_BG,
    RULE,
    build_pdf,
    frame_height,
    long_table,
    para,
    spacer,
    styles,
    table_style,
    when,
)
from hvdesk.reports.models import DocumentContext, PoliceSheetData, PoliceVisitor

__all__ = ["MAX_TIMELINE_ROWS", "police_sheet"]

TITLE = "Police information sheet"
MAX_TIMELINE_ROWS = 12
ALERT = colors.HexColor("#9E1B1B")
DRILL_NOTE = "DRILL (practice only: do not give this sheet to the police). "


def _style(name: str, size: float, *, bold: bool = False, color: Any = None) -> ParagraphStyle:
    base = styles().body
    return ParagraphStyle(
        name,
        parent=base,
        fontName=BOLD if bold else base.fontName,
        fontSize=size,
        leading=size * 1.22,
        textColor=color or base.textColor,
    )


def police_sheet(context: DocumentContext, data: PoliceSheetData) -> bytes:
    """The sheet for one visit, on one page."""
    story: list[Flowable] = [
        _banner(data, context.is_drill),
        spacer(3),
        _heading("Who"),
        _visitors(data.visitors, data.vehicle),
        _heading("Where"),
        *_where(data),
        _heading("When"),
        _when(data),
        _heading("Known risks"),
        *_risks(data),
        _heading("Timeline so far (UK time)"),
        *_timeline(data),
    ]
    frame = KeepInFrame(CONTENT_WIDTH, frame_height() - 1, story, mode="shrink")
    return build_pdf(context, TITLE, [frame])


def _heading(text: str) -> Table:
    box = Table(
        [[Paragraph(markup(text.upper()), _style("police-heading", 9.5, bold=True, color=ACCENT))]],
        colWidths=[CONTENT_WIDTH],
        hAlign="LEFT",
    )
    box.setStyle(
        table_style(
            [
                ("LINEBELOW", (0, 0), (-1, -1), 1, ACCENT),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 6),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return box


def _banner(data: PoliceSheetData, is_drill: bool) -> Table:
    white = _style("banner", 19, bold=True, color=colors.white)
    status = _style("banner-status", 10.5, bold=True, color=colors.white)
    box = Table(
        [
            [
                Paragraph("POLICE INFORMATION SHEET", white),
                Paragraph(f"Visit {data.visit_id}", white),
            ],
            [
                para(
                    (DRILL_NOTE if is_drill else "")
                    + f"Member of school staff on a home visit. Status: {data.stage}"
                    + (f". {data.wait}" if data.wait else ""),
                    status,
                ),
                "",
            ],
        ],
        colWidths=[CONTENT_WIDTH - 40 * mm, 40 * mm],
        hAlign="LEFT",
    )
    box.setStyle(
        table_style(
            [
                ("BACKGROUND", (0, 0), (-1, -1), ALERT),
                ("SPAN", (0, 1), (1, 1)),
                ("ALIGN", (1, 0), (1, 0), "RIGHT"),
                ("LEFTPADDING", (0, 0), (-1, -1), 8),
                ("RIGHTPADDING", (0, 0), (-1, -1), 8),
                ("TOPPADDING", (0, 0), (-1, 0), 7),
                ("BOTTOMPADDING", (0, -1), (-1, -1), 8),
            ]
        )
    )
    return box


def _vehicle_lines(vehicle: str | None) -> str:
    """ "Blue Ford Focus, LK19 XRT" as two lines: the car, then the registration on its own."""
    if not vehicle:
        return "None recorded (on foot or public transport)"
    car, _, registration = vehicle.rpartition(", ")
    return f"{car}\n{registration}" if car else registration


def _visitor_cell(visitor: PoliceVisitor, large: bool) -> list[Flowable]:
    name = _style("police-name", 19 if large else 15, bold=True)
    key = _style("police-key", 16 if large else 13.5, bold=True)
    medium = _style("police-medium", 11 if large else 10)
    small = _style("police-small", 8.5)
    label = styles().label
    cell: list[Flowable] = [
        para(visitor.name, name),
        para(visitor.job_role, small),
        spacer(1.5),
        Paragraph("Work mobile", label),
        para(visitor.work_mobile or "Not recorded", key),
        Paragraph("Vehicle", label),
        para(_vehicle_lines(visitor.vehicle), key),
        Paragraph("Description", label),
        para(visitor.description or "Not recorded", medium),
    ]
    for heading, value in (
        ("Emergency contact", visitor.emergency_contact),
        ("Supervisor", visitor.supervisor),
    ):
        if value:
            cell += [Paragraph(heading, label), para(value, small)]
    return cell


def _visitors(visitors: tuple[PoliceVisitor, ...], visit_vehicle: str | None) -> Table:
    if not visitors:
        return Table([[Paragraph("No staff are recorded on this visit.", styles().body)]])
    per_row = 1 if len(visitors) == 1 else 2
    width = CONTENT_WIDTH / per_row
    cells = [_visitor_cell(v, large=per_row == 1) for v in visitors]
    rows = [cells[i : i + per_row] for i in range(0, len(cells), per_row)]
    if len(rows[-1]) < per_row:
        rows[-1].append([])
    known = {v.vehicle for v in visitors}
    if visit_vehicle and visit_vehicle not in known:
        note = para(
            f"Vehicle used for this visit: {visit_vehicle}", _style("police-car", 13, bold=True)
        )
        rows.append([note] + [""] * (per_row - 1))
    table = Table(rows, colWidths=[width] * per_row, hAlign="LEFT")
    style: list[tuple[Any, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 8),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if per_row > 1:
        style.append(("LINEAFTER", (0, 0), (0, len(cells) // 2), 0.5, RULE))
        style.append(("LEFTPADDING", (1, 0), (1, -1), 8))
    table.setStyle(table_style(style))
    return table


def _where(data: PoliceSheetData) -> list[Flowable]:
    parts: list[Flowable] = [
        para(data.address, _style("police-address", 16, bold=True)),
        para(f"Area: {data.area}", _style("police-area", 9.5)),
    ]
    if data.location_notes:
        parts += [
            spacer(1),
            para(f"Location notes: {data.location_notes}", _style("police-loc", 11)),
        ]
    visiting = " · ".join(
        text
        for text in (data.pupil and f"Visiting the family of {data.pupil}", data.purpose)
        if text
    )
    if visiting:
        parts.append(para(visiting, _style("police-purpose", 8.5)))
    return parts


def _when(data: PoliceSheetData) -> Table:
    label = styles().label
    big = _style("police-time", 17, bold=True)
    same_day = when(data.scheduled_end, "%Y%m%d") == when(data.planned_start, "%Y%m%d")
    end_format = "%H:%M" if same_day else "%a %d %b %H:%M"
    cells = [
        [
            Paragraph("Set out", label),
            Paragraph("Arrived", label),
            Paragraph("Scheduled end", label),
        ],
        [
            Paragraph(when(data.departed_at, "%H:%M") or "Not logged", big),
            Paragraph(when(data.arrived_at, "%H:%M") or "Not logged", big),
            Paragraph(
                markup(when(data.scheduled_end, end_format)),
                _style("police-end", 19, bold=True, color=ALERT),
            ),
        ],
    ]
    table = Table(cells, colWidths=[CONTENT_WIDTH / 3] * 3, hAlign="LEFT")
    table.setStyle(
        table_style(
            [
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
            ]
        )
    )
    day = Paragraph(
        markup(f"Planned {when(data.planned_start)} to {when(data.planned_end, '%H:%M')}."),
        _style("police-day", 8.5),
    )
    wrapper = Table([[table], [day]], colWidths=[CONTENT_WIDTH], hAlign="LEFT")
    wrapper.setStyle(table_style([("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return wrapper


def _risks(data: PoliceSheetData) -> list[Flowable]:
    risk = _style("police-risk", 11.5, bold=True)
    parts: list[Flowable] = [para(f"• {text}", risk) for text in data.known_risks] or [
        para("None recorded for this address.", _style("police-none", 11))
    ]
    if data.safe_word:
        parts += [
            spacer(1.5),
            para(
                f"Safe word agreed for this visit: “{data.safe_word}”. If staff say it on a "
                "call, they are in danger.",
                _style("police-safe", 10.5, bold=True, color=ALERT),
            ),
        ]
    return parts


def _timeline(data: PoliceSheetData) -> list[Flowable]:
    st = styles()
    lines = data.timeline[-MAX_TIMELINE_ROWS:]
    if not lines:
        return [Paragraph("Nothing logged yet.", st.body)]
    rows: list[list[Any]] = []
    for line in lines:
        what = line.what + (f": {line.note}" if line.note else "")
        rows.append(
            [
                when(line.at, "%H:%M:%S"),
                para(what, st.cell),
                para(line.outcome or "", st.cell),
                para(line.recorded_by or "", st.cell),
            ]
        )
    parts: list[Flowable] = []
    earlier = len(data.timeline) - len(lines)
    if earlier:
        parts.append(
            Paragraph(
                f"{earlier} earlier entr{'y' if earlier == 1 else 'ies'} not shown "
                "(the incident report lists them all).",
                st.muted,
            )
        )
    parts.append(
        long_table(
            ["Time", "What", "Outcome", "Recorded by"],
            rows,
            [20 * mm, 78 * mm, 48 * mm, CONTENT_WIDTH - 146 * mm],
            extra_style=[("BACKGROUND", (0, 0), (-1, 0), LABEL_BG)],
        )
    )
    return parts
