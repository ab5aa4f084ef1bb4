"""The rules of conduct in the home (issue 18) as pure rules: which apply to which visit, what
the record's answers mean, and the settings they come from (worded as the seeds word them)."""

from __future__ import annotations

import pytest

from hvdesk.domain.conduct import (
    AdultOnRecord,
    ConductAnswers,
    ConductGroup,
    ConductRule,
    HowAnswered,
    RuleAnswer,
    answer_problems,
    groups_for_plan,
    groups_for_record,
    outcomes,
    review_reasons,
    rules_for,
    school_rules,
    spoken_to_text,
    spoken_to_warnings,
)
from hvdesk.domain.policy import SchoolPolicy, SettingError
from hvdesk.domain.visits import EntryMode, VisitReason

POLICY = SchoolPolicy()
RULES = school_rules(POLICY)
MUM = AdultOnRecord(1, "Joanne Hughes", "Mother", True)
LODGER = AdultOnRecord(2, "Gary Stone", "lives at the address", False)
ADULTS = {1: MUM, 2: LODGER}


def _codes(reason: VisitReason, mode: EntryMode) -> set[str]:
    return {r.code for r in rules_for(RULES, groups_for_plan(reason, mode))}


EVERY = {"official_id", "parental_responsibility", "child_found_alone", "siblings"}
EVERY |= {"leave_if_unsafe"}
ENTERING = {"invited_in_by_adult", "shared_areas"}
TUTORING = {
    "tutoring_appropriate_adult",
    "tutoring_not_in_bedroom",
    "tutoring_door_open",
    "tutoring_siblings",
    "tutoring_schedule_changes",
}


def test_the_defaults_are_the_seeds_wording() -> None:
    wording = {r.code: r.wording for r in RULES}
    assert wording["parental_responsibility"] == (
        "Only speak to adults with parental responsibility about the child."
    )
    assert "not entering the premises" not in wording["child_found_alone"]  # reworded as a rule
    assert wording["child_found_alone"].startswith(
        "If a child is found alone, do not enter the premises unless it is necessary to "
        "safeguard the child in an emergency"
    )
    assert (
        "only when visiting in pairs and with the permission of the child"
        in wording["shared_areas"]
    )
    assert wording["tutoring_not_in_bedroom"] == "Tutoring is not delivered in the pupil's bedroom."
    assert wording["tutoring_door_open"] == (
        "The door of the room where tutoring is delivered is always kept open."
    )
    assert "appropriate adult present" in wording["tutoring_appropriate_adult"]
    assert POLICY.two_staff_question == (
        "Consider whether sending two members of staff may escalate the difficulties."
    )
    assert "call 999" in POLICY.child_alone_instruction


@pytest.mark.parametrize(
    ("reason", "mode", "expected"),
    [
        (VisitReason.WELFARE_CHECK, EntryMode.DOORSTEP, EVERY | {"doorstep_only"}),
        (VisitReason.WELFARE_CHECK, EntryMode.ENTER, EVERY | ENTERING),
        (VisitReason.ATTENDANCE_SUPPORT, EntryMode.ENTER, EVERY | ENTERING),
        (VisitReason.TUTORING, EntryMode.ENTER, EVERY | ENTERING | TUTORING),
        # A tutoring session is held inside whatever the form said.
        (VisitReason.TUTORING, EntryMode.DOORSTEP, EVERY | ENTERING | TUTORING),
    ],
)
def test_which_rules_apply_follows_from_the_plan(
    reason: VisitReason, mode: EntryMode, expected: set[str]
) -> None:
    assert _codes(reason, mode) == expected


def test_after_the_visit_entering_applies_only_if_they_went_in() -> None:
    doorstep = groups_for_record(VisitReason.WELFARE_CHECK, EntryMode.DOORSTEP, True)
    assert doorstep == {ConductGroup.EVERY_VISIT, ConductGroup.DOORSTEP, ConductGroup.ENTERING}
    stayed_out = groups_for_record(VisitReason.WELFARE_CHECK, EntryMode.ENTER, False)
    assert stayed_out == {ConductGroup.EVERY_VISIT}


def test_a_school_rewords_clears_and_adds_rules() -> None:
    policy = SchoolPolicy.from_settings(
        {
            "rule_siblings": "",
            "rule_official_id": "Show your Levett ID badge on a quick-release lanyard.",
            "rules_extra_tutoring": ["Bring the session plan."],
        }
    )
    rules = school_rules(policy)
    codes = [r.code for r in rules]
    assert "siblings" not in codes
    assert rules[0].wording == "Show your Levett ID badge on a quick-release lanyard."
    extra = [r for r in rules if r.code.startswith("extra_tutoring_")]
    assert [r.wording for r in extra] == ["Bring the session plan."]
    # Stored as settings and read back: the same rules, the same codes.
    again = SchoolPolicy.from_settings(policy.to_settings())
    assert [r.code for r in school_rules(again)] == codes


def test_bad_rule_settings_are_refused_in_words() -> None:
    with pytest.raises(SettingError, match="Rules extra tutoring: a rule cannot be empty"):
        SchoolPolicy(rules_extra_tutoring=("  ",))
    with pytest.raises(SettingError, match="Child alone instruction cannot be empty"):
        SchoolPolicy(child_alone_instruction=" ")
    with pytest.raises(SettingError, match="under 600 characters"):
        SchoolPolicy(rule_official_id="x" * 601)


def _applying(
    reason: VisitReason, mode: EntryMode, entered: bool | None
) -> tuple[ConductRule, ...]:
    return rules_for(RULES, groups_for_record(reason, mode, entered))


def _kept_all(codes: set[str], **fields: object) -> ConductAnswers:
    base = ConductAnswers(
        spoken_to_adult_ids=(1,),
        entered_home=False,
        child_found_alone=False,
        rule_answers=tuple(RuleAnswer(code, True) for code in sorted(codes)),
    )
    return ConductAnswers(**{**base.__dict__, **fields})


def test_every_question_is_asked_and_named_at_once() -> None:
    applying = _applying(VisitReason.WELFARE_CHECK, EntryMode.DOORSTEP, None)
    problems = answer_problems(applying, ConductAnswers(), ADULTS)
    fields = {p.field for p in problems}
    assert {"spoken_to", "entered_home", "child_found_alone"} <= fields
    assert {"rule:official_id", "rule:siblings", "rule:leave_if_unsafe"} <= fields
    # Rules answered by their own questions are not asked "kept or not".
    assert "rule:parental_responsibility" not in fields


def test_speaking_to_an_adult_without_parental_responsibility_breaks_the_rule() -> None:
    applying = _applying(VisitReason.WELFARE_CHECK, EntryMode.DOORSTEP, False)
    answers = _kept_all(EVERY, spoken_to_adult_ids=(1, 2))
    assert spoken_to_warnings(answers, ADULTS, "Amelia Hughes") == (
        "Gary Stone does not hold parental responsibility for Amelia Hughes: the policy says "
        "speak only to adults who do. Say why below.",
    )
    problems = answer_problems(applying, answers, ADULTS)
    assert [p.field for p in problems] == ["rule:parental_responsibility"]
    assert problems[0].message.startswith("Say why this was not kept")
    reasoned = ConductAnswers(
        **{
            **answers.__dict__,
            "rule_answers": (
                *answers.rule_answers,
                RuleAnswer("parental_responsibility", True, "Mum asked him to pass on a message."),
            ),
        }
    )
    assert answer_problems(applying, reasoned, ADULTS) == []
    found = {o.rule.code: o for o in outcomes(applying, reasoned, ADULTS)}
    assert found["parental_responsibility"].kept is False  # worked out, not taken from the form
    assert found["parental_responsibility"].reason == "Mum asked him to pass on a message."
    assert spoken_to_text(reasoned, ADULTS) == (
        "Joanne Hughes (Mother); Gary Stone (lives at the address, no parental responsibility)"
    )


def test_someone_not_on_the_record_is_free_text_and_needs_a_reason() -> None:
    applying = _applying(VisitReason.WELFARE_CHECK, EntryMode.DOORSTEP, False)
    answers = _kept_all(EVERY, spoken_to_adult_ids=(), spoken_to_other="Aunt, Sandra")
    assert [p.field for p in answer_problems(applying, answers, ADULTS)] == [
        "rule:parental_responsibility"
    ]
    assert spoken_to_text(answers, ADULTS) == "Aunt, Sandra (not on the pupil's record)"
    nobody = _kept_all(EVERY, spoken_to_adult_ids=(), nobody_spoken_to=True)
    assert answer_problems(applying, nobody, ADULTS) == []
    assert spoken_to_text(nobody, ADULTS) == "Nobody"
    both = _kept_all(EVERY, nobody_spoken_to=True)
    assert [p.field for p in answer_problems(applying, both, ADULTS)] == ["spoken_to"]


def test_entering_on_a_doorstep_visit_breaks_its_rule_and_asks_the_entering_rules() -> None:
    applying = _applying(VisitReason.WELFARE_CHECK, EntryMode.DOORSTEP, True)
    answers = _kept_all(EVERY, entered_home=True)
    fields = {p.field for p in answer_problems(applying, answers, ADULTS)}
    assert fields == {"rule:doorstep_only", "rule:invited_in_by_adult", "rule:shared_areas"}


def test_a_child_found_alone_asks_what_was_done_and_whether_entering_was_necessary() -> None:
    applying = _applying(VisitReason.WELFARE_CHECK, EntryMode.ENTER, True)
    answers = _kept_all(EVERY | ENTERING, entered_home=True, child_found_alone=True)
    fields = {p.field for p in answer_problems(applying, answers, ADULTS)}
    assert fields == {"child_alone_action", "entered_for_emergency"}
    emergency = _kept_all(
        EVERY | ENTERING,
        entered_home=True,
        child_found_alone=True,
        child_alone_action="Phoned the DSL; the child had cut his hand; stayed until mum came.",
        entered_for_emergency=True,
    )
    assert answer_problems(applying, emergency, ADULTS) == []
    kept = {o.rule.code: o.kept for o in outcomes(applying, emergency, ADULTS)}
    assert kept["child_found_alone"] is True
    not_needed = ConductAnswers(**{**emergency.__dict__, "entered_for_emergency": False})
    problems = answer_problems(applying, not_needed, ADULTS)
    assert [p.field for p in problems] == ["rule:child_found_alone"]


def test_tutoring_rules_are_answered_kept_or_not_with_a_reason() -> None:
    applying = _applying(VisitReason.TUTORING, EntryMode.ENTER, True)
    answers = _kept_all(EVERY | ENTERING | TUTORING, entered_home=True)
    assert answer_problems(applying, answers, ADULTS) == []
    door_shut = ConductAnswers(
        **{
            **answers.__dict__,
            "rule_answers": tuple(
                RuleAnswer(a.code, a.code != "tutoring_door_open") for a in answers.rule_answers
            ),
        }
    )
    assert [p.field for p in answer_problems(applying, door_shut, ADULTS)] == [
        "rule:tutoring_door_open"
    ]


def test_the_review_is_needed_for_any_rule_not_kept_or_a_child_found_alone() -> None:
    assert review_reasons([("A", True), ("B", True)], False) == ()
    assert review_reasons([("A", True), ("B", False)], False) == ("Not kept: B",)
    assert review_reasons([("A", True)], True) == ("A child was found alone.",)


def test_three_rules_are_answered_by_their_own_questions() -> None:
    how = {r.code: r.how_answered for r in RULES}
    assert how["parental_responsibility"] is HowAnswered.SPOKEN_TO
    assert how["doorstep_only"] is HowAnswered.ENTERED
    assert how["child_found_alone"] is HowAnswered.CHILD_ALONE
    assert how["official_id"] is HowAnswered.KEPT_OR_NOT
