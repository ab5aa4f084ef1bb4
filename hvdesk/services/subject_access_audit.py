"""The closing sections of a subject access pack: the requests about the subject, and every
audit entry about a record the pack printed (and, for staff, made under their accounts)."""

from __future__ import annotations

import json

import sqlalchemy as sa

from hvdesk.db.models import AuditEntry, SubjectAccessRequest
from hvdesk.domain.subject_access import SubjectKind
from hvdesk.reports.access_pack import PackSection, RecordEntry, Register
from hvdesk.services.subject_access_ledger import PackLedger, day, when

RECORD_TYPE = "subject_access_requests"


def requests_section(ledger: PackLedger) -> PackSection:
    requests = list(
        ledger.session.scalars(
            sa.select(SubjectAccessRequest)
            .where(
                SubjectAccessRequest.subject_type == ledger.kind.value,
                SubjectAccessRequest.subject_id == ledger.subject_id,
            )
            .order_by(SubjectAccessRequest.received_on, SubjectAccessRequest.id)
        )
    )
    ledger.seen(RECORD_TYPE, [r.id for r in requests])
    rows = tuple(
        (
            str(r.id),
            r.requested_by,
            day(r.received_on),
            day(r.due_on),
            when(r.exported_at) or "Not yet",
            when(r.completed_at) or "Open",
        )
        for r in requests
    )
    return PackSection(
        "Subject access requests",
        "Requests for this person's records, this one included.",
        (
            RecordEntry(
                heading="Requests",
                reference="Requests",
                registers=(
                    Register(
                        "",
                        ("No.", "Requested by", "Received", "Due", "Exported", "Completed"),
                        rows,
                        (0.07, 0.27, 0.15, 0.15, 0.18, 0.18),
                    ),
                ),
            ),
        ),
    )


def audit_section(ledger: PackLedger) -> PackSection:
    conditions = [
        sa.and_(AuditEntry.record_type == record_type, AuditEntry.record_id.in_(sorted(ids)))
        for record_type, ids in sorted(ledger.records.items())
        if ids
    ]
    account_ids: list[int] = []
    if ledger.kind is SubjectKind.STAFF:
        account_ids = sorted(ledger.records.get("user_accounts", set()))
        if account_ids:
            conditions.append(AuditEntry.user_id.in_(account_ids))
    entries: list[AuditEntry] = []
    if conditions:
        entries = list(
            ledger.session.scalars(
                sa.select(AuditEntry).where(sa.or_(*conditions)).order_by(AuditEntry.id)
            )
        )
    rows = tuple(_audit_row(entry) for entry in entries)
    about = (
        "Every entry of the audit trail about a record in this export"
        + (", and every action recorded under their accounts" if account_ids else "")
        + ": who created, changed, viewed, printed or exported it, and when."
    )
    return PackSection(
        "Audit trail",
        about,
        (
            RecordEntry(
                heading=f"{len(rows)} entr{'y' if len(rows) == 1 else 'ies'}",
                reference="Audit trail",
                registers=(
                    Register(
                        "",
                        ("Entry", "When", "Who", "What", "Record", "Fields"),
                        rows,
                        (0.07, 0.15, 0.13, 0.1, 0.2, 0.35),
                    ),
                ),
            ),
        )
        if rows
        else (),
    )


_ACTIONS = {
    "create": "Created",
    "update": "Changed",
    "delete": "Deleted",
    "view": "Viewed",
    "print": "Printed",
    "export": "Exported",
    "sign_in": "Signed in",
    "sign_in_failed": "Sign-in refused",
    "audit_viewed": "Read the audit trail",
}


def _audit_row(entry: AuditEntry) -> tuple[str, ...]:
    record = " ".join(p for p in (entry.record_type or "", str(entry.record_id or "")) if p)
    return (
        str(entry.id),
        when(entry.at),
        entry.username or "(unknown)",
        _ACTIONS.get(entry.action, entry.action),
        record,
        _audit_details(entry.action, entry.details),
    )


def _audit_details(action: str, stored: str | None) -> str:
    """The names of the fields changed (for a new record, how many were filled in) and any
    other detail kept (ids and kinds only: the trail never holds what a text field said)."""
    if not stored:
        return ""
    try:
        details = json.loads(stored)
    except ValueError:
        return stored
    if not isinstance(details, dict):
        return str(details)
    parts: list[str] = []
    fields = details.get("fields")
    if isinstance(fields, list) and fields:
        if action == "create":
            parts.append(f"{len(fields)} field{'s' if len(fields) != 1 else ''} filled in")
        else:
            parts.append(", ".join(str(f).replace("_", " ") for f in fields))
    for key, value in sorted(details.items()):
        if key not in ("fields", "values", "key"):
            parts.append(f"{key}: {value}")
    return "; ".join(parts)
