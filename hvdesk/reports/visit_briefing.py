"""The visitors' briefing (issue 18), printed on its own page after the Home Visit Form.

The form's top copy is left at the home; the briefing is not: it carries the rules of conduct
that apply to this visit, who holds parental responsibility for the pupil (and who does not),
the instruction for a child found alone, and, for tutoring, the pupil's SEND, medical and
behaviour needs, which the service puts on the visitors' own copy only.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Table

from hvdesk.reports.fonts import markup
from hvdesk.reports.layout import (
    CONTENT_WIDTH,
    INK,
    LABEL_BG,
    field_table,
    keep,
    long_table,
    section,
    spacer,
    styles,
    table_style,
)
from hvdesk.reports.models import BriefingData

__all__ = ["BRIEFING_TITLE", "KEEP_NOTICE", "briefing_story", "conduct_answers_table"]

BRIEFING_TITLE = "Visitors' briefing"
KEEP_NOTICE = "For the visiting staff: keep this page. Do not leave it at the home."


def briefing_story(visit_id: int, briefing: BriefingData) -> list[Flowable]:
    """The briefing page: notice, rules by group, parental responsibility, needs."""
    st = styles()
    story: list[Flowable] = [
        Paragraph(markup(BRIEFING_TITLE), st.title),
        Paragraph(markup(f"Visit {visit_id} · read before you go"), st.subtitle),
        spacer(1),
        _boxed(KEEP_NOTICE, bold=True),
        spacer(3),
    ]
    story.append(section("Who you may speak to about the child"))
    holders = "\n".join(briefing.with_parental_responsibility) or "Nobody is recorded."
    others = "\n".join(briefing.without_parental_responsibility) or "Nobody else is recorded."
    story.append(
        field_table(
            [
                ("Holds parental responsibility", holders),
                ("Does not (do not discuss the child)", others),
            ]
        )
    )
    story.append(spacer(3))
    story.append(section("The rules of conduct for this visit"))
    for label, rules in briefing.groups:
        rows = [[Paragraph("☐", st.cell), Paragraph(markup(rule), st.cell)] for rule in rules]
        table = Table(rows, colWidths=[7 * mm, CONTENT_WIDTH - 7 * mm], hAlign="LEFT")
        table.setStyle(
            table_style(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
                    ("LEFTPADDING", (0, 0), (-1, -1), 2),
                ]
            )
        )
        story.append(keep(Paragraph(markup(label), st.label), table))
        story.append(spacer(1.5))
    story.append(spacer(1.5))
    story.append(
        _boxed(f"A child found alone: {briefing.child_alone_instruction} Phone the office.")
    )
    if briefing.two_staff:
        story.append(spacer(2))
        story.append(
            Paragraph(
                markup(f"Could sending two staff escalate the difficulties? {briefing.two_staff}"),
                st.body,
            )
        )
    if briefing.needs is not None or briefing.needs_withheld is not None:
        story.append(spacer(3))
        story.append(section("The pupil's needs (need-to-know: the visitors only)"))
        if briefing.needs is not None:
            story.append(
                field_table([(label, text or "None recorded.") for label, text in briefing.needs])
            )
        else:
            story.append(Paragraph(markup(briefing.needs_withheld or ""), st.muted))
    return story


def _boxed(text: str, *, bold: bool = False) -> Table:
    st = styles()
    style = st.notice if bold else st.body
    box = Table([[Paragraph(markup(text), style)]], colWidths=[CONTENT_WIDTH], hAlign="LEFT")
    box.setStyle(
        table_style(
            [
                ("BOX", (0, 0), (-1, -1), 1.2, INK),
                ("BACKGROUND", (0, 0), (-1, -1), LABEL_BG),
                ("TOPPADDING", (0, 0), (-1, -1), 5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ]
        )
    )
    return box


def conduct_answers_table(lines: tuple[tuple[str, str], ...]) -> Flowable:
    """The record's answers (question or rule, answer): the rule's words get the width."""
    st = styles()
    rows = [
        [
            Paragraph(markup(question), st.cell),
            Paragraph(markup(answer), st.cell_bold if answer.startswith("NOT KEPT") else st.cell),
        ]
        for question, answer in lines
    ]
    return long_table(
        ["Question or rule", "Answer"], rows, [CONTENT_WIDTH * 0.6, CONTENT_WIDTH * 0.4]
    )
