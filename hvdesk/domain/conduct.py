"""The rules of conduct in the home (issue 18): which apply to a visit, and what the record's
answers to them mean. Pure rules over plain values; `hvdesk.services.visit_conduct` reads and
writes the database.

Decisions where the policies leave room:
- Which rules apply follows from the plan: every visit's rules always; a doorstep visit's
  rules when it is planned as doorstep only; the rules for entering the home when it is planned
  to enter, or is tutoring (a session is held inside); the tutoring rules for tutoring. After the
  visit, the rules for entering apply when the staff did enter (whatever the plan said), and not
  when they stayed outside (nothing to answer).
- Three rules are answered by a question of their own rather than "kept or not": who was spoken
  to (chosen from the household's adults; kept when every one holds parental responsibility and
  nobody off the record was spoken to), whether the home was entered (a doorstep visit's rule),
  and a child found alone (kept unless the staff went in without it being necessary to
  safeguard the child in an emergency). The others are answered kept or not kept; "kept" also
  covers a rule that did not arise. A rule not kept needs the reason.
- The record needs the DSL's review when any rule was not kept, or a child was found alone.
- Answers given for rules that do not apply (the form changed its mind about entering the home)
  are ignored: only the rules that applied are stored.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from hvdesk.domain.conduct_wording import (
    DEFAULT_RULES,
    EXTRA_PREFIX,
    RULE_PREFIX,
    ConductGroup,
)
from hvdesk.domain.labels import LabelledEnum
from hvdesk.domain.text import clean_text, one_line
from hvdesk.domain.visits import EntryMode, VisitReason

__all__ = [
    "AdultOnRecord",
    "ConductAnswers",
    "ConductFigures",
    "ConductGroup",
    "ConductProblem",
    "ConductRule",
    "HowAnswered",
    "RuleAnswer",
    "RuleCount",
    "RuleOutcome",
    "answer_problems",
    "count_rules",
    "groups_for_plan",
    "groups_for_record",
    "outcomes",
    "review_reasons",
    "rules_for",
    "school_rules",
    "spoken_to_text",
    "spoken_to_warnings",
]

MAX_REASON = 1000
MAX_ACTION = 4000
MAX_OTHER = 300

_GROUP_ORDER = tuple(ConductGroup)


class HowAnswered(LabelledEnum):
    """How the after-visit record answers a rule."""

    KEPT_OR_NOT = ("kept_or_not", "Kept or not kept")
    SPOKEN_TO = ("spoken_to", "By who was spoken to")
    ENTERED = ("entered", "By whether the home was entered")
    CHILD_ALONE = ("child_alone", "By whether a child was found alone")


_ANSWERED_BY: dict[str, HowAnswered] = {
    "parental_responsibility": HowAnswered.SPOKEN_TO,
    "doorstep_only": HowAnswered.ENTERED,
    "child_found_alone": HowAnswered.CHILD_ALONE,
}


@dataclass(frozen=True)
class ConductRule:
    """One rule as the school words it now."""

    code: str
    group: ConductGroup
    wording: str
    how_answered: HowAnswered = HowAnswered.KEPT_OR_NOT


def school_rules(settings: Any) -> tuple[ConductRule, ...]:
    """Every rule the school uses (its `SchoolPolicy`), by group, built-in ones first. A rule
    whose wording the school cleared is left out; an extra rule's code is made from its
    wording, so the same words are counted together across the year."""
    found: list[ConductRule] = []
    for group in _GROUP_ORDER:
        for code, (rule_group, _default, _source) in DEFAULT_RULES.items():
            if rule_group is not group:
                continue
            wording = one_line(str(getattr(settings, RULE_PREFIX + code, "") or ""))
            if wording:
                found.append(
                    ConductRule(
                        code, group, wording, _ANSWERED_BY.get(code, HowAnswered.KEPT_OR_NOT)
                    )
                )
        for extra in getattr(settings, EXTRA_PREFIX + group.value, ()) or ():
            wording = one_line(str(extra))
            if wording:
                digest = hashlib.sha256(wording.casefold().encode()).hexdigest()[:12]
                found.append(ConductRule(f"extra_{group.value}_{digest}", group, wording))
    return tuple(found)


def groups_for_plan(reason: VisitReason, entry_mode: EntryMode) -> frozenset[ConductGroup]:
    """The groups of rules a visit is briefed on, from its plan."""
    groups = {ConductGroup.EVERY_VISIT}
    tutoring = reason is VisitReason.TUTORING
    if entry_mode is EntryMode.ENTER or tutoring:
        groups.add(ConductGroup.ENTERING)
    else:
        groups.add(ConductGroup.DOORSTEP)
    if tutoring:
        groups.add(ConductGroup.TUTORING)
    return frozenset(groups)


def groups_for_record(
    reason: VisitReason, entry_mode: EntryMode, entered_home: bool | None
) -> frozenset[ConductGroup]:
    """The groups the record answers: the plan's, with entering the home only if they did."""
    groups = set(groups_for_plan(reason, entry_mode))
    if entered_home:
        groups.add(ConductGroup.ENTERING)
    elif entered_home is False:
        groups.discard(ConductGroup.ENTERING)
    return frozenset(groups)


def rules_for(
    rules: Iterable[ConductRule], groups: Iterable[ConductGroup]
) -> tuple[ConductRule, ...]:
    """The rules of the given groups, in the school's order."""
    wanted = set(groups)
    return tuple(rule for rule in rules if rule.group in wanted)


# --- the record's answers ---------------------------------------------------------------------


@dataclass(frozen=True)
class AdultOnRecord:
    """An adult of the pupil's household as the record offers them to choose."""

    adult_id: int
    name: str
    relationship: str
    parental_responsibility: bool

    @property
    def label(self) -> str:
        holds = "" if self.parental_responsibility else ", no parental responsibility"
        return f"{self.name} ({self.relationship}{holds})"


@dataclass(frozen=True)
class RuleAnswer:
    """One rule's answer: kept or not, and why not. For a rule answered by its own question,
    `kept` is worked out from that question and only the reason is read."""

    code: str
    kept: bool | None
    reason: str | None = None


@dataclass(frozen=True)
class ConductAnswers:
    """What the after-visit record says about the rules of conduct."""

    spoken_to_adult_ids: tuple[int, ...] = ()
    spoken_to_other: str | None = None
    """Someone not on the pupil's record (name and who they are); free text only for them."""
    nobody_spoken_to: bool = False
    entered_home: bool | None = None
    child_found_alone: bool | None = None
    child_alone_action: str | None = None
    entered_for_emergency: bool | None = None
    """A child found alone and the home entered: was it necessary to safeguard the child?"""
    rule_answers: tuple[RuleAnswer, ...] = field(default_factory=tuple)

    def answer(self, code: str) -> RuleAnswer | None:
        """The rule's answer (the last given, if it was given twice)."""
        return next((a for a in reversed(self.rule_answers) if a.code == code), None)


@dataclass(frozen=True)
class ConductProblem:
    """Something missing or wrong in the answers: `field` names the question (`rule:<code>`
    for one rule)."""

    field: str
    message: str


@dataclass(frozen=True)
class RuleOutcome:
    """A rule that applied, and whether it was kept, as the record stores it."""

    rule: ConductRule
    kept: bool
    reason: str | None


def _chosen(answers: ConductAnswers, adults: Mapping[int, AdultOnRecord]) -> list[AdultOnRecord]:
    return [adults[i] for i in dict.fromkeys(answers.spoken_to_adult_ids) if i in adults]


def derived_kept(
    rule: ConductRule, answers: ConductAnswers, adults: Mapping[int, AdultOnRecord]
) -> bool | None:
    """Whether a rule was kept, from the answers (None: not answered yet)."""
    if rule.how_answered is HowAnswered.SPOKEN_TO:
        if answers.nobody_spoken_to:
            return True
        chosen = _chosen(answers, adults)
        other = one_line(answers.spoken_to_other)
        if not chosen and other is None:
            return None
        return other is None and all(a.parental_responsibility for a in chosen)
    if rule.how_answered is HowAnswered.ENTERED:
        return None if answers.entered_home is None else not answers.entered_home
    if rule.how_answered is HowAnswered.CHILD_ALONE:
        if answers.child_found_alone is None:
            return None
        if not answers.child_found_alone or answers.entered_home is False:
            return True
        if answers.entered_home is None:
            return None
        return answers.entered_for_emergency
    found = answers.answer(rule.code)
    return found.kept if found is not None else None


def answer_problems(
    applying: Sequence[ConductRule],
    answers: ConductAnswers,
    adults: Mapping[int, AdultOnRecord],
) -> list[ConductProblem]:
    """Everything missing or wrong, all at once; empty when the answers may be saved."""
    problems: list[ConductProblem] = []

    def problem(name: str, message: str) -> None:
        problems.append(ConductProblem(name, message))

    other = one_line(answers.spoken_to_other)
    unknown = [i for i in answers.spoken_to_adult_ids if i not in adults]
    if unknown:
        problem("spoken_to", "Choose who was spoken to from the list; reopen the record.")
    if answers.nobody_spoken_to and (answers.spoken_to_adult_ids or other):
        problem("spoken_to", "You said nobody was spoken to, and also named someone: choose one.")
    elif not answers.nobody_spoken_to and not answers.spoken_to_adult_ids and other is None:
        problem(
            "spoken_to",
            "Say who was spoken to: tick them from the household, name someone not on the "
            "record, or tick “Nobody”.",
        )
    if other is not None and len(other) > MAX_OTHER:
        problem("spoken_to", f"Keep the name under {MAX_OTHER} characters.")
    if answers.entered_home is None:
        problem("entered_home", "Say whether you entered the home.")
    if answers.child_found_alone is None:
        problem("child_found_alone", "Say whether a child was found alone.")
    elif answers.child_found_alone:
        action = clean_text(answers.child_alone_action)
        if action is None:
            problem("child_alone_action", "Say what was done about the child found alone.")
        elif len(action) > MAX_ACTION:
            problem("child_alone_action", f"Keep this under {MAX_ACTION} characters.")
        if answers.entered_home and answers.entered_for_emergency is None:
            problem(
                "entered_for_emergency",
                "Say whether entering was necessary to safeguard the child in an emergency.",
            )
    for rule in applying:
        name = f"rule:{rule.code}"
        kept = derived_kept(rule, answers, adults)
        given = answers.answer(rule.code)
        reason = clean_text(given.reason) if given is not None else None
        if rule.how_answered is HowAnswered.KEPT_OR_NOT and kept is None:
            problem(name, f"Say whether this was kept: {rule.wording}")
        elif kept is False and reason is None:
            problem(name, f"Say why this was not kept: {rule.wording}")
        if reason is not None and len(reason) > MAX_REASON:
            problem(name, f"Keep the reason under {MAX_REASON} characters.")
    return problems


def outcomes(
    applying: Sequence[ConductRule],
    answers: ConductAnswers,
    adults: Mapping[int, AdultOnRecord],
) -> tuple[RuleOutcome, ...]:
    """Each rule that applied with whether it was kept (call once `answer_problems` is empty)."""
    found: list[RuleOutcome] = []
    for rule in applying:
        kept = derived_kept(rule, answers, adults)
        given = answers.answer(rule.code)
        reason = clean_text(given.reason) if given is not None else None
        found.append(RuleOutcome(rule, bool(kept), None if kept else reason))
    return tuple(found)


def review_reasons(
    kept: Iterable[tuple[str, bool]], child_found_alone: bool | None
) -> tuple[str, ...]:
    """Why the record needs the DSL's review (empty: it does not): each rule not kept, given
    as (wording, kept), and a child found alone."""
    reasons = [f"Not kept: {wording}" for wording, was_kept in kept if not was_kept]
    if child_found_alone:
        reasons.insert(0, "A child was found alone.")
    return tuple(reasons)


def spoken_to_text(answers: ConductAnswers, adults: Mapping[int, AdultOnRecord]) -> str:
    """Who was spoken to, as the record and CPOMS summary print it."""
    if answers.nobody_spoken_to:
        return "Nobody"
    parts = [adult.label for adult in _chosen(answers, adults)]
    other = one_line(answers.spoken_to_other)
    if other is not None:
        parts.append(f"{other} (not on the pupil's record)")
    return "; ".join(parts)


def spoken_to_warnings(
    answers: ConductAnswers, adults: Mapping[int, AdultOnRecord], pupil: str | None
) -> tuple[str, ...]:
    """Warnings to show as the adults are chosen (the record may still be saved)."""
    child = pupil or "the child"
    warnings = [
        f"{adult.name} does not hold parental responsibility for {child}: the policy says "
        "speak only to adults who do. Say why below."
        for adult in _chosen(answers, adults)
        if not adult.parental_responsibility
    ]
    if one_line(answers.spoken_to_other) is not None:
        warnings.append(
            "Someone not on the pupil's record: hvdesk cannot tell whether they hold "
            "parental responsibility. Say why they were spoken to below."
        )
    return tuple(warnings)


# --- the year's figures (the annual pack) --------------------------------------------------------


@dataclass(frozen=True)
class RuleCount:
    """How often a rule applied in the year and how often it could not be kept."""

    code: str
    group: ConductGroup
    wording: str
    """As the latest record of the year worded it."""
    applied: int
    not_kept: int


@dataclass(frozen=True)
class ConductFigures:
    """The rules of conduct in the year, for the policy's yearly review (003)."""

    rules: tuple[RuleCount, ...]
    records_answered: int
    children_found_alone: int
    child_alone_calls: int
    no_adult_calls: int

    @property
    def not_kept(self) -> int:
        return sum(r.not_kept for r in self.rules)


def count_rules(answers: Iterable[tuple[str, ConductGroup, str, bool]]) -> tuple[RuleCount, ...]:
    """Each rule's count from (code, group, wording, kept) in the order the records were made:
    most often not kept first, then in the school's group order."""
    found: dict[str, list[Any]] = {}
    for code, group, wording, kept in answers:
        row = found.setdefault(code, [group, wording, 0, 0])
        row[1] = wording
        row[2] += 1
        row[3] += 0 if kept else 1
    counts = [
        RuleCount(code, g, w, applied, not_kept)
        for code, (g, w, applied, not_kept) in found.items()
    ]
    counts.sort(key=lambda r: (-r.not_kept, _GROUP_ORDER.index(r.group), r.wording))
    return tuple(counts)
