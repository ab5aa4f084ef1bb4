"""What a subject access export holds, as plain data the service fills and the report prints.

Kept apart from the report itself so that reading it (the Data protection page at start-up, the
service) never imports reportlab, which only the export itself needs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from hvdesk.domain.subject_access import ThirdParty

__all__ = ["PackSection", "RecordEntry", "Register", "SubjectAccessPack"]


@dataclass(frozen=True)
class Register:
    """A table of like rows (a visit's timeline, a risk assessment's hazards)."""

    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...]
    """Each column's share of the page width (they add up to 1)."""
    third_party_rows: frozenset[int] = frozenset()
    """Rows wholly about a third party (a parent's contact details): shaded."""


@dataclass(frozen=True)
class RecordEntry:
    """One record: a heading that names it, its fields, and its registers."""

    heading: str
    reference: str
    """How the redaction schedule points to it ("Visit 123")."""
    fields: tuple[tuple[str, str], ...] = ()
    registers: tuple[Register, ...] = ()


@dataclass(frozen=True)
class PackSection:
    """All records of one kind."""

    title: str
    about: str
    entries: tuple[RecordEntry, ...]
    empty: str = "None held."


@dataclass(frozen=True)
class SubjectAccessPack:
    """Everything the export prints, as plain text the service has chosen."""

    request_id: int
    subject_kind: str
    subject_name: str
    requested_by: str
    received_on: date
    due_on: date
    sections: tuple[PackSection, ...]
    third_parties: tuple[ThirdParty, ...]
    never_marked: tuple[str, ...]
    """Names never marked: the subject's own, and staff acting in their job."""
    notes: tuple[str, ...] = field(default=())
    """What was decided about this export (who counts as a third party, what is left out)."""
