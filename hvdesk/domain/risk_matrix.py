"""The risk assessment matrix of a visit request. Pure: rows in, rows, problems and summaries out.

Starting rows: the five standard hazards of seed 001 appendix 2, then a row per operational
known risk of the household (never its safeguarding history: need-to-know), then a row per
earlier incident at the address, then any free rows the assessor adds. Rows pulled from known
risks and incidents start with their residual equal to the original: no control is assumed until
the assessor writes one.

What the highest residual band requires (decided here, enforced by the services):
- LOW / MEDIUM: nothing beyond the usual authorisation rules.
- HIGH: the visit may still be submitted as a pair visit, and then only the DSL or a deputy DSL
  may approve it (`permissions.authorisation_refusals`). A HIGH lone visit cannot be submitted
  at all, since nobody could approve it: add a second visitor, or controls that bring it down.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from hvdesk.clock import format_school_time
from hvdesk.domain.households import RiskKind
from hvdesk.domain.incidents import IncidentKind
from hvdesk.domain.risk import SCALE, STANDARD_HAZARDS, BandThresholds, RiskBand, risk_score

__all__ = [
    "ChangesSince",
    "HazardRow",
    "IncidentFact",
    "KnownRiskFact",
    "MatrixSummary",
    "RowSource",
    "changes_since",
    "heat_map",
    "row_problems",
    "rows_changed_since",
    "rows_for_changes",
    "starting_rows",
    "summarise",
    "what_is_required",
]


class RowSource:
    """Where a row came from (stored in `Hazard.source`)."""

    STANDARD = "standard"
    KNOWN_RISK = "known_risk"
    INCIDENT = "incident"
    FREE = "free"
    ALL = (STANDARD, KNOWN_RISK, INCIDENT, FREE)


@dataclass(frozen=True)
class HazardRow:
    """One row of the matrix: the hazard scored before and after controls."""

    hazard: str
    who_at_risk: str
    severity: int
    likelihood: int
    controls: str | None
    residual_severity: int
    residual_likelihood: int
    source: str = RowSource.FREE
    known_risk_id: int | None = None

    @property
    def score(self) -> int:
        return risk_score(self.severity, self.likelihood)

    @property
    def residual_score(self) -> int:
        return risk_score(self.residual_severity, self.residual_likelihood)


@dataclass(frozen=True)
class KnownRiskFact:
    id: int
    kind: RiskKind
    description: str
    recorded_at: datetime
    ended_at: datetime | None = None


@dataclass(frozen=True)
class IncidentFact:
    id: int
    kind: IncidentKind
    occurred_at: datetime


# (who at risk, severity, likelihood, controls, residual severity, residual likelihood)
_STANDARD_DEFAULTS: tuple[tuple[str, int, int, str, int, int], ...] = (
    (
        "Visiting staff",
        4,
        2,
        "Stay on the doorstep unless invited in; sit near the exit; leave at the first sign of "
        "hostility; the office has the itinerary and the safe word.",
        4,
        1,
    ),
    (
        "Visiting staff, other road users",
        3,
        2,
        "Business insurance checked; route planned; no calls while driving.",
        3,
        1,
    ),
    (
        "Visiting staff",
        2,
        2,
        "Park in a well-lit public place; ID badge out of sight until at the door.",
        2,
        1,
    ),
    (
        "Visiting staff, family",
        3,
        1,
        "First-aid kit in the car; the office holds the emergency contact.",
        2,
        1,
    ),
    (
        "Visiting staff",
        3,
        1,
        "Phone ahead and ask for animals to be shut away; do not enter if they are not.",
        2,
        1,
    ),
)

_KNOWN_RISK_SCORES: dict[RiskKind, tuple[int, int]] = {
    RiskKind.DOG: (3, 3),
    RiskKind.AGGRESSION: (4, 3),
    RiskKind.DO_NOT_ENTER_ALONE: (4, 3),
    RiskKind.CULTURAL: (2, 2),
    RiskKind.HEALTH: (3, 3),
    RiskKind.LOCATION: (2, 3),
    RiskKind.OTHER: (3, 3),
}

_INCIDENT_SCORES: dict[IncidentKind, tuple[int, int]] = {
    IncidentKind.AGGRESSIVE_ADULT: (4, 3),
    IncidentKind.THREAT: (4, 3),
    IncidentKind.ANIMAL: (3, 3),
    IncidentKind.ACCIDENT: (3, 2),
}


def standard_rows() -> list[HazardRow]:
    """The five hazards of seed 001 appendix 2 with the suggested scores and controls."""
    return [
        HazardRow(hazard, who, sev, lik, controls, res_sev, res_lik, RowSource.STANDARD)
        for hazard, (who, sev, lik, controls, res_sev, res_lik) in zip(
            STANDARD_HAZARDS, _STANDARD_DEFAULTS, strict=True
        )
    ]


def known_risk_row(risk: KnownRiskFact) -> HazardRow:
    severity, likelihood = _KNOWN_RISK_SCORES.get(risk.kind, (3, 3))
    return HazardRow(
        hazard=f"{risk.kind.label}: {risk.description}"[:200],
        who_at_risk="Visiting staff",
        severity=severity,
        likelihood=likelihood,
        controls=None,
        residual_severity=severity,
        residual_likelihood=likelihood,
        source=RowSource.KNOWN_RISK,
        known_risk_id=risk.id,
    )


def incident_row(incident: IncidentFact) -> HazardRow:
    """A row for an earlier incident, named by its kind and date only (the summary stays on
    the incident record)."""
    severity, likelihood = _INCIDENT_SCORES.get(incident.kind, (3, 2))
    when = format_school_time(incident.occurred_at, "%d %b %Y")
    return HazardRow(
        hazard=f"Earlier incident at this address: {incident.kind.label} ({when})",
        who_at_risk="Visiting staff",
        severity=severity,
        likelihood=likelihood,
        controls=None,
        residual_severity=severity,
        residual_likelihood=likelihood,
        source=RowSource.INCIDENT,
    )


def starting_rows(
    known_risks: Iterable[KnownRiskFact], incidents: Iterable[IncidentFact]
) -> list[HazardRow]:
    """Standard rows, then one per current operational known risk, then one per incident."""
    rows = standard_rows()
    rows.extend(known_risk_row(r) for r in _operational(known_risks))
    rows.extend(incident_row(i) for i in sorted(incidents, key=lambda i: i.occurred_at))
    return rows


@dataclass(frozen=True)
class ChangesSince:
    """What has changed at the household since the last assessment: to highlight."""

    new_known_risks: tuple[KnownRiskFact, ...]
    ended_known_risks: tuple[KnownRiskFact, ...]
    new_incidents: tuple[IncidentFact, ...]

    @property
    def any(self) -> bool:
        return bool(self.new_known_risks or self.ended_known_risks or self.new_incidents)


def changes_since(
    previous_created_at: datetime,
    previous_rows: Sequence[HazardRow],
    known_risks: Iterable[KnownRiskFact],
    incidents: Iterable[IncidentFact],
) -> ChangesSince:
    """New operational known risks (not in the previous rows and recorded since, or current and
    not covered), known risks covered then and ended since, and incidents since."""
    covered = {r.known_risk_id for r in previous_rows if r.known_risk_id is not None}
    risks = list(known_risks)
    new = tuple(r for r in _operational(risks) if r.id not in covered)
    ended = tuple(
        r
        for r in risks
        if r.id in covered and r.ended_at is not None and r.ended_at > previous_created_at
    )
    new_incidents = tuple(
        sorted(
            (i for i in incidents if i.occurred_at > previous_created_at),
            key=lambda i: i.occurred_at,
        )
    )
    return ChangesSince(new, ended, new_incidents)


def rows_for_changes(previous_rows: Sequence[HazardRow], changes: ChangesSince) -> list[HazardRow]:
    """The last assessment's rows as a starting point: rows for ended known risks dropped, a row
    added per new known risk and per new incident."""
    ended = {r.id for r in changes.ended_known_risks}
    rows = [r for r in previous_rows if r.known_risk_id is None or r.known_risk_id not in ended]
    rows.extend(known_risk_row(r) for r in changes.new_known_risks)
    rows.extend(incident_row(i) for i in changes.new_incidents)
    return rows


def row_problems(rows: Sequence[HazardRow]) -> list[str]:
    """Every problem with the rows, as sentences naming the row (numbered from 1)."""
    problems: list[str] = []
    if not rows:
        return ["The risk assessment has no rows; start from the standard hazards."]
    for number, row in enumerate(rows, 1):
        name = f"Row {number}"
        if not row.hazard.strip():
            problems.append(f"{name}: say what the hazard is.")
            continue
        name = f"Row {number} ({row.hazard[:40]})"
        if not row.who_at_risk.strip():
            problems.append(f"{name}: say who is at risk.")
        if row.source not in RowSource.ALL:
            problems.append(f"{name}: unknown source “{row.source}”.")
        scores = (row.severity, row.likelihood, row.residual_severity, row.residual_likelihood)
        if any(isinstance(v, bool) or v not in SCALE for v in scores):
            problems.append(f"{name}: severity and likelihood are each scored 1 to 5.")
            continue
        if row.residual_score > row.score:
            problems.append(
                f"{name}: the risk after controls ({row.residual_score}) cannot be higher than "
                f"before ({row.score}); lower it."
            )
        elif row.residual_score < row.score and not (row.controls or "").strip():
            problems.append(f"{name}: say which controls bring the risk down.")
    return problems


@dataclass(frozen=True)
class MatrixSummary:
    """The assessment at a glance: the highest residual score and band, and band counts."""

    highest_residual_score: int
    highest_residual_band: RiskBand
    residual_bands: dict[RiskBand, int]
    rows: int

    @property
    def text(self) -> str:
        counts = ", ".join(
            f"{self.residual_bands.get(b, 0)} {b.label.lower()}" for b in reversed(RiskBand)
        )
        return (
            f"Highest residual risk: {self.highest_residual_band.label} "
            f"({self.highest_residual_score}); {counts}."
        )


def summarise(rows: Sequence[HazardRow], bands: BandThresholds) -> MatrixSummary:
    """Rows must be valid (see `row_problems`)."""
    if not rows:
        raise ValueError("an assessment with no rows has no summary")
    scores = [r.residual_score for r in rows]
    counts = Counter(bands.band(s) for s in scores)
    worst = max(scores)
    return MatrixSummary(worst, bands.band(worst), dict(counts), len(rows))


def heat_map(rows: Sequence[HazardRow], *, residual: bool) -> dict[tuple[int, int], list[int]]:
    """Where each row sits on the 5x5 map: (severity, likelihood) -> row numbers (from 1)."""
    cells: dict[tuple[int, int], list[int]] = {}
    for number, row in enumerate(rows, 1):
        key = (
            (row.residual_severity, row.residual_likelihood)
            if residual
            else (row.severity, row.likelihood)
        )
        cells.setdefault(key, []).append(number)
    return cells


def rows_changed_since(rows: Sequence[HazardRow], changes: ChangesSince) -> list[int]:
    """The row numbers (from 1) that `changes` brought in: a row per new known risk (matched by
    its id) and per new incident (matched by the text `incident_row` writes for it), so the
    assessor sees what is new at the household since its last assessment."""
    new_risks = {r.id for r in changes.new_known_risks}
    new_incidents = {incident_row(i).hazard for i in changes.new_incidents}
    return [
        number
        for number, row in enumerate(rows, 1)
        if (row.known_risk_id is not None and row.known_risk_id in new_risks)
        or (row.source == RowSource.INCIDENT and row.hazard in new_incidents)
    ]


def what_is_required(band: RiskBand, *, lone: bool) -> str:
    """What the highest residual band requires of this visit, in the office's words (the rules
    of the module notes, enforced by the services on submit and approval)."""
    if band is RiskBand.HIGH and lone:
        return (
            "This lone visit cannot be submitted while the risk stays high after controls. Add "
            "a second visitor (then only the DSL or a deputy DSL may approve it), or controls "
            "that bring the risk down."
        )
    if band is RiskBand.HIGH:
        return (
            "Only the DSL or a deputy DSL may approve this visit, and it may not become a lone "
            "visit. Controls that bring the risk down lift these limits."
        )
    return "The usual authorisation rules apply."


def _operational(risks: Iterable[KnownRiskFact]) -> list[KnownRiskFact]:
    return sorted(
        (r for r in risks if r.kind.is_operational and r.ended_at is None),
        key=lambda r: (r.recorded_at, r.id),
    )
