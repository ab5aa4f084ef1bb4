"""Subject access requests: log one with its one-month deadline, follow the open ones, and
export everything held about the person (a pupil, an adult or a member of staff) to one PDF
with third parties' names marked for redaction.

Who: the DSL, a deputy DSL and the administrator, enforced here (NotPermitted for anyone
else), since an export gathers a family's whole safeguarding record in one file. What an export
holds is decided in hvdesk.services.subject_access_pack; who is a third party, and the
deadline rule, in hvdesk.domain.subject_access.

The export is recorded once the file is written (`save` returned): the request's
exported_at/by and an "export" entry in the audit trail, in one transaction. Log lines carry
ids only.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload, selectinload

from hvdesk.clock import Clock, to_school_time
from hvdesk.db.audit_trail import Draft, append
from hvdesk.db.database import Database
from hvdesk.db.models import Adult, Pupil, PupilAdult, Staff, SubjectAccessRequest, UserAccount
from hvdesk.domain.subject_access import (
    SubjectKind,
    days_left,
    may_handle_subject_access,
    subject_access_due_on,
)
from hvdesk.errors import HvdeskError
from hvdesk.reports.access_pack import SubjectAccessPack
from hvdesk.reports.models import DocumentContext
from hvdesk.services.accounts import NotPermitted, acting_account
from hvdesk.services.acting import display_names
from hvdesk.services.audit import AuditAction, writing_as
from hvdesk.services.identity import SignedInUser
from hvdesk.services.subject_access_pack import (
    RECORD_TYPE,
    SubjectNotHeld,
    build_pack,
    year_label,
)

__all__ = [
    "DOCUMENT_KIND",
    "PersonChoice",
    "RequestNotFound",
    "RequestNotSaved",
    "RequestRow",
    "SubjectAccess",
    "SubjectKind",
    "SubjectNotHeld",
]

log = logging.getLogger(__name__)

DOCUMENT_KIND = "subject-access"
MAX_CHOICES = 50
REQUESTER_MAX = 160


class RequestNotSaved(HvdeskError):
    """A request that cannot be logged as typed; `field` names the box to fix."""

    title = "Request not logged"

    def __init__(self, what: str, todo: str = "", *, field: str | None = None) -> None:
        super().__init__(what, todo)
        self.field = field


class RequestNotFound(HvdeskError):
    """The request asked for does not exist (or its subject's record has been deleted)."""

    title = "Request not found"


@dataclass(frozen=True)
class PersonChoice:
    """Someone a request can be about, as the search lists them."""

    kind: SubjectKind
    person_id: int
    name: str
    detail: str


@dataclass(frozen=True)
class RequestRow:
    """One request as the list shows it."""

    request_id: int
    kind: SubjectKind
    subject_id: int
    subject_name: str
    requested_by: str
    received_on: date
    due_on: date
    days_left: int
    logged_at: datetime
    exported_at: datetime | None
    exported_by: str | None
    completed_at: datetime | None
    note: str | None

    @property
    def is_open(self) -> bool:
        return self.completed_at is None

    @property
    def state(self) -> str:
        """Where the request stands, in words (never by colour alone)."""
        if self.completed_at is not None:
            return "Completed"
        if self.days_left < 0:
            late = -self.days_left
            return f"Overdue by {late} day{'s' if late != 1 else ''}"
        if self.days_left == 0:
            return "Due today"
        return f"{self.days_left} day{'s' if self.days_left != 1 else ''} left"


class SubjectAccess:
    """Subject access requests of one database."""

    def __init__(self, database: Database, clock: Clock) -> None:
        self._database = database
        self._clock = clock

    def today(self) -> date:
        return to_school_time(self._clock.now()).date()

    # --- finding the person -------------------------------------------------------------------

    def find_people(self, search: str, by: SignedInUser) -> list[PersonChoice]:
        """Pupils, adults and staff whose name holds every word typed (at most 50)."""
        terms = [t for t in search.lower().split() if t]
        if not terms:
            return []
        with self._database.session() as session:
            _require(session, by)
            found: list[PersonChoice] = []
            for pupil in session.scalars(
                _named(sa.select(Pupil), Pupil.first_name, Pupil.last_name, terms)
                .options(joinedload(Pupil.household))
                .order_by(Pupil.last_name, Pupil.first_name)
                .limit(MAX_CHOICES)
            ):
                year = year_label(pupil.year_group)
                detail = f"Pupil{', ' + year if year else ''}, born {pupil.date_of_birth:%d %b %Y}"
                if not pupil.active:
                    detail += " (left)"
                found.append(PersonChoice(SubjectKind.PUPIL, pupil.id, pupil.full_name, detail))
            for adult in session.scalars(
                _named(sa.select(Adult), Adult.first_name, Adult.last_name, terms)
                .options(
                    selectinload(Adult.pupil_links).joinedload(PupilAdult.pupil),
                    joinedload(Adult.household),
                )
                .order_by(Adult.last_name, Adult.first_name)
                .limit(MAX_CHOICES)
            ):
                links = ", ".join(
                    f"{link.relationship_to_pupil.label.lower()} of {link.pupil.full_name}"
                    for link in adult.pupil_links
                )
                where = adult.household.postcode if adult.household is not None else ""
                detail = (
                    "Adult" + (f", {links}" if links else "") + (f" ({where})" if where else "")
                )
                found.append(PersonChoice(SubjectKind.ADULT, adult.id, adult.full_name, detail))
            for staff in session.scalars(
                _named(sa.select(Staff), Staff.first_name, Staff.last_name, terms)
                .order_by(Staff.last_name, Staff.first_name)
                .limit(MAX_CHOICES)
            ):
                detail = f"Staff, {staff.job_role.label}" + ("" if staff.active else " (left)")
                found.append(PersonChoice(SubjectKind.STAFF, staff.id, staff.full_name, detail))
        return found[:MAX_CHOICES]

    # --- the requests -------------------------------------------------------------------------

    def log_request(
        self,
        kind: SubjectKind | str,
        person_id: int,
        requested_by: str,
        received_on: date,
        by: SignedInUser,
        *,
        note: str | None = None,
    ) -> int:
        """Log a request received on `received_on` (not later than today); the deadline is
        one calendar month on. Returns the request's number."""
        subject = _subject_kind(kind)
        requester = " ".join(requested_by.split())
        if not requester:
            raise RequestNotSaved(
                "Say who made the request.",
                "Type the requester's name (the person themselves, a parent, a solicitor...).",
                field="requested_by",
            )
        if len(requester) > REQUESTER_MAX:
            raise RequestNotSaved(
                f"The requester's name is longer than {REQUESTER_MAX} characters.",
                "Shorten it; put anything else in the note.",
                field="requested_by",
            )
        today = self.today()
        if received_on > today:
            raise RequestNotSaved(
                f"The request cannot have been received after today ({today:%d %b %Y}).",
                "Enter the date it reached the school.",
                field="received_on",
            )
        with writing_as(self._database, by, self._clock) as session:
            _require(session, by)
            if _subject_name(session, subject, person_id) is None:
                raise RequestNotSaved(
                    f"There is no {subject.label.lower()} {person_id}.",
                    "Search for the person again and choose them from the list.",
                    field="person",
                )
            request = SubjectAccessRequest(
                subject_type=subject.value,
                subject_id=person_id,
                requested_by=requester,
                received_on=received_on,
                due_on=subject_access_due_on(received_on),
                logged_at=self._clock.now(),
                logged_by_id=by.user_id,
                note=(note or "").strip() or None,
            )
            session.add(request)
            session.flush()
            request_id = request.id
        log.info("Subject access request %d logged by user %d", request_id, by.user_id)
        return request_id

    def requests(self, by: SignedInUser, *, include_completed: bool = False) -> list[RequestRow]:
        """Requests, the nearest deadline first (completed ones last, if asked for)."""
        today = self.today()
        with self._database.session() as session:
            _require(session, by)
            query = sa.select(SubjectAccessRequest)
            if not include_completed:
                query = query.where(SubjectAccessRequest.completed_at.is_(None))
            found = list(session.scalars(query))
            names = display_names(session, (r.exported_by_id for r in found))
            rows = [
                RequestRow(
                    request_id=r.id,
                    kind=_subject_kind(r.subject_type),
                    subject_id=r.subject_id,
                    subject_name=_subject_name(session, _subject_kind(r.subject_type), r.subject_id)
                    or "(record deleted)",
                    requested_by=r.requested_by,
                    received_on=r.received_on,
                    due_on=r.due_on,
                    days_left=days_left(r.due_on, today),
                    logged_at=r.logged_at,
                    exported_at=r.exported_at,
                    exported_by=names.get(r.exported_by_id),
                    completed_at=r.completed_at,
                    note=r.note,
                )
                for r in found
            ]
        return sorted(rows, key=lambda r: (not r.is_open, r.due_on, r.request_id))

    def open_requests(self, by: SignedInUser) -> list[RequestRow]:
        """Requests not yet completed, the nearest deadline (or the most overdue) first."""
        return self.requests(by)

    def mark_complete(self, request_id: int, by: SignedInUser, *, note: str | None = None) -> None:
        """Close a request. One never exported needs a note saying why (withdrawn, identity
        not confirmed, nothing held)."""
        why = (note or "").strip()
        with writing_as(self._database, by, self._clock) as session:
            _require(session, by)
            request = _request(session, request_id)
            if request.completed_at is not None:
                raise RequestNotFound(
                    f"Request {request_id} is already completed.", "Refresh the list."
                )
            if request.exported_at is None and not why:
                raise RequestNotSaved(
                    f"Request {request_id} has not been exported yet.",
                    "Export the PDF first, or say why it is complete without one (withdrawn, "
                    "identity not confirmed...).",
                    field="note",
                )
            request.completed_at = self._clock.now()
            if why:
                request.note = f"{request.note}\n{why}" if request.note else why
        log.info("Subject access request %d completed by user %d", request_id, by.user_id)

    # --- the export ---------------------------------------------------------------------------

    @staticmethod
    def filename(request_id: int) -> str:
        """A file name to offer: the request's number only, never the person's name."""
        return f"subject-access-request-{request_id}.pdf"

    def pack(self, request_id: int, by: SignedInUser) -> tuple[DocumentContext, SubjectAccessPack]:
        """Everything the export prints (read only; nothing is recorded)."""
        from hvdesk.services.documents import DocumentService

        with self._database.session() as session:
            _require(session, by)
            request = _request(session, request_id)
            pack = build_pack(session, request)
        context = DocumentService(self._database, self._clock).blank_context()
        return replace(context, record_label=f"Subject access request {request_id}"), pack

    def export(self, request_id: int, by: SignedInUser, save: Callable[[bytes], object]) -> None:
        """Render the export and hand it to `save` (which writes the file); once saved, record
        who exported it and when, and add an "export" entry to the audit trail."""
        from hvdesk.reports.subject_access import subject_access_report

        context, pack = self.pack(request_id, by)
        pdf = subject_access_report(context, pack)
        save(pdf)
        with writing_as(self._database, by, self._clock) as session:
            _require(session, by)
            request = _request(session, request_id)
            request.exported_at = self._clock.now()
            request.exported_by_id = by.user_id
            session.flush()
            append(
                session,
                [
                    Draft(
                        AuditAction.EXPORT,
                        RECORD_TYPE,
                        request_id,
                        {
                            "document": DOCUMENT_KIND,
                            "subject_type": request.subject_type,
                            "subject_id": request.subject_id,
                        },
                    )
                ],
            )
        log.info("Subject access request %d exported by user %d", request_id, by.user_id)


# --- shared helpers ------------------------------------------------------------------------------


def _require(session: Session, by: SignedInUser) -> UserAccount:
    account = acting_account(session, by)
    if not may_handle_subject_access(account.role):
        raise NotPermitted(
            "Subject access requests are handled by the DSL, a deputy DSL or the administrator.",
            "Pass the request to one of them.",
        )
    return account


def _subject_kind(kind: SubjectKind | str) -> SubjectKind:
    try:
        return SubjectKind(kind)
    except ValueError:
        raise RequestNotSaved(
            f"A request can be about a pupil, an adult or a member of staff, not {kind!r}.",
            field="person",
        ) from None


def _request(session: Session, request_id: int) -> SubjectAccessRequest:
    request = session.get(SubjectAccessRequest, request_id)
    if request is None:
        raise RequestNotFound(
            f"There is no subject access request {request_id}.", "Refresh the list."
        )
    return request


def _named(query: Any, first: Any, last: Any, terms: Sequence[str]) -> Any:
    for term in terms:
        # % and _ typed in a name are letters to find, not wildcards.
        plain = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern = f"%{plain}%"
        query = query.where(
            sa.or_(
                sa.func.lower(first).like(pattern, escape="\\"),
                sa.func.lower(last).like(pattern, escape="\\"),
            )
        )
    return query


def _subject_name(session: Session, kind: SubjectKind, person_id: int) -> str | None:
    person: Pupil | Adult | Staff | None
    if kind is SubjectKind.PUPIL:
        person = session.get(Pupil, person_id)
    elif kind is SubjectKind.ADULT:
        person = session.get(Adult, person_id)
    else:
        person = session.get(Staff, person_id)
    return person.full_name if person is not None else None
