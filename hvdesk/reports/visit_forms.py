"""The Home Visit Form and the Record of Home Visit (seed 001, appendix 1), filled or blank.

The form goes out with the staff: its top copy is left at the home, so it carries only what the
paper form asks for (no known risks, no safe word). The record is what comes back and is typed
into the safeguarding system. The blank version prints both, for when hvdesk is unavailable.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Paragraph, Table

from hvdesk.reports.fonts import markup
from hvdesk.reports.layout import (
    CONTENT_WIDTH,
    INK,
    LABEL_BG,
    RuledLines,
    build_pdf,
    field_table,
    keep,
    long_table,
    section,
    signature_block,
    spacer,
    styles,
    table_style,
    when,
)
from hvdesk.reports.models import DocumentContext, SignOff, VisitFormData

__all__ = ["home_visit_form", "reason_text", "record_of_home_visit"]

FORM_TITLE = "Home Visit Form"
RECORD_TITLE = "Record of Home Visit"
TOP_COPY = "The top copy of this form MUST be left at the home."
SAFEGUARDING_SYSTEM = "Record the visit and its outcomes on the safeguarding system (CPOMS)."


def home_visit_form(context: DocumentContext, data: VisitFormData | None) -> bytes:
    """The Home Visit Form of a visit; with no visit, a blank form and a blank record to take
    out when the system is down."""
    if data is None:
        story = [*_form_story(None, context.wait_limits), PageBreak(), *_record_story(None)]
        return build_pdf(context, "Home Visit Form and Record (blank)", story)
    story = _form_story(data, context.wait_limits)
    if data.briefing is not None:  # issue 18: the visitors' own page, never left at the home
        from hvdesk.reports.visit_briefing import briefing_story

        story += [PageBreak(), *briefing_story(data.visit_id, data.briefing)]
    return build_pdf(context, FORM_TITLE, story)


def record_of_home_visit(context: DocumentContext, data: VisitFormData) -> bytes:
    """The Record of Home Visit: the form's facts and what the visit found and needs next."""
    return build_pdf(context, RECORD_TITLE, _record_story(data))


# --- the form ------------------------------------------------------------------------------------


def reason_text(reason: str, purpose: str) -> str:
    """The reason and the purpose, without saying the reason twice when the purpose starts
    with it."""
    if not purpose:
        return reason
    if purpose.casefold().startswith(reason.casefold()):
        return purpose
    return f"{reason}\n{purpose}"


def _title(title: str, subtitle: str) -> list[Flowable]:
    st = styles()
    return [Paragraph(markup(title), st.title), Paragraph(markup(subtitle), st.subtitle)]


def _times(data: VisitFormData) -> str:
    start, end = data.planned_start, data.planned_end
    same_day = when(start, "%Y%m%d") == when(end, "%Y%m%d")
    return f"{when(start)} to {when(end, '%H:%M' if same_day else '%a %d %b %Y, %H:%M')}"


def _visit_rows(data: VisitFormData | None) -> list[tuple[str, str | Flowable | None]]:
    if data is None:
        return [
            ("Name of staff member(s) carrying out the visit", RuledLines(2, spacing=6.5 * mm)),
            ("Job role(s)", RuledLines(2, spacing=6.5 * mm)),
            ("Name of person being visited", None),
            ("Visited home address", RuledLines(2, spacing=6.5 * mm)),
            ("Pupil name", None),
            ("Reason for calling", RuledLines(2, spacing=6.5 * mm)),
            ("Date and time", None),
        ]
    return [
        ("Name of staff member(s) carrying out the visit", "\n".join(s.name for s in data.staff)),
        ("Job role(s)", "\n".join(s.job_role for s in data.staff)),
        ("Name of person being visited", data.person_visited),
        ("Visited home address", data.address),
        ("Pupil name", data.pupil),
        ("Reason for calling", reason_text(data.reason, data.purpose)),
        ("Date and time", _times(data)),
    ]


def wait_rule(minutes: int, late_minutes: int) -> str:
    """The school's rule for a parent who is not there (seed 003, 004), as the form prints it."""
    return (
        f"Parent not there: wait at most {minutes} minutes (in the car), then leave and phone "
        f"the office; a parent who warned they would be late: {late_minutes} minutes. Never go "
        "in before the parent arrives."
    )


def _form_story(
    data: VisitFormData | None, limits: tuple[int, int] | None = None
) -> list[Flowable]:
    st = styles()
    subtitle = (
        "Complete before the visit and take it with you."
        if data is None
        else f"Visit {data.visit_id} · {data.status}"
    )
    story: list[Flowable] = [*_title(FORM_TITLE, subtitle), spacer(2)]
    rows = _visit_rows(data)
    # The wait rule below takes one ruled line's room, so the form stays on one page.
    rows.append(("Comments", RuledLines(4 if limits is None else 3, spacing=7 * mm)))
    story.append(field_table(rows, blank_height=9.5 * mm))
    story.append(spacer(3))
    staff_names: Sequence[str | None] = (
        [s.name for s in data.staff] if data is not None and data.staff else [None, None]
    )
    story.append(keep(_staff_signatures(staff_names)))
    story.append(spacer(3))
    story.append(keep(_authorisation_box(data.authorised if data else None, data is not None)))
    story.append(spacer(3))
    story.append(
        keep(
            signature_block(
                [
                    [
                        ("Signed (parent/guardian)", None, 0.45),
                        ("Name", None, 0.35),
                        ("Date", None, 0.2),
                    ]
                ]
            )
        )
    )
    story.append(spacer(4))
    story.append(_notice(TOP_COPY if limits is None else f"{TOP_COPY}\n{wait_rule(*limits)}"))
    if data is not None and data.authorised is None:
        story.append(spacer(2))
        story.append(
            Paragraph(
                "This visit is not authorised in hvdesk yet: it must not go ahead until the "
                "Safeguarding Lead has authorised it.",
                st.muted,
            )
        )
    return story


def _staff_signatures(names: Sequence[str | None]) -> Table:
    return signature_block(
        [
            [("Signed (staff member)", None, 0.45), ("Name", name, 0.35), ("Date", None, 0.2)]
            for name in names
        ]
    )


def _authorisation_box(approval: SignOff | None, filled: bool) -> Table:
    """The safeguarding lead's box: name, signature, date and time. An approval recorded in
    hvdesk is printed; with none, the lines stay empty (never a guessed name)."""
    st = styles()
    name = f"{approval.name} ({approval.role})" if approval else None
    day = when(approval.decided_at, "%d %b %Y") if approval else None
    time = when(approval.decided_at, "%H:%M") if approval else None
    inner_width = CONTENT_WIDTH - 12
    lines = signature_block(
        [
            [("Name", name, 1.0)],
            [("Signed (Safeguarding Lead)", None, 1.0)],
        ],
        width=inner_width,
    )
    when_lines = signature_block(
        [[("Date", day, 0.5), ("Time", time, 0.5)]],
        width=inner_width,
    )
    parts: list[Flowable] = [
        Paragraph("Authorisation of the visit by the Safeguarding Lead", st.label),
        lines,
        when_lines,
    ]
    if approval is not None:
        parts.append(spacer(1.5))
        parts.append(
            Paragraph(
                markup(
                    f"Authorised in hvdesk by {approval.name} on "
                    f"{when(approval.decided_at, '%d %b %Y at %H:%M')}; sign above to confirm "
                    "on paper."
                ),
                st.muted,
            )
        )
    elif filled:
        parts.append(spacer(1.5))
        parts.append(Paragraph("No authorisation is recorded in hvdesk for this visit.", st.muted))
    box = Table([[parts]], colWidths=[CONTENT_WIDTH], hAlign="LEFT")
    box.setStyle(
        table_style(
            [
                ("BOX", (0, 0), (-1, -1), 0.9, INK),
                ("LEFTPADDING", (0, 0), (-1, -1), 6),
                ("RIGHTPADDING", (0, 0), (-1, -1), 6),
                ("TOPPADDING", (0, 0), (-1, -1), 5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ]
        )
    )
    return box


def _notice(text: str) -> Table:
    st = styles()
    box = Table([[Paragraph(markup(text), st.notice)]], colWidths=[CONTENT_WIDTH], hAlign="LEFT")
    box.setStyle(
        table_style(
            [
                ("BOX", (0, 0), (-1, -1), 1.2, INK),
                ("BACKGROUND", (0, 0), (-1, -1), LABEL_BG),
                ("TOPPADDING", (0, 0), (-1, -1), 6),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 7),
            ]
        )
    )
    return box


# --- the record ----------------------------------------------------------------------------------


def _yes_no(value: bool | None) -> str | None:
    if value is None:
        return None
    return "Yes" if value else "No"


def _follow_ups(data: VisitFormData) -> Flowable:
    """Each action the record requires, with its owner, due date and whether it is done."""
    st = styles()
    rows = [
        [
            Paragraph(markup(f.action), st.cell),
            Paragraph(markup(f.owner), st.cell),
            f.due_on.strftime("%d %b %Y"),
            when(f.done_at, "%d %b %Y") if f.done_at else "Open",
        ]
        for f in data.follow_ups
    ]
    widths = [CONTENT_WIDTH * share for share in (0.52, 0.22, 0.13, 0.13)]
    return long_table(["Action", "Owner", "Due", "Done"], rows, widths)


def _written(text: str | None, lines: int) -> str | Flowable:
    """What was recorded, or lines to write it on."""
    return text if text else RuledLines(lines, spacing=6.5 * mm)


def _actual_times(data: VisitFormData) -> str:
    parts = [f"Planned {_times(data)}."]
    done = [
        (label, instant)
        for label, instant in (
            ("set out", data.departed_at),
            ("arrived", data.arrived_at),
            ("left", data.left_at),
        )
        if instant is not None
    ]
    if done:
        said = ", ".join(f"{label} {when(instant, '%H:%M')}" for label, instant in done)
        parts.append(said[0].upper() + said[1:] + ".")
    return " ".join(parts)


def _record_story(data: VisitFormData | None) -> list[Flowable]:
    st = styles()
    subtitle = (
        "Complete after the visit and hand it to the safeguarding office."
        if data is None
        else f"Visit {data.visit_id} · {data.status}"
    )
    story: list[Flowable] = [*_title(RECORD_TITLE, subtitle), spacer(2)]
    rows = _visit_rows(data)
    if data is not None:
        rows[-1] = ("Date and time", _actual_times(data))
        if data.cancelled:
            rows.append(("Visit cancelled", data.cancelled))
    story.append(field_table(rows, blank_height=9.5 * mm))

    outcome_rows: list[tuple[str, str | Flowable | None]]
    if data is None:
        outcome_rows = [
            ("Child seen", "Yes  /  No"),
            ("Spoken to", None),
            ("Outcome of home visit", RuledLines(4, spacing=6.5 * mm)),
        ]
    else:
        outcome_rows = [
            ("Child seen", _yes_no(data.child_seen)),
            ("Spoken to", data.spoken_to),
        ]
        if data.observations:
            outcome_rows.append(("What was seen and heard (facts)", data.observations))
        if data.opinions:
            outcome_rows.append(("Professional opinion", data.opinions))
        if data.concerns_raised:
            outcome_rows.append(("Concerns raised", data.concerns_raised))
        outcome_rows.append(("Outcome of home visit", _written(data.outcome, 4)))
    outcome_rows.append(("Action required", _written(data.action_required if data else None, 3)))
    story.append(keep(section("Outcome of home visit"), field_table(outcome_rows)))
    if data is not None and data.conduct:  # issue 18
        story.append(spacer(3))
        from hvdesk.reports.visit_briefing import conduct_answers_table

        story.append(section("In the home: the rules of conduct"))
        story.append(conduct_answers_table(data.conduct))
    if data is not None and data.follow_ups:
        story.append(spacer(3))
        story.append(keep(section("Follow-up actions"), _follow_ups(data)))
    story.append(spacer(4))
    story.append(_notice(SAFEGUARDING_SYSTEM))
    story.append(spacer(3))
    recorded_at = data.recorded_on_safeguarding_system_at if data else None
    recorded_by = data.recorded_on_safeguarding_system_by if data else None
    story.append(
        keep(
            signature_block(
                [
                    [
                        ("Recorded on CPOMS by", recorded_by, 0.6),
                        ("Date", when(recorded_at, "%d %b %Y %H:%M") or None, 0.4),
                    ]
                ]
            )
        )
    )
    staff_names: Sequence[str | None] = (
        [s.name for s in data.staff] if data is not None and data.staff else [None, None]
    )
    story.append(spacer(2))
    story.append(keep(_staff_signatures(staff_names)))
    story.append(spacer(2))
    story.append(
        Paragraph(
            "Discuss any child protection concern with the safeguarding team as soon as you are "
            "back in school.",
            st.muted,
        )
    )
    return story
