"""The annual pack's page on the rules of conduct in the home (issue 18): how often each rule
applied and could not be kept, for the policy's yearly review (seed 003: incidents and staff
feedback inform the review)."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable

from hvdesk.domain.conduct import ConductFigures
from hvdesk.reports.layout import CONTENT_WIDTH, long_table, para, section, styles

__all__ = ["conduct_section"]


def conduct_section(figures: ConductFigures | None) -> list[Flowable]:
    """The section: a sentence of totals, then one row per rule, most often not kept first."""
    st = styles()
    head: list[Flowable] = [CondPageBreak(60 * mm), section("In the home: the rules of conduct")]
    if figures is None or figures.records_answered == 0:
        return [*head, para("No visit record this year answered the rules of conduct.", st.body)]
    totals = (
        f"{figures.records_answered} visit records answered the rules of conduct; a rule could "
        f"not be kept {figures.not_kept} times. A child was found alone on "
        f"{figures.children_found_alone} visits. Calls during visits: {figures.child_alone_calls} "
        f"reporting a child found alone, {figures.no_adult_calls} reporting no appropriate adult "
        "for tutoring. Drills are not counted."
    )
    rows = [
        [
            para(rule.wording, st.cell),
            para(rule.group.label, st.cell),
            str(rule.applied),
            str(rule.not_kept),
        ]
        for rule in figures.rules
    ]
    table = long_table(
        ["Rule", "Visits", "Applied", "Not kept"],
        rows,
        [CONTENT_WIDTH - 76 * mm, 36 * mm, 20 * mm, 20 * mm],
    )
    return [*head, para(totals, st.body), table]
