"""After the visit: the record, its follow-ups, and the hand-off to CPOMS.

Each method is one unit of work naming the signed-in user; a refusal raises a typed
`HvdeskError` with a message for the office and writes nothing. Log lines carry ids only.

Writes name their user through `audit.writing_as` (the audit trail records each change).

Rules decided here (the pure ones are in `hvdesk.domain.visit_record`):
* A record is written for a visit that happened: status COMPLETED (the staff are back: the
  board's "returned" sets it), or CANCELLED after the staff had set out (called off at the door:
  whether the child was seen still matters). Not for drafts, requests, visits still out, visits
  cancelled before anyone left, or drills.
* `completed_at` is when the record was first written and never moves; `record_written_at/by`
  are the latest write. Editing stays possible after the CPOMS tick (the view says so, so the
  change is made there too).
* Follow-ups: the draft lists the open ones (new or saved); an open follow-up left out of the
  draft is deleted; done ones are never changed and keep their place. Owners must be active
  members of staff. A follow-up is marked done, with a note of what was done, by its owner,
  anyone who may write the record, or the DSL and deputies; only once.
* Open follow-ups are listed earliest due first; one is overdue when its due date (school time)
  is before today.
* The hand-off list: visits with a record that could go to CPOMS and no CPOMS tick yet (a
  COMPLETED visit whose record is not written is listed too, marked so: it is owed a record),
  oldest planned start first. The tick needs the record written, takes the date and time it was
  recorded there (not in the future, not before the visit started), and is given once.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload, selectinload

from hvdesk.clock import Clock, format_school_time, to_school_time
from hvdesk.db.database import Database
from hvdesk.db.models import (
    Authorisation,
    FollowUp,
    Pupil,
    Staff,
    UserAccount,
    Visit,
    VisitEvent,
    VisitStaff,
)
from hvdesk.domain.cpoms_summary import CpomsFollowUp, CpomsVisit, CpomsVisitor, cpoms_summary
from hvdesk.domain.safe_word import redact_safe_word
from hvdesk.domain.text import clean_text, one_line
from hvdesk.domain.uk_formats import name_with_year_group
from hvdesk.domain.visit_record import (
    FollowUpDraft,
    RecordProblem,
    VisitRecordDraft,
    may_see_all_records,
    may_tick_recorded,
    may_write_record,
    record_problems,
)
from hvdesk.domain.visits import EventKind, VisitorRole, VisitStatus, reason_text
from hvdesk.errors import HvdeskError
from hvdesk.services import audit
from hvdesk.services.accounts import NotPermitted
from hvdesk.services.acting import display_names, require_active_account
from hvdesk.services.authorisation import approval_in_force
from hvdesk.services.directory import StaffChoice
from hvdesk.services.identity import SignedInUser

__all__ = [
    "FollowUpRow",
    "FollowUpView",
    "HandOffRow",
    "RecordNotSaved",
    "RecordProblems",
    "StaffChoice",
    "VisitRecordView",
    "VisitRecords",
]

log = logging.getLogger(__name__)


class RecordNotSaved(HvdeskError):
    """The record, follow-up or tick cannot be saved as asked; nothing was written."""

    title = "Visit record not saved"


class RecordProblems(RecordNotSaved):
    """The draft has problems; `problems` lists each with the field it is about."""

    def __init__(self, problems: Sequence[RecordProblem]) -> None:
        lines = "\n".join(f"• {p.message}" for p in problems)
        super().__init__(f"The record was not saved:\n{lines}", "Put these right and save again.")
        self.problems = list(problems)


@dataclass(frozen=True)
class FollowUpView:
    """A saved follow-up as the record shows it."""

    id: int
    action: str
    owner_staff_id: int | None
    owner: str
    due_on: date
    done_at: datetime | None
    done_by: str | None
    done_note: str | None

    @property
    def is_done(self) -> bool:
        return self.done_at is not None


@dataclass(frozen=True)
class VisitRecordView:
    """A visit's record as the record dialog opens it."""

    visit_id: int
    status: str
    planned_start: datetime
    planned_end: datetime
    pupil: str | None
    area: str
    visitors: tuple[str, ...]
    reason: str
    draft: VisitRecordDraft
    follow_ups: tuple[FollowUpView, ...]
    is_written: bool
    written_at: datetime | None
    written_by: str | None
    recorded_on_cpoms_at: datetime | None
    recorded_on_cpoms_by: str | None
    why_not_write: str | None
    """None if the user may write the record; else why not (the form is then read-only)."""

    @property
    def may_write(self) -> bool:
        return self.why_not_write is None


@dataclass(frozen=True)
class HandOffRow:
    """A visit whose record is not yet on CPOMS."""

    visit_id: int
    planned_start: datetime
    pupil: str | None
    area: str
    visitors: tuple[str, ...]
    reason: str
    written_at: datetime | None
    written_by: str | None
    may_tick: bool

    @property
    def is_written(self) -> bool:
        return self.written_at is not None


@dataclass(frozen=True)
class FollowUpRow:
    """A follow-up as the follow-ups list shows it."""

    id: int
    visit_id: int
    visit_date: datetime
    pupil: str | None
    action: str
    owner: str
    due_on: date
    days_to_due: int
    """Days from today (school time) to the due date: negative once overdue."""
    done_at: datetime | None
    done_by: str | None
    done_note: str | None
    may_mark_done: bool

    @property
    def days_overdue(self) -> int:
        return max(0, -self.days_to_due)

    @property
    def is_overdue(self) -> bool:
        return self.done_at is None and self.days_to_due < 0

    @property
    def is_done(self) -> bool:
        return self.done_at is not None


class VisitRecords:
    """The after-visit use cases."""

    def __init__(self, database: Database, clock: Clock) -> None:
        self._database = database
        self._clock = clock

    def _today(self) -> date:
        return to_school_time(self._clock.now()).date()

    # --- the record ---------------------------------------------------------------------------

    def record(self, visit_id: int, by: SignedInUser) -> VisitRecordView:
        """The visit's record (empty fields if not written yet) and whether `by` may write it."""
        with self._database.session() as session:
            account = require_active_account(session, by)
            visit = _load(session, visit_id)
            if not _may_read(account, visit):
                raise NotPermitted(
                    f"Visit {visit_id}'s record is for the staff who went, the person who "
                    "asked for it, the safeguarding leads and the office.",
                    "Ask the DSL if you need to read it.",
                )
            why_not = _why_not_recordable(visit)
            if why_not is None and not _may_write(account, visit):
                why_not = (
                    "Only the visitors, the person who requested the visit and the DSL or a "
                    "deputy may write this record."
                )
            names = _names(session, visit)
            return VisitRecordView(
                visit_id=visit.id,
                status=visit.status.label,
                planned_start=visit.planned_start,
                planned_end=visit.planned_end,
                pupil=visit.pupil.full_name if visit.pupil else None,
                area=visit.household.area,
                visitors=tuple(vs.staff.full_name for vs in visit.visitors),
                reason=reason_text(visit.reason, visit.reason_other),
                draft=VisitRecordDraft(
                    child_seen=visit.child_seen,
                    spoken_to=visit.spoken_to,
                    observations=visit.observations,
                    opinions=visit.opinions,
                    concerns_raised=visit.concerns_raised,
                    outcome=visit.outcome,
                    action_required=visit.action_required,
                    follow_ups=tuple(
                        FollowUpDraft(f.action, f.owner_staff_id, f.due_on, f.id)
                        for f in visit.follow_ups
                        if f.done_at is None
                    ),
                ),
                follow_ups=tuple(
                    FollowUpView(
                        id=f.id,
                        action=f.action,
                        owner_staff_id=f.owner_staff_id,
                        owner=f.owner.full_name if f.owner else "No owner",
                        due_on=f.due_on,
                        done_at=f.done_at,
                        done_by=names.get(f.done_by_id),
                        done_note=f.done_note,
                    )
                    for f in visit.follow_ups
                ),
                is_written=visit.completed_at is not None,
                written_at=visit.record_written_at or visit.completed_at,
                written_by=names.get(visit.record_written_by_id),
                recorded_on_cpoms_at=visit.recorded_on_safeguarding_system_at,
                recorded_on_cpoms_by=names.get(visit.recorded_on_safeguarding_system_by_id),
                why_not_write=why_not,
            )

    def write(self, visit_id: int, draft: VisitRecordDraft, by: SignedInUser) -> None:
        """Write (or rewrite) the record and its open follow-ups, all or nothing."""
        now = self._clock.now()
        with audit.writing_as(self._database, by, self._clock) as session:
            account = require_active_account(session, by)
            visit = _load(session, visit_id)
            why_not = _why_not_recordable(visit)
            if why_not is not None:
                raise RecordNotSaved(why_not)
            if not _may_write(account, visit):
                raise NotPermitted(
                    "Only the visitors, the person who requested the visit and the DSL or a "
                    "deputy may write this record; nothing was saved.",
                )
            saved = {f.id: f for f in visit.follow_ups}
            problems = record_problems(
                draft, self._today(), {i: f.due_on for i, f in saved.items()}
            )
            problems += _follow_up_link_problems(session, draft, saved)
            if problems:
                raise RecordProblems(problems)
            visit.child_seen = draft.child_seen
            visit.spoken_to = one_line(draft.spoken_to)
            visit.observations = clean_text(draft.observations)
            visit.opinions = clean_text(draft.opinions)
            visit.concerns_raised = clean_text(draft.concerns_raised)
            visit.outcome = clean_text(draft.outcome)
            visit.action_required = clean_text(draft.action_required)
            if visit.completed_at is None:
                visit.completed_at = now
            visit.record_written_at = now
            visit.record_written_by_id = by.user_id
            _sync_follow_ups(session, visit, draft.follow_ups, saved, by, now)
        log.info("Record of visit %d written by user %d", visit_id, by.user_id)

    def staff_choices(self) -> list[StaffChoice]:
        """Active staff who may own a follow-up, by surname."""
        with self._database.session() as session:
            rows = session.scalars(
                sa.select(Staff)
                .where(Staff.active.is_(True), Staff.left_on.is_(None))
                .order_by(Staff.last_name, Staff.first_name, Staff.id)
            )
            return [StaffChoice(s.id, s.full_name, s.job_role.label) for s in rows]

    # --- follow-ups ---------------------------------------------------------------------------

    def mark_follow_up_done(self, follow_up_id: int, note: str, by: SignedInUser) -> None:
        """The follow-up is done: when, who, and a note of what was done."""
        now = self._clock.now()
        text = clean_text(note)
        with audit.writing_as(self._database, by, self._clock) as session:
            account = require_active_account(session, by)
            follow_up = session.get(FollowUp, follow_up_id)
            if follow_up is None:
                raise RecordNotSaved(f"There is no follow-up {follow_up_id}.")
            visit = _load(session, follow_up.visit_id)
            if not _may_mark_done(account, visit, follow_up):
                raise NotPermitted(
                    "A follow-up is marked done by its owner, the visit's staff or requester, "
                    "or the DSL or a deputy; nothing was saved.",
                )
            if follow_up.done_at is not None:
                raise RecordNotSaved(
                    f"That follow-up was already marked done on "
                    f"{format_school_time(follow_up.done_at)}; nothing was changed."
                )
            if text is None:
                raise RecordNotSaved(
                    "Say what was done (a short note) before marking the follow-up done."
                )
            if len(text) > 2000:
                raise RecordNotSaved("Keep the note under 2000 characters.")
            follow_up.done_at = now
            follow_up.done_by_id = by.user_id
            follow_up.done_note = text
        log.info("Follow-up %d marked done by user %d", follow_up_id, by.user_id)

    def follow_ups(self, by: SignedInUser, *, include_done: bool = False) -> list[FollowUpRow]:
        """Follow-ups the user may see, open ones earliest due first (done ones after them,
        most recently done first, when asked for)."""
        today = self._today()
        with self._database.session() as session:
            account = require_active_account(session, by)
            query = (
                sa.select(
                    FollowUp.id,
                    FollowUp.visit_id,
                    FollowUp.action,
                    FollowUp.owner_staff_id,
                    FollowUp.due_on,
                    FollowUp.done_at,
                    FollowUp.done_by_id,
                    FollowUp.done_note,
                    Visit.planned_start,
                    Visit.created_by_id,
                    Pupil.first_name.label("pupil_first"),
                    Pupil.last_name.label("pupil_last"),
                    Staff.first_name.label("owner_first"),
                    Staff.last_name.label("owner_last"),
                )
                .join(Visit, FollowUp.visit_id == Visit.id)
                .outerjoin(Pupil, Visit.pupil_id == Pupil.id)
                .outerjoin(Staff, FollowUp.owner_staff_id == Staff.id)
                .where(Visit.is_drill.is_(False))
            )
            if not include_done:
                query = query.where(FollowUp.done_at.is_(None))
            found = session.execute(query).all()
            visitors: dict[int, set[int]] = {}
            for visit_id, staff_id in session.execute(
                sa.select(VisitStaff.visit_id, VisitStaff.staff_id).where(
                    VisitStaff.visit_id.in_(query.with_only_columns(FollowUp.visit_id))
                )
            ):
                visitors.setdefault(visit_id, set()).add(staff_id)
            rows: list[FollowUpRow] = []
            shown: list[tuple[Any, bool]] = []
            for item in found:
                writer = _may_write_values(
                    account, visitors.get(item.visit_id, set()), item.created_by_id
                )
                owner = account.staff_id is not None and account.staff_id == item.owner_staff_id
                if writer or owner or may_see_all_records(account.role):
                    shown.append((item, writer or owner))
            names = display_names(session, {item.done_by_id for item, _ in shown})
            for item, may_mark in shown:
                owner_name = (
                    f"{item.owner_first} {item.owner_last}"
                    if item.owner_first is not None
                    else "No owner"
                )
                pupil = (
                    f"{item.pupil_first} {item.pupil_last}"
                    if item.pupil_first is not None
                    else None
                )
                rows.append(
                    FollowUpRow(
                        id=item.id,
                        visit_id=item.visit_id,
                        visit_date=item.planned_start,
                        pupil=pupil,
                        action=item.action,
                        owner=owner_name,
                        due_on=item.due_on,
                        days_to_due=(item.due_on - today).days,
                        done_at=item.done_at,
                        done_by=names.get(item.done_by_id),
                        done_note=item.done_note,
                        may_mark_done=item.done_at is None and may_mark,
                    )
                )
        open_rows = sorted((r for r in rows if not r.is_done), key=lambda r: (r.due_on, r.id))
        done_rows = sorted(
            (r for r in rows if r.is_done),
            key=lambda r: (r.done_at or r.visit_date, r.id),
            reverse=True,
        )
        return open_rows + done_rows

    # --- the hand-off to CPOMS ----------------------------------------------------------------

    def awaiting_cpoms(self, by: SignedInUser) -> list[HandOffRow]:
        """Visits not yet recorded on CPOMS, oldest first (see the module's rules)."""
        with self._database.session() as session:
            account = require_active_account(session, by)
            visits = session.scalars(
                sa.select(Visit)
                .where(
                    Visit.is_drill.is_(False),
                    Visit.recorded_on_safeguarding_system_at.is_(None),
                    sa.or_(
                        Visit.status == VisitStatus.COMPLETED,
                        sa.and_(
                            Visit.status == VisitStatus.CANCELLED,
                            Visit.completed_at.is_not(None),
                        ),
                    ),
                )
                .options(
                    selectinload(Visit.visitors).joinedload(VisitStaff.staff),
                    joinedload(Visit.pupil),
                    joinedload(Visit.household),
                )
                .order_by(Visit.planned_start, Visit.id)
            ).unique()
            shown = [v for v in visits if _may_read(account, v)]
            names = display_names(session, {v.record_written_by_id for v in shown})
            return [
                HandOffRow(
                    visit_id=v.id,
                    planned_start=v.planned_start,
                    pupil=v.pupil.full_name if v.pupil else None,
                    area=v.household.area,
                    visitors=tuple(vs.staff.full_name for vs in v.visitors),
                    reason=reason_text(v.reason, v.reason_other),
                    written_at=v.record_written_at or v.completed_at,
                    written_by=names.get(v.record_written_by_id),
                    may_tick=_may_tick(account, v),
                )
                for v in shown
            ]

    def cpoms_summary(self, visit_id: int, by: SignedInUser) -> str:
        """The plain-text summary to paste into CPOMS (the record must be written)."""
        with self._database.session() as session:
            account = require_active_account(session, by)
            visit = _load(session, visit_id)
            if not _may_read(account, visit):
                raise NotPermitted(f"Visit {visit_id}'s record is not yours to copy.")
            if visit.completed_at is None:
                raise RecordNotSaved(
                    f"Visit {visit_id} has no record yet, so there is nothing to copy.",
                    "Write the after-visit record first.",
                )
            return cpoms_summary(_summary_data(session, visit))

    def mark_recorded_on_cpoms(
        self, visit_id: int, by: SignedInUser, at: datetime | None = None
    ) -> None:
        """Tick: the record is on the school's safeguarding system, since `at` (default now)."""
        now = self._clock.now()
        when = at or now
        if when.tzinfo is None:
            raise ValueError("pass an aware time (UTC)")
        with audit.writing_as(self._database, by, self._clock) as session:
            account = require_active_account(session, by)
            visit = _load(session, visit_id)
            if not _may_tick(account, visit):
                raise NotPermitted(
                    "The office, the safeguarding leads and the visit's own staff tick a record "
                    "as on CPOMS; nothing was saved.",
                )
            if visit.recorded_on_safeguarding_system_at is not None:
                who = display_names(session, {visit.recorded_on_safeguarding_system_by_id})
                by_whom = who.get(visit.recorded_on_safeguarding_system_by_id)
                raise RecordNotSaved(
                    f"Visit {visit_id} was already ticked as on CPOMS on "
                    f"{format_school_time(visit.recorded_on_safeguarding_system_at)}"
                    + (f" by {by_whom}" if by_whom else "")
                    + "; nothing was changed."
                )
            if visit.completed_at is None:
                raise RecordNotSaved(
                    f"Visit {visit_id} has no record yet; nothing was ticked.",
                    "Write the after-visit record, put it on CPOMS, then tick it here.",
                )
            if when > now:
                raise RecordNotSaved(
                    "The time it was recorded on CPOMS is in the future.",
                    "Give the date and time it was put there (now or earlier).",
                )
            if when < visit.planned_start:
                raise RecordNotSaved(
                    "The time it was recorded on CPOMS is before the visit started "
                    f"({format_school_time(visit.planned_start)}).",
                    "Check the date.",
                )
            visit.recorded_on_safeguarding_system_at = when
            visit.recorded_on_safeguarding_system_by_id = by.user_id
        log.info("Visit %d ticked as on CPOMS by user %d", visit_id, by.user_id)


# --- helpers -------------------------------------------------------------------------------------


def _load(session: Session, visit_id: int) -> Visit:
    visit = session.scalars(
        sa.select(Visit)
        .where(Visit.id == visit_id)
        .options(
            selectinload(Visit.visitors).joinedload(VisitStaff.staff),
            selectinload(Visit.follow_ups).joinedload(FollowUp.owner),
            selectinload(Visit.events),
            selectinload(Visit.authorisations).joinedload(Authorisation.decided_by),
            joinedload(Visit.pupil),
            joinedload(Visit.household),
        )
    ).one_or_none()
    if visit is None or visit.is_drill:
        raise RecordNotSaved(
            f"There is no visit {visit_id}.", "Check the visit number in the Visits list."
        )
    return visit


def _visitor_ids(visit: Visit) -> set[int]:
    return {vs.staff_id for vs in visit.visitors}


def _may_write(account: UserAccount, visit: Visit) -> bool:
    return _may_write_values(account, _visitor_ids(visit), visit.created_by_id)


def _may_write_values(
    account: UserAccount, visitor_staff_ids: set[int], requester_id: int | None
) -> bool:
    return may_write_record(
        account.role,
        user_id=account.id,
        staff_id=account.staff_id,
        visitor_staff_ids=visitor_staff_ids,
        requester_id=requester_id,
    )


def _may_tick(account: UserAccount, visit: Visit) -> bool:
    return may_tick_recorded(
        account.role,
        user_id=account.id,
        staff_id=account.staff_id,
        visitor_staff_ids=_visitor_ids(visit),
        requester_id=visit.created_by_id,
    )


def _may_read(account: UserAccount, visit: Visit) -> bool:
    return may_see_all_records(account.role) or _may_write(account, visit)


def _may_mark_done(account: UserAccount, visit: Visit, follow_up: FollowUp) -> bool:
    owner = account.staff_id is not None and account.staff_id == follow_up.owner_staff_id
    return owner or _may_write(account, visit)


def _why_not_recordable(visit: Visit) -> str | None:
    """Why no record can be written for this visit now, or None if it can."""
    if visit.status is VisitStatus.COMPLETED:
        return None
    if visit.status is VisitStatus.CANCELLED:
        if any(e.kind is EventKind.SIGNED_OUT for e in visit.events):
            return None
        return (
            f"Visit {visit.id} was cancelled before anyone set out, so there is no visit to record."
        )
    if visit.status is VisitStatus.OUT:
        return (
            f"Visit {visit.id} is still out. Record the staff's return on the board first, "
            "then write the record."
        )
    return (
        f"Visit {visit.id} has not happened ({visit.status.label.lower()}); a record is "
        "written after the visit."
    )


def _follow_up_link_problems(
    session: Session, draft: VisitRecordDraft, saved: dict[int, FollowUp]
) -> list[RecordProblem]:
    """Problems the database must answer: the follow-up ids and the owners."""
    problems: list[RecordProblem] = []
    owner_ids = {f.owner_staff_id for f in draft.follow_ups if f.owner_staff_id is not None}
    owners = {s.id: s for s in session.scalars(sa.select(Staff).where(Staff.id.in_(owner_ids)))}
    seen: set[int] = set()
    for number, item in enumerate(draft.follow_ups, start=1):
        prefix = f"Follow-up {number}: "
        if item.follow_up_id is not None:
            existing = saved.get(item.follow_up_id)
            if existing is None or item.follow_up_id in seen:
                problems.append(
                    RecordProblem(
                        "follow_ups",
                        prefix + "it is not one of this visit's follow-ups; reopen the record.",
                        number,
                    )
                )
            elif existing.done_at is not None:
                problems.append(
                    RecordProblem(
                        "follow_ups",
                        prefix + "it is already done and can no longer be changed.",
                        number,
                    )
                )
            seen.add(item.follow_up_id)
        if item.owner_staff_id is not None:
            owner = owners.get(item.owner_staff_id)
            unchanged = (
                item.follow_up_id is not None
                and item.follow_up_id in saved
                and saved[item.follow_up_id].owner_staff_id == item.owner_staff_id
            )
            if owner is None:
                problems.append(
                    RecordProblem("follow_ups", prefix + "choose an owner from the list.", number)
                )
            elif (not owner.active or owner.left_on is not None) and not unchanged:
                problems.append(
                    RecordProblem(
                        "follow_ups",
                        prefix + f"{owner.full_name} has left; choose someone still at school.",
                        number,
                    )
                )
    return problems


def _sync_follow_ups(
    session: Session,
    visit: Visit,
    drafts: Sequence[FollowUpDraft],
    saved: dict[int, FollowUp],
    by: SignedInUser,
    now: datetime,
) -> None:
    """Make the open follow-ups what the draft says; done ones stay, first, as they were."""
    kept = {d.follow_up_id for d in drafts if d.follow_up_id is not None}
    for follow_up in list(visit.follow_ups):
        if follow_up.done_at is None and follow_up.id not in kept:
            visit.follow_ups.remove(follow_up)
            session.delete(follow_up)
    position = max((f.position for f in saved.values() if f.done_at is not None), default=-1)
    for item in drafts:
        position += 1
        action = clean_text(item.action) or ""
        if item.follow_up_id is not None:
            existing = saved[item.follow_up_id]
            existing.action = action
            existing.owner_staff_id = item.owner_staff_id
            assert item.due_on is not None  # checked by record_problems
            existing.due_on = item.due_on
            existing.position = position
        else:
            assert item.due_on is not None
            visit.follow_ups.append(
                FollowUp(
                    position=position,
                    action=action,
                    owner_staff_id=item.owner_staff_id,
                    due_on=item.due_on,
                    created_at=now,
                    created_by_id=by.user_id,
                )
            )


def _names(session: Session, visit: Visit) -> dict[int | None, str]:
    ids: set[int | None] = {
        visit.record_written_by_id,
        visit.recorded_on_safeguarding_system_by_id,
        *(f.done_by_id for f in visit.follow_ups),
    }
    return display_names(session, ids)


def _summary_data(session: Session, visit: Visit) -> CpomsVisit:
    firsts: dict[EventKind, VisitEvent] = {}
    for event in visit.events:
        firsts.setdefault(event.kind, event)
    approval = approval_in_force(visit.authorisations)
    departed = firsts.get(EventKind.SIGNED_OUT)
    retrospective = visit.urgent_unplanned and (
        approval is None or (departed is not None and approval.decided_at > departed.occurred_at)
    )
    names = _names(session, visit)
    owners = {f.id: (f.owner.full_name if f.owner else "No owner") for f in visit.follow_ups}
    cancelled = None
    if visit.status is VisitStatus.CANCELLED:
        cause = visit.cancellation_cause.label if visit.cancellation_cause else "Cancelled"
        note = firsts[EventKind.CANCELLED].note if EventKind.CANCELLED in firsts else None
        cancelled = f"{cause}: {redact_safe_word(note, visit.safe_word)}" if note else cause

    def clean(text: str | None) -> str | None:
        # The safe word never leaves hvdesk in a summary (as in the printed documents).
        return redact_safe_word(text, visit.safe_word)

    return CpomsVisit(
        visit_id=visit.id,
        planned_start=visit.planned_start,
        planned_end=visit.planned_end,
        pupil=(
            name_with_year_group(visit.pupil.full_name, visit.pupil.year_group)
            if visit.pupil is not None
            else None
        ),
        address=visit.household.address,
        area=visit.household.area,
        visitors=tuple(
            CpomsVisitor(vs.staff.full_name, vs.staff.job_role.label, vs.role is VisitorRole.LEAD)
            for vs in visit.visitors
        ),
        reason=reason_text(visit.reason, visit.reason_other),
        purpose=clean(visit.purpose) or "",
        child_seen=visit.child_seen,
        spoken_to=clean(visit.spoken_to),
        observations=clean(visit.observations),
        opinions=clean(visit.opinions),
        concerns_raised=clean(visit.concerns_raised),
        outcome=clean(visit.outcome),
        action_required=clean(visit.action_required),
        arrived_at=firsts[EventKind.ARRIVED].occurred_at if EventKind.ARRIVED in firsts else None,
        left_at=firsts[EventKind.LEFT].occurred_at if EventKind.LEFT in firsts else None,
        cancelled=cancelled,
        follow_ups=tuple(
            CpomsFollowUp(
                action=clean(f.action) or "",
                owner=owners[f.id],
                due_on=f.due_on,
                done_on=to_school_time(f.done_at).date() if f.done_at else None,
            )
            for f in visit.follow_ups
        ),
        authorised_by=approval.decided_by.display_name if approval else None,
        authorised_role=approval.decided_by.role.label if approval else None,
        authorised_at=approval.decided_at if approval else None,
        retrospective=retrospective,
        written_by=names.get(visit.record_written_by_id),
        written_at=visit.record_written_at or visit.completed_at,
    )
