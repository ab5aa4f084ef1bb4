"""The CPOMS summary: one fixed layout, school time, every heading even when empty, and the
same text for the same visit."""

from __future__ import annotations

from datetime import UTC, date, datetime

from hvdesk.domain.cpoms_summary import (
    CpomsFollowUp,
    CpomsVisit,
    CpomsVisitor,
    cpoms_summary,
)

# 14 Oct 2026 is British Summer Time: 09:30 UTC is 10:30 in London.
VISIT = CpomsVisit(
    visit_id=412,
    planned_start=datetime(2026, 10, 14, 9, 30, tzinfo=UTC),
    planned_end=datetime(2026, 10, 14, 10, 15, tzinfo=UTC),
    pupil="Amelia Hughes (Year 5)",
    address="1 Mill Lane, Leeds, LS1 1AA",
    area="Holbeck",
    visitors=(
        CpomsVisitor("Dawn Ellis", "Attendance officer", lead=True),
        CpomsVisitor("Eve Moss", "Teacher"),
    ),
    reason="Welfare check after absence",
    purpose="Third day absent, no contact from home.",
    child_seen=True,
    spoken_to="Joanne Hughes (mother) and Amelia",
    observations="Amelia came to the door dressed.\nKitchen had little food.",
    opinions="Mum seemed tired and keen to engage.",
    concerns_raised=None,
    outcome="Agreed Amelia returns tomorrow.",
    action_required="Check the register tomorrow.",
    arrived_at=datetime(2026, 10, 14, 9, 33, 12, tzinfo=UTC),
    left_at=datetime(2026, 10, 14, 10, 5, tzinfo=UTC),
    follow_ups=(
        CpomsFollowUp("Check the register.", "Dawn Ellis", date(2026, 10, 15)),
        CpomsFollowUp(
            "Food bank voucher.", "Sam Patel", date(2026, 10, 16), done_on=date(2026, 10, 15)
        ),
    ),
    authorised_by="Sarah Whitfield",
    authorised_role="Designated Safeguarding Lead",
    authorised_at=datetime(2026, 10, 13, 15, 2, tzinfo=UTC),
    written_by="Dawn Ellis",
    written_at=datetime(2026, 10, 14, 11, 40, tzinfo=UTC),
)

EXPECTED = """\
HOME VISIT RECORD - hvdesk visit 412
============================================================
Date and time:    Wed 14 Oct 2026, 10:30 to 11:15 (planned)
Actual times:     Arrived 10:33, left 11:05
Pupil:            Amelia Hughes (Year 5)
Address visited:  1 Mill Lane, Leeds, LS1 1AA
Area:             Holbeck
Visitors:         Dawn Ellis (Attendance officer, lead visitor); Eve Moss (Teacher)
Reason:           Welfare check after absence
Purpose:          Third day absent, no contact from home.

CHILD SEEN
Yes

SPOKEN TO
Joanne Hughes (mother) and Amelia

OBSERVATIONS (FACTS: WHAT WAS SEEN AND HEARD)
Amelia came to the door dressed.
Kitchen had little food.

OPINIONS (PROFESSIONAL VIEW)
Mum seemed tired and keen to engage.

CONCERNS RAISED WITH THE DSL
None recorded.

OUTCOME
Agreed Amelia returns tomorrow.

ACTIONS (OWNER AND DUE DATE)
Action required: Check the register tomorrow.
1. Check the register. (Owner: Dawn Ellis. Due: 15 Oct 2026.)
2. Food bank voucher. (Owner: Sam Patel. Due: 16 Oct 2026.) Done 15 Oct 2026.

AUTHORISATION
Approved by Sarah Whitfield (Designated Safeguarding Lead) on 13 Oct 2026 at 16:02.

RECORD
Written by Dawn Ellis on 14 Oct 2026 at 12:40.

============================================================
Times are UK time (Europe/London). From hvdesk, the home-visit desk.
"""


def test_the_summary_has_the_fixed_layout_exactly() -> None:
    assert cpoms_summary(VISIT) == EXPECTED


def test_the_same_visit_always_gives_the_same_text() -> None:
    assert cpoms_summary(VISIT) == cpoms_summary(VISIT)


def test_winter_times_are_greenwich_and_empty_sections_say_so() -> None:
    from dataclasses import replace

    winter = replace(
        VISIT,
        planned_start=datetime(2026, 11, 23, 23, 30, tzinfo=UTC),
        planned_end=datetime(2026, 11, 24, 0, 30, tzinfo=UTC),
        arrived_at=None,
        left_at=None,
        child_seen=False,
        opinions=None,
        action_required=None,
        follow_ups=(),
        authorised_by=None,
        authorised_role=None,
        authorised_at=None,
        retrospective=True,
        cancelled="Parent not present after the wait limit",
    )
    text = cpoms_summary(winter)
    lines = text.splitlines()
    assert "Date and time:    Mon 23 Nov 2026 23:30 to Tue 24 Nov 2026 00:30 (planned)" in lines
    assert "Cancelled:        Parent not present after the wait limit" in lines
    assert not any(line.startswith("Actual times") for line in lines)
    assert lines[lines.index("CHILD SEEN") + 1] == "No"
    assert lines[lines.index("OPINIONS (PROFESSIONAL VIEW)") + 1] == "None recorded."
    assert lines[lines.index("ACTIONS (OWNER AND DUE DATE)") + 1] == "None recorded."
    assert (
        lines[lines.index("AUTHORISATION") + 1]
        == "Urgent departure: no approval recorded yet (retrospective approval needed)."
    )
    headings = [line for line in lines if line.isupper() and not line.startswith("=")]
    assert headings == [
        "CHILD SEEN",
        "SPOKEN TO",
        "OBSERVATIONS (FACTS: WHAT WAS SEEN AND HEARD)",
        "OPINIONS (PROFESSIONAL VIEW)",
        "CONCERNS RAISED WITH THE DSL",
        "OUTCOME",
        "ACTIONS (OWNER AND DUE DATE)",
        "AUTHORISATION",
        "RECORD",
    ]
