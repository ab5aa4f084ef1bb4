"""What the visit request and risk assessment services share: their errors, the states in
which a request may still be edited, and reading a visit with what both need loaded."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from hvdesk.db.models import RiskAssessment, UserAccount, Visit, VisitStaff
from hvdesk.domain.visit_request import Problem
from hvdesk.domain.visits import VisitStatus
from hvdesk.errors import HvdeskError
from hvdesk.services.acting import require_active_account
from hvdesk.services.identity import SignedInUser

EDITABLE: frozenset[VisitStatus] = frozenset({VisitStatus.DRAFT, VisitStatus.CHANGES_REQUESTED})


class RequestRefused(HvdeskError):
    """The request cannot be changed or submitted as asked; nothing was saved."""

    title = "Visit request not saved"


class RequestNotFound(RequestRefused):
    title = "Not found"


class RequestNotReady(RequestRefused):
    """Submitting (or approving) found blockers; `problems` lists every one."""

    title = "Not ready to submit"

    def __init__(self, problems: Sequence[Problem], doing: str = "submitted") -> None:
        lines = "\n".join(f"• {p.message}" for p in problems)
        super().__init__(
            f"The request cannot be {doing} yet:\n{lines}", "Put these right and try again."
        )
        self.problems = list(problems)


def active_account(session: Session, by: SignedInUser) -> UserAccount:
    """The acting account, checked again; RequestRefused (the request screens' error) if closed."""
    return require_active_account(session, by, RequestRefused)


def load_visit(session: Session, visit_id: int) -> Visit:
    visit = session.scalars(
        sa.select(Visit)
        .where(Visit.id == visit_id)
        .options(
            selectinload(Visit.visitors).joinedload(VisitStaff.staff),
            selectinload(Visit.risk_assessments).selectinload(RiskAssessment.hazards),
            selectinload(Visit.authorisations),
        )
    ).one_or_none()
    if visit is None or visit.is_drill:
        raise RequestNotFound(f"There is no visit request {visit_id}.")
    return visit
