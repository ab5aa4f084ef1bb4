"""The year in figures: the Reports page's numbers and the governors' annual review pack.

Reads every visit planned in a period (school dates, Europe/London, inclusive), drills left
out everywhere, into plain facts and hands them to `hvdesk.domain.statistics`, where the rules
of what is counted are written down. Each visit's escalations are replayed from its stored
timeline with the escalation engine (the same mapping the board uses, `services.timeline`), so
the figures can never disagree with what the board showed or what an incident recorded.

Figures hold counts and durations only; the annual review adds the period's incidents (kind,
stage, lessons), with the safe word kept off the page as on every document but the police
sheet. Log lines carry no personal data.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload, selectinload

from hvdesk.clock import Clock, school_time_to_utc, to_school_time
from hvdesk.db.database import Database
from hvdesk.db.models import Authorisation, FollowUp, Incident, Visit, VisitEvent
from hvdesk.domain.policy import SchoolPolicy
from hvdesk.domain.safe_word import redact_safe_word
from hvdesk.domain.statistics import (
    FollowUpFacts,
    IncidentSummary,
    VisitFacts,
    YearFigures,
    YearInReview,
    escalation_history,
    first_of_month,
    school_year,
    school_year_label,
    school_year_of,
    year_figures,
)
from hvdesk.domain.visits import EventKind, VisitStatus
from hvdesk.errors import HvdeskError
from hvdesk.services.directory import school_policy
from hvdesk.services.documents import DocumentService
from hvdesk.services.settings import changes_between
from hvdesk.services.timeline import timeline, visit_plan

__all__ = ["PeriodNotValid", "Statistics", "check_period"]

log = logging.getLogger(__name__)

EARLIEST_YEAR = 2000
LONGEST_PERIOD = timedelta(days=3 * 366)
_WENT_OUT_STATUSES = frozenset({VisitStatus.OUT, VisitStatus.COMPLETED})


class PeriodNotValid(HvdeskError):
    """The dates asked for do not make a period the figures can cover."""

    title = "Check the dates"


class Statistics:
    """Reads a period's records and returns its figures (one session per call)."""

    def __init__(self, database: Database, clock: Clock) -> None:
        self._database = database
        self._clock = clock

    def today(self) -> date:
        """Today's date in school time."""
        return to_school_time(self._clock.now()).date()

    def current_school_year(self) -> tuple[date, date]:
        """The school year (September to August) today falls in: the Reports page's default."""
        return school_year(school_year_of(self.today()))

    def figures(self, start: date, end: date) -> YearFigures:
        """Every figure for the visits planned to start from `start` to `end` inclusive."""
        check_period(start, end)
        with self._database.session() as session:
            return self._figures(session, start, end)

    def year_in_review(self, first_year: int) -> YearInReview:
        """The school year starting in September `first_year`: figures, incidents, settings."""
        if not EARLIEST_YEAR <= first_year <= self.today().year:
            raise PeriodNotValid(
                f"There is no school year {first_year} to review.",
                f"Give the year the school year started in, {EARLIEST_YEAR} to "
                f"{self.today().year} (2025 for September 2025 to August 2026).",
            )
        start, end = school_year(first_year)
        with self._database.session() as session:
            figures = self._figures(session, start, end)
            incidents = _incidents(session, start, end)
            policy = school_policy(session)
            changes = changes_between(session, *_utc_bounds(start, end))
        log.info("Annual review figures read for school year %d", first_year)
        return YearInReview(first_year, figures, incidents, policy, tuple(changes))

    def annual_review_pdf(self, first_year: int) -> bytes:
        """The governors' annual review pack for the school year starting September
        `first_year`, as PDF bytes."""
        from hvdesk.reports.annual_review import annual_review  # reportlab: on demand

        review = self.year_in_review(first_year)
        context = replace(
            DocumentService(self._database, self._clock).blank_context(),
            record_label=f"Annual review {school_year_label(first_year)}",
        )
        return annual_review(context, review)

    @staticmethod
    def annual_review_filename(first_year: int) -> str:
        return f"annual-review-{first_year}-{(first_year + 1) % 100:02d}.pdf"

    # --- reading -----------------------------------------------------------------------------

    def _figures(self, session: Session, start: date, end: date) -> YearFigures:
        now = self._clock.now()
        policy = school_policy(session)
        low, high = _utc_bounds(start, end)
        visits = session.scalars(
            sa.select(Visit)
            .where(
                Visit.is_drill.is_(False),
                Visit.planned_start >= low,
                Visit.planned_start < high,
            )
            .order_by(Visit.planned_start, Visit.id)
            .options(
                selectinload(Visit.visitors),
                selectinload(Visit.events).joinedload(VisitEvent.recorded_by),
                selectinload(Visit.authorisations),
            )
        ).all()
        facts = [_facts(visit, policy, now) for visit in visits]
        follow_ups = session.execute(
            sa.select(FollowUp.id, FollowUp.due_on, FollowUp.done_at)
            .join(Visit, FollowUp.visit_id == Visit.id)
            .where(
                Visit.is_drill.is_(False),
                Visit.planned_start >= low,
                Visit.planned_start < high,
            )
        ).all()
        follow_up_facts = [
            FollowUpFacts(
                follow_up_id=row.id,
                due_on=row.due_on,
                done_on=to_school_time(row.done_at).date() if row.done_at is not None else None,
            )
            for row in follow_ups
        ]
        return year_figures(facts, follow_up_facts, start, end, to_school_time(now).date())


def check_period(start: date, end: date) -> None:
    """Refuse a period that ends before it starts, or one too long to be a report's."""
    if end < start:
        raise PeriodNotValid(
            f"The period ends ({end:%d %b %Y}) before it starts ({start:%d %b %Y}).",
            "Choose an end date on or after the start date.",
        )
    if end - start > LONGEST_PERIOD:
        raise PeriodNotValid(
            "The period is longer than three years.",
            "Choose a shorter period (a school year is the usual one).",
        )


def _utc_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """From midnight starting `start` to midnight ending `end`, school time, as UTC instants."""
    return (
        school_time_to_utc(datetime.combine(start, time())),
        school_time_to_utc(datetime.combine(end + timedelta(days=1), time())),
    )


def _facts(visit: Visit, policy: SchoolPolicy, now: datetime) -> VisitFacts:
    events = timeline(visit)
    went_out = visit.status in _WENT_OUT_STATUSES or any(
        e.kind is EventKind.SIGNED_OUT for e in visit.events
    )
    escalations = escalation_history(visit_plan(visit), events, policy, now) if went_out else ()
    return VisitFacts(
        visit_id=visit.id,
        month=first_of_month(to_school_time(visit.planned_start).date()),
        reason=visit.reason,
        went_out=went_out,
        completed=visit.status is VisitStatus.COMPLETED,
        child_seen=visit.child_seen,
        cancellation_cause=(
            visit.cancellation_cause if visit.status is VisitStatus.CANCELLED else None
        ),
        lone=len(visit.visitors) == 1,
        out_of_hours=visit.out_of_hours,
        escalations=escalations,
        turnaround=_turnaround(visit, visit.authorisations),
    )


def _turnaround(visit: Visit, decisions: Sequence[Authorisation]) -> timedelta | None:
    """From the request's (latest) submission to the first decision after it."""
    submitted = visit.submitted_at
    if submitted is None or visit.urgent_unplanned:
        return None
    after = [d.decided_at for d in decisions if d.decided_at >= submitted]
    return min(after) - submitted if after else None


def _incidents(session: Session, start: date, end: date) -> tuple[IncidentSummary, ...]:
    low, high = _utc_bounds(start, end)
    found = session.scalars(
        sa.select(Incident)
        .where(
            Incident.is_drill.is_(False), Incident.occurred_at >= low, Incident.occurred_at < high
        )
        .order_by(Incident.occurred_at, Incident.id)
        .options(joinedload(Incident.visit))
    ).all()
    rows: list[IncidentSummary] = []
    for incident in found:
        visit = incident.visit
        if visit is not None and visit.is_drill:
            continue
        word = visit.safe_word if visit is not None else None

        def clean(text: str | None, word: str | None = word) -> str | None:
            return redact_safe_word(text, word)

        rows.append(
            IncidentSummary(
                incident_id=incident.id,
                kind=incident.kind.label,
                occurred_at=incident.occurred_at,
                status=incident.status.label,
                visit_id=incident.visit_id,
                highest_stage=incident.highest_stage,
                summary=clean(incident.summary) or "",
                lessons=clean(incident.lessons),
                procedure_changes=clean(incident.procedure_changes),
            )
        )
    return tuple(rows)
