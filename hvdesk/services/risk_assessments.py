"""The risk assessment matrix of a visit request: started from the household's history, shown
with what changed since, and saved row by row while the request may still be edited.

Rules decided here:
* `start` starts from the household's last assessment on another visit (with new known risks
  and incidents added, and what changed reported), or from the standard rows plus a row per
  operational known risk and per earlier incident. Bands are copied from the settings.
* Saving replaces the rows; a row from an incident keeps source "incident" (the hazards table
  has no incident link: the incident is named by kind and date in the text).
* Only a draft or a request sent back for changes may have its matrix changed here; an
  authorised visit's risk changes through `Authorisations.amend`, which needs re-approval.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from hvdesk.clock import Clock
from hvdesk.db.database import Database
from hvdesk.db.models import Hazard, Incident, KnownRisk, RiskAssessment, Visit
from hvdesk.domain.risk import BandThresholds
from hvdesk.domain.risk_matrix import (
    ChangesSince,
    HazardRow,
    IncidentFact,
    KnownRiskFact,
    MatrixSummary,
    changes_since,
    row_problems,
    rows_for_changes,
    starting_rows,
    summarise,
)
from hvdesk.domain.text import trimmed
from hvdesk.domain.visit_request import Problem
from hvdesk.domain.visits import VisitStatus
from hvdesk.services.directory import school_policy
from hvdesk.services.identity import SignedInUser
from hvdesk.services.visit_request_common import (
    EDITABLE,
    RequestNotReady,
    RequestRefused,
    active_account,
    load_visit,
)

__all__ = ["AssessmentView", "RiskAssessments"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class AssessmentView:
    """An assessment as the matrix shows it, with what changed since the one it started from."""

    assessment_id: int
    visit_id: int
    based_on_id: int | None
    bands: BandThresholds
    rows: list[HazardRow]
    summary: MatrixSummary | None
    changes: ChangesSince | None
    notes: str | None = None
    based_on_created_at: datetime | None = None
    visit_status: VisitStatus = VisitStatus.DRAFT
    lone_visit: bool = False
    planned_start: datetime | None = None

    @property
    def editable(self) -> bool:
        """Whether the matrix may still be changed here (a draft or a request sent back)."""
        return self.visit_status in EDITABLE


class RiskAssessments:
    """Use cases of a visit's risk assessment, before authorisation."""

    def __init__(self, database: Database, clock: Clock) -> None:
        self._database = database
        self._clock = clock

    def start(self, visit_id: int, by: SignedInUser) -> int:
        """The visit's assessment (created if it has none): prefilled from the household's
        last assessment on another visit, or from the standard and household rows."""
        now = self._clock.now()
        with self._database.session() as session:
            active_account(session, by)
            visit = load_visit(session, visit_id)
            existing = latest_assessment(visit)
            if existing is not None:
                return existing.id
            _require_editable(visit)
            risks, incidents = household_facts(session, visit.household_id, visit.id)
            previous = _previous_assessment(session, visit)
            if previous is None:
                rows = starting_rows(risks, incidents)
            else:
                old_rows = rows_of(previous)
                rows = rows_for_changes(
                    old_rows, changes_since(previous.created_at, old_rows, risks, incidents)
                )
            bands = school_policy(session).risk_bands
            assessment = RiskAssessment(
                visit_id=visit.id,
                household_id=visit.household_id,
                based_on_id=previous.id if previous is not None else None,
                band_low_max=bands.low_max,
                band_medium_max=bands.medium_max,
                created_by_id=by.user_id,
                created_at=now,
            )
            _set_rows(assessment, rows, bands)
            session.add(assessment)
            session.flush()
            assessment_id = assessment.id
        log.info("Assessment %s started for visit %s", assessment_id, visit_id)
        return assessment_id

    def view(self, visit_id: int) -> AssessmentView | None:
        """The visit's current assessment with what changed since the one it started from."""
        with self._database.session() as session:
            visit = load_visit(session, visit_id)
            current = latest_assessment(visit)
            if current is None:
                return None
            rows = rows_of(current)
            bands = BandThresholds(current.band_low_max, current.band_medium_max)
            changes = None
            based_on_created_at = None
            if current.based_on_id is not None:
                base = session.get(RiskAssessment, current.based_on_id)
                if base is not None:
                    based_on_created_at = base.created_at
                    risks, incidents = household_facts(session, visit.household_id, visit.id)
                    changes = changes_since(base.created_at, rows_of(base), risks, incidents)
            summary = summarise(rows, bands) if rows and not row_problems(rows) else None
            return AssessmentView(
                current.id,
                visit.id,
                current.based_on_id,
                bands,
                rows,
                summary,
                changes,
                notes=current.notes,
                based_on_created_at=based_on_created_at,
                visit_status=visit.status,
                lone_visit=len(visit.visitors) == 1,
                planned_start=visit.planned_start,
            )

    def save(
        self,
        visit_id: int,
        rows: Sequence[HazardRow],
        by: SignedInUser,
        notes: str | None = None,
    ) -> MatrixSummary:
        """Replace the rows of the visit's assessment (after `start_assessment`)."""
        with self._database.session() as session:
            active_account(session, by)
            visit = load_visit(session, visit_id)
            _require_editable(visit)
            assessment = latest_assessment(visit)
            if assessment is None:
                raise RequestRefused(
                    f"Visit {visit.id} has no risk assessment yet.", "Start the assessment first."
                )
            summary = replace_rows(assessment, rows)
            if notes is not None:
                assessment.notes = notes.strip() or None
        log.info("Assessment for visit %s saved by user %s", visit_id, by.user_id)
        return summary


# --- shared with the visit request and authorisation services ------------------------------


def latest_assessment(visit: Visit) -> RiskAssessment | None:
    if not visit.risk_assessments:
        return None
    return max(visit.risk_assessments, key=lambda a: (a.created_at, a.id or 0))


def rows_of(assessment: RiskAssessment) -> list[HazardRow]:
    return [
        HazardRow(
            hazard=h.hazard,
            who_at_risk=h.who_at_risk,
            severity=h.severity,
            likelihood=h.likelihood,
            controls=h.controls,
            residual_severity=h.residual_severity,
            residual_likelihood=h.residual_likelihood,
            source=h.source,
            known_risk_id=h.known_risk_id,
        )
        for h in sorted(assessment.hazards, key=lambda h: h.position)
    ]


def replace_rows(assessment: RiskAssessment, rows: Sequence[HazardRow]) -> MatrixSummary:
    """Validate and store the rows; refuses with every problem listed."""
    errors = row_problems(rows)
    if errors:
        raise RequestNotReady([Problem("risk", e) for e in errors], "saved")
    bands = BandThresholds(assessment.band_low_max, assessment.band_medium_max)
    _set_rows(assessment, rows, bands)
    return summarise(rows, bands)


def household_facts(
    session: Session, household_id: int, visit_id: int | None
) -> tuple[list[KnownRiskFact], list[IncidentFact]]:
    """The household's known risks (all kinds: the domain keeps to the operational ones) and
    the incidents of earlier visits to it (drills left out)."""
    risks = [
        KnownRiskFact(r.id, r.kind, r.description, r.recorded_at, r.ended_at)
        for r in session.scalars(sa.select(KnownRisk).where(KnownRisk.household_id == household_id))
    ]
    incidents = [
        IncidentFact(i.id, i.kind, i.occurred_at)
        for i in session.scalars(
            sa.select(Incident)
            .join(Visit, Incident.visit_id == Visit.id)
            .where(
                Visit.household_id == household_id,
                Visit.id != (visit_id or 0),
                Incident.is_drill.is_(False),
            )
        )
    ]
    return risks, incidents


# --- helpers -------------------------------------------------------------------------------------


def _set_rows(assessment: RiskAssessment, rows: Sequence[HazardRow], bands: BandThresholds) -> None:
    assessment.hazards.clear()
    for position, row in enumerate(rows):
        assessment.hazards.append(
            Hazard(
                position=position,
                source=row.source,
                hazard=row.hazard.strip(),
                who_at_risk=row.who_at_risk.strip(),
                severity=row.severity,
                likelihood=row.likelihood,
                controls=trimmed(row.controls),
                residual_severity=row.residual_severity,
                residual_likelihood=row.residual_likelihood,
                known_risk_id=row.known_risk_id,
            )
        )
    valid = bool(rows) and not row_problems(rows)
    assessment.highest_residual_band = (
        summarise(rows, bands).highest_residual_band if valid else None
    )


def _previous_assessment(session: Session, visit: Visit) -> RiskAssessment | None:
    return session.scalars(
        sa.select(RiskAssessment)
        .where(
            RiskAssessment.household_id == visit.household_id,
            RiskAssessment.visit_id != visit.id,
        )
        .options(selectinload(RiskAssessment.hazards))
        .order_by(RiskAssessment.created_at.desc(), RiskAssessment.id.desc())
        .limit(1)
    ).one_or_none()


def _require_editable(visit: Visit) -> None:
    if visit.status not in EDITABLE:
        raise RequestRefused(
            f"Visit {visit.id} is {visit.status.label.lower()}: its risk assessment can no "
            "longer be edited here.",
            "An authorised visit's risk is changed with an amendment, which needs re-approval.",
        )
