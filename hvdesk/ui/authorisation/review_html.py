"""The request as one readable page (HTML for a QTextBrowser): the request, the visitors with
their DBS and training, the risk rows, earlier decisions and amendments.

Kept apart from the dialog so the text is tested without a window. Everything typed by people
is escaped; times are shown in school time.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from html import escape

from hvdesk.clock import format_school_time
from hvdesk.domain.risk import BandThresholds, RiskBand
from hvdesk.domain.risk_matrix import HazardRow, heat_map
from hvdesk.services.authorisation_review import RequestReview

WHEN = "%a %d %b %Y %H:%M"
BAND_COLOURS = {RiskBand.LOW: "#d9f2d9", RiskBand.MEDIUM: "#fff0b3", RiskBand.HIGH: "#f7c6c2"}
MUTED = "#5c6670"


def when(instant: datetime | None) -> str:
    return format_school_time(instant, WHEN)


def review_html(review: RequestReview, *, with_heat_map: bool = True) -> str:
    """The whole request; `with_heat_map` adds the 5×5 grids (when no heat-map widget)."""
    parts = [
        _section("The visit", _request_rows(review)),
        _visitors(review),
        _risk(review, with_heat_map=with_heat_map),
        _decisions(review),
        _amendments(review),
    ]
    return "".join(parts)


def _section(title: str, rows: Iterable[tuple[str, str]]) -> str:
    body = "".join(
        f'<tr><th align="left" valign="top" width="30%">{escape(label)}</th><td>{value}</td></tr>'
        for label, value in rows
    )
    return (
        f"<h3>{escape(title)}</h3>"
        f'<table cellspacing="0" cellpadding="4" width="100%">{body}</table>'
    )


def _text(value: str, empty: str = "Not given") -> str:
    return escape(value) if value else f'<span style="color:{MUTED}">{escape(empty)}</span>'


def _request_rows(review: RequestReview) -> list[tuple[str, str]]:
    start = format_school_time(review.planned_start, WHEN)
    end = format_school_time(review.planned_end, "%H:%M")
    if format_school_time(review.planned_start, "%d%m%Y") != format_school_time(
        review.planned_end, "%d%m%Y"
    ):
        end = format_school_time(review.planned_end, WHEN)
    rows = [
        ("Pupil", _text(review.pupil)),
        ("Address", _text(review.address)),
        ("Area", _text(review.area)),
        ("When", f"<b>{escape(start)} to {escape(end)}</b>"),
        ("Reason", _text(review.reason)),
        ("Purpose", _text(review.purpose)),
        ("Could the parent come in instead?", _text(review.parent_could_come_in)),
        ("Announced", _text(review.announced)),
        ("Doorstep or enter", escape(review.entry_mode.label)),
        (
            "Lone visit",
            f"<b>Yes</b>: {_text(review.lone_justification, 'no justification given')}"
            if review.lone
            else "No, a pair or more",
        ),
        (
            "Out of hours",
            f"<b>Yes</b>: responsible contact {_text(review.responsible_contact, 'not named')}"
            if review.out_of_hours
            else "No, within working hours",
        ),
        ("Social worker", _text(review.social_worker)),
        ("Resources to take", _text(review.resources_to_take, "None listed")),
        ("Vehicle", _text(review.vehicle, "None listed")),
        ("Safe word", _text(review.safe_word, "None agreed yet")),
        ("Requested by", _text(review.requested_by)),
        ("Submitted", _text(when(review.submitted_at), "Not submitted")),
    ]
    return rows


def _ok(ok: bool, text: str) -> str:
    mark = "✔" if ok else "✘ <b>Check</b>:"
    colour = "#1d5b2a" if ok else "#8c1d18"
    return f'<span style="color:{colour}">{mark}</span> {escape(text)}'


def _visitors(review: RequestReview) -> str:
    if not review.visitors:
        return f'<h3>Visitors</h3><p style="color:{MUTED}">No visitors chosen.</p>'
    head = (
        "<tr><th align='left'>Visitor</th><th align='left'>Work mobile</th>"
        "<th align='left'>Safeguarding training</th><th align='left'>DBS check</th></tr>"
    )
    body = "".join(
        f"<tr><td valign='top'><b>{escape(v.name)}</b><br>{escape(v.job_role)}, "
        f"{escape(v.part.lower())}</td><td valign='top'>{escape(v.work_mobile)}</td>"
        f"<td valign='top'>{_ok(v.training_ok, v.training)}</td>"
        f"<td valign='top'>{_ok(v.dbs_ok, v.dbs)}</td></tr>"
        for v in review.visitors
    )
    return (
        f'<h3>Visitors ({len(review.visitors)})</h3><table cellspacing="0" cellpadding="4" '
        f'width="100%" border="1" style="border-color:#c9d1db">{head}{body}</table>'
    )


def _risk(review: RequestReview, *, with_heat_map: bool) -> str:
    if not review.risk_rows or review.bands is None:
        return '<h3>Risk assessment</h3><p style="color:#8c1d18">No risk assessment.</p>'
    bands = review.bands
    summary = (
        escape(review.risk_summary.text)
        if review.risk_summary
        else "The rows are not complete, so there is no summary."
    )
    head = (
        "<tr><th>#</th><th align='left'>Hazard</th><th align='left'>Who is at risk</th>"
        "<th>Before</th><th align='left'>Controls</th><th>After</th></tr>"
    )
    body = "".join(_risk_row(n, row, bands) for n, row in enumerate(review.risk_rows, 1))
    notes = f"<p><b>Notes:</b> {escape(review.risk_notes)}</p>" if review.risk_notes else ""
    grid = heat_map_html(review.risk_rows, bands) if with_heat_map else ""
    return (
        f"<h3>Risk assessment</h3><p><b>{summary}</b> Bands: low up to {bands.low_max}, "
        f"medium up to {bands.medium_max}, high above.</p>"
        f'<table cellspacing="0" cellpadding="4" width="100%" border="1" '
        f'style="border-color:#c9d1db">{head}{body}</table>{notes}{grid}'
    )


def _scored(severity: int, likelihood: int, bands: BandThresholds) -> str:
    score = severity * likelihood
    band = bands.band(score)
    return (
        f'<td align="center" style="background:{BAND_COLOURS[band]}">'
        f"{severity}×{likelihood} = {score}<br>{band.label}</td>"
    )


def _risk_row(number: int, row: HazardRow, bands: BandThresholds) -> str:
    return (
        f"<tr><td align='center'>{number}</td><td>{escape(row.hazard)}</td>"
        f"<td>{escape(row.who_at_risk)}</td>{_scored(row.severity, row.likelihood, bands)}"
        f"<td>{_text(row.controls or '', 'None')}</td>"
        f"{_scored(row.residual_severity, row.residual_likelihood, bands)}</tr>"
    )


def heat_map_html(rows: Sequence[HazardRow], bands: BandThresholds) -> str:
    """Two 5×5 grids (before and after controls): each cell lists the row numbers placed
    there, on the colour of its band (the numbers and the rows table carry the meaning)."""
    grids = []
    for title, residual in (("Before controls", False), ("After controls", True)):
        cells = heat_map(rows, residual=residual)
        lines = []
        for severity in range(5, 0, -1):
            line = [f"<th>S{severity}</th>"]
            for likelihood in range(1, 6):
                band = bands.band(severity * likelihood)
                found = ", ".join(str(n) for n in cells.get((severity, likelihood), []))
                line.append(
                    f'<td align="center" width="34" height="26" '
                    f'style="background:{BAND_COLOURS[band]}"><b>{found}</b></td>'
                )
            lines.append("<tr>" + "".join(line) + "</tr>")
        lines.append("<tr><th></th>" + "".join(f"<th>L{n}</th>" for n in range(1, 6)) + "</tr>")
        grids.append(
            f'<td valign="top"><p><b>{title}</b></p><table cellspacing="1" cellpadding="2">'
            + "".join(lines)
            + "</table></td>"
        )
    return (
        "<p>Heat-map: row numbers placed by severity (S) and likelihood (L).</p>"
        f'<table cellspacing="12"><tr>{"".join(grids)}</tr></table>'
    )


def _decisions(review: RequestReview) -> str:
    if not review.decisions:
        return f'<h3>Earlier decisions</h3><p style="color:{MUTED}">None: a first request.</p>'
    rows = []
    for d in review.decisions:
        void = (
            f"<br><i>Void since {escape(when(d.voided_at))}: {escape(d.void_reason or '')}</i>"
            if d.voided_at
            else ""
        )
        rows.append(
            f"<tr><td valign='top'><b>{escape(d.label)}</b></td>"
            f"<td valign='top'>{escape(d.by)}<br>{escape(when(d.at))}</td>"
            f"<td valign='top'>{_text(d.text, 'No comment')}{void}</td></tr>"
        )
    head = (
        "<tr><th align='left'>Decision</th><th align='left'>Who, when</th>"
        "<th align='left'>Conditions or comment</th></tr>"
    )
    return (
        f'<h3>Earlier decisions</h3><table cellspacing="0" cellpadding="4" width="100%" '
        f'border="1" style="border-color:#c9d1db">{head}{"".join(rows)}</table>'
    )


def _amendments(review: RequestReview) -> str:
    if not review.amendments:
        return f'<h3>Amendments</h3><p style="color:{MUTED}">None since it was signed.</p>'
    head = (
        "<tr><th align='left'>What</th><th align='left'>Original</th><th align='left'>New</th>"
        "<th align='left'>Reason</th><th align='left'>Who, when</th></tr>"
    )
    rows = "".join(
        f"<tr><td valign='top'><b>{escape(a.label)}</b>"
        + ("<br><i>voided the approval</i>" if a.voided_approval else "")
        + f"</td><td valign='top'>{escape(a.before)}</td><td valign='top'>{escape(a.after)}</td>"
        f"<td valign='top'>{escape(a.reason)}</td>"
        f"<td valign='top'>{escape(a.by)}<br>{escape(when(a.at))}</td></tr>"
        for a in review.amendments
    )
    return (
        f'<h3>Amendments</h3><table cellspacing="0" cellpadding="4" width="100%" border="1" '
        f'style="border-color:#c9d1db">{head}{rows}</table>'
    )
