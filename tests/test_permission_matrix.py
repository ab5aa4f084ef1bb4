# ruff: noqa: F811  (the demo-school fixtures are imported by name)
"""Permissions come from the account as it is now (issue 12, item 2).

Every service method that reads or changes something reserved is called by every role four
ways: honestly; by a DSL demoted to that role while signed in (a stale `SignedInUser` that still
says DSL); by an account of that role presenting a forged `SignedInUser` that says DSL; and by a
DSL whose account was switched off. The demoted and forged callers must get exactly what the
honest caller of that role gets, and the switched-off one nothing. Each method is checked to be
really reserved (not every role gets the same answer), so the matrix has teeth.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from itertools import count

import pytest
import sqlalchemy as sa

from hvdesk.db.models import Household, Incident, KnownRisk, Pupil, UserAccount
from hvdesk.domain.households import RiskKind
from hvdesk.domain.people import Role
from hvdesk.errors import HvdeskError
from hvdesk.services.accounts import Accounts
from hvdesk.services.audit import AuditFilter, AuditTrail
from hvdesk.services.documents import DocumentKind, DocumentService
from hvdesk.services.identity import SignedInUser
from hvdesk.services.incidents import Incidents
from hvdesk.services.mis_import import MisImport
from hvdesk.services.people import PeopleService
from hvdesk.services.retention import Retention
from hvdesk.services.subject_access import SubjectAccess
from tests.board_school import School, demo_template, school  # noqa: F401
from tests.test_mis_import import GOOD

Call = Callable[[School, SignedInUser], str]
_numbers = count(1)


def _history_household(school: School) -> int:
    with school.database.session() as session:
        found = session.scalar(
            sa.select(KnownRisk.household_id)
            .where(KnownRisk.kind == RiskKind.SAFEGUARDING_HISTORY, KnownRisk.ended_at.is_(None))
            .limit(1)
        )
        if found is None:
            found = session.scalar(sa.select(Household.id).limit(1))
        assert found is not None
        return found


def _ensure_history(school: School) -> int:
    """A household with a current safeguarding-history risk (recorded by the DSL)."""
    household = _history_household(school)
    deputy = _honest(school, Role.DEPUTY_DSL)  # the DSL's own account is the one demoted
    PeopleService(school.database, school.clock).add_known_risk(
        household, RiskKind.SAFEGUARDING_HISTORY, "Earlier referral (matrix test)", deputy
    )
    return household


def _sees_history(risks: object) -> str:
    kinds = {r.kind for r in risks}  # type: ignore[attr-defined]
    return "sees history" if RiskKind.SAFEGUARDING_HISTORY in kinds else "no history"


def household_risks(school: School, by: SignedInUser) -> str:
    household = _ensure_history(school)
    return _sees_history(
        PeopleService(school.database, school.clock).household_risks(household, by)
    )


def pupil_record(school: School, by: SignedInUser) -> str:
    household = _ensure_history(school)
    with school.database.session() as session:
        pupil = session.scalar(sa.select(Pupil.id).where(Pupil.household_id == household))
    assert pupil is not None
    record = PeopleService(school.database, school.clock).pupil(pupil, by)
    return _sees_history(record.risks)


def add_history(school: School, by: SignedInUser) -> str:
    PeopleService(school.database, school.clock).add_known_risk(
        _history_household(school), RiskKind.SAFEGUARDING_HISTORY, "Noted in matrix", by
    )
    return "added"


def end_history(school: School, by: SignedInUser) -> str:
    household = _history_household(school)
    risk = PeopleService(school.database, school.clock).add_known_risk(
        household, RiskKind.SAFEGUARDING_HISTORY, "To be ended", _honest(school, Role.DEPUTY_DSL)
    )
    PeopleService(school.database, school.clock).end_known_risk(risk, by)
    return "ended"


def _incident(school: School) -> int:
    with school.database.session() as session:
        found = session.scalar(sa.select(Incident.id).order_by(Incident.id).limit(1))
    assert found is not None
    return found


def incident_review(school: School, by: SignedInUser) -> str:
    Incidents(school.database, school.clock).review(_incident(school), by)
    return "read"


def incident_report(school: School, by: SignedInUser) -> str:
    DocumentService(school.database, school.clock).render(
        DocumentKind.INCIDENT, _incident(school), by=by
    )
    return "printed"


def mis_import(school: School, by: SignedInUser) -> str:
    importer = MisImport(school.database, school.clock)
    file = importer.read(GOOD)
    importer.run(file, file.suggested, by)
    return "imported"


def audit_trail(school: School, by: SignedInUser) -> str:
    AuditTrail(school.database, school.clock).entries(by, AuditFilter(limit=1))
    return "read"


def retention_due(school: School, by: SignedInUser) -> str:
    Retention(school.database, school.clock).due(by)
    return "read"


def subject_access(school: School, by: SignedInUser) -> str:
    SubjectAccess(school.database, school.clock).requests(by)
    return "read"


def create_account(school: School, by: SignedInUser) -> str:
    Accounts(school.database, school.clock).create_account(
        by, f"matrix.{next(_numbers)}", "Matrix Test", Role.RECEPTION, "a long password 123"
    )
    return "created"


METHODS: dict[str, Call] = {
    "people.household_risks": household_risks,
    "people.pupil": pupil_record,
    "people.add_known_risk (history)": add_history,
    "people.end_known_risk": end_history,
    "incidents.review": incident_review,
    "documents.render (incident)": incident_report,
    "mis_import.run": mis_import,
    "audit.entries": audit_trail,
    "retention.due": retention_due,
    "subject_access.requests": subject_access,
    "accounts.create_account": create_account,
}


def _account(school: School, role: Role) -> UserAccount:
    with school.database.session() as session:
        account = session.scalars(
            sa.select(UserAccount)
            .where(UserAccount.role == role, UserAccount.active.is_(True))
            .order_by(UserAccount.id)
        ).first()
        assert account is not None, f"the demo has no {role}"
        session.expunge(account)
        return account


def _identity(account: UserAccount, role: Role | None = None) -> SignedInUser:
    return SignedInUser(
        account.id, account.username, account.display_name, role or account.role, account.staff_id
    )


def _honest(school: School, role: Role) -> SignedInUser:
    return _identity(_account(school, role))


def _outcome(call: Call, school: School, by: SignedInUser) -> str:
    try:
        return call(school, by)
    except HvdeskError as refused:
        return f"refused ({type(refused).__name__})"


def _set(school: School, user_id: int, **values: object) -> None:
    with school.database.session() as session:
        account = session.get(UserAccount, user_id)
        assert account is not None
        for name, value in values.items():
            setattr(account, name, value)


@pytest.mark.parametrize("method", sorted(METHODS))
def test_every_reserved_method_against_every_role_and_a_demoted_account(
    school: School, method: str
) -> None:
    call = METHODS[method]
    honest = {role: _outcome(call, school, _honest(school, role)) for role in Role}
    assert len(set(honest.values())) > 1, f"{method} is not reserved: {honest}"

    dsl = _account(school, Role.DSL)
    stale = _identity(dsl)  # signed in as DSL; the object never changes
    for role in Role:
        _set(school, dsl.id, role=role)
        demoted = _outcome(call, school, stale)
        _set(school, dsl.id, role=Role.DSL)
        assert demoted == honest[role], (method, "demoted to", role)
        if role is not Role.DSL:
            forged = replace(_honest(school, role), role=Role.DSL)
            assert _outcome(call, school, forged) == honest[role], (method, "forged", role)

    _set(school, dsl.id, active=False)
    try:
        assert _outcome(call, school, stale).startswith("refused"), (method, "switched off")
    finally:
        _set(school, dsl.id, active=True)
