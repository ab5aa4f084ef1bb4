"""The annual review pack for the governors: one school year of home visits in figures and
charts, the incidents and what was learnt from them, and the settings in force.

The policies are reviewed each year by the DSL and the governors (002, 003), informed by
incidents and staff feedback; this pack is what they read. It prints counts, durations and
incident reviews, never a pupil, family or address (an incident's summary and lessons are
printed as the office wrote them, safe word removed). Made from `YearInReview` (filled by
services.statistics), with the page furniture every hvdesk document has.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from reportlab.graphics.shapes import Drawing
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Paragraph, Table

from hvdesk.domain.escalation import EscalationStage
from hvdesk.domain.policy import SchoolPolicy
from hvdesk.domain.setting_fields import SettingChangeRow
from hvdesk.domain.statistics import (
    DurationSummary,
    IncidentSummary,
    MonthFigures,
    YearFigures,
    YearInReview,
    format_duration,
    format_rate,
    school_year_label,
)
from hvdesk.domain.visits import VisitReason
from hvdesk.reports.charts import horizontal_bars, vertical_bars
from hvdesk.reports.fonts import markup
from hvdesk.reports.layout import (
    CONTENT_WIDTH,
    build_pdf,
    field_table,
    long_table,
    para,
    section,
    spacer,
    styles,
    table_style,
    when,
)
from hvdesk.reports.models import DocumentContext

__all__ = ["TITLE", "TOP_REASONS", "annual_review", "stage_name", "top_reasons"]

TITLE = "Annual review of home visits"
TOP_REASONS = 5
"""The reasons charted by name; the rest are summed as "All other reasons"."""
OTHER_REASONS = "All other reasons"
NONE_RECORDED = "None recorded."

_STAGE_NAMES = {
    EscalationStage.CALL_STAFF: "Stage 1: staff called",
    EscalationStage.INFORM_SUPERVISOR: "Stage 2: supervisor informed",
    EscalationStage.CALL_EMERGENCY_CONTACT: "Stage 3: emergency contact",
    EscalationStage.INFORM_POLICE: "Stage 4: police",
    EscalationStage.EMERGENCY: "Safe word used",
}


def stage_name(stage: EscalationStage) -> str:
    """A stage as a short past-tense label for charts ("Stage 4: police")."""
    return _STAGE_NAMES.get(stage, stage.label)


def top_reasons(figures: YearFigures, limit: int = TOP_REASONS) -> list[VisitReason]:
    """The most frequent reasons of the period (charted by name), most frequent first."""
    return [reason for reason, _ in figures.reasons[:limit]]


def reason_columns(figures: YearFigures) -> tuple[list[str], list[list[int]]]:
    """Series names and, per series, the count for each month: the top reasons, then the
    rest together (the Reports page charts the same series)."""
    tops = top_reasons(figures)
    names = [r.label for r in tops]
    series = [[m.count(r) for m in figures.months] for r in tops]
    if len(figures.reasons) > len(tops):
        names.append(OTHER_REASONS)
        series.append([m.went_out - sum(m.count(r) for r in tops) for m in figures.months])
    return names, series


def annual_review(context: DocumentContext, review: YearInReview) -> bytes:
    """The governors' pack for one school year."""
    st = styles()
    figures = review.figures
    label = school_year_label(review.first_year)
    story: list[Flowable] = [
        Paragraph(markup(f"{TITLE}, {label}"), st.title),
        Paragraph(
            markup(
                f"School year {_day(figures.start)} to {_day(figures.end)} · drills not counted "
                f"· figures as at {_day(figures.today)}"
            ),
            st.subtitle,
        ),
        spacer(2),
        field_table(_key_figures(review), label_width=70 * mm, style=st.cell),
        spacer(2),
        para(_how_counted(), st.muted),
    ]
    story += _visits_section(figures)
    story += _outcomes_section(figures)
    story += _cancellations_section(figures)
    story += _overdue_section(figures)
    story += _stages_section(figures)
    story += _lone_section(figures)
    story += _turnaround_section(figures)
    story += _follow_ups_section(figures)
    story += _incidents_section(review.incidents)
    story += _settings_section(review.policy)
    story += _changes_section(review.setting_changes)
    return build_pdf(context, f"{TITLE} {label}", story, subject=f"{TITLE}, {label}")


# --- sections ----------------------------------------------------------------------------------


def _key_figures(review: YearInReview) -> list[tuple[str, Any]]:
    f = review.figures
    police = dict(f.stages).get(EscalationStage.INFORM_POLICE, 0)
    return [
        ("Visits made (staff went out)", str(f.went_out)),
        ("Visits cancelled", str(f.cancelled)),
        (
            "Missed a call deadline",
            f"{f.overdue} of {f.went_out} visits ({format_rate(f.overdue, f.went_out)})",
        ),
        ("Time to resolve an escalation", _duration_line(f.time_to_resolve)),
        ("Escalations that reached the police", str(police)),
        ("Lone visits", f"{f.lone} ({format_rate(f.lone, f.went_out)})"),
        ("Out-of-hours visits", f"{f.out_of_hours} ({format_rate(f.out_of_hours, f.went_out)})"),
        ("Authorisation turnaround", _duration_line(f.turnaround)),
        ("Follow-up actions overdue today", f"{f.follow_ups.overdue} of {f.follow_ups.total}"),
        ("Incidents", str(len(review.incidents))),
    ]


def _how_counted() -> str:
    return (
        "How the figures are counted: a visit counts in the month of its planned start (UK "
        "time), so a visit that ran past midnight counts in the month it started. Visits made "
        "are those where staff went out. A missed call deadline is an arrival, check-in or "
        "home-safe call that did not come in time, so the escalation ladder started; time to "
        "resolve runs from the missed deadline to the recorded resolution. The highest stage "
        "is replayed from each visit's logged timeline. Authorisation turnaround runs from the "
        "request's submission to the decision (urgent departures, authorised afterwards, are "
        "left out)."
    )


def _visits_section(f: YearFigures) -> list[Flowable]:
    names, series = reason_columns(f)
    chart = _per_month_chart(
        "Visits made per month, by reason",
        f,
        list(zip(names, series, strict=True)),
        height=75 * mm,
        stacked=True,
    )
    reason_rows = [[para(r.label, styles().cell), str(n)] for r, n in f.reasons] or [
        [NONE_RECORDED, ""]
    ]
    by_reason = long_table(["Reason", "Visits"], reason_rows, [90 * mm, 20 * mm])
    st = styles()
    month_rows: list[list[Any]] = [
        [para(name, st.cell), *(str(n) for n in col), str(sum(col))]
        for name, col in zip(names, series, strict=True)
    ]
    month_rows.append(
        [
            para("Total", st.cell_bold),
            *(str(m.went_out) for m in f.months),
            str(f.went_out),
        ]
    )
    first, last = 40 * mm, 15 * mm
    month_width = (CONTENT_WIDTH - first - last) / max(1, len(f.months))
    by_month = long_table(
        ["Reason", *(f"{m.month:%b}" for m in f.months), "Total"],
        month_rows,
        [first, *([month_width] * len(f.months)), last],
        extra_style=[
            ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
            ("LEFTPADDING", (1, 0), (-1, -1), 2),
            ("RIGHTPADDING", (1, 0), (-1, -1), 3),
            *_total_row_style(),
        ],
    )
    return [
        section("Visits made"),
        chart,
        spacer(2),
        KeepTogether([by_month]),
        spacer(3),
        KeepTogether([para("Visits made by reason, whole year", styles().label), by_reason]),
    ]


def _outcomes_section(f: YearFigures) -> list[Flowable]:
    o = f.outcomes
    rows = [
        ("Child seen", o.seen),
        ("Child not seen", o.not_seen),
        ("Not recorded", o.not_recorded),
    ]
    return _bars_with_table(
        "Outcomes of completed visits",
        "Completed visits: was the child seen?",
        ["Outcome", "Visits", "Share"],
        [(label, n, format_rate(n, o.total)) for label, n in rows],
        total=("Total", o.total, ""),
    )


def _cancellations_section(f: YearFigures) -> list[Flowable]:
    rows = [
        (cause.label + (" (safety)" if cause.is_safety else ""), n, format_rate(n, f.cancelled))
        for cause, n in f.cancellations
    ]
    return _bars_with_table(
        "Cancellations",
        "Cancelled visits by cause",
        ["Cause", "Visits", "Share"],
        rows,
        total=("Total", f.cancelled, ""),
    )


def _overdue_section(f: YearFigures) -> list[Flowable]:
    chart = _per_month_chart(
        "Visits made and visits that missed a call deadline, per month",
        f,
        [
            ("Visits made", [m.went_out for m in f.months]),
            ("Missed a call deadline", [m.overdue for m in f.months]),
        ],
        height=62 * mm,
    )
    rows = [
        [f"{m.month:%b %Y}", str(m.went_out), str(m.overdue), format_rate(m.overdue, m.went_out)]
        for m in f.months
    ]
    rows.append(["Total", str(f.went_out), str(f.overdue), format_rate(f.overdue, f.went_out)])
    table = _month_table(
        ["Month", "Visits made", "Missed a deadline", "Overdue rate"],
        rows,
        [30 * mm, 30 * mm, 34 * mm, 30 * mm],
    )
    resolve = _bars_with_table(
        None,
        "Time from the missed deadline to the resolution",
        ["Time to resolve", "Escalations", "Share"],
        [
            (b.label, b.count, format_rate(b.count, f.time_to_resolve.count))
            for b in f.time_to_resolve.buckets
        ],
        notes=[
            f"Median {format_duration(f.time_to_resolve.median)}, longest "
            f"{format_duration(f.time_to_resolve.longest)} over {f.time_to_resolve.count} "
            "resolved escalations.",
            f"Not resolved yet: {f.unresolved}.",
        ],
        value_axis="Escalations",
    )
    return [
        CondPageBreak(110 * mm),
        section("Missed check-ins and escalations"),
        chart,
        spacer(2),
        table,
        spacer(3),
        *resolve,
    ]


def _stages_section(f: YearFigures) -> list[Flowable]:
    rows = [(stage_name(stage), n, format_rate(n, f.escalated)) for stage, n in f.stages]
    return _bars_with_table(
        "Highest escalation stage reached",
        "Visits by the highest stage reached",
        ["Highest stage", "Visits", "Share"],
        rows,
        total=("Visits escalated", f.escalated, ""),
        notes=[
            f"{f.escalated} of {f.went_out} visits made escalated "
            f"({format_rate(f.escalated, f.went_out)}); {f.went_out - f.escalated} never "
            "reached stage 1."
        ],
    )


def _lone_section(f: YearFigures) -> list[Flowable]:
    chart = _per_month_chart(
        "Lone and out-of-hours visits, per month",
        f,
        [
            ("Lone visits", [m.lone for m in f.months]),
            ("Out-of-hours visits", [m.out_of_hours for m in f.months]),
        ],
        height=58 * mm,
    )
    rows = [
        [f"{m.month:%b %Y}", str(m.went_out), str(m.lone), str(m.out_of_hours)] for m in f.months
    ]
    rows.append(["Total", str(f.went_out), str(f.lone), str(f.out_of_hours)])
    table = _month_table(["Month", "Visits made", "Lone", "Out of hours"], rows, [30 * mm] * 4)
    return [
        CondPageBreak(100 * mm),
        section("Lone and out-of-hours visits"),
        chart,
        spacer(2),
        KeepTogether([table]),
    ]


def _turnaround_section(f: YearFigures) -> list[Flowable]:
    t = f.turnaround
    return _bars_with_table(
        "Authorisation turnaround",
        "Time from request to decision",
        ["Request to decision", "Requests", "Share"],
        [(b.label, b.count, format_rate(b.count, t.count)) for b in t.buckets],
        notes=[
            f"Median {format_duration(t.median)}, longest {format_duration(t.longest)} "
            f"over {t.count} decisions."
        ],
        value_axis="Requests",
    )


def _follow_ups_section(f: YearFigures) -> list[Flowable]:
    fu = f.follow_ups
    return _bars_with_table(
        "Follow-up actions",
        "Overdue follow-up actions by how late",
        ["Overdue by", "Actions", "Share"],
        [(b.label, b.count, format_rate(b.count, fu.overdue)) for b in fu.overdue_by_lateness],
        total=("Overdue", fu.overdue, ""),
        notes=[
            f"{fu.total} follow-up actions from the year's visits: {fu.done} done, "
            f"{fu.open_not_due} open and not yet due, {fu.overdue} overdue "
            f"(not done and due before {_day(f.today)})."
        ],
        value_axis="Actions",
    )


def _incidents_section(incidents: Sequence[IncidentSummary]) -> list[Flowable]:
    st = styles()
    head: list[Flowable] = [CondPageBreak(60 * mm), section("Incidents and lessons learnt")]
    if not incidents:
        return [*head, para("No incidents were recorded this year.", st.body)]
    rows = []
    for i in incidents:
        what = [para(i.summary, st.cell)]
        what.append(para(f"Lessons: {i.lessons or NONE_RECORDED}", st.cell))
        if i.procedure_changes:
            what.append(para(f"Changes to the procedure: {i.procedure_changes}", st.cell))
        rows.append(
            [
                str(i.incident_id),
                when(i.occurred_at, "%d %b %Y"),
                para(i.kind, st.cell),
                f"Stage {i.highest_stage}" if i.highest_stage else "–",
                i.status,
                what,
            ]
        )
    table = long_table(
        ["No.", "Date", "Kind", "Stage", "Status", "What happened and what was learnt"],
        rows,
        [11 * mm, 22 * mm, 28 * mm, 15 * mm, 22 * mm, CONTENT_WIDTH - 98 * mm],
    )
    return [*head, para(f"{len(incidents)} incidents (drills not included).", st.muted), table]


def _settings_section(policy: SchoolPolicy) -> list[Flowable]:
    st = styles()
    bands = policy.risk_bands
    rows: list[tuple[str, Any]] = [
        (
            "Escalation ladder",
            f"Stage 1 at the missed call; stage 3 (emergency contact) "
            f"{policy.emergency_contact_after_minutes} minutes after it; stage 4 (police) "
            f"{policy.police_after_minutes} minutes after it. Warned {policy.due_soon_minutes} "
            "minutes before a call is due.",
        ),
        (
            "Call deadlines",
            f"Arrival call {policy.arrival_call_grace_minutes} minutes after departure; "
            f"home-safe call {policy.home_safe_grace_minutes} minutes after leaving; next call "
            f"{policy.follow_up_call_minutes} minutes after a late contact; not signed out "
            f"{policy.not_signed_out_grace_minutes} minutes after the planned start.",
        ),
        (
            "Waiting at the door",
            f"{policy.parent_wait_limit_minutes} minutes for a parent who is not there; "
            f"{policy.late_parent_wait_limit_minutes} minutes for one who warned they would "
            "be late.",
        ),
        (
            "Risk bands (score 1–25)",
            f"Low 1–{bands.low_max}, medium {bands.low_max + 1}–{bands.medium_max}, "
            f"high {bands.medium_max + 1}–25.",
        ),
        ("Who authorises visits", _roles(policy.authorising_roles)),
        ("Who approves a lone visit", _roles(policy.lone_visit_roles)),
        ("Who approves an out-of-hours visit", _roles(policy.out_of_hours_roles)),
        (
            "Working hours",
            f"{policy.working_day_start:%H:%M} to {policy.working_day_end:%H:%M}, "
            f"{_weekdays(policy.working_weekdays)}",
        ),
        ("Pair visits by default", "Yes" if policy.pairs_by_default else "No"),
    ]
    return [
        KeepTogether(
            [
                section("Settings in force"),
                para("The school's settings in hvdesk on the day this pack was made.", st.muted),
                spacer(1),
                field_table(rows, label_width=58 * mm, style=st.cell),
            ]
        )
    ]


def _changes_section(changes: Sequence[SettingChangeRow]) -> list[Flowable]:
    """The year's changes of settings (issue 15): governors see how the policy moved."""
    st = styles()
    head: list[Flowable] = [CondPageBreak(40 * mm), section("Changes to the settings this year")]
    if not changes:
        return [*head, para("No setting was changed during the year.", st.body)]
    rows = [
        [
            when(c.changed_at, "%d %b %Y %H:%M"),
            para(c.label, st.cell),
            para(c.old, st.cell),
            para(c.new, st.cell),
            para(c.changed_by, st.cell),
        ]
        for c in changes
    ]
    table = long_table(
        ["When", "Setting", "From", "To", "By"],
        rows,
        [34 * mm, 50 * mm, 32 * mm, 32 * mm, CONTENT_WIDTH - 148 * mm],
    )
    count = len(changes)
    note = f"{count} change{'s' if count != 1 else ''} during the year, oldest first."
    return [*head, para(note, st.muted), table]


# --- building blocks ---------------------------------------------------------------------------


def _bars_with_table(
    heading: str | None,
    chart_title: str,
    header: Sequence[str],
    rows: Sequence[tuple[str, int, str]],
    *,
    total: tuple[str, int, str] | None = None,
    notes: Sequence[str] = (),
    value_axis: str = "Visits",
) -> list[Flowable]:
    """A horizontal bar chart on the left and its table on the right, kept together."""
    st = styles()
    chart_width = CONTENT_WIDTH * 0.56
    chart: Drawing = horizontal_bars(
        chart_title,
        [label for label, _, _ in rows],
        [n for _, n, _ in rows],
        width=chart_width - 4 * mm,
        value_axis=value_axis,
    )
    data: list[list[Any]] = [[para(label, st.cell), str(n), share] for label, n, share in rows]
    style: list[tuple[Any, ...]] = [("ALIGN", (1, 1), (-1, -1), "RIGHT")]
    if total is not None:
        data.append([para(total[0], st.cell_bold), str(total[1]), total[2]])
        style += _total_row_style()
    table_width = CONTENT_WIDTH - chart_width
    table = long_table(header, data, [table_width - 40 * mm, 22 * mm, 18 * mm], extra_style=style)
    side_by_side = Table([[chart, table]], colWidths=[chart_width, table_width], hAlign="LEFT")
    side_by_side.setStyle(
        table_style(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    parts: list[Flowable] = []
    if heading:
        parts.append(section(heading))
    parts.append(side_by_side)
    parts += [para(note, st.muted) for note in notes]
    return [KeepTogether(parts), spacer(2)]


def _per_month_chart(
    title: str,
    f: YearFigures,
    series: Sequence[tuple[str, Sequence[int]]],
    *,
    height: float,
    stacked: bool = False,
) -> Drawing:
    """Bars for each month of the period, counted by the planned start in UK time (as every
    per-month figure of the pack is)."""
    return vertical_bars(
        title,
        _month_labels(f.months),
        series,
        width=CONTENT_WIDTH,
        height=height,
        stacked=stacked,
        category_axis="Month of the planned start (UK time)",
    )


def _month_table(
    headers: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float]
) -> Flowable:
    """A month-by-month table whose last row is the period's total; figures to the right."""
    return long_table(
        headers,
        rows,
        widths,
        extra_style=[("ALIGN", (1, 1), (-1, -1), "RIGHT"), *_total_row_style()],
    )


def _total_row_style() -> list[tuple[Any, ...]]:
    from hvdesk.reports.fonts import BOLD

    return [("FONTNAME", (0, -1), (-1, -1), BOLD)]


def _even_widths(first: float, others: int) -> list[float]:
    rest = (CONTENT_WIDTH - first) / max(1, others)
    return [first, *([rest] * others)]


def _month_labels(months: Sequence[MonthFigures]) -> list[str]:
    """ "Sep", "Oct"...; the year is added where a calendar year begins or the list starts."""
    labels = []
    for i, m in enumerate(months):
        first = i == 0 or m.month.month == 1
        labels.append(f"{m.month:%b}" + (f" {m.month:%y}" if first else ""))
    return labels


def _day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _duration_line(summary: DurationSummary) -> str:
    if not summary.count:
        return NONE_RECORDED
    return (
        f"median {format_duration(summary.median)}, longest {format_duration(summary.longest)} "
        f"({summary.count} measured)"
    )


def _roles(roles: Sequence[Any]) -> str:
    return ", ".join(role.label for role in roles) or "No role (check the settings)"


def _weekdays(days: Sequence[int]) -> str:
    names = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
    if tuple(days) == (0, 1, 2, 3, 4):
        return "Monday to Friday"
    return ", ".join(names[d] for d in sorted(days))
