"""What a subject access pack has gathered so far, shared by the modules that write its
sections: the third parties it names, the records it printed (whose audit entries it then
includes), and the staff and account names that are never marked as third parties."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from hvdesk.clock import format_school_time
from hvdesk.db.models import Staff, SubjectAccessRequest, UserAccount
from hvdesk.domain.subject_access import PartyKind, SubjectKind, ThirdParty

_DAY = "%d %b %Y"
_WHEN = "%d %b %Y %H:%M"


class PackLedger:
    """One export's session, subject and running lists of parties and records."""

    def __init__(self, session: Session, request: SubjectAccessRequest) -> None:
        self.session = session
        self.request = request
        self.kind = SubjectKind(request.subject_type)
        self.subject_id = request.subject_id
        self.parties: list[ThirdParty] = []
        self.records: dict[str, set[int]] = {}
        self.staff_names = {s.full_name for s in session.scalars(sa.select(Staff))}
        self.accounts = {a.id: a for a in session.scalars(sa.select(UserAccount))}
        self.names = {i: a.display_name for i, a in self.accounts.items()}

    def seen(self, record_type: str, ids: Iterable[int]) -> None:
        """Note records the pack prints, so their audit entries are included."""
        self.records.setdefault(record_type, set()).update(ids)

    def party(self, name: str | None, kind: PartyKind, relation: str) -> None:
        if name and name.strip():
            self.parties.append(ThirdParty(name.strip(), kind, relation))

    def contact(self, name: str | None, relation: str) -> None:
        """A contact named on a record: a third party unless they are on the staff list."""
        if not name:
            return
        plain = without_aside(name)
        if plain and plain not in self.staff_names and plain not in self.names.values():
            self.party(plain, PartyKind.CONTACT, relation)

    def user(self, user_id: int | None) -> str:
        return self.names.get(user_id, "") if user_id is not None else ""


def when(instant: datetime | None) -> str:
    return format_school_time(instant, _WHEN)


def day(value: date | None) -> str:
    return f"{value:{_DAY}}" if value is not None else ""


def yes_no(value: bool | None) -> str:
    return "" if value is None else ("Yes" if value else "No")


def year_label(year_group: int | None) -> str:
    """ "Reception", "Year 5", or "" when not recorded."""
    if year_group is None:
        return ""
    return "Reception" if year_group == 0 else f"Year {year_group}"


def without_aside(name: str) -> str:
    """ "Zeynep Çelik (Wife)" -> "Zeynep Çelik": the name a contact field holds."""
    return name.split("(", 1)[0].strip()
