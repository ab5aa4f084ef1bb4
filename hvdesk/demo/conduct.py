"""The demo school's rules of conduct in use (issue 18): the latest few records answer them
(one broke a rule and waits for the DSL's review), and the pupils tutored at home have the
needs their tutors are told of. Added after the rest of the demo, without its random stream,
so the rest of the demo school is unchanged."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from hvdesk.db.models import Pupil, Visit, VisitRuleAnswer
from hvdesk.domain.conduct import groups_for_record, rules_for, school_rules
from hvdesk.domain.policy import SchoolPolicy
from hvdesk.domain.visits import EntryMode, VisitReason, VisitStatus

__all__ = ["add_conduct_examples"]

RECORDS = 6
BROKEN = 2  # the third most recent record broke a rule
BROKEN_RULE = "official_id"
BROKEN_REASON = "ID badge left in the car; showed the school's letter instead."
NEEDS = (
    "Dyslexia: instructions one at a time, large-print worksheets.",
    "Asthma: inhaler kept in the kitchen drawer.",
    "Becomes anxious if a session runs over: give a five-minute warning.",
)


def add_conduct_examples(session: Session, now: datetime) -> None:
    """Answer the rules on the latest records and give tutored pupils their needs."""
    rules = school_rules(SchoolPolicy())
    visits = session.scalars(
        select(Visit)
        .where(
            Visit.status == VisitStatus.COMPLETED,
            Visit.completed_at.is_not(None),
            Visit.is_drill.is_(False),
            Visit.pupil_id.is_not(None),
        )
        .order_by(Visit.completed_at.desc(), Visit.id.desc())
        .limit(RECORDS)
    ).all()
    for number, visit in enumerate(visits):
        entered = visit.entry_mode is EntryMode.ENTER or visit.reason is VisitReason.TUTORING
        assert visit.pupil is not None
        holders = [
            link.adult_id for link in visit.pupil.adult_links if link.parental_responsibility
        ]
        visit.spoken_to_adult_ids = holders[:1]
        visit.entered_home = entered
        visit.child_found_alone = False
        visit.conduct_answered_at = visit.completed_at or now
        applying = rules_for(rules, groups_for_record(visit.reason, visit.entry_mode, entered))
        for position, rule in enumerate(applying):
            broken = number == BROKEN and rule.code == BROKEN_RULE
            visit.rule_answers.append(
                VisitRuleAnswer(
                    position=position,
                    code=rule.code,
                    rule_group=rule.group,
                    wording=rule.wording,
                    kept=not broken,
                    reason=BROKEN_REASON if broken else None,
                )
            )
        visit.needs_dsl_review = number == BROKEN
    tutored = session.scalars(
        select(Pupil)
        .join(Visit, Visit.pupil_id == Pupil.id)
        .where(Visit.reason == VisitReason.TUTORING)
        .distinct()
        .order_by(Pupil.id)
    ).all()
    for number, pupil in enumerate(tutored):
        if number % 2 == 0:
            pupil.send_needs = NEEDS[0]
        if number % 3 == 0:
            pupil.medical_needs = NEEDS[1]
        pupil.behaviour_needs = NEEDS[2] if number % 2 else None
    session.flush()
