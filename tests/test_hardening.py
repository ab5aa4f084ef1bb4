# ruff: noqa: F811  (the demo-school fixtures are imported by name)
"""Hardening: hostile text through the services and into PDFs, and what reaches the log.

tests/test_privacy.py checks that the demo's people never reach disk in plain text after a
seed. This module drives the services with text of our own choosing (names, a safe word, a
mistyped password, notes) and checks that none of it reaches the log file or the audit trail;
then hypothesis pushes random and hostile text (very long, control characters, right-to-left,
emoji) through the board's notes, the visit request draft and the PDFs: no crash, a clear
HvdeskError or a faithful round trip, and never a partial write.

Hypothesis runs derandomized with modest example counts, so the suite stays fast and the same
inputs are tried on every run.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from hvdesk.db.models import AuditEntry, Visit, VisitEvent
from hvdesk.domain.visit_request import VisitRequestDraft
from hvdesk.domain.visits import ActionOutcome, EscalationAction, VisitReason
from hvdesk.errors import HvdeskError
from hvdesk.logging_setup import setup_logging
from hvdesk.services import audit
from hvdesk.services.accounts import Accounts, SignInRefused
from hvdesk.services.audit import AuditTrail
from hvdesk.services.documents import DocumentKind, DocumentService
from hvdesk.services.visit_requests import VisitRequests
from tests.board_school import School, demo_template, school  # noqa: F401
from tests.helpers import plain_text_hits

HYPOTHESIS = settings(
    derandomize=True,
    database=None,  # derandomized: nothing to remember, and no .hypothesis/ folder in the tree
    deadline=None,
    max_examples=25,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Text an office could type or paste: anything, plus the awkward cases named outright.
HOSTILE = st.one_of(
    st.text(max_size=200),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=60),
    st.sampled_from(
        [
            "",
            "   ",
            "\x00\x01\x1b[31mred\x1b[0m\x7f",
            "line one\r\nline two\ttabbed\x0bvertical",
            "مرحبا بالعالم — שלום עולם",
            "\u202eevil\u202c reversed \u200f rtl mark \u200b zero width",
            "👩‍👩‍👧‍👦 🏳️‍🌈 🇬🇧 ✅",
            "Łukasz Żółć, Siân Dŵr, Nguyễn",
            "'; DROP TABLE visits; --",
            "%s %d {0} {name} ${HOME}",
            "x" * 100_000,
            "é" * 20_000 + "👍" * 5_000,
        ]
    ),
)


def _count(school: School, model: type[object]) -> int:
    with school.database.session() as session:
        return session.scalar(sa.select(sa.func.count()).select_from(model)) or 0


def _normalised(text: str) -> str | None:
    """How the board keeps a note: runs of whitespace become one space; blank is none."""
    return " ".join(text.split()) or None


@pytest.fixture
def log_file(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "logs"
    path = setup_logging(folder)
    assert path is not None
    yield folder
    root = logging.getLogger("hvdesk")
    for handler in list(root.handlers):
        if getattr(handler, "_hvdesk", False):
            root.removeHandler(handler)
            handler.close()


# --- the log and the trail name no one ------------------------------------------------------


def test_names_notes_safe_words_and_passwords_never_reach_the_log_or_the_trail(
    school: School, log_file: Path
) -> None:
    pupil_name = "Zebedee Quillfeather"
    safe_word = "marmalade-seventy-seven"
    wrong_password = "Sw0rdfish-not-mine!"
    typed_name = "ada.lovelace.pw-in-name-box"
    note = f"Spoke to {pupil_name}'s mother at the door"
    needles = [pupil_name, safe_word, wrong_password, typed_name, "Quillfeather", "marmalade"]

    reception = school.user("k.lewis")
    dsl = school.user("s.whitfield")
    accounts = Accounts(school.database, school.clock)
    accounts.sign_in("k.lewis", "demo-password")
    with pytest.raises(SignInRefused):
        accounts.sign_in("k.lewis", wrong_password)
    with pytest.raises(SignInRefused):
        accounts.sign_in(typed_name, wrong_password)

    requests = VisitRequests(school.database, school.clock)
    with school.database.session() as session:
        household_id = session.scalars(sa.select(Visit.household_id).limit(1)).one()
    start = school.clock.now() + timedelta(days=2)
    visit_id = requests.save_draft(
        VisitRequestDraft(
            household_id=household_id,
            planned_start=start,
            planned_end=start + timedelta(hours=1),
            reason=VisitReason.WELFARE_CHECK,
            purpose=note,
            safe_word=safe_word,
            responsible_contact_name=pupil_name,
        ),
        dsl,
    )
    out = school.one("out_on_time")
    school.log.call_received(out, reception, 15, note)
    school.log.escalation_action(
        school.state("overdue_stage2")[0],
        EscalationAction.CALLED_EMERGENCY_CONTACT,
        ActionOutcome.NO_ANSWER,
        reception,
        contact_name=pupil_name,
        note=note,
    )
    school.log.safe_word(out, reception, f"said {safe_word} on the phone")
    DocumentService(school.database, school.clock).render(
        DocumentKind.POLICE_SHEET, out, by=reception
    )
    audit.record_view(school.database, school.clock, dsl, "households", household_id)
    AuditTrail(school.database, school.clock).entries(dsl)

    assert any(log_file.rglob("*.log"))
    assert plain_text_hits(log_file, needles) == []
    with school.database.session() as session:
        trail = session.execute(
            sa.select(
                AuditEntry.username,
                AuditEntry.details,
                AuditEntry.action,
                AuditEntry.record_type,
                AuditEntry.record_id,
            )
        ).all()
    text = "\n".join(f"{row.username} {row.details}" for row in trail)
    assert [n for n in needles if n in text] == []
    # The trail still says what happened: the draft's creation names its fields, not values.
    (created,) = [
        r for r in trail if (r.action, r.record_type, r.record_id) == ("create", "visits", visit_id)
    ]
    assert '"safe_word"' in created.details and '"purpose"' in created.details


# --- hostile text through the services ------------------------------------------------------


@HYPOTHESIS
@given(reason=HOSTILE)
def test_a_call_note_round_trips_or_is_refused_whole(school: School, reason: str) -> None:
    visit_id = school.one("out_on_time")
    events, entries = _count(school, VisitEvent), _count(school, AuditEntry)
    try:
        event_id = school.log.call_received(visit_id, school.user("k.lewis"), 5, reason)
    except HvdeskError as exc:
        assert exc.what  # a message for the office
        assert (_count(school, VisitEvent), _count(school, AuditEntry)) == (events, entries)
        assert _normalised(reason) is None  # refused only because no reason was given
        return
    with school.database.session() as session:
        stored = session.get(VisitEvent, event_id)
        assert stored is not None
        assert stored.note == _normalised(reason)
    assert _count(school, VisitEvent) == events + 1


@HYPOTHESIS
@given(note=HOSTILE, contact=HOSTILE)
def test_an_escalation_step_with_hostile_text_is_kept_as_typed(
    school: School, note: str, contact: str
) -> None:
    visit_id = school.state("overdue_stage2")[0]
    before = _count(school, VisitEvent)
    try:
        event_id = school.log.escalation_action(
            visit_id,
            EscalationAction.CALLED_STAFF,
            ActionOutcome.NO_ANSWER,
            school.user("k.lewis"),
            contact_name=contact,
            note=note,
        )
    except HvdeskError as exc:
        assert exc.what and exc.todo is not None
        assert _count(school, VisitEvent) == before
        return
    with school.database.session() as session:
        stored = session.get(VisitEvent, event_id)
        assert stored is not None
        assert stored.note == _normalised(note)


@HYPOTHESIS
@given(purpose=HOSTILE, safe_word=HOSTILE, resources=HOSTILE)
def test_a_visit_request_draft_round_trips_hostile_text(
    school: School, purpose: str, safe_word: str, resources: str
) -> None:
    requests = VisitRequests(school.database, school.clock)
    with school.database.session() as session:
        household_id = session.scalars(sa.select(Visit.household_id).limit(1)).one()
    start = school.clock.now() + timedelta(days=3)
    visits = _count(school, Visit)
    draft = VisitRequestDraft(
        household_id=household_id,
        planned_start=start,
        planned_end=start + timedelta(hours=1),
        reason=VisitReason.WELFARE_CHECK,
        purpose=purpose,
        safe_word=safe_word,
        resources_to_take=resources,
    )
    try:
        visit_id = requests.save_draft(draft, school.user("s.whitfield"))
    except HvdeskError as exc:
        assert exc.what
        assert _count(school, Visit) == visits
        return
    back = requests.draft(visit_id)
    assert back.purpose == purpose.strip()
    assert back.safe_word in (safe_word, safe_word.strip(), _normalised(safe_word))
    assert back.resources_to_take in (resources, resources.strip(), _normalised(resources))
    assert _count(school, Visit) == visits + 1


@settings(HYPOTHESIS, max_examples=6)
@given(note=HOSTILE, which=st.integers(min_value=0, max_value=3))
@example(note="שלום 👩‍👩‍👧‍👦 Łódź \u202eevil\u202c " * 1500, which=1)
def test_hostile_text_prints_into_every_document_of_the_visit(
    school: School, note: str, which: int
) -> None:
    visit_id = school.state("out_on_time")[which]  # spread the notes over the visits out
    school.log.call_received(visit_id, school.user("k.lewis"), 5, _normalised(note) or "x")
    documents = DocumentService(school.database, school.clock)
    for kind in (DocumentKind.POLICE_SHEET, DocumentKind.VISIT_RECORD, DocumentKind.VISIT_FORM):
        try:
            pdf = documents.render(kind, visit_id)
        except HvdeskError as exc:  # not ready to print is an answer, not a crash
            assert exc.what
            continue
        assert pdf.startswith(b"%PDF")
        reader = PdfReader(io.BytesIO(pdf))
        assert len(reader.pages) >= 1
        assert "".join(page.extract_text() or "" for page in reader.pages).strip()
