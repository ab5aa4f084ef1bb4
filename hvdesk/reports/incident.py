"""The incident report: what happened, the whole escalation timeline (every attempt, its time
in UK time, its outcome and who logged it) and the review once it is written.

Fields of the review not written yet say so, and leave room to write, so the report can be
printed for the debrief and filled in by hand.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph

from hvdesk.reports.fonts import markup
from hvdesk.reports.layout import (
    CONTENT_WIDTH,
    RuledLines,
    build_pdf,
    field_table,
    long_table,
    para,
    section,
    spacer,
    styles,
    when,
)
from hvdesk.reports.models import DocumentContext, IncidentData

__all__ = ["NONE_RECORDED", "NOT_YET", "incident_report"]

TITLE = "Incident report"
NOT_YET = "Not yet recorded."
NONE_RECORDED = "None recorded."


def incident_report(context: DocumentContext, data: IncidentData) -> bytes:
    """The report of one incident."""
    st = styles()
    story: list[Flowable] = [
        Paragraph(TITLE, st.title),
        Paragraph(
            markup(f"Incident {data.incident_id} · {data.kind} · {data.status}"), st.subtitle
        ),
        spacer(2),
        field_table(_summary_rows(data), label_width=42 * mm, style=st.cell),
        section(
            "Escalation timeline (UK time)"
            if data.highest_stage is not None
            else "Timeline of the visit (UK time)"
        ),
    ]
    story += _timeline(data)
    story.append(section("Review"))
    story.append(field_table(_review_rows(data), label_width=42 * mm, style=st.cell))
    return build_pdf(context, TITLE, story)


def _staff(data: IncidentData) -> str | None:
    return "\n".join(f"{s.name}, {s.job_role}" for s in data.staff) or None


def _same_day(a: datetime | None, b: datetime | None) -> bool:
    return a is not None and b is not None and when(a, "%Y%m%d") == when(b, "%Y%m%d")


def _summary_rows(data: IncidentData) -> list[tuple[str, str | Flowable | None]]:
    raised = when(data.raised_at, "%H:%M" if _same_day(data.raised_at, data.occurred_at) else None)
    rows: list[tuple[str, str | Flowable | None]] = [
        ("Summary", data.summary),
        (
            "When",
            f"Occurred {when(data.occurred_at)}; raised {raised}"
            + (f" by {data.raised_by}" if data.raised_by else ""),
        ),
    ]
    if data.visit_id is not None:
        rows += [
            (
                "Visit",
                f"Visit {data.visit_id}"
                + (
                    f", planned {when(data.planned_start)} to {when(data.planned_end, '%H:%M')}"
                    if data.planned_start and data.planned_end
                    else ""
                ),
            ),
            ("Staff", _staff(data) or "None named"),
            ("Address", data.address or ""),
            ("Pupil", data.pupil or "Not named"),
        ]
    else:
        rows.append(("Visit", "Not linked to a visit"))
    if data.highest_stage is not None:
        rows.append(("Highest stage reached", f"Stage {data.highest_stage}"))
    if data.resolved_at is not None or data.resolution:
        resolved = when(data.resolved_at) + (f" by {data.resolved_by}" if data.resolved_by else "")
        rows.append(("Resolved", "\n".join(t for t in (resolved, data.resolution) if t)))
    elif data.highest_stage is not None:
        rows.append(("Resolved", "Not yet resolved"))
    return rows


def _timeline(data: IncidentData) -> list[Flowable]:
    st = styles()
    if not data.timeline:
        return [Paragraph("No timeline was logged for this incident.", st.body)]
    days = {when(line.at, "%Y%m%d") for line in data.timeline}
    time_format = "%H:%M:%S" if len(days) == 1 else "%d %b %H:%M:%S"
    rows: list[list[Any]] = []
    for line in data.timeline:
        what: list[Flowable] = [para(line.what, st.cell_bold)]
        if line.note:
            what.append(para(line.note, st.cell))
        who = line.recorded_by or "Not recorded"
        if line.recorded_at is not None:
            who += f"\n(logged {when(line.recorded_at, '%H:%M')})"
        rows.append(
            [
                when(line.at, time_format),
                what,
                para(line.outcome or "", st.cell),
                para(who, st.cell),
            ]
        )
    first = when(data.timeline[0].at, "%A %d %B %Y")
    return [
        Paragraph(markup(f"From {first}. Every step as logged, in order."), st.muted),
        spacer(1),
        long_table(
            ["Time", "What happened", "Outcome", "Recorded by"],
            rows,
            [
                (20 if len(days) == 1 else 27) * mm,
                (78 if len(days) == 1 else 71) * mm,
                42 * mm,
                CONTENT_WIDTH - 140 * mm,
            ],
        ),
    ]


def _or_lines(text: str | None, lines: int = 2, *, closed: bool = False) -> str | Flowable:
    """What was written; on a closed review "None recorded."; else lines to write on."""
    if text:
        return text
    if closed:
        return NONE_RECORDED
    return _Pending(lines, spacing=6.5 * mm)


class _Pending(RuledLines):
    """The words "Not yet recorded." with lines under them to write the answer on."""

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        canvas.setFont(styles().muted.fontName, 8)
        canvas.setFillColor(styles().muted.textColor)
        canvas.drawString(0, self.height - 3 * mm, NOT_YET)
        canvas.restoreState()
        super().draw()


def _review_rows(data: IncidentData) -> list[tuple[str, str | Flowable | None]]:
    if data.riddor_reportable is None:
        riddor = None
    elif data.riddor_reportable:
        riddor = "Yes" + (
            f", reported {when(data.riddor_reported_at)}"
            if data.riddor_reported_at
            else ", not yet reported"
        )
    else:
        riddor = "No"
    debrief = None
    if data.debrief_held_at is not None:
        debrief = when(data.debrief_held_at) + (
            f"\nWith {data.debrief_with}" if data.debrief_with else ""
        )
    signed = None
    if data.signed_off_at is not None:
        signed = when(data.signed_off_at) + (
            f" by {data.signed_off_by}" if data.signed_off_by else ""
        )
    closed = data.closed
    rows: list[tuple[str, str | Flowable | None]] = [
        ("What happened", _or_lines(data.what_happened, 3, closed=closed)),
        ("Debrief", _or_lines(debrief, closed=closed)),
        ("Support offered", _or_lines(data.support_offered, closed=closed)),
        ("Lessons learned", _or_lines(data.lessons, closed=closed)),
        ("Changes to the procedure", _or_lines(data.procedure_changes, closed=closed)),
        ("RIDDOR reportable", _or_lines(riddor, 1, closed=closed)),
    ]
    if data.review_due_on is not None and data.signed_off_at is None:
        rows.append(("Review due", data.review_due_on.strftime("%A %d %B %Y")))
    rows.append(("Signed off", _or_lines(signed, 1, closed=closed)))
    return rows
