"""The visit request's validation and the risk matrix: pure rules, no database."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from hvdesk.domain.households import RiskKind
from hvdesk.domain.incidents import IncidentKind
from hvdesk.domain.people import DbsLevel
from hvdesk.domain.policy import SchoolPolicy, SettingError
from hvdesk.domain.risk import BandThresholds, RiskBand
from hvdesk.domain.risk_matrix import (
    HazardRow,
    IncidentFact,
    KnownRiskFact,
    RowSource,
    changes_since,
    heat_map,
    row_problems,
    rows_for_changes,
    standard_rows,
    starting_rows,
    summarise,
)
from hvdesk.domain.visit_request import (
    Booking,
    ProblemSeverity,
    VisitorFacts,
    VisitRequestDraft,
    blockers,
    check,
    is_out_of_hours,
    normalise_uk_phone,
)
from hvdesk.domain.visits import VisitReason, VisitStatus

NOW = datetime(2026, 11, 23, 10, 30, tzinfo=UTC)  # a Monday, GMT
START = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
POLICY = SchoolPolicy()


def facts(staff_id: int, **changes: object) -> VisitorFacts:
    base = VisitorFacts(
        staff_id=staff_id,
        name=f"Staff {staff_id}",
        work_mobile="07700 900123",
        emergency_contact_phone="+44 (0)1632 960123",
        safeguarding_trained_on=date(2026, 1, 10),
        dbs_level=DbsLevel.ENHANCED_BARRED,
        dbs_checked_on=date(2025, 3, 1),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def good_draft(**changes: object) -> VisitRequestDraft:
    draft = VisitRequestDraft(
        household_id=1,
        planned_start=START,
        planned_end=START + timedelta(hours=1),
        reason=VisitReason.WELFARE_CHECK,
        purpose="Check on the pupil after three days' absence.",
        parent_could_come_in=False,
        visitor_staff_ids=(1, 2),
        safe_word="bluebell",
    )
    return replace(draft, **changes)  # type: ignore[arg-type]


def run(draft: VisitRequestDraft, *visitors: VisitorFacts) -> list[str]:
    found = {v.staff_id: v for v in (visitors or (facts(1), facts(2)))}
    return [p.message for p in check(draft, found, POLICY, NOW)]


def test_a_complete_pair_request_has_no_problems() -> None:
    assert check(good_draft(), {1: facts(1), 2: facts(2)}, POLICY, NOW) == []


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"planned_end": START - timedelta(minutes=5)}, "planned_end", "must end after it starts"),
        ({"planned_start": NOW - timedelta(hours=1)}, "planned_start", "has passed"),
        ({"announced": False}, "unannounced_reason", "unannounced visit needs a reason"),
        ({"reason": VisitReason.OTHER}, "reason_other", '"Other"'),
        ({"parent_could_come_in": None}, "parent_could_come_in", "Could the parent come in"),
        ({"purpose": "  "}, "purpose", "what the visit is for"),
        ({"visitor_staff_ids": ()}, "visitors", "choose who is going"),
        ({"visitor_staff_ids": (1, 1)}, "visitors", "listed twice"),
        ({"joint_visit": True}, "social_worker_id", "social worker"),
    ],
)
def test_each_rule_names_the_field_and_what_to_do(
    changes: dict[str, object], field: str, words: str
) -> None:
    problems = check(good_draft(**changes), {1: facts(1), 2: facts(2)}, POLICY, NOW)
    hits = [p for p in problems if p.field == field and words in p.message]
    assert hits, problems
    assert all(p.blocks for p in hits)


def test_a_lone_visit_needs_a_justification_when_pairs_are_the_default() -> None:
    lone = good_draft(visitor_staff_ids=(1,))
    assert any("lone" in m for m in run(lone, facts(1)))
    assert run(replace(lone, lone_visit_justification="Pupil knows only her."), facts(1)) == []
    relaxed = POLICY.with_changes(pairs_by_default=False)
    assert check(lone, {1: facts(1)}, relaxed, NOW) == []


def test_no_trained_visitor_is_a_warning_not_a_blocker() -> None:
    untrained = [facts(1, safeguarding_trained_on=None), facts(2, safeguarding_trained_on=None)]
    problems = check(good_draft(), {v.staff_id: v for v in untrained}, POLICY, NOW)
    assert [p.severity for p in problems] == [ProblemSeverity.WARNING]
    assert "safeguarding training" in problems[0].message
    assert blockers(problems) == []


def test_missing_safe_word_is_a_warning() -> None:
    problems = check(good_draft(safe_word=None), {1: facts(1), 2: facts(2)}, POLICY, NOW)
    assert [(p.field, p.blocks) for p in problems] == [("safe_word", False)]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("07700 900123", "07700900123"),
        ("07700900123", "07700900123"),
        ("+44 7700 900123", "07700900123"),
        ("+44 (0)7700 900 123", "07700900123"),
        ("0044 20 7946 0000", "02079460000"),
        ("01632 960123", "01632960123"),
        ("0161 496 0000", "01614960000"),
        ("020 7946 0000", "02079460000"),
        ("0300 123 4567", "03001234567"),
        ("0800 123 4567", "08001234567"),  # freephone: an office line a family may give
        ("07700 90012", None),
        ("077009001234", None),
        ("phone me", None),
        ("", None),
        (None, None),
        ("+1 212 555 0123", "+12125550123"),  # abroad: kept with its country code
        ("+48 601 234 567", "+48601234567"),
    ],
)
def test_uk_phone_numbers(typed: str | None, expected: str | None) -> None:
    assert normalise_uk_phone(typed) == expected


def test_visitors_need_a_valid_work_mobile_and_emergency_contact_phone() -> None:
    messages = run(
        good_draft(),
        facts(1, work_mobile=None),
        facts(2, emergency_contact_phone="12345"),
    )
    assert any(m.startswith("Staff 1: work mobile") for m in messages)
    assert any(m.startswith("Staff 2: emergency contact's phone") for m in messages)


def test_out_of_date_dbs_and_training_block_on_the_day_of_the_visit() -> None:
    old_dbs = facts(1, dbs_checked_on=date(2023, 11, 23))  # 3 years old the day before
    old_training = facts(2, safeguarding_trained_on=date(2024, 11, 1))
    messages = run(good_draft(), old_dbs, old_training)
    assert any("Staff 1: DBS check of 23 Nov 2023 is older than 3 years" in m for m in messages)
    assert any(
        "Staff 2: safeguarding training of 01 Nov 2024 is older than 2" in m for m in messages
    )
    looser = POLICY.with_changes(dbs_valid_years=5, safeguarding_training_valid_years=3)
    assert check(good_draft(), {1: old_dbs, 2: old_training}, looser, NOW) == []


def test_no_dbs_check_blocks() -> None:
    messages = run(good_draft(), facts(1, dbs_level=DbsLevel.NONE), facts(2))
    assert any("no DBS check" in m for m in messages)


def test_policy_years_are_validated_and_round_trip() -> None:
    with pytest.raises(SettingError, match="years"):
        SchoolPolicy(dbs_valid_years=0)
    changed = SchoolPolicy(dbs_valid_years=4, safeguarding_training_valid_years=1)
    assert SchoolPolicy.from_settings(changed.to_settings()) == changed


def test_a_visitor_booked_or_out_at_that_time_blocks() -> None:
    clash = Booking(
        7, START + timedelta(minutes=30), START + timedelta(hours=2), VisitStatus.AUTHORISED
    )
    later = Booking(
        8, START + timedelta(hours=1), START + timedelta(hours=2), VisitStatus.AUTHORISED
    )
    draft_ = Booking(9, START, START + timedelta(hours=1), VisitStatus.DRAFT)
    messages = run(good_draft(), facts(1, bookings=(clash, later, draft_)), facts(2))
    assert messages == [
        "Staff 1 is already booked on visit 7 at that time; choose another time or another visitor."
    ]
    # Out on a visit whose planned end has passed: overdue, so missing, and not bookable for
    # any time later today (another day's visit is held back by the sign-out check instead).
    out = Booking(10, NOW - timedelta(hours=2), NOW - timedelta(hours=1), VisitStatus.OUT)
    soon = good_draft(
        planned_start=NOW + timedelta(minutes=5), planned_end=NOW + timedelta(hours=1)
    )
    later_today = good_draft(
        planned_start=NOW + timedelta(hours=3), planned_end=NOW + timedelta(hours=4)
    )
    overdue = "Staff 2 is overdue back from visit 10: they cannot be booked on another visit"
    for draft in (soon, later_today):
        assert any(overdue in m for m in run(draft, facts(1), facts(2, bookings=(out,))))
    tomorrow = good_draft(
        planned_start=NOW + timedelta(days=1), planned_end=NOW + timedelta(days=1, hours=1)
    )
    assert run(tomorrow, facts(1), facts(2, bookings=(out,))) == []
    # Out and not yet due back: busy until their planned end (and the home-safe grace).
    still_out = Booking(11, NOW - timedelta(hours=1), NOW + timedelta(hours=1), VisitStatus.OUT)
    assert any(
        "is out on visit 11" in m for m in run(soon, facts(1), facts(2, bookings=(still_out,)))
    )
    # Its own booking is not a clash.
    own = Booking(3, START, START + timedelta(hours=1), VisitStatus.AWAITING_AUTHORISATION)
    found = {1: facts(1, bookings=(own,)), 2: facts(2)}
    assert check(good_draft(), found, POLICY, NOW, visit_id=3) == []


def test_out_of_hours_is_in_london_time_and_needs_a_responsible_contact() -> None:
    summer_evening = datetime(2027, 6, 8, 16, 30, tzinfo=UTC)  # 17:30 BST
    assert not is_out_of_hours(summer_evening, summer_evening + timedelta(minutes=30), POLICY)
    assert is_out_of_hours(summer_evening, summer_evening + timedelta(minutes=31), POLICY)
    saturday = datetime(2026, 11, 28, 11, 0, tzinfo=UTC)
    assert is_out_of_hours(saturday, saturday + timedelta(hours=1), POLICY)
    evening = good_draft(planned_start=START.replace(hour=18), planned_end=START.replace(hour=19))
    fields = {p.field for p in check(evening, {1: facts(1), 2: facts(2)}, POLICY, NOW)}
    assert fields == {"responsible_contact_name", "responsible_contact_phone"}
    named = replace(
        evening, responsible_contact_name="Sarah Whitfield", responsible_contact_phone="nope"
    )
    assert [p.field for p in check(named, {1: facts(1), 2: facts(2)}, POLICY, NOW)] == [
        "responsible_contact_phone"
    ]
    ok = replace(named, responsible_contact_phone="07700 900999")
    assert check(ok, {1: facts(1), 2: facts(2)}, POLICY, NOW) == []


# --- the risk matrix -------------------------------------------------------------------------


def risk(id_: int, kind: RiskKind, days_ago: int, ended: int | None = None) -> KnownRiskFact:
    return KnownRiskFact(
        id_,
        kind,
        f"risk {id_}",
        NOW - timedelta(days=days_ago),
        None if ended is None else NOW - timedelta(days=ended),
    )


def test_starting_rows_standard_then_operational_risks_then_incidents() -> None:
    risks = [
        risk(1, RiskKind.DOG, 50),
        risk(2, RiskKind.SAFEGUARDING_HISTORY, 40),  # need-to-know: never a row
        risk(3, RiskKind.AGGRESSION, 30, ended=5),  # ended: not a row
        risk(4, RiskKind.AGGRESSION, 20),
    ]
    incidents = [IncidentFact(9, IncidentKind.THREAT, datetime(2026, 3, 12, 11, tzinfo=UTC))]
    rows = starting_rows(risks, incidents)
    assert [r.source for r in rows] == [RowSource.STANDARD] * 5 + [
        RowSource.KNOWN_RISK,
        RowSource.KNOWN_RISK,
        RowSource.INCIDENT,
    ]
    assert [r.known_risk_id for r in rows[5:7]] == [1, 4]
    assert rows[7].hazard == "Earlier incident at this address: Threat (12 Mar 2026)"
    assert row_problems(rows) == []
    assert rows[:5] == standard_rows()


def test_residual_cannot_exceed_the_original_and_lowering_needs_controls() -> None:
    row = HazardRow("Dog", "Visiting staff", 3, 2, None, 3, 3)
    assert "cannot be higher than before" in row_problems([row])[0]
    lowered = replace(row, residual_likelihood=1)
    assert "which controls" in row_problems([lowered])[0]
    assert row_problems([replace(lowered, controls="Dog shut away")]) == []
    assert "1 to 5" in row_problems([replace(row, severity=6)])[0]
    assert "who is at risk" in row_problems([replace(row, who_at_risk=" ")])[0]
    assert row_problems([]) != []


def test_summary_uses_the_stored_bands() -> None:
    rows = [
        HazardRow("A", "staff", 5, 3, "x", 5, 3),
        HazardRow("B", "staff", 2, 2, None, 2, 2),
    ]
    summary = summarise(rows, BandThresholds())
    assert (summary.highest_residual_score, summary.highest_residual_band) == (15, RiskBand.HIGH)
    assert summary.residual_bands == {RiskBand.HIGH: 1, RiskBand.LOW: 1}
    assert summarise(rows, BandThresholds(low_max=4, medium_max=15)).highest_residual_band is (
        RiskBand.MEDIUM
    )
    assert "High (15)" in summary.text
    assert heat_map(rows, residual=False) == {(5, 3): [1], (2, 2): [2]}


def test_changes_since_the_last_assessment() -> None:
    last_at = NOW - timedelta(days=10)
    risks = [
        risk(1, RiskKind.DOG, 50),
        risk(3, RiskKind.AGGRESSION, 30, ended=5),
        risk(4, RiskKind.DO_NOT_ENTER_ALONE, 2),
        risk(5, RiskKind.SAFEGUARDING_HISTORY, 1),
    ]
    # Then: a dog, and an aggressive adult whose risk has ended since.
    previous = starting_rows([risks[0], replace(risks[1], ended_at=None)], [])
    incidents = [
        IncidentFact(8, IncidentKind.ANIMAL, NOW - timedelta(days=20)),
        IncidentFact(9, IncidentKind.THREAT, NOW - timedelta(days=3)),
    ]
    changes = changes_since(last_at, previous, risks, incidents)
    assert [r.id for r in changes.new_known_risks] == [4]
    assert [r.id for r in changes.ended_known_risks] == [3]
    assert [i.id for i in changes.new_incidents] == [9]
    assert changes.any
    rows = rows_for_changes(previous, changes)
    assert [r.known_risk_id for r in rows if r.known_risk_id] == [1, 4]
    assert rows[-1].source == RowSource.INCIDENT
    assert not changes_since(NOW, rows, risks[:1], incidents[:1]).any


def test_a_visitors_work_mobile_must_reach_a_mobile_even_from_abroad() -> None:
    """Issue 17: the office rings the work mobile; a landline or a UK 070 personal number
    (which forwards anywhere) is refused, a colleague's mobile from abroad is not."""
    for number in ("0113 496 0123", "070 1234 5678"):
        messages = run(good_draft(), facts(1, work_mobile=number), facts(2))
        assert any(
            m.startswith("Staff 1: work mobile is missing or not a mobile") for m in messages
        )
    assert run(good_draft(), facts(1, work_mobile="+48 601 234 567"), facts(2)) == []
    abroad = facts(2, emergency_contact_phone="+353 1 234 5678")
    assert run(good_draft(), facts(1), abroad) == []
