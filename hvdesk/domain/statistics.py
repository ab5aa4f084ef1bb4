"""The year in figures: pure aggregation over plain facts about visits and follow-ups.

The services read the records (drills already left out) into `VisitFacts` and `FollowUpFacts`;
everything counted here is a rule the governors can read back:

* A visit belongs to the month (Europe/London) of its planned start, so a visit that runs past
  midnight counts in the month it started, and a daylight-saving change moves nothing: durations
  are differences of UTC instants.
* "Visits" (per month, by reason; lone; out of hours) are visits that went out: a departure is
  logged, or the status says out or completed. Visits cancelled before anyone left appear only
  under cancellations; drafts, refusals and visits still waiting are not visits made.
* Outcomes are those of completed visits: child seen, not seen, or not recorded.
* Cancellations are counted by cause, whether or not staff had left.
* Overdue: a visit that went out and missed a call deadline (arrival, check-in or home-safe),
  so that the escalation ladder started. The overdue rate is overdue / went out.
* Time to resolve: from the missed deadline to the recorded resolution, for each escalation
  that began with a missed deadline and was resolved; escalations still awaiting a resolution
  are counted, not timed.
* The highest stage reached is replayed from each visit's stored timeline with the escalation
  engine (`escalation_history`), the same evaluation `VisitLog.resolve` copies into the
  incident's `highest_stage`; the replay also covers escalations not (yet) resolved, which have
  no incident. Per visit, the highest over all its escalations; the safe word ranks highest.
* Authorisation turnaround: from the (latest) submission of the request to the first decision
  after it. Urgent departures are authorised after the event and are left out.
* Follow-ups overdue: not done and due before today (school date).
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from hvdesk.domain.escalation import (
    EscalationStage,
    TimelineEvent,
    VisitPlan,
    evaluate,
)
from hvdesk.domain.policy import SchoolPolicy
from hvdesk.domain.setting_fields import SettingChangeRow
from hvdesk.domain.visits import CancellationCause, EventKind, VisitReason

SCHOOL_YEAR_FIRST_MONTH = 9
"""The school year runs September to August (the policies are reviewed each September)."""

REPORTED_STAGES: tuple[EscalationStage, ...] = (
    EscalationStage.CALL_STAFF,
    EscalationStage.INFORM_SUPERVISOR,
    EscalationStage.CALL_EMERGENCY_CONTACT,
    EscalationStage.INFORM_POLICE,
    EscalationStage.EMERGENCY,
)
"""The stages an escalation can have reached, lowest first (the safe word last)."""

_JUST_BEFORE = timedelta(microseconds=1)


# --- periods ---------------------------------------------------------------------------------


def school_year(first_year: int) -> tuple[date, date]:
    """The school year that starts in September of `first_year`: 1 Sept to 31 Aug, inclusive."""
    return date(first_year, SCHOOL_YEAR_FIRST_MONTH, 1), date(first_year + 1, 8, 31)


def school_year_of(day: date) -> int:
    """The first calendar year of the school year `day` falls in (2027-03-01 -> 2026)."""
    return day.year if day.month >= SCHOOL_YEAR_FIRST_MONTH else day.year - 1


def school_year_label(first_year: int) -> str:
    """How the office writes a school year: "2025–26"."""
    return f"{first_year}–{(first_year + 1) % 100:02d}"


def first_of_month(day: date) -> date:
    return date(day.year, day.month, 1)


def month_starts(start: date, end: date) -> tuple[date, ...]:
    """The first day of every month from `start`'s to `end`'s, in order."""
    if end < start:
        raise ValueError("the period ends before it starts")
    months: list[date] = []
    month = first_of_month(start)
    while month <= end:
        months.append(month)
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return tuple(months)


# --- one visit's escalations -----------------------------------------------------------------


@dataclass(frozen=True)
class EscalationEpisode:
    """One escalation of a visit: from its first missed deadline (or the safe word) to its
    resolution, and the highest stage it reached."""

    began_at: datetime
    highest_stage: EscalationStage
    missed_deadline: bool
    """It began with (or came to include) a missed call deadline, not only the safe word."""
    resolved_at: datetime | None

    @property
    def time_to_resolve(self) -> timedelta | None:
        if self.resolved_at is None:
            return None
        return self.resolved_at - self.began_at


def escalation_history(
    plan: VisitPlan,
    events: Sequence[TimelineEvent],
    policy: SchoolPolicy,
    until: datetime,
) -> tuple[EscalationEpisode, ...]:
    """Every escalation in a visit's timeline up to `until`, oldest first.

    The engine answers "where does the visit stand at an instant"; an escalation is at its
    highest just before something stops it (a call, a resolution) or at `until`. So the visit
    is evaluated just before each event and at `until`, and the states that show an open
    escalation are grouped by when it began.
    """
    ordered = sorted(events, key=lambda e: e.occurred_at)
    safe_words = {e.occurred_at for e in ordered if e.kind is EventKind.SAFE_WORD}
    samples: list[tuple[datetime, TimelineEvent | None]] = [
        (e.occurred_at - _JUST_BEFORE, e) for e in ordered if e.occurred_at <= until
    ]
    samples.append((until, None))
    highest: dict[datetime, EscalationStage] = {}
    ladder_ran: set[datetime] = set()
    resolved: dict[datetime, datetime] = {}
    for instant, event in samples:
        state = evaluate(plan, ordered, policy, instant)
        began = state.escalation_began_at
        if not state.awaiting_resolution or began is None:
            continue
        known = highest.get(began, EscalationStage.NONE)
        if state.highest_stage.rank > known.rank:
            highest[began] = state.highest_stage
        else:
            highest[began] = known
        if state.stage.is_escalated and state.stage is not EscalationStage.EMERGENCY:
            ladder_ran.add(began)
        if event is not None and event.is_valid_resolution and began not in resolved:
            resolved[began] = event.occurred_at
    episodes = [
        EscalationEpisode(
            began_at=began,
            highest_stage=stage,
            missed_deadline=began not in safe_words or began in ladder_ran,
            resolved_at=resolved.get(began),
        )
        for began, stage in sorted(highest.items())
    ]
    return tuple(episodes)


# --- the facts the figures are made of ---------------------------------------------------------


@dataclass(frozen=True)
class VisitFacts:
    """One visit (never a drill) as the figures need it: plain values, no names."""

    visit_id: int
    month: date
    """The first of the month of the planned start, in school time."""
    reason: VisitReason
    went_out: bool
    completed: bool
    child_seen: bool | None
    cancellation_cause: CancellationCause | None
    """Set when the visit was cancelled (None otherwise)."""
    lone: bool
    out_of_hours: bool
    escalations: tuple[EscalationEpisode, ...] = ()
    turnaround: timedelta | None = None
    """Submission to decision, when both are known (urgent departures: None)."""

    @property
    def overdue(self) -> bool:
        return any(e.missed_deadline for e in self.escalations)

    @property
    def highest_stage(self) -> EscalationStage:
        stage = EscalationStage.NONE
        for episode in self.escalations:
            if episode.highest_stage.rank > stage.rank:
                stage = episode.highest_stage
        return stage


@dataclass(frozen=True)
class FollowUpFacts:
    """One follow-up action of a visit in the period."""

    follow_up_id: int
    due_on: date
    done_on: date | None


# --- the figures -----------------------------------------------------------------------------


@dataclass(frozen=True)
class MonthFigures:
    """One month's visits that went out: by reason, and how many missed a deadline, were lone
    or out of hours."""

    month: date
    by_reason: tuple[tuple[VisitReason, int], ...]
    went_out: int
    overdue: int
    lone: int
    out_of_hours: int

    def count(self, reason: VisitReason) -> int:
        return dict(self.by_reason).get(reason, 0)

    @property
    def total(self) -> int:
        return self.went_out

    @property
    def overdue_rate(self) -> float | None:
        return self.overdue / self.went_out if self.went_out else None


@dataclass(frozen=True)
class Outcomes:
    """What completed visits recorded about the child."""

    seen: int
    not_seen: int
    not_recorded: int

    @property
    def total(self) -> int:
        return self.seen + self.not_seen + self.not_recorded


@dataclass(frozen=True)
class Bucket:
    """A labelled count (a range of durations or of days late)."""

    label: str
    count: int


@dataclass(frozen=True)
class DurationSummary:
    """How long something took, over every case measured."""

    count: int
    median: timedelta | None
    longest: timedelta | None
    buckets: tuple[Bucket, ...]


@dataclass(frozen=True)
class FollowUpFigures:
    total: int
    done: int
    open_not_due: int
    overdue: int
    overdue_by_lateness: tuple[Bucket, ...]


@dataclass(frozen=True)
class YearFigures:
    """Every figure of the Reports page and the annual review for one period."""

    start: date
    end: date
    today: date
    months: tuple[MonthFigures, ...]
    reasons: tuple[tuple[VisitReason, int], ...]
    """Visits that went out by reason over the period, most frequent first (zeros left out)."""
    outcomes: Outcomes
    cancellations: tuple[tuple[CancellationCause, int], ...]
    """Every cause, in the order the office's list gives them (zeros included)."""
    went_out: int
    overdue: int
    time_to_resolve: DurationSummary
    unresolved: int
    """Escalations that began with a missed deadline and have no resolution recorded."""
    stages: tuple[tuple[EscalationStage, int], ...]
    """Visits by the highest stage reached, for `REPORTED_STAGES` (zeros included)."""
    lone: int
    out_of_hours: int
    turnaround: DurationSummary
    follow_ups: FollowUpFigures

    @property
    def overdue_rate(self) -> float | None:
        return self.overdue / self.went_out if self.went_out else None

    @property
    def escalated(self) -> int:
        return sum(n for _, n in self.stages)

    @property
    def cancelled(self) -> int:
        return sum(n for _, n in self.cancellations)


@dataclass(frozen=True)
class IncidentSummary:
    """One incident of the period as the governors read it: what, when, how far it went, and
    what was learnt."""

    incident_id: int
    kind: str
    occurred_at: datetime
    status: str
    visit_id: int | None
    highest_stage: int | None
    summary: str
    lessons: str | None
    procedure_changes: str | None


@dataclass(frozen=True)
class YearInReview:
    """Everything the annual review pack prints."""

    first_year: int
    figures: YearFigures
    incidents: tuple[IncidentSummary, ...]
    policy: SchoolPolicy
    setting_changes: tuple[SettingChangeRow, ...] = ()  # issue 15: the year's changes


RESOLVE_BUCKETS: tuple[tuple[str, timedelta | None], ...] = (
    ("Within 15 minutes", timedelta(minutes=15)),
    ("15 to 30 minutes", timedelta(minutes=30)),
    ("30 to 60 minutes", timedelta(hours=1)),
    ("Over an hour", None),
)
TURNAROUND_BUCKETS: tuple[tuple[str, timedelta | None], ...] = (
    ("Within an hour", timedelta(hours=1)),
    ("1 to 4 hours", timedelta(hours=4)),
    ("4 to 24 hours", timedelta(days=1)),
    ("1 to 3 days", timedelta(days=3)),
    ("Over 3 days", None),
)
LATENESS_BUCKETS: tuple[tuple[str, int | None], ...] = (
    ("1 to 7 days late", 7),
    ("8 to 30 days late", 30),
    ("Over 30 days late", None),
)


def median_duration(values: Iterable[timedelta]) -> timedelta | None:
    """The median (the mean of the middle two for an even count); None for no values."""
    ordered = sorted(values)
    if not ordered:
        return None
    seconds = statistics.median(v.total_seconds() for v in ordered)
    return timedelta(seconds=seconds)


def summarise(
    values: Iterable[timedelta], buckets: Sequence[tuple[str, timedelta | None]]
) -> DurationSummary:
    """Count, median, longest, and how many fall in each bucket (upper bound inclusive)."""
    ordered = sorted(values)
    counts = [0] * len(buckets)
    for value in ordered:
        for i, (_, upper) in enumerate(buckets):
            if upper is None or value <= upper:
                counts[i] += 1
                break
    return DurationSummary(
        count=len(ordered),
        median=median_duration(ordered),
        longest=ordered[-1] if ordered else None,
        buckets=tuple(Bucket(label, n) for (label, _), n in zip(buckets, counts, strict=True)),
    )


def year_figures(
    visits: Iterable[VisitFacts],
    follow_ups: Iterable[FollowUpFacts],
    start: date,
    end: date,
    today: date,
) -> YearFigures:
    """Every figure for the visits planned to start from `start` to `end` (school dates,
    inclusive). The caller passes only those visits, and no drills."""
    months = month_starts(start, end)
    planned = list(visits)
    out = [v for v in planned if v.went_out]
    by_month: dict[date, list[VisitFacts]] = {m: [] for m in months}
    for visit in out:
        by_month.setdefault(visit.month, []).append(visit)
    month_rows = tuple(
        MonthFigures(
            month=m,
            by_reason=tuple(
                (reason, n)
                for reason, n in sorted(
                    Counter(v.reason for v in by_month[m]).items(),
                    key=lambda item: list(VisitReason).index(item[0]),
                )
            ),
            went_out=len(by_month[m]),
            overdue=sum(1 for v in by_month[m] if v.overdue),
            lone=sum(1 for v in by_month[m] if v.lone),
            out_of_hours=sum(1 for v in by_month[m] if v.out_of_hours),
        )
        for m in months
    )
    reason_counts = Counter(v.reason for v in out)
    reasons = tuple(
        sorted(reason_counts.items(), key=lambda item: (-item[1], list(VisitReason).index(item[0])))
    )
    completed = [v for v in planned if v.completed]
    outcomes = Outcomes(
        seen=sum(1 for v in completed if v.child_seen is True),
        not_seen=sum(1 for v in completed if v.child_seen is False),
        not_recorded=sum(1 for v in completed if v.child_seen is None),
    )
    causes = Counter(v.cancellation_cause for v in planned if v.cancellation_cause is not None)
    episodes = [e for v in out for e in v.escalations if e.missed_deadline]
    resolve_times = [t for e in episodes if (t := e.time_to_resolve) is not None]
    highest = Counter(v.highest_stage for v in out)
    turnarounds = [v.turnaround for v in planned if v.turnaround is not None]
    return YearFigures(
        start=start,
        end=end,
        today=today,
        months=month_rows,
        reasons=reasons,
        outcomes=outcomes,
        cancellations=tuple((cause, causes.get(cause, 0)) for cause in CancellationCause),
        went_out=len(out),
        overdue=sum(1 for v in out if v.overdue),
        time_to_resolve=summarise(resolve_times, RESOLVE_BUCKETS),
        unresolved=sum(1 for e in episodes if e.resolved_at is None),
        stages=tuple((stage, highest.get(stage, 0)) for stage in REPORTED_STAGES),
        lone=sum(1 for v in out if v.lone),
        out_of_hours=sum(1 for v in out if v.out_of_hours),
        turnaround=summarise(turnarounds, TURNAROUND_BUCKETS),
        follow_ups=_follow_up_figures(list(follow_ups), today),
    )


def _follow_up_figures(follow_ups: Sequence[FollowUpFacts], today: date) -> FollowUpFigures:
    overdue = [f for f in follow_ups if f.done_on is None and f.due_on < today]
    lateness = [0] * len(LATENESS_BUCKETS)
    for f in overdue:
        days = (today - f.due_on).days
        for i, (_, upper) in enumerate(LATENESS_BUCKETS):
            if upper is None or days <= upper:
                lateness[i] += 1
                break
    return FollowUpFigures(
        total=len(follow_ups),
        done=sum(1 for f in follow_ups if f.done_on is not None),
        open_not_due=sum(1 for f in follow_ups if f.done_on is None and f.due_on >= today),
        overdue=len(overdue),
        overdue_by_lateness=tuple(
            Bucket(label, n) for (label, _), n in zip(LATENESS_BUCKETS, lateness, strict=True)
        ),
    )


def format_duration(value: timedelta | None) -> str:
    """A duration as the office reads it: "45 min", "2 h 05 min", "3 days 4 h"; "–" for none."""
    if value is None:
        return "–"
    minutes = round(value.total_seconds() / 60)
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} h {minutes:02d} min"
    days, hours = divmod(hours, 24)
    return f"{days} day{'s' if days != 1 else ''} {hours} h"


def format_rate(part: int, whole: int) -> str:
    """A share as a percentage with one decimal; "–" when there is nothing to divide by."""
    if not whole:
        return "–"
    return f"{100 * part / whole:.1f}%"
