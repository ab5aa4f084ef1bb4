"""The rules of conduct in the home (issue 18): the briefing before a visit, the record's answers
after it, and the DSL's review of a record that broke a rule.

The pure rules are in `hvdesk.domain.conduct`. Here:
* The briefing names the rules that apply to the visit's plan, who holds parental responsibility
  for the pupil and who does not, and, for tutoring, the pupil's SEND, medical and behaviour
  needs. Those needs are need-to-know: they are given only when the account asking, as it is
  now (re-read in the unit of work), belongs to one of the visit's visitors; anyone else is told
  they are printed for the visitors only.
* The record's answers are checked and written in the record's own unit of work
  (`VisitRecords.write` calls `check_answers` and `save_answers`): all or nothing. A child found
  alone raises a "Child found alone" incident in the same step, unless the visit already has
  one (the board raises one when the staff phone it in).
* A record whose answers break a rule, or that reports a child found alone, needs the DSL's
  review. It is listed (After visits, and the DSL's queue) until the DSL or a deputy who was not
  on the visit marks it reviewed with a note. Changing the answers so that a new rule is broken
  puts it back on the list.
* Pupils' needs are read and written by the DSL, deputies and the headteacher (003: the
  headteacher makes sure the staff have them).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload, selectinload

from hvdesk.clock import Clock, to_school_time
from hvdesk.db.database import Database
from hvdesk.db.models import (
    Household,
    Incident,
    Pupil,
    PupilAdult,
    UserAccount,
    Visit,
    VisitEvent,
    VisitRuleAnswer,
    VisitStaff,
)
from hvdesk.domain.conduct import (
    AdultOnRecord,
    ConductAnswers,
    ConductFigures,
    ConductGroup,
    ConductProblem,
    ConductRule,
    RuleAnswer,
    answer_problems,
    count_rules,
    groups_for_plan,
    groups_for_record,
    outcomes,
    review_reasons,
    rules_for,
    school_rules,
    spoken_to_text,
)
from hvdesk.domain.incidents import IncidentKind, IncidentStatus, review_due_on
from hvdesk.domain.people import Role
from hvdesk.domain.policy import SchoolPolicy
from hvdesk.domain.text import clean_text, one_line
from hvdesk.domain.uk_formats import name_with_year_group
from hvdesk.domain.visit_record import may_see_all_records, may_write_record
from hvdesk.domain.visits import CONDUCT_CALLS, EventKind, VisitReason, VisitStatus
from hvdesk.errors import HvdeskError
from hvdesk.reports.models import BriefingData
from hvdesk.services import audit
from hvdesk.services.accounts import NotPermitted
from hvdesk.services.acting import display_names, require_active_account
from hvdesk.services.directory import school_policy
from hvdesk.services.identity import SignedInUser

__all__ = [
    "Briefing",
    "BriefingGroup",
    "ConductNotSaved",
    "ConductQuestions",
    "PupilNeeds",
    "ReviewRow",
    "VisitConduct",
    "check_answers",
    "conduct_questions",
    "save_answers",
]

log = logging.getLogger(__name__)

NEEDS_EDITORS: frozenset[Role] = frozenset({Role.DSL, Role.DEPUTY_DSL, Role.HEADTEACHER})
"""Who reads and writes a pupil's SEND, medical and behaviour needs."""

REVIEWERS: frozenset[Role] = frozenset({Role.DSL, Role.DEPUTY_DSL})
"""Who marks a record's breaches of the rules reviewed."""

MAX_NEEDS = 4000
MAX_NOTE = 2000
NEEDS_WITHHELD = (
    "The pupil's SEND, medical and behaviour needs are printed only for the visitors: sign in "
    "as one of them to print their copy."
)


class ConductNotSaved(HvdeskError):
    """A conduct answer, review or pupil's needs that cannot be saved; nothing was written."""

    title = "Not saved"


# --- read-models ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class BriefingGroup:
    """The rules of one group that apply to the visit."""

    group: ConductGroup
    rules: tuple[str, ...]


@dataclass(frozen=True)
class PupilNeeds:
    """A pupil's needs the visitors must know (empty fields: none recorded)."""

    send: str | None
    medical: str | None
    behaviour: str | None

    @property
    def any(self) -> bool:
        return any((self.send, self.medical, self.behaviour))


@dataclass(frozen=True)
class Briefing:
    """What the visitors are told before the visit."""

    visit_id: int
    pupil: str | None
    tutoring: bool
    groups: tuple[BriefingGroup, ...]
    with_parental_responsibility: tuple[str, ...]
    without_parental_responsibility: tuple[str, ...]
    needs: PupilNeeds | None
    """The pupil's needs for tutoring: None when not a tutoring visit or not shown to this user."""
    needs_withheld: str | None
    """Why the needs are not shown, when they exist and this user may not see them."""
    child_alone_instruction: str
    two_staff_question: str | None
    two_staff_answer: str | None
    pupil_id: int | None = None
    may_edit_needs: bool = False
    """The account may record the pupil's needs (the DSL, deputies, the headteacher)."""


@dataclass(frozen=True)
class ConductQuestions:
    """What the record dialog needs to ask the questions, and the saved answers."""

    rules: tuple[ConductRule, ...]
    """Every rule of the school; the dialog shows those of `groups_for_record`."""
    reason: VisitReason
    entry_mode_value: str
    adults: tuple[AdultOnRecord, ...]
    pupil: str | None
    answers: ConductAnswers | None
    needs_review: bool
    review_reasons: tuple[str, ...]
    reviewed_at: datetime | None
    reviewed_by: str | None
    review_note: str | None

    @property
    def adults_by_id(self) -> dict[int, AdultOnRecord]:
        return {a.adult_id: a for a in self.adults}


@dataclass(frozen=True)
class ReviewRow:
    """A record that needs the DSL's review, for the After visits page and the DSL's queue."""

    visit_id: int
    planned_start: datetime
    pupil: str | None
    area: str
    visitors: tuple[str, ...]
    reasons: tuple[str, ...]
    written_at: datetime | None
    may_mark_reviewed: bool


# --- used inside the record's unit of work ----------------------------------------------------


def household_adults(visit: Visit) -> dict[int, AdultOnRecord]:
    """The adults the record offers as "spoken to": the pupil's linked adults (with whether
    they hold parental responsibility for this pupil), then the household's other adults (who
    do not). Without a pupil, an adult holds it if they do for any pupil of the household."""
    found: dict[int, AdultOnRecord] = {}
    if visit.pupil is not None:
        links = sorted(
            visit.pupil.adult_links,
            key=lambda link: (not link.parental_responsibility, link.adult.last_name),
        )
        for link in links:
            found[link.adult_id] = AdultOnRecord(
                link.adult_id,
                link.adult.full_name,
                link.relationship_to_pupil.label,
                link.parental_responsibility,
            )
    for adult in sorted(visit.household.adults, key=lambda a: (a.last_name, a.first_name)):
        if adult.id in found:
            continue
        holds = visit.pupil is None and any(
            link.parental_responsibility for link in adult.pupil_links
        )
        relationship = "lives at the address" if visit.pupil is not None else "adult"
        found[adult.id] = AdultOnRecord(adult.id, adult.full_name, relationship, holds)
    return found


def _answers_of(visit: Visit) -> ConductAnswers | None:
    if visit.conduct_answered_at is None:
        return None
    return ConductAnswers(
        spoken_to_adult_ids=tuple(visit.spoken_to_adult_ids or ()),
        spoken_to_other=visit.spoken_to_other,
        nobody_spoken_to=(
            not visit.spoken_to_adult_ids
            and visit.spoken_to_other is None
            and (visit.spoken_to or "") == "Nobody"
        ),
        entered_home=visit.entered_home,
        child_found_alone=visit.child_found_alone,
        child_alone_action=visit.child_alone_action,
        entered_for_emergency=visit.entered_for_emergency,
        rule_answers=tuple(RuleAnswer(a.code, a.kept, a.reason) for a in visit.rule_answers),
    )


def _reasons_of(visit: Visit) -> tuple[str, ...]:
    return review_reasons(
        ((a.wording, a.kept) for a in visit.rule_answers), visit.child_found_alone
    )


def conduct_questions(session: Session, visit: Visit) -> ConductQuestions:
    """The questions and saved answers of a visit's record."""
    policy = school_policy(session)
    names = display_names(session, {visit.dsl_reviewed_by_id})
    return ConductQuestions(
        rules=school_rules(policy),
        reason=visit.reason,
        entry_mode_value=visit.entry_mode.value,
        adults=tuple(household_adults(visit).values()),
        pupil=visit.pupil.full_name if visit.pupil is not None else None,
        answers=_answers_of(visit),
        needs_review=visit.needs_dsl_review,
        review_reasons=_reasons_of(visit),
        reviewed_at=visit.dsl_reviewed_at,
        reviewed_by=names.get(visit.dsl_reviewed_by_id),
        review_note=visit.dsl_review_note,
    )


def _applying(policy: SchoolPolicy, visit: Visit, answers: ConductAnswers) -> list[ConductRule]:
    groups = groups_for_record(visit.reason, visit.entry_mode, answers.entered_home)
    return list(rules_for(school_rules(policy), groups))


def check_answers(
    session: Session, visit: Visit, answers: ConductAnswers | None
) -> list[ConductProblem]:
    """Everything wrong with the answers for this visit (none given is one problem)."""
    if answers is None:
        return [
            ConductProblem(
                "conduct",
                "Answer the questions on the rules of conduct (who was spoken to, entering the "
                "home, a child found alone, and each rule that applied).",
            )
        ]
    applying = _applying(school_policy(session), visit, answers)
    return answer_problems(applying, answers, household_adults(visit))


def spoken_to_summary(visit: Visit, answers: ConductAnswers) -> str:
    """The record's "spoken to" line, built from the choices."""
    return spoken_to_text(answers, household_adults(visit))


def save_answers(
    session: Session,
    visit: Visit,
    answers: ConductAnswers,
    by: SignedInUser,
    now: datetime,
) -> None:
    """Write the checked answers: the visit's fields, one row per rule that applied, the review
    flag, and the incident for a child found alone."""
    policy = school_policy(session)
    adults = household_adults(visit)
    applying = _applying(policy, visit, answers)
    before = set(_reasons_of(visit)) if visit.needs_dsl_review else set()
    visit.spoken_to_adult_ids = [i for i in dict.fromkeys(answers.spoken_to_adult_ids)]
    visit.spoken_to_other = None if answers.nobody_spoken_to else one_line(answers.spoken_to_other)
    visit.entered_home = answers.entered_home
    visit.child_found_alone = answers.child_found_alone
    alone = bool(answers.child_found_alone)
    visit.child_alone_action = clean_text(answers.child_alone_action) if alone else None
    visit.entered_for_emergency = (
        answers.entered_for_emergency if alone and answers.entered_home else None
    )
    visit.conduct_answered_at = now
    for old in list(visit.rule_answers):
        visit.rule_answers.remove(old)
        session.delete(old)
    session.flush()
    for position, outcome in enumerate(outcomes(applying, answers, adults)):
        visit.rule_answers.append(
            VisitRuleAnswer(
                position=position,
                code=outcome.rule.code,
                rule_group=outcome.rule.group,
                wording=outcome.rule.wording,
                kept=outcome.kept,
                reason=outcome.reason,
            )
        )
    reasons = set(_reasons_of(visit))
    if not reasons:
        visit.needs_dsl_review = False
    elif not visit.needs_dsl_review or reasons - before:
        visit.needs_dsl_review = True
        visit.dsl_reviewed_at = None
        visit.dsl_reviewed_by_id = None
        visit.dsl_review_note = None
    if alone and not has_child_alone_incident(session, visit.id):
        session.add(child_alone_incident(visit, by, now, policy, visit.child_alone_action))


def has_child_alone_incident(session: Session, visit_id: int) -> bool:
    found = session.scalar(
        sa.select(sa.func.count(Incident.id)).where(
            Incident.visit_id == visit_id, Incident.kind == IncidentKind.CHILD_FOUND_ALONE
        )
    )
    return bool(found)


def child_alone_incident(
    visit: Visit,
    by: SignedInUser,
    now: datetime,
    policy: SchoolPolicy,
    what_was_done: str | None,
) -> Incident:
    """A "Child found alone" incident on the visit, due for review as the school sets."""
    summary = f"A child was found alone during visit {visit.id}."
    if what_was_done:
        summary += f" What was done: {what_was_done}"
    return Incident(
        visit_id=visit.id,
        kind=IncidentKind.CHILD_FOUND_ALONE,
        status=IncidentStatus.OPEN,
        occurred_at=now,
        raised_at=now,
        raised_by_id=by.user_id,
        summary=summary,
        review_due_on=review_due_on(to_school_time(now).date(), policy.incident_review_days),
        is_drill=visit.is_drill,
    )


# --- the briefing ------------------------------------------------------------------------------


def briefing_for(session: Session, visit: Visit, account: UserAccount | None) -> Briefing:
    """The briefing of a visit as `account` (as it is now; None: nobody signed in) may see it."""
    policy = school_policy(session)
    groups = groups_for_plan(visit.reason, visit.entry_mode)
    rules = rules_for(school_rules(policy), groups)
    briefing_groups = tuple(
        BriefingGroup(group, tuple(r.wording for r in rules if r.group is group))
        for group in ConductGroup
        if any(r.group is group for r in rules)
    )
    adults = household_adults(visit)
    holders = tuple(a.label for a in adults.values() if a.parental_responsibility)
    others = tuple(a.label for a in adults.values() if not a.parental_responsibility)
    tutoring = visit.reason is VisitReason.TUTORING
    needs: PupilNeeds | None = None
    withheld: str | None = None
    if tutoring and visit.pupil is not None:
        visitor_ids = {vs.staff_id for vs in visit.visitors}
        if account is not None and account.active and account.staff_id in visitor_ids:
            needs = PupilNeeds(
                visit.pupil.send_needs, visit.pupil.medical_needs, visit.pupil.behaviour_needs
            )
        else:
            withheld = NEEDS_WITHHELD
    question = one_line(policy.two_staff_question)
    answer: str | None = None
    if visit.two_staff_may_escalate is not None:
        answer = "Yes" if visit.two_staff_may_escalate else "No"
        if visit.two_staff_note:
            answer += f": {visit.two_staff_note}"
    return Briefing(
        visit_id=visit.id,
        pupil=(
            name_with_year_group(visit.pupil.full_name, visit.pupil.year_group)
            if visit.pupil is not None
            else None
        ),
        tutoring=tutoring,
        groups=briefing_groups,
        with_parental_responsibility=holders,
        without_parental_responsibility=others,
        needs=needs,
        needs_withheld=withheld,
        child_alone_instruction=policy.child_alone_instruction,
        two_staff_question=question if len(visit.visitors) > 1 or answer else None,
        two_staff_answer=answer,
        pupil_id=visit.pupil_id,
        may_edit_needs=account is not None and account.active and account.role in NEEDS_EDITORS,
    )


def briefing_data(session: Session, visit: Visit, account: UserAccount | None) -> BriefingData:
    """The briefing as the Home Visit Form prints it (see `briefing_for`)."""
    briefing = briefing_for(session, visit, account)
    needs: tuple[tuple[str, str], ...] | None = None
    if briefing.needs is not None:
        needs = (
            ("Special educational needs (SEND)", briefing.needs.send or ""),
            ("Medical needs", briefing.needs.medical or ""),
            ("Behaviour", briefing.needs.behaviour or ""),
        )
    return BriefingData(
        groups=tuple((g.group.label, g.rules) for g in briefing.groups),
        with_parental_responsibility=briefing.with_parental_responsibility,
        without_parental_responsibility=briefing.without_parental_responsibility,
        child_alone_instruction=briefing.child_alone_instruction,
        needs=needs,
        needs_withheld=briefing.needs_withheld,
        two_staff=briefing.two_staff_answer,
    )


def record_lines(visit: Visit) -> tuple[tuple[str, str], ...]:
    """The record's answers as the Record of Home Visit prints them (empty before answered)."""
    if visit.conduct_answered_at is None:
        return ()

    def yes_no(value: bool | None) -> str:
        return "Not answered" if value is None else "Yes" if value else "No"

    lines = [("Entered the home", yes_no(visit.entered_home))]
    alone = yes_no(visit.child_found_alone)
    if visit.child_found_alone:
        alone += f". {visit.child_alone_action or ''}"
        if visit.entered_for_emergency is not None:
            alone += (
                " Entering was necessary to safeguard the child."
                if visit.entered_for_emergency
                else " Entering was not necessary to safeguard the child."
            )
    lines.append(("A child found alone", alone))
    for answer in visit.rule_answers:
        said = "Kept" if answer.kept else f"NOT KEPT: {answer.reason or ''}"
        lines.append((answer.wording, said))
    if visit.needs_dsl_review:
        status = "Needs the DSL's review"
        if visit.dsl_reviewed_at is not None:
            status = f"Reviewed by the DSL: {visit.dsl_review_note or ''}"
        lines.append(("DSL's review", status))
    return tuple(lines)


def conduct_figures(session: Session, low: datetime, high: datetime) -> ConductFigures:
    """The rules of conduct over visits planned to start in [low, high) (UTC), drills left
    out: how often each applied and could not be kept, children found alone, calls made."""
    in_range = (
        Visit.is_drill.is_(False),
        Visit.planned_start >= low,
        Visit.planned_start < high,
    )
    rows = session.execute(
        sa.select(
            VisitRuleAnswer.code,
            VisitRuleAnswer.rule_group,
            VisitRuleAnswer.wording,
            VisitRuleAnswer.kept,
        )
        .join(Visit, VisitRuleAnswer.visit_id == Visit.id)
        .where(*in_range)
        .order_by(Visit.planned_start, Visit.id, VisitRuleAnswer.position)
    ).all()
    answered = session.scalar(
        sa.select(sa.func.count(Visit.id)).where(*in_range, Visit.conduct_answered_at.is_not(None))
    )
    alone = session.scalar(
        sa.select(sa.func.count(Visit.id)).where(*in_range, Visit.child_found_alone.is_(True))
    )
    calls = dict(
        session.execute(
            sa.select(VisitEvent.kind, sa.func.count(VisitEvent.id))
            .join(Visit, VisitEvent.visit_id == Visit.id)
            .where(*in_range, VisitEvent.kind.in_(CONDUCT_CALLS))
            .group_by(VisitEvent.kind)
        ).all()
    )
    return ConductFigures(
        rules=count_rules((r.code, r.rule_group, r.wording, r.kept) for r in rows),
        records_answered=answered or 0,
        children_found_alone=alone or 0,
        child_alone_calls=calls.get(EventKind.CHILD_ALONE_CALL, 0),
        no_adult_calls=calls.get(EventKind.NO_ADULT_CALL, 0),
    )


def load_visit(session: Session, visit_id: int) -> Visit:
    """A visit with what the briefing and the answers read."""
    visit = session.scalars(
        sa.select(Visit)
        .where(Visit.id == visit_id)
        .options(
            selectinload(Visit.visitors).joinedload(VisitStaff.staff),
            selectinload(Visit.rule_answers),
            joinedload(Visit.pupil).selectinload(Pupil.adult_links).joinedload(PupilAdult.adult),
            joinedload(Visit.household).selectinload(Household.adults),
        )
    ).one_or_none()
    if visit is None or visit.is_drill:
        raise ConductNotSaved(
            f"There is no visit {visit_id}.", "Check the visit number in the Visits list."
        )
    return visit


# --- the use cases ------------------------------------------------------------------------------


class VisitConduct:
    """The briefing, the DSL's review of broken rules, pupils' needs, seed 001's question."""

    def __init__(self, database: Database, clock: Clock) -> None:
        self._database = database
        self._clock = clock

    def briefing(self, visit_id: int, by: SignedInUser) -> Briefing:
        """The visit's briefing for `by` (the needs only if they are one of its visitors)."""
        with self._database.session() as session:
            account = require_active_account(session, by)
            visit = load_visit(session, visit_id)
            if not _may_read(account, visit):
                raise NotPermitted(
                    f"Visit {visit_id}'s briefing is for its staff, the person who asked for it, "
                    "the safeguarding leads and the office."
                )
            return briefing_for(session, visit, account)

    def awaiting_review(self, by: SignedInUser) -> list[ReviewRow]:
        """Records that broke a rule (or found a child alone) and are not reviewed yet, oldest
        first; each user sees those of the visits they may read."""
        with self._database.session() as session:
            account = require_active_account(session, by)
            visits = session.scalars(
                sa.select(Visit)
                .where(
                    Visit.is_drill.is_(False),
                    Visit.needs_dsl_review.is_(True),
                    Visit.dsl_reviewed_at.is_(None),
                )
                .options(
                    selectinload(Visit.visitors).joinedload(VisitStaff.staff),
                    selectinload(Visit.rule_answers),
                    joinedload(Visit.pupil),
                    joinedload(Visit.household),
                )
                .order_by(Visit.planned_start, Visit.id)
            ).unique()
            return [
                ReviewRow(
                    visit_id=v.id,
                    planned_start=v.planned_start,
                    pupil=v.pupil.full_name if v.pupil is not None else None,
                    area=v.household.area,
                    visitors=tuple(vs.staff.full_name for vs in v.visitors),
                    reasons=_reasons_of(v),
                    written_at=v.record_written_at or v.completed_at,
                    may_mark_reviewed=_why_not_review(account, v) is None,
                )
                for v in visits
                if _may_read(account, v)
            ]

    def mark_reviewed(self, visit_id: int, note: str, by: SignedInUser) -> None:
        """The DSL (or a deputy not on the visit) has reviewed the broken rules: with a note."""
        now = self._clock.now()
        text = clean_text(note)
        with audit.writing_as(self._database, by, self._clock) as session:
            account = require_active_account(session, by)
            visit = load_visit(session, visit_id)
            why_not = _why_not_review(account, visit)
            if why_not is not None:
                raise NotPermitted(why_not)
            if not visit.needs_dsl_review or visit.dsl_reviewed_at is not None:
                raise ConductNotSaved(
                    f"Visit {visit_id}'s record does not need the DSL's review; nothing was saved."
                )
            if text is None:
                raise ConductNotSaved(
                    "Write a short note of the review (what was decided, who was spoken to)."
                )
            if len(text) > MAX_NOTE:
                raise ConductNotSaved(f"Keep the note under {MAX_NOTE} characters.")
            visit.dsl_reviewed_at = now
            visit.dsl_reviewed_by_id = by.user_id
            visit.dsl_review_note = text
        log.info("Conduct of visit %d reviewed by user %d", visit_id, by.user_id)

    def pupil_needs(self, pupil_id: int, by: SignedInUser) -> PupilNeeds:
        """A pupil's needs, for the DSL, deputies and the headteacher."""
        with self._database.session() as session:
            account = require_active_account(session, by)
            _require_needs_editor(account)
            pupil = _pupil(session, pupil_id)
            return PupilNeeds(pupil.send_needs, pupil.medical_needs, pupil.behaviour_needs)

    def set_pupil_needs(self, pupil_id: int, needs: PupilNeeds, by: SignedInUser) -> None:
        """Record the pupil's SEND, medical and behaviour needs the visitors must know."""
        cleaned = {
            "send_needs": clean_text(needs.send),
            "medical_needs": clean_text(needs.medical),
            "behaviour_needs": clean_text(needs.behaviour),
        }
        too_long = [k for k, v in cleaned.items() if v is not None and len(v) > MAX_NEEDS]
        if too_long:
            raise ConductNotSaved(
                f"Keep each of the needs under {MAX_NEEDS} characters; nothing was saved."
            )
        with audit.writing_as(self._database, by, self._clock) as session:
            account = require_active_account(session, by)
            _require_needs_editor(account)
            pupil = _pupil(session, pupil_id)
            for name, value in cleaned.items():
                setattr(pupil, name, value)
        log.info("Needs of pupil %d updated by user %d", pupil_id, by.user_id)

    def two_staff_answer(self, visit_id: int, by: SignedInUser) -> tuple[bool | None, str | None]:
        """Seed 001's question as answered on the request: (may escalate, note)."""
        with self._database.session() as session:
            account = require_active_account(session, by)
            visit = load_visit(session, visit_id)
            if not _may_read(account, visit):
                raise NotPermitted(f"Visit {visit_id}'s request is not yours to read.")
            return visit.two_staff_may_escalate, visit.two_staff_note

    def answer_two_staff(
        self, visit_id: int, may_escalate: bool, note: str | None, by: SignedInUser
    ) -> None:
        """Seed 001's question on the request: could sending two staff escalate matters?"""
        text = clean_text(note)
        if text is not None and len(text) > MAX_NOTE:
            raise ConductNotSaved(f"Keep the note under {MAX_NOTE} characters.")
        if may_escalate and text is None:
            raise ConductNotSaved(
                "Say how sending two staff may escalate the difficulties, and what is planned "
                "instead; nothing was saved."
            )
        with audit.writing_as(self._database, by, self._clock) as session:
            account = require_active_account(session, by)
            visit = load_visit(session, visit_id)
            editable = (
                VisitStatus.DRAFT,
                VisitStatus.CHANGES_REQUESTED,
                VisitStatus.AWAITING_AUTHORISATION,
            )
            if visit.status not in editable:
                raise ConductNotSaved(
                    f"Visit {visit_id} is {visit.status.label.lower()}; the request can no "
                    "longer be changed."
                )
            if not (account.id == visit.created_by_id or account.role in REVIEWERS):
                raise NotPermitted(
                    "Only the person who made the request or the DSL may answer this; nothing "
                    "was saved."
                )
            visit.two_staff_may_escalate = may_escalate
            visit.two_staff_note = text


# --- helpers -------------------------------------------------------------------------------------


def _may_read(account: UserAccount, visit: Visit) -> bool:
    return may_see_all_records(account.role) or may_write_record(
        account.role,
        user_id=account.id,
        staff_id=account.staff_id,
        visitor_staff_ids={vs.staff_id for vs in visit.visitors},
        requester_id=visit.created_by_id,
    )


def _why_not_review(account: UserAccount, visit: Visit) -> str | None:
    if account.role not in REVIEWERS:
        return "The DSL or a deputy DSL reviews a record that broke a rule of conduct."
    if account.staff_id is not None and account.staff_id in {vs.staff_id for vs in visit.visitors}:
        return "Nobody reviews a record of a visit they were on; ask the DSL or another deputy."
    return None


def _require_needs_editor(account: UserAccount) -> None:
    if account.role not in NEEDS_EDITORS:
        raise NotPermitted(
            "A pupil's SEND, medical and behaviour needs are kept by the DSL, the deputies and "
            "the headteacher; the visitors see them on their briefing."
        )


def _pupil(session: Session, pupil_id: int) -> Pupil:
    pupil = session.get(Pupil, pupil_id)
    if pupil is None:
        raise ConductNotSaved(f"There is no pupil {pupil_id}.", "Check the pupil in the list.")
    return pupil
