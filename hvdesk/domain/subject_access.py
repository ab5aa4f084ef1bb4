"""Subject access requests: the one-month deadline, who may handle them, and which names in an
export belong to third parties (and so are marked for the DSL to consider redacting).

The deadline (UK GDPR art. 12(3), as the ICO counts it): one calendar month from the day the
request is received, to the same date in the next month; when the next month has no such date
(31 January, 30 or 31 August...), the last day of that month. The ICO also lets a school move a
deadline that falls on a weekend or bank holiday to the next working day, and extend a complex
request by two months; hvdesk keeps the plain date, which is never later than the law allows.

Who is a third party in an export (the office's decision, printed on the redaction schedule):

* Other pupils: brothers and sisters at the same household, and any pupil named in a record
  about someone else.
* Adults other than the subject: parents and carers (including those with parental
  responsibility: a parent asking for a child's records may be entitled to their own name, but
  the DSL decides, so it is marked "redact?" and not removed), other adults at the household.
* Other professionals: social workers, Early Help and health workers named on a household.
* Named contacts: a staff member's emergency contact, a responsible contact or someone the office
  called who is not on the staff list, a police contact.
* Not third parties: the subject, and staff acting in their job (visitors, authorisers, whoever
  logged a step, follow-up owners). The ICO's guidance is that the names of staff doing their
  work are normally disclosed; their private details (emergency contacts, vehicles) are not put
  in someone else's export at all.

Matching is by whole word and ignores case. A third party's full name is marked wherever it
appears, free text included; their first name alone is marked too (free text often says "spoke
to Stacey"), except when it is also a word of a name that is never marked (the subject's, a
member of staff's), to avoid marking a colleague who shares it. Surnames alone are not marked:
a sibling's surname is usually the subject's own.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from hvdesk.domain.labels import LabelledEnum
from hvdesk.domain.people import Role

__all__ = [
    "SUBJECT_ACCESS_ROLES",
    "NameMarker",
    "PartyKind",
    "SubjectKind",
    "ThirdParty",
    "days_left",
    "may_handle_subject_access",
    "subject_access_due_on",
]

# The DSL and deputies hold the safeguarding records; the administrator (often the data
# protection lead's office) answers requests about staff. Nobody else sees a whole export.
SUBJECT_ACCESS_ROLES: frozenset[Role] = frozenset({Role.DSL, Role.DEPUTY_DSL, Role.ADMINISTRATOR})

_MIN_FIRST_NAME = 3  # "Al", "Jo" match too much free text to be worth marking alone


class SubjectKind(LabelledEnum):
    """Whose records are asked for (stored as subject_type)."""

    PUPIL = ("pupil", "Pupil")
    ADULT = ("adult", "Parent or other adult")
    STAFF = ("staff", "Member of staff")


class PartyKind(LabelledEnum):
    """Why a name in an export belongs to a third party."""

    PUPIL = ("pupil", "Another pupil")
    ADULT = ("adult", "Another adult")
    PROFESSIONAL = ("professional", "Another professional")
    CONTACT = ("contact", "Named contact")


@dataclass(frozen=True)
class ThirdParty:
    """A name to mark in an export, and who the person is to the subject."""

    name: str
    kind: PartyKind
    relation: str
    """In the office's words: "Mother", "Sister or brother (pupil)", "Social worker"."""


def may_handle_subject_access(role: Role | None) -> bool:
    """Logging, listing and exporting requests: the DSL, a deputy DSL or the administrator."""
    return role in SUBJECT_ACCESS_ROLES


def subject_access_due_on(received_on: date) -> date:
    """One calendar month after the day received, clamped to the end of the next month."""
    year = received_on.year + received_on.month // 12
    month = received_on.month % 12 + 1
    last_day = calendar.monthrange(year, month)[1]
    return date(year, month, min(received_on.day, last_day))


def days_left(due_on: date, today: date) -> int:
    """Days until the deadline: 0 on the day it is due, negative once overdue."""
    return (due_on - today).days


def _words(name: str) -> list[str]:
    return [w.lower() for w in re.findall(r"\w+", name)]


class NameMarker:
    """Finds third parties' names in text (see the module notes for the rules)."""

    def __init__(self, parties: Iterable[ThirdParty], never_marked: Iterable[str] = ()) -> None:
        kept_words = {w for name in never_marked for w in _words(name)}
        kept_names = {" ".join(_words(name)) for name in never_marked}
        self._by_key: dict[str, ThirdParty] = {}
        self.parties: list[ThirdParty] = []
        for party in parties:
            words = _words(party.name)
            if not words or " ".join(words) in kept_names:
                continue
            key = " ".join(words)
            if key in self._by_key:
                continue
            self._by_key[key] = party
            self.parties.append(party)
        first_names: dict[str, ThirdParty] = {}
        for key, party in self._by_key.items():
            first = key.split(" ")[0]
            if (
                len(first) >= _MIN_FIRST_NAME
                and first not in kept_words
                and first not in self._by_key
                and " " in key
            ):
                first_names.setdefault(first, party)
        self._first_names = first_names
        alternatives = sorted(
            [*self._by_key, *first_names], key=lambda k: (-len(k), k)
        )  # longest first: a full name wins over the first name it starts with
        if alternatives:
            body = "|".join(r"\W+".join(map(re.escape, k.split(" "))) for k in alternatives)
            self._pattern: re.Pattern[str] | None = re.compile(
                rf"(?<!\w)(?:{body})(?!\w)", re.IGNORECASE
            )
        else:
            self._pattern = None

    def party_for(self, matched: str) -> ThirdParty:
        """The third party a matched piece of text names."""
        key = " ".join(_words(matched))
        return self._by_key.get(key) or self._first_names[key]

    def split(self, text: str) -> list[tuple[str, ThirdParty | None]]:
        """The text in order, as pieces: (piece, None) for plain text, (piece, party) for a
        third party's name. Joining the pieces gives the text back unchanged."""
        if not text or self._pattern is None:
            return [(text, None)] if text else []
        pieces: list[tuple[str, ThirdParty | None]] = []
        last = 0
        for match in self._pattern.finditer(text):
            if match.start() > last:
                pieces.append((text[last : match.start()], None))
            pieces.append((match.group(), self.party_for(match.group())))
            last = match.end()
        if last < len(text):
            pieces.append((text[last:], None))
        return pieces

    def mentions(self, text: str) -> list[ThirdParty]:
        """The third parties the text names, once per mention."""
        return [party for _, party in self.split(text) if party is not None]
