"""The authorisation certificate: who approved what, when, on what conditions, and the hash
that pins exactly what was approved. With no approval in force it says so plainly."""

from __future__ import annotations

from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Table

from hvdesk.domain.visits import AuthorisationDecision
from hvdesk.reports.fonts import markup
from hvdesk.reports.layout import (
    CONTENT_WIDTH,
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
from hvdesk.reports.models import AuthorisationData, Decision, DocumentContext
from hvdesk.reports.visit_forms import reason_text

__all__ = ["authorisation_certificate", "hash_groups"]

TITLE = "Authorisation certificate"
APPROVED_INK = colors.HexColor("#1E6B2E")
APPROVED_BG = colors.HexColor("#EAF5E8")
REFUSED_INK = colors.HexColor("#A4161A")
REFUSED_BG = colors.HexColor("#FBEAE8")


def hash_groups(value: str) -> str:
    """A SHA-256 in groups of eight, so it can be read aloud and compared by eye."""
    return " ".join(value[i : i + 8] for i in range(0, len(value), 8))


def authorisation_certificate(context: DocumentContext, data: AuthorisationData) -> bytes:
    """The certificate of one visit's authorisation."""
    st = styles()
    approval = data.approval
    story: list[Flowable] = [
        Paragraph(TITLE, st.title),
        Paragraph(markup(f"Visit {data.visit_id} · {data.status}"), st.subtitle),
        spacer(2),
        _verdict(approval, data),
        section("What was authorised" if approval is not None else "The visit as planned"),
        field_table(_plan_rows(data), label_width=46 * mm),
    ]
    if approval is not None:
        story.append(
            keep(
                section("Conditions"),
                para(approval.conditions or "No conditions were set.", st.body),
                section("Approval hash (SHA-256)"),
                Paragraph(
                    f'<font size="11"><b>{hash_groups(approval.approved_hash)}</b></font>'
                    if approval.approved_hash
                    else "No hash was recorded with this approval.",
                    st.body,
                ),
                spacer(1),
                Paragraph(
                    "The hash pins exactly what was approved: if the visit's plan is changed, "
                    "the approval no longer matches and the visit must be authorised again.",
                    st.muted,
                ),
            )
        )
    story.append(section("Decisions on this visit"))
    if data.decisions:
        story.append(_decision_table(data.decisions))
    else:
        story.append(Paragraph("No decision has been recorded on this visit.", st.body))
    story.append(
        keep(
            section("Signed"),
            signature_block(
                [[("Safeguarding Lead", None, 0.45), ("Signed", None, 0.35), ("Date", None, 0.2)]]
            ),
        )
    )
    return build_pdf(context, TITLE, story)


def _verdict(approval: Decision | None, data: AuthorisationData) -> Table:
    """The answer first, in words: authorised by whom and when, or not authorised."""
    st = styles()
    if approval is not None:
        heading = "AUTHORISED"
        text = (
            f"Approved by {approval.decided_by} ({approval.decided_by_role}) on "
            f"{when(approval.decided_at, '%A %d %B %Y at %H:%M')}."
        )
        ink, background = APPROVED_INK, APPROVED_BG
    else:
        heading = "NOT AUTHORISED"
        refused = [d for d in data.decisions if d.decision is AuthorisationDecision.REFUSED]
        voided = [d for d in data.decisions if d.voided_at is not None]
        if refused:
            text = "This visit was refused. There is no approval in force."
        elif voided:
            text = "The approval of this visit was withdrawn. There is no approval in force."
        else:
            text = (
                "There is no approval for this visit. It must not go ahead until it is authorised."
            )
        ink, background = REFUSED_INK, REFUSED_BG
    box = Table(
        [
            [Paragraph(f'<font size="15" color="{ink.hexval()}"><b>{heading}</b></font>', st.body)],
            [para(text, st.body)],
        ],
        colWidths=[CONTENT_WIDTH],
        hAlign="LEFT",
    )
    box.setStyle(
        table_style(
            [
                ("BOX", (0, 0), (-1, -1), 1.4, ink),
                ("BACKGROUND", (0, 0), (-1, -1), background),
                ("LEFTPADDING", (0, 0), (-1, -1), 8),
                ("TOPPADDING", (0, 0), (0, 0), 7),
                ("BOTTOMPADDING", (0, -1), (-1, -1), 8),
            ]
        )
    )
    return box


def _plan_rows(data: AuthorisationData) -> list[tuple[str, str | None]]:
    staff = "\n".join(
        f"{s.name}, {s.job_role}" + (f" ({s.role_on_visit.lower()})" if s.role_on_visit else "")
        for s in data.staff
    )
    rows: list[tuple[str, str | None]] = [
        ("Staff", staff or "None named"),
        ("Pupil", data.pupil or "Not named"),
        ("Address", data.address),
        ("Reason", reason_text(data.reason, data.purpose)),
        ("Date and time", f"{when(data.planned_start)} to {when(data.planned_end, '%H:%M')}"),
        (
            "Pair or lone",
            "Pair visit"
            if len(data.staff) > 1
            else "Lone visit"
            + (f": {data.lone_visit_justification}" if data.lone_visit_justification else ""),
        ),
        ("Entry", data.entry_mode),
        (
            "Parents told",
            "Yes (announced)"
            if data.announced
            else "No (unannounced)"
            + (f": {data.unannounced_reason}" if data.unannounced_reason else ""),
        ),
    ]
    if data.out_of_hours:
        rows.append(
            (
                "Out of hours",
                "Yes"
                + (
                    f"; responsible contact {data.responsible_contact}"
                    if data.responsible_contact
                    else ""
                ),
            )
        )
    if data.joint_visit_with:
        rows.append(("Joint visit with", data.joint_visit_with))
    if data.urgent_unplanned:
        rows.append(("Urgent", "Urgent unplanned visit: authorisation may follow departure"))
    return rows


def _decision_table(decisions: tuple[Decision, ...]) -> Table:
    st = styles()
    rows: list[list[Any]] = []
    for d in decisions:
        details = [
            text for text in (d.conditions and f"Conditions: {d.conditions}", d.comment) if text
        ]
        if d.voided_at is not None:
            details.append(
                f"Withdrawn {when(d.voided_at, '%d %b %Y %H:%M')}"
                + (f": {d.void_reason}" if d.void_reason else "")
            )
        elif d.in_force:
            details.append("In force")
        rows.append(
            [
                para(when(d.decided_at, "%d %b %Y\n%H:%M"), st.cell),
                para(d.decision.label, st.cell_bold),
                para(f"{d.decided_by}\n{d.decided_by_role}", st.cell),
                para("\n".join(details) or "", st.cell),
            ]
        )
    return long_table(
        ["When", "Decision", "By", "Conditions, comments, status"],
        rows,
        [26 * mm, 34 * mm, 52 * mm, CONTENT_WIDTH - 112 * mm],
    )
