# ruff: noqa: F811  (the demo-school fixtures are imported by name)
"""Subject access requests on the demo school: the one-month deadline, who may handle them,
what an export of a pupil, an adult or a member of staff holds, which names are marked for
redaction, and that the export is recorded."""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from hvdesk.db.models import (
    Adult,
    AuditEntry,
    Pupil,
    Staff,
    SubjectAccessRequest,
    Visit,
    VisitEvent,
    VisitStaff,
)
from hvdesk.domain.people import Role
from hvdesk.domain.subject_access import (
    NameMarker,
    PartyKind,
    SubjectKind,
    ThirdParty,
    days_left,
    may_handle_subject_access,
    subject_access_due_on,
)
from hvdesk.reports.subject_access import REDACT_MARK, SubjectAccessPack, redaction_schedule
from hvdesk.services.accounts import NotPermitted
from hvdesk.services.subject_access import RequestNotSaved, SubjectAccess
from tests.board_school import School, demo_template, school  # noqa: F401

DSL = "s.whitfield"
RECEPTION = "k.lewis"
ADMIN = "p.stanton"


# --- the deadline ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (date(2026, 3, 15), date(2026, 4, 15)),  # the same date next month
        (date(2026, 1, 31), date(2026, 2, 28)),  # no 31 February: the month's last day
        (date(2028, 1, 31), date(2028, 2, 29)),  # a leap year
        (date(2028, 1, 29), date(2028, 2, 29)),
        (date(2027, 1, 29), date(2027, 2, 28)),
        (date(2028, 2, 29), date(2028, 3, 29)),  # from a leap day
        (date(2026, 3, 31), date(2026, 4, 30)),
        (date(2026, 8, 31), date(2026, 9, 30)),
        (date(2026, 12, 31), date(2027, 1, 31)),  # into the next year
        (date(2026, 11, 30), date(2026, 12, 30)),
    ],
)
def test_the_reply_is_due_one_calendar_month_later_clamped_to_the_month_end(
    received: date, due: date
) -> None:
    assert subject_access_due_on(received) == due


def test_days_left_count_down_to_zero_then_go_negative() -> None:
    due = date(2026, 12, 20)
    assert days_left(due, date(2026, 12, 1)) == 19
    assert days_left(due, due) == 0
    assert days_left(due, date(2026, 12, 23)) == -3


def test_only_the_dsl_deputies_and_the_administrator_handle_requests() -> None:
    allowed = {role for role in Role if may_handle_subject_access(role)}
    assert allowed == {Role.DSL, Role.DEPUTY_DSL, Role.ADMINISTRATOR}
    assert not may_handle_subject_access(None)


# --- marking third parties --------------------------------------------------------------------


def test_names_are_marked_whole_word_first_names_too_but_not_staff_or_the_subject() -> None:
    parties = [
        ThirdParty("Stacey Jackson", PartyKind.ADULT, "Mother"),
        ThirdParty("Ella Jackson", PartyKind.PUPIL, "Sister"),
        ThirdParty("Helen Price", PartyKind.ADULT, "Aunt"),
    ]
    marker = NameMarker(parties, never_marked=["Mason Jackson", "Helen Okafor"])
    text = "STACEY JACKSON and Ella spoke; Ellaway Road; Helen Okafor (staff) saw Helen Price."
    pieces = marker.split(text)
    assert "".join(piece for piece, _ in pieces) == text  # nothing lost or reordered
    marked = [(piece, party.name) for piece, party in pieces if party is not None]
    assert marked == [
        ("STACEY JACKSON", "Stacey Jackson"),
        ("Ella", "Ella Jackson"),
        ("Helen Price", "Helen Price"),
    ]  # "Ellaway" is another word; "Helen" alone is a colleague's name too, so not marked
    assert marker.mentions("Mason Jackson went in.") == []


def test_a_third_party_who_is_also_the_subject_is_never_marked() -> None:
    marker = NameMarker(
        [ThirdParty("Llŷr ap Gruffydd", PartyKind.PUPIL, "Brother")], ["Llŷr ap Gruffydd"]
    )
    assert marker.parties == []
    assert marker.mentions("Llŷr ap Gruffydd") == []


# --- the demo school -----------------------------------------------------------------------


@dataclass(frozen=True)
class Family:
    pupil_id: int
    pupil_name: str
    sibling_name: str
    parent_id: int
    parent_name: str
    visit_ids: list[int]


@pytest.fixture
def family(school: School) -> Family:
    """The demo pupil with the most visits among those with a brother or sister at home."""
    with school.database.session() as session:
        shared = (
            sa.select(Pupil.household_id).group_by(Pupil.household_id).having(sa.func.count() > 1)
        )
        pupil_id = session.scalars(
            sa.select(Visit.pupil_id)
            .join(Pupil, Pupil.id == Visit.pupil_id)
            .where(Pupil.household_id.in_(shared))
            .group_by(Visit.pupil_id)
            .order_by(sa.func.count().desc(), Visit.pupil_id)
        ).first()
        pupil = session.get(Pupil, pupil_id)
        assert pupil is not None and pupil.household is not None
        sibling = next(p for p in pupil.household.pupils if p.id != pupil.id)
        parent = next(link.adult for link in pupil.adult_links if link.parental_responsibility)
        visits = sorted(session.scalars(sa.select(Visit.id).where(Visit.pupil_id == pupil.id)))
        return Family(
            pupil.id, pupil.full_name, sibling.full_name, parent.id, parent.full_name, visits
        )


def _service(school: School) -> SubjectAccess:
    return SubjectAccess(school.database, school.clock)


def _log(school: School, kind: SubjectKind, person_id: int, **extra: object) -> int:
    received = extra.pop("received_on", date(2026, 11, 20))
    return _service(school).log_request(
        kind,
        person_id,
        str(extra.pop("requested_by", "Ann Other (solicitor)")),
        received,  # type: ignore[arg-type]
        school.user(DSL),
    )


def _pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _export(school: School, request_id: int, username: str = DSL) -> bytes:
    saved: list[bytes] = []
    _service(school).export(request_id, school.user(username), saved.append)
    assert len(saved) == 1
    return saved[0]


def _all_text(pack: SubjectAccessPack) -> str:
    texts: list[str] = []
    for part in pack.sections:
        for entry in part.entries:
            texts += [entry.heading, *(v for _, v in entry.fields)]
            for register in entry.registers:
                texts += [cell for row in register.rows for cell in row]
    return "\n".join(texts)


# --- logging and listing -------------------------------------------------------------------


def test_a_logged_request_carries_its_deadline_and_counts_down(school: School) -> None:
    request_id = _log(school, SubjectKind.STAFF, 1, received_on=date(2026, 10, 31))
    service = _service(school)
    dsl = school.user(DSL)
    [row] = service.open_requests(dsl)
    assert (row.request_id, row.due_on, row.kind) == (
        request_id,
        date(2026, 11, 30),
        SubjectKind.STAFF,
    )
    assert row.days_left == 7 and row.state == "7 days left"  # clock: Monday 23 November
    school.clock.advance(timedelta(days=10))
    [row] = service.open_requests(dsl)
    assert row.days_left == -3 and row.state == "Overdue by 3 days"
    with school.database.session() as session:
        stored = session.get(SubjectAccessRequest, request_id)
        assert stored is not None
        assert stored.logged_by_id == dsl.user_id
        assert stored.requested_by == "Ann Other (solicitor)"


def test_open_requests_come_nearest_deadline_first_and_completed_ones_drop_off(
    school: School,
) -> None:
    later = _log(school, SubjectKind.STAFF, 1, received_on=date(2026, 11, 20))
    sooner = _log(school, SubjectKind.STAFF, 2, received_on=date(2026, 11, 2))
    service = _service(school)
    dsl = school.user(DSL)
    assert [r.request_id for r in service.open_requests(dsl)] == [sooner, later]
    service.mark_complete(sooner, dsl, note="Withdrawn by the requester")
    assert [r.request_id for r in service.open_requests(dsl)] == [later]
    every = service.requests(dsl, include_completed=True)
    assert [r.request_id for r in every] == [later, sooner]
    assert every[1].state == "Completed" and "Withdrawn" in (every[1].note or "")


@pytest.mark.parametrize(
    ("requested_by", "received_on", "person_id", "field"),
    [
        ("   ", date(2026, 11, 20), 1, "requested_by"),
        ("x" * 161, date(2026, 11, 20), 1, "requested_by"),
        ("A parent", date(2026, 11, 24), 1, "received_on"),  # tomorrow
        ("A parent", date(2026, 11, 20), 99_999, "person"),
    ],
)
def test_a_request_that_cannot_be_logged_says_which_box_and_saves_nothing(
    school: School, requested_by: str, received_on: date, person_id: int, field: str
) -> None:
    with pytest.raises(RequestNotSaved) as refused:
        _service(school).log_request(
            SubjectKind.PUPIL, person_id, requested_by, received_on, school.user(DSL)
        )
    assert refused.value.field == field
    assert refused.value.what
    with school.database.session() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(SubjectAccessRequest)) == 0


def test_reception_is_refused_everything_and_the_administrator_is_not(
    school: School, family: Family
) -> None:
    service = _service(school)
    reception = school.user(RECEPTION)
    request_id = _log(school, SubjectKind.PUPIL, family.pupil_id)
    attempts = [
        lambda: service.log_request(
            SubjectKind.PUPIL, family.pupil_id, "A parent", date(2026, 11, 20), reception
        ),
        lambda: service.open_requests(reception),
        lambda: service.find_people("a", reception),
        lambda: service.pack(request_id, reception),
        lambda: service.export(request_id, reception, lambda pdf: None),
        lambda: service.mark_complete(request_id, reception, note="done"),
    ]
    for attempt in attempts:
        with pytest.raises(NotPermitted):
            attempt()
    with school.database.session() as session:
        stored = session.get(SubjectAccessRequest, request_id)
        assert stored is not None and stored.exported_at is None and stored.completed_at is None
    admin = school.user(ADMIN)
    assert [r.request_id for r in service.open_requests(admin)] == [request_id]
    assert _export(school, request_id, ADMIN).startswith(b"%PDF")


def test_the_person_is_found_by_any_part_of_their_name(school: School, family: Family) -> None:
    first, *rest = family.pupil_name.split()
    found = _service(school).find_people(f"{first[:3]} {rest[-1]}", school.user(DSL))
    assert (SubjectKind.PUPIL, family.pupil_id) in {(p.kind, p.person_id) for p in found}
    pupil = next(p for p in found if p.person_id == family.pupil_id)
    assert pupil.name == family.pupil_name and "born" in pupil.detail
    assert _service(school).find_people("   ", school.user(DSL)) == []
    assert _service(school).find_people("%", school.user(DSL)) == []  # a letter, not a wildcard


# --- the export ----------------------------------------------------------------------------


def test_a_pupils_export_holds_their_visits_and_events_and_marks_sibling_and_parent(
    school: School, family: Family
) -> None:
    request_id = _log(school, SubjectKind.PUPIL, family.pupil_id)
    _, pack = _service(school).pack(request_id, school.user(DSL))
    titles = [part.title for part in pack.sections]
    for wanted in (
        "The pupil's record",
        "Households and linked adults",
        "Visits",
        "Risk assessments",
        "Authorisations",
        "Timeline events",
        "After-visit records",
        "Follow-up actions",
        "Incidents",
        "Known risks",
        "Audit trail",
    ):
        assert wanted in titles
    visits = next(p for p in pack.sections if p.title == "Visits")
    assert [e.reference for e in visits.entries] == [
        f"Visit {i}" for i in _visit_order(school, family.visit_ids)
    ]
    with school.database.session() as session:
        event = session.scalars(
            sa.select(VisitEvent)
            .where(VisitEvent.visit_id.in_(family.visit_ids), VisitEvent.note.is_not(None))
            .order_by(VisitEvent.id)
        ).first()
        safe_words = [
            w
            for w in session.scalars(
                sa.select(Visit.safe_word).where(Visit.id.in_(family.visit_ids))
            )
            if w
        ]
    timeline = next(p for p in pack.sections if p.title == "Timeline events")
    assert event is not None
    assert any(event.note in row for e in timeline.entries for r in e.registers for row in r.rows)
    parties = {p.name: p for p in pack.third_parties}
    assert parties[family.sibling_name].kind is PartyKind.PUPIL
    assert parties[family.parent_name].kind is PartyKind.ADULT
    assert family.pupil_name not in parties and family.pupil_name in pack.never_marked
    schedule = {line.party.name: line for line in redaction_schedule(pack)}
    assert schedule[family.sibling_name].mentions >= 1
    assert schedule[family.parent_name].mentions >= 1
    # Staff acting in their job are not third parties.
    with school.database.session() as session:
        staff_names = {s.full_name for s in session.scalars(sa.select(Staff))}
    assert not staff_names & set(parties)
    text = _all_text(pack)
    for word in safe_words:  # the safe word never leaves the police sheet
        assert f" {word} " not in f" {text} "
    audit = next(p for p in pack.sections if p.title == "Audit trail")
    audited = {row[4] for e in audit.entries for r in e.registers for row in r.rows}
    assert f"pupils {family.pupil_id}" in audited


def _visit_order(school: School, visit_ids: list[int]) -> list[int]:
    with school.database.session() as session:
        return list(
            session.scalars(
                sa.select(Visit.id)
                .where(Visit.id.in_(visit_ids))
                .order_by(Visit.planned_start, Visit.id)
            )
        )


def test_the_pdf_marks_third_parties_for_redaction_and_the_export_is_recorded(
    school: School, family: Family
) -> None:
    request_id = _log(school, SubjectKind.PUPIL, family.pupil_id)
    dsl = school.user(DSL)
    pdf = _export(school, request_id)
    text = _pdf_text(pdf)
    assert "Subject access export" in text and "Redaction schedule" in text
    assert family.pupil_name in text
    assert f"{family.sibling_name} {REDACT_MARK}" in text
    assert f"{family.parent_name} {REDACT_MARK}" in text
    for visit_id in family.visit_ids:
        assert f"Visit {visit_id}" in text
    assert "Page 1 of" in text and "OFFICIAL-SENSITIVE" in text
    with school.database.session() as session:
        stored = session.get(SubjectAccessRequest, request_id)
        assert stored is not None
        assert stored.exported_at == school.clock.now()
        assert stored.exported_by_id == dsl.user_id
        exports = session.scalars(
            sa.select(AuditEntry).where(
                AuditEntry.action == "export",
                AuditEntry.record_type == "subject_access_requests",
                AuditEntry.record_id == request_id,
            )
        ).all()
    assert len(exports) == 1 and exports[0].username == DSL
    assert '"document":"subject-access"' in (exports[0].details or "")
    [row] = _service(school).open_requests(dsl)
    assert row.exported_at == school.clock.now() and row.exported_by


def test_a_failed_save_records_no_export(school: School, family: Family) -> None:
    request_id = _log(school, SubjectKind.PUPIL, family.pupil_id)

    def disk_full(pdf: bytes) -> None:
        raise OSError("No space left on device")

    with pytest.raises(OSError):
        _service(school).export(request_id, school.user(DSL), disk_full)
    with school.database.session() as session:
        stored = session.get(SubjectAccessRequest, request_id)
        assert stored is not None and stored.exported_at is None


def test_completing_needs_an_export_or_a_reason(school: School, family: Family) -> None:
    service = _service(school)
    dsl = school.user(DSL)
    request_id = _log(school, SubjectKind.PUPIL, family.pupil_id)
    with pytest.raises(RequestNotSaved) as refused:
        service.mark_complete(request_id, dsl)
    assert refused.value.field == "note"
    _export(school, request_id)
    service.mark_complete(request_id, dsl)
    assert service.open_requests(dsl) == []


def test_an_adults_export_covers_their_household_and_marks_their_children(
    school: School, family: Family
) -> None:
    request_id = _log(school, SubjectKind.ADULT, family.parent_id)
    _, pack = _service(school).pack(request_id, school.user(DSL))
    parties = {p.name: p for p in pack.third_parties}
    assert parties[family.pupil_name].kind is PartyKind.PUPIL
    assert family.parent_name not in parties
    visits = next(p for p in pack.sections if p.title == "Visits")
    assert {f"Visit {i}" for i in family.visit_ids} <= {e.reference for e in visits.entries}
    text = _pdf_text(_export(school, request_id))
    assert f"{family.pupil_name} {REDACT_MARK}" in text


def test_a_staff_export_holds_their_visits_without_families_addresses(school: School) -> None:
    with school.database.session() as session:
        staff_id, visits = session.execute(
            sa.select(VisitStaff.staff_id, sa.func.count())
            .group_by(VisitStaff.staff_id)
            .order_by(sa.func.count().desc(), VisitStaff.staff_id)
            .limit(1)
        ).one()
        staff = session.get(Staff, staff_id)
        assert staff is not None
        staff.emergency_contact_name = "Rowan Emergency-Contact"
        addresses = {
            v.household.address
            for v in session.scalars(
                sa.select(Visit).join(VisitStaff).where(VisitStaff.staff_id == staff_id)
            )
        }
    request_id = _log(school, SubjectKind.STAFF, staff_id)
    _, pack = _service(school).pack(request_id, school.user(DSL))
    visit_section = next(p for p in pack.sections if p.title == "Visits")
    assert len(visit_section.entries) == visits
    text = _all_text(pack)
    assert not any(address in text for address in addresses)
    parties = {p.name: p for p in pack.third_parties}
    assert parties["Rowan Emergency-Contact"].kind is PartyKind.CONTACT
    assert any(p.kind is PartyKind.PUPIL for p in pack.third_parties)
    pdf_text = _pdf_text(_export(school, request_id))
    assert f"Rowan Emergency-Contact {REDACT_MARK}" in pdf_text


def test_long_right_to_left_and_emoji_text_reaches_the_pdf(school: School, family: Family) -> None:
    long_note = " ".join(["The family described the week in detail."] * 400)
    with school.database.session() as session:
        visit = session.get(Visit, family.visit_ids[0])
        assert visit is not None
        visit.observations = long_note
        visit.opinions = f"Mum said مرحبا بالعالم and שלום עולם 🙂👍 to {family.sibling_name}"
        adult = session.get(Adult, family.parent_id)
        assert adult is not None
        adult.preferred_language = "اردو"
    request_id = _log(school, SubjectKind.PUPIL, family.pupil_id)
    pdf = _export(school, request_id)
    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    # Split across pages, not cut short (a page's header and footer may fall mid-sentence).
    assert text.count("The family described the week in detail.") >= 390
    assert "Mum said" in text
    fonts = {
        str(font.get("/BaseFont"))
        for page in reader.pages
        for font in (page.get("/Resources", {}).get("/Font", {}) or {}).values()
        for font in [font.get_object()]
    }
    assert any("NotoSansArabic" in name for name in fonts)


def test_log_lines_carry_ids_not_names(
    school: School, family: Family, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    request_id = _log(school, SubjectKind.PUPIL, family.pupil_id, requested_by="Zebedee Requester")
    _export(school, request_id)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert str(request_id) in logged
    for name in ("Zebedee", family.pupil_name, family.sibling_name, family.parent_name):
        assert name not in logged
