"""Who to call is reachable (issue 13): a supervisor or emergency contact who is themselves out
on a visit, or on this very visit, is flagged ("out on visit 401, overdue") and the next person
is offered: the DSL, a deputy DSL, the headteacher, in that order, who is not out.

An emergency contact is taken to be a colleague when their phone number matches a member of
staff's work mobile (digits only) or their name matches a member of staff's.
For a signed-in user's view only: it carries emergency contacts' names and numbers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from hvdesk.clock import Clock
from hvdesk.db.database import Database
from hvdesk.db.models import Staff, Visit, VisitEvent
from hvdesk.domain.people import JobRole
from hvdesk.domain.visits import VisitStatus
from hvdesk.services.directory import school_policy
from hvdesk.services.drill import evaluate_visit
from hvdesk.services.visit_log import RecordNotFound

__all__ = ["FALLBACK_ROLES", "ContactCheck", "Reachability", "WhoToCall", "next_people_now"]

FALLBACK_ROLES: tuple[JobRole, ...] = (JobRole.DSL, JobRole.DEPUTY_DSL, JobRole.HEADTEACHER)
"""Who is offered next, in order, when the supervisor or emergency contact cannot take a call."""


@dataclass(frozen=True)
class ContactCheck:
    """One person the office may call, and why they may not be able to help."""

    role: str
    name: str
    phone: str | None
    flag: str | None = None
    """ "out on visit 401, overdue", "on this visit"...; None when reachable as far as we know."""

    @property
    def reachable(self) -> bool:
        return self.flag is None

    @property
    def text(self) -> str:
        phone = f" {self.phone}" if self.phone else ""
        flag = f" ({self.flag})" if self.flag else ""
        return f"{self.role}: {self.name}{phone}{flag}"


@dataclass(frozen=True)
class WhoToCall:
    """For one visitor: the supervisor, the emergency contact and the next people to call."""

    staff_id: int
    staff_name: str
    supervisor: ContactCheck | None
    emergency_contact: ContactCheck | None
    next_people: tuple[ContactCheck, ...]
    """Offered when the supervisor or emergency contact is flagged (empty otherwise)."""


class Reachability:
    """Checks each visitor's contacts against who is out right now."""

    def __init__(self, database: Database, clock: Clock) -> None:
        self._database = database
        self._clock = clock

    def next_people(self, busy_names: Iterable[str]) -> tuple[ContactCheck, ...]:
        """Whom to offer when a supervisor cannot take the call (see `next_people_now`)."""
        return next_people_now(self._database, busy_names)

    def who_to_call(self, visit_id: int) -> tuple[WhoToCall, ...]:
        """One answer per visitor of `visit_id`, lead visitor first."""
        now = self._clock.now()
        with self._database.session() as session:
            visit = session.get(Visit, visit_id)
            if visit is None:
                raise RecordNotFound(f"There is no visit {visit_id}.")
            on_this = {vs.staff_id for vs in visit.visitors}
            away = _staff_away(session, now)
            staff = list(session.scalars(sa.select(Staff).where(Staff.active.is_(True))))
            answers = []
            for vs in visit.visitors:
                person = vs.staff
                sup = person.supervisor
                supervisor = (
                    ContactCheck(
                        "Supervisor", sup.full_name, sup.work_mobile, _flag(sup.id, on_this, away)
                    )
                    if sup is not None
                    else None
                )
                emergency = None
                if person.emergency_contact_name or person.emergency_contact_phone:
                    colleague = _colleague(person, staff)
                    emergency = ContactCheck(
                        "Emergency contact",
                        person.emergency_contact_name or "(no name)",
                        person.emergency_contact_phone,
                        _flag(colleague.id, on_this, away) if colleague is not None else None,
                    )
                flagged = any(c is not None and not c.reachable for c in (supervisor, emergency))
                answers.append(
                    WhoToCall(
                        staff_id=person.id,
                        staff_name=person.full_name,
                        supervisor=supervisor,
                        emergency_contact=emergency,
                        next_people=_next_people(staff, on_this, away) if flagged else (),
                    )
                )
            return tuple(answers)


def next_people_now(database: Database, busy_names: Iterable[str]) -> tuple[ContactCheck, ...]:
    """The DSL, deputy DSL and headteacher (in that order) who are not among `busy_names`
    (the board knows who is out): whom to offer when a supervisor cannot take the call."""
    busy = {n.casefold() for n in busy_names}
    with database.session() as session:
        staff = session.scalars(
            sa.select(Staff).where(Staff.active.is_(True), Staff.job_role.in_(FALLBACK_ROLES))
        ).all()
        offered = []
        for role in FALLBACK_ROLES:
            for person in sorted(staff, key=lambda s: (s.last_name, s.id)):
                if person.job_role is role and person.full_name.casefold() not in busy:
                    offered.append(ContactCheck(role.label, person.full_name, person.work_mobile))
        return tuple(offered)


def _staff_away(session: Session, now: datetime) -> dict[int, str]:
    """Each member of staff out on a visit now: "out on visit 401" (", overdue" if so)."""
    policy = school_policy(session)
    visits = session.scalars(
        sa.select(Visit)
        .where(Visit.status == VisitStatus.OUT)
        .options(
            selectinload(Visit.events).joinedload(VisitEvent.recorded_by),
            selectinload(Visit.visitors),
        )
    ).all()
    away: dict[int, str] = {}
    for visit in visits:
        state = evaluate_visit(visit, policy, now)
        text = f"out on visit {visit.id}" + (", overdue" if state.stage.is_escalated else "")
        for vs in visit.visitors:
            away[vs.staff_id] = text
    return away


def _flag(staff_id: int, on_this: set[int], away: dict[int, str]) -> str | None:
    if staff_id in on_this:
        return "on this visit" + (", overdue" if away.get(staff_id, "").endswith("overdue") else "")
    return away.get(staff_id)


def _digits(phone: str | None) -> str:
    digits = re.sub(r"\D", "", phone or "")
    return "0" + digits[2:] if digits.startswith("44") else digits


def _colleague(person: Staff, staff: list[Staff]) -> Staff | None:
    """The member of staff who is `person`'s emergency contact, if any."""
    phone = _digits(person.emergency_contact_phone)
    name = (person.emergency_contact_name or "").strip().casefold()
    for other in staff:
        if other.id == person.id:
            continue
        if phone and _digits(other.work_mobile) == phone:
            return other
        if name and other.full_name.casefold() == name:
            return other
    return None


def _next_people(
    staff: list[Staff], on_this: set[int], away: dict[int, str]
) -> tuple[ContactCheck, ...]:
    offered = []
    for role in FALLBACK_ROLES:
        for person in sorted(staff, key=lambda s: (s.last_name, s.id)):
            if person.job_role is role and _flag(person.id, on_this, away) is None:
                offered.append(ContactCheck(role.label, person.full_name, person.work_mobile))
    return tuple(offered)
