"""Every document, generated from the demo school, read back with pypdf and checked field by
field: names in every script, fonts embedded, the marking, page numbers, DRILL, the blank form,
and the safe word nowhere but on the police sheet."""

from __future__ import annotations

import base64
import io
from collections.abc import Iterator
from pathlib import Path

import arabic_reshaper
import pytest
import sqlalchemy as sa
from PIL import Image
from pypdf import PageObject, PdfReader

from hvdesk.clock import FakeClock, format_school_time
from hvdesk.db.models import (
    Authorisation,
    Incident,
    Pupil,
    RiskAssessment,
    Setting,
    Staff,
    Visit,
    VisitEvent,
    VisitStaff,
)
from hvdesk.domain.incidents import IncidentStatus
from hvdesk.domain.people import Role
from hvdesk.domain.risk import BandThresholds, risk_score
from hvdesk.domain.visits import AuthorisationDecision, VisitStatus
from hvdesk.reports.authorisation import hash_groups
from hvdesk.reports.risk_assessment import band_ranges
from hvdesk.services import audit
from hvdesk.services.board import BoardService
from hvdesk.services.documents import (
    LOGO_SETTING,
    DocumentError,
    DocumentKind,
    DocumentService,
    NoBlankVersion,
    NoSuchRecord,
    NotReadyToPrint,
)
from tests.conftest import MONDAY_MORNING
from tests.helpers import user_with_role
from tests.test_reports_school import (
    CUSTOM_BANDS,
    HISTORY,
    HOUSE,
    POLISH_FATHER,
    SAFE_WORD,
    URDU_MOTHER,
    URDU_PUPIL,
    ReportsSchool,
    build_reports_school,
    flat,
    fonts,
    logical,
    pages,
    text_of,
)

MARKING = "OFFICIAL-SENSITIVE"
SCHOOL = "Riverside Academy"


@pytest.fixture(scope="module")
def school(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ReportsSchool]:
    """One demo school per module (seeding takes about a second); tests only read it, except
    where a test changes a setting and puts it back."""
    folder = tmp_path_factory.mktemp("reports") / "data"
    built = build_reports_school(folder, FakeClock(MONDAY_MORNING))
    yield built
    built.database.close()


@pytest.fixture(autouse=True)
def _dsl_signed_in(school: ReportsSchool) -> None:
    """The documents are made for the person signed in to the window: the DSL here."""
    audit.set_signed_in(user_with_role(school.database, Role.DSL))  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def service(school: ReportsSchool) -> DocumentService:
    return DocumentService(school.database, school.clock)


def _visit(school: ReportsSchool, visit_id: int) -> Visit:
    """A visit with what the checks compare against, loaded in a session of its own."""
    with school.database.session() as session:
        visit = session.get(Visit, visit_id)
        assert visit is not None
        _ = (visit.visitors, [vs.staff for vs in visit.visitors], visit.household, visit.pupil)
        _ = [(a, a.decided_by) for a in visit.authorisations]
        _ = [(e, e.recorded_by) for e in visit.events]
        if visit.pupil is not None:
            _ = [(link, link.adult) for link in visit.pupil.adult_links]
        session.expunge_all()
        return visit


def _visit_of_pupil(school: ReportsSchool, last_name: str, first_name: str | None = None) -> int:
    with school.database.session() as session:
        stmt = sa.select(Visit.id).join(Pupil, Visit.pupil_id == Pupil.id)
        stmt = stmt.where(Pupil.last_name == last_name)
        if first_name is not None:
            stmt = stmt.where(Pupil.first_name == first_name)
        found = session.scalar(stmt.order_by(Visit.id))
    assert found is not None, f"the demo has no visit to the {last_name} family"
    return found


def _common(pdf: bytes, record: str) -> list[str]:
    """What every document carries on every page; returns the pages' text."""
    texts = pages(pdf)
    for number, text in enumerate(texts, 1):
        assert text.count(MARKING) >= 2, f"marking top and bottom on page {number}"
        assert SCHOOL in text
        assert f"Page {number} of {len(texts)}" in text
        assert record in text
        assert "Generated 23 Nov 2026 10:30 (UK time)" in text
    assert set(fonts(pdf)) <= {
        "DejaVuSans",
        "DejaVuSans-Bold",
        "NotoSansArabic-Regular",
        "NotoSansArabic-Bold",
    }
    assert all(fonts(pdf).values()), f"every font embedded: {fonts(pdf)}"
    return texts


# --- the Home Visit Form and the Record -----------------------------------------------------------


def test_home_visit_form_prints_every_field_of_the_visit(
    school: ReportsSchool, service: DocumentService
) -> None:
    visit_id = school.summary.states["pair_out"][0]
    visit = _visit(school, visit_id)
    pdf = service.render(DocumentKind.VISIT_FORM, visit_id)
    texts = _common(pdf, f"Visit {visit_id}")
    assert len(texts) == 1
    text = flat(texts[0])
    assert "Home Visit Form" in text
    assert len(visit.visitors) == 2
    for vs in visit.visitors:
        assert vs.staff.full_name in text
        assert vs.staff.job_role.label in text
    assert visit.pupil is not None
    for link in visit.pupil.adult_links:
        expected = f"{link.adult.full_name} ({link.relationship_to_pupil.label})"
        assert (expected in text) == link.parental_responsibility
    assert visit.household.address in text
    assert visit.pupil.full_name in text
    assert visit.reason.label in text
    assert flat(visit.purpose) in text
    start = format_school_time(visit.planned_start, "%a %d %b %Y, %H:%M")
    assert f"{start} to {format_school_time(visit.planned_end, '%H:%M')}" in text
    approval = next(a for a in visit.authorisations if a.decision is AuthorisationDecision.APPROVED)
    assert approval.decided_by.display_name in text
    assert format_school_time(approval.decided_at, "%d %b %Y") in text
    assert format_school_time(approval.decided_at, "%H:%M") in text
    for label in (
        "Signed (staff member)",
        "Signed (Safeguarding Lead)",
        "Signed (parent/guardian)",
    ):
        assert label in text
    assert "The top copy of this form MUST be left at the home." in text
    assert visit.safe_word and visit.safe_word not in text


def test_a_visit_not_yet_authorised_prints_no_authoriser(
    school: ReportsSchool, service: DocumentService
) -> None:
    visit_id = school.summary.states["awaiting_authorisation"][0]
    text = text_of(service.render(DocumentKind.VISIT_FORM, visit_id))
    assert "No authorisation is recorded in hvdesk for this visit." in text
    assert "Authorised in hvdesk by" not in text
    with school.database.session() as session:
        authorisers = session.scalars(
            sa.select(Authorisation.decided_by_id).where(Authorisation.visit_id == visit_id)
        ).all()
    assert authorisers == []


REQUIRED_LETTERS = "ŁłśżŷŴğışễạ"  # Polish, Welsh, Turkish, Vietnamese


def _names_with_letters(school: ReportsSchool) -> dict[str, tuple[int, str]]:
    """For each letter wanted, a visit and a name on its form that holds it: the pupil, an
    adult with parental responsibility, or a member of staff on the visit."""
    found: dict[str, tuple[int, str]] = {}
    with school.database.session() as session:
        visits = session.scalars(sa.select(Visit).order_by(Visit.id)).all()
        for visit in visits:
            names = [vs.staff.full_name for vs in visit.visitors]
            if visit.pupil is not None:
                names.append(visit.pupil.full_name)
                names += [
                    link.adult.full_name
                    for link in visit.pupil.adult_links
                    if link.parental_responsibility
                ]
            names.append(visit.household.address_line1)
            for name in names:
                for letter in REQUIRED_LETTERS:
                    if letter in name and letter not in found:
                        found[letter] = (visit.id, name)
    return found


def test_names_in_every_latin_script_print_as_written(
    school: ReportsSchool, service: DocumentService
) -> None:
    found = _names_with_letters(school)
    assert set(found) == set(REQUIRED_LETTERS), (
        f"missing from the school: {set(REQUIRED_LETTERS) - set(found)}"
    )
    texts: dict[int, str] = {}
    for letter, (visit_id, name) in sorted(found.items()):
        if visit_id not in texts:
            texts[visit_id] = text_of(service.render(DocumentKind.VISIT_FORM, visit_id))
        assert name in texts[visit_id], (letter, name)
    record = text_of(service.render(DocumentKind.VISIT_RECORD, found["ğ"][0]))
    assert found["ğ"][1] in record


def test_polish_and_welsh_letters_print(school: ReportsSchool, service: DocumentService) -> None:
    text = text_of(service.render(DocumentKind.VISIT_FORM, school.urdu_visit))
    assert f"{POLISH_FATHER[0]} {POLISH_FATHER[1]} (Father)" in text  # ł, ś, ż
    assert HOUSE in text  # ŷ, Ŵ


def test_staff_names_with_diacritics_print(school: ReportsSchool, service: DocumentService) -> None:
    """Emre Çelik and Linh Phạm go on visits: find one each and print its form."""
    for name in ("Çelik", "Phạm"):
        with school.database.session() as session:
            visit_id = session.scalar(
                sa.select(VisitStaff.visit_id)
                .join(Staff, VisitStaff.staff_id == Staff.id)
                .where(Staff.last_name == name)
                .order_by(VisitStaff.visit_id)
            )
        assert visit_id is not None
        assert name in text_of(service.render(DocumentKind.VISIT_FORM, visit_id))


def test_arabic_script_names_are_shaped_ordered_and_set_in_noto(
    school: ReportsSchool, service: DocumentService
) -> None:
    pdf = service.render(DocumentKind.VISIT_FORM, school.urdu_visit)
    raw = " ".join(pages(pdf))
    text = logical(raw)
    assert f"{URDU_MOTHER[0]} {URDU_MOTHER[1]}" in text
    assert f"{URDU_PUPIL[0]} {URDU_PUPIL[1]}" in text
    # Shaped: the page holds joined presentation forms, not the bare letters. Ordered: pypdf
    # reads a right-to-left run back into logical order, so the shaped name comes out as
    # typed only if it was drawn in visual order.
    for first, last in (URDU_MOTHER, URDU_PUPIL):
        assert arabic_reshaper.reshape(f"{first} {last}") in raw
    assert not any(char in raw for char in URDU_MOTHER[0])
    used = fonts(pdf)
    assert used.get("NotoSansArabic-Regular") is True
    assert used.get("DejaVuSans") is True


def test_record_of_home_visit_prints_what_the_visit_found(
    school: ReportsSchool, service: DocumentService
) -> None:
    with school.database.session() as session:
        visit_id = session.scalar(
            sa.select(Visit.id)
            .where(
                Visit.status == VisitStatus.COMPLETED,
                Visit.recorded_on_safeguarding_system_at.is_not(None),
                Visit.concerns_raised.is_not(None),
            )
            .order_by(Visit.id)
        )
    assert visit_id is not None
    visit = _visit(school, visit_id)
    pdf = service.render(DocumentKind.VISIT_RECORD, visit_id)
    text = flat(" ".join(_common(pdf, f"Visit {visit_id}")))
    assert "Record of Home Visit" in text
    for value in (
        visit.spoken_to,
        visit.observations,
        visit.opinions,
        visit.concerns_raised,
        visit.outcome,
        visit.action_required,
    ):
        assert value is not None
        assert flat(value) in text
    assert ("Child seen Yes" if visit.child_seen else "Child seen No") in text
    assert visit.household.address in text
    arrived = next(e for e in visit.events if e.kind.value == "arrived")
    assert f"arrived {format_school_time(arrived.occurred_at, '%H:%M')}" in text
    assert visit.recorded_on_safeguarding_system_at is not None
    assert format_school_time(visit.recorded_on_safeguarding_system_at, "%d %b %Y %H:%M") in text
    assert "CPOMS" in text
    assert visit.safe_word and visit.safe_word not in text


def test_record_of_home_visit_lists_its_follow_ups_with_owner_due_and_done(
    school: ReportsSchool, service: DocumentService
) -> None:
    from hvdesk.db.models import FollowUp

    with school.database.session() as session:
        visit_id = session.scalar(
            sa.select(FollowUp.visit_id)
            .join(Visit, Visit.id == FollowUp.visit_id)
            .where(Visit.is_drill.is_(False))
            .order_by(FollowUp.visit_id)
        )
        assert visit_id is not None
        follow_ups = list(session.scalars(sa.select(FollowUp).where(FollowUp.visit_id == visit_id)))
        expected = [
            (f.action, f.owner.full_name if f.owner else "", f.due_on, f.done_at is not None)
            for f in follow_ups
        ]
    pdf = service.render(DocumentKind.VISIT_RECORD, visit_id)
    text = flat(" ".join(_common(pdf, f"Visit {visit_id}")))
    assert "Follow-up actions" in text
    for action, owner, due_on, _done in expected:
        assert flat(action) in text and owner in text
        assert due_on.strftime("%d %b %Y") in text
    if not all(done for *_, done in expected):
        assert "Open" in text


def test_blank_form_has_both_pages_and_no_record(service: DocumentService) -> None:
    pdf = service.render(DocumentKind.VISIT_FORM, None)
    texts = _common(pdf, "Blank form")
    assert len(texts) == 2
    assert "Home Visit Form" in texts[0] and "Record of Home Visit" in texts[1]
    assert "The top copy of this form MUST be left at the home." in flat(texts[0])
    for label in ("Name of person being visited", "Visited home address", "Reason for calling"):
        assert label in flat(texts[0])
    assert "Visit " not in " ".join(texts).replace("Home Visit", "")


# --- the risk assessment -------------------------------------------------------------------------


def test_risk_assessment_prints_every_hazard_before_and_after(
    school: ReportsSchool, service: DocumentService
) -> None:
    visit_id = school.summary.states["overdue_stage2"][0]
    with school.database.session() as session:
        assessment = session.scalars(
            sa.select(RiskAssessment).where(RiskAssessment.visit_id == visit_id)
        ).one()
        hazards = list(assessment.hazards)
        bands = BandThresholds(assessment.band_low_max, assessment.band_medium_max)
        safe_word = session.scalar(sa.select(Visit.safe_word).where(Visit.id == visit_id))
    pdf = service.render(DocumentKind.RISK_ASSESSMENT, visit_id)
    texts = _common(pdf, f"Visit {visit_id}")
    text = flat(" ".join(texts))
    assert "Risk assessment" in text
    for number, h in enumerate(hazards, 1):
        before = risk_score(h.severity, h.likelihood)
        after = risk_score(h.residual_severity, h.residual_likelihood)
        assert f"{number} {h.hazard}" in text
        assert f"{h.severity} {h.likelihood} {before} {bands.band(before).label}" in text, h.hazard
        assert (
            f"{h.residual_severity} {h.residual_likelihood} {after} {bands.band(after).label}"
            in text
        ), h.hazard
        assert h.controls is not None and flat(h.controls)[:40] in text
    assert f"Bands by score: {band_ranges(bands)}." in text
    assert "Likelihood" in text and "Severity" in text  # the heat-map's axes
    assert "before controls" in text and "after controls" in text  # its legend
    assert "never printed" in text
    assert safe_word and safe_word not in text


def test_risk_assessment_bands_come_from_the_assessment(
    school: ReportsSchool, service: DocumentService
) -> None:
    """Scored against low ≤ 6, medium ≤ 14: S3×L2 = 6 is Low here (Medium by default)."""
    text = text_of(service.render(DocumentKind.RISK_ASSESSMENT, school.urdu_visit))
    bands = BandThresholds(*CUSTOM_BANDS)
    assert f"Bands by score: {band_ranges(bands)}." in text
    assert "Low 1–6 · Medium 7–14 · High 15–25" in text
    assert "3 2 6 Low" in text
    assert "5 3 15 High" in text and "4 2 8 Medium" in text
    assert "Large dog kept in the back yard" in text
    assert HISTORY not in text  # safeguarding history is never printed
    assert SAFE_WORD not in text.lower()


def test_risk_assessment_of_a_visit_without_one_says_so(
    school: ReportsSchool, service: DocumentService
) -> None:
    with pytest.raises(NotReadyToPrint) as caught:
        service.render(DocumentKind.RISK_ASSESSMENT, school.drill_visit)
    assert str(caught.value).startswith(f"Visit {school.drill_visit} has no risk assessment yet.")


# --- the authorisation certificate ---------------------------------------------------------------


def test_authorisation_certificate_names_who_approved_what_and_the_hash(
    school: ReportsSchool, service: DocumentService
) -> None:
    visit_id = school.summary.states["out_on_time"][0]
    visit = _visit(school, visit_id)
    approval = [a for a in visit.authorisations if a.decision is AuthorisationDecision.APPROVED][-1]
    pdf = service.render(DocumentKind.AUTHORISATION, visit_id)
    text = flat(" ".join(_common(pdf, f"Visit {visit_id}")))
    assert "AUTHORISED" in text and "NOT AUTHORISED" not in text
    assert (
        f"Approved by {approval.decided_by.display_name} ({approval.decided_by.role.label})" in text
    )
    assert format_school_time(approval.decided_at, "%A %d %B %Y at %H:%M") in text
    assert approval.approved_hash is not None
    assert hash_groups(approval.approved_hash) in text
    assert approval.approved_hash in text.replace(" ", "")
    assert (approval.conditions or "No conditions were set.") in text
    for vs in visit.visitors:
        assert vs.staff.full_name in text
    assert visit.household.address in text
    assert visit.safe_word and visit.safe_word not in text


def test_authorisation_certificate_with_conditions(
    school: ReportsSchool, service: DocumentService
) -> None:
    text = text_of(service.render(DocumentKind.AUTHORISATION, school.urdu_visit))
    assert "Doorstep only; ring the office on arrival." in text
    assert hash_groups("ab" * 32) in text
    assert "No (unannounced): Absent child, parents not answering calls." in text


def test_no_approval_is_said_plainly_never_invented(
    school: ReportsSchool, service: DocumentService
) -> None:
    visit_id = school.summary.states["awaiting_authorisation"][0]
    text = text_of(service.render(DocumentKind.AUTHORISATION, visit_id))
    assert "NOT AUTHORISED" in text
    assert "There is no approval for this visit." in text
    assert "Approved by" not in text
    assert "Approval hash" not in text


# --- the police sheet ----------------------------------------------------------------------------


def test_police_sheet_has_the_key_facts_on_one_page(
    school: ReportsSchool, service: DocumentService
) -> None:
    visit_id = school.summary.states["overdue_stage4"][0]
    sheet = BoardService(school.database, school.clock).police_sheet(visit_id)
    pdf = service.render(DocumentKind.POLICE_SHEET, visit_id)
    texts = _common(pdf, f"Visit {visit_id}")
    assert len(texts) == 1
    text = flat(texts[0])
    assert "POLICE INFORMATION SHEET" in text
    assert "Stage 4" in text
    assert sheet.visitors
    for v in sheet.visitors:
        assert v.name in text
        assert v.work_mobile is not None and v.work_mobile in text
        assert v.description is not None and flat(v.description) in text
        if v.vehicle:
            car, _, registration = v.vehicle.rpartition(", ")
            assert car in text and registration in text
    assert sheet.address in text
    if sheet.location_notes:
        assert flat(sheet.location_notes) in text
    assert "Scheduled end" in text
    assert format_school_time(sheet.scheduled_end, "%H:%M") in text
    for risk in sheet.known_risks:
        assert flat(risk) in text
    assert sheet.safe_word and f"“{sheet.safe_word}”" in text  # the one document that has it
    for line in sheet.timeline:
        assert line.at.strftime("%H:%M:%S") in text
        assert line.what in text


def test_police_sheet_stays_on_one_page_with_a_long_timeline(
    school: ReportsSchool, service: DocumentService
) -> None:
    pdf = service.render(DocumentKind.POLICE_SHEET, school.urdu_visit)
    texts = pages(pdf)
    assert len(texts) == 1
    text = flat(texts[0])
    assert f"Check-in call {60}" in text
    assert "earlier entries not shown" in text
    assert f"“{SAFE_WORD}”" in text
    assert logical(texts[0]).count(URDU_PUPIL[0]) >= 1


# --- the incident report -------------------------------------------------------------------------


def test_incident_report_lists_every_step_of_the_escalation(
    school: ReportsSchool, service: DocumentService
) -> None:
    with school.database.session() as session:
        incident = session.scalars(
            sa.select(Incident)
            .where(Incident.status == IncidentStatus.CLOSED, Incident.highest_stage.is_not(None))
            .order_by(Incident.highest_stage.desc(), Incident.id)
        ).first()
        assert incident is not None and incident.visit is not None
        events = [
            (
                e.occurred_at,
                e.action.label if e.action else e.kind.label,
                e.outcome,
                e.recorded_by.display_name if e.recorded_by else None,
                e.note,
            )
            for e in incident.visit.events
        ]
        review = (incident.what_happened, incident.lessons, incident.support_offered)
        incident_id, safe_word = incident.id, incident.visit.safe_word
        signed_off = incident.signed_off_at
    pdf = service.render(DocumentKind.INCIDENT, incident_id)
    text = flat(" ".join(_common(pdf, f"Incident {incident_id}")))
    assert f"Incident report Incident {incident_id}" in text
    position = 0
    for at, what, outcome, who, note in events:
        stamp = format_school_time(at, "%H:%M:%S")
        found = text.find(stamp, position)
        assert found >= 0, f"{stamp} {what} missing or out of order"
        position = found
        assert what in text
        if outcome is not None:
            assert outcome.label in text
        if who is not None:
            assert who in text
        if note:
            assert flat(note) in text
    for value in review:
        assert value is not None and flat(value) in text
    if signed_off is not None:
        assert format_school_time(signed_off, "%a %d %b %Y, %H:%M") in text
    assert safe_word and safe_word not in text


def test_a_long_incident_timeline_splits_with_its_header_repeated(
    school: ReportsSchool, service: DocumentService
) -> None:
    pdf = service.render(DocumentKind.INCIDENT, school.urdu_incident)
    texts = _common(pdf, f"Incident {school.urdu_incident}")
    assert len(texts) >= 3
    with_timeline = [t for t in texts if "Check-in call" in t]
    assert len(with_timeline) >= 2
    for page in with_timeline:
        assert "Time What happened Outcome Recorded by" in flat(page)
    text = flat(" ".join(texts))
    for n in range(1, 61):
        assert f"Check-in call {n} " in text + " "
    # Open: the review is not written yet, and the report says so.
    assert text.count("Not yet recorded.") >= 5
    # The safe word is taken out of every note and summary (only the police sheet has it).
    assert SAFE_WORD not in text.lower()
    assert "[safe word]" in text


# --- DRILL, settings, errors ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "kind",
    [
        DocumentKind.VISIT_FORM,
        DocumentKind.POLICE_SHEET,
        DocumentKind.AUTHORISATION,
        DocumentKind.VISIT_RECORD,
    ],
)
def test_drill_documents_say_drill_on_every_page(
    school: ReportsSchool, service: DocumentService, kind: DocumentKind
) -> None:
    pdf = service.render(kind, school.drill_visit)
    for page, text in zip(PdfReader(io.BytesIO(pdf)).pages, pages(pdf), strict=True):
        assert "DRILL: PRACTICE ONLY" in text
        assert _large_text(page) == ["DRILL"]  # across the page, in 150-point letters


def _large_text(page: PageObject) -> list[str]:
    """Text drawn in letters of 100 points or more (the DRILL watermark)."""
    found: list[str] = []

    def visit(text: str, cm: object, tm: object, font: object, size: float) -> None:
        if text.strip() and size >= 100:
            found.append(text.strip())

    page.extract_text(visitor_text=visit)
    return found


def test_real_visits_do_not_say_drill(school: ReportsSchool, service: DocumentService) -> None:
    visit_id = school.summary.states["overdue_stage4"][0]
    for kind in (DocumentKind.VISIT_FORM, DocumentKind.POLICE_SHEET):
        pdf = service.render(kind, visit_id)
        assert "DRILL" not in text_of(pdf)
        assert all(_large_text(page) == [] for page in PdfReader(io.BytesIO(pdf)).pages)


def test_school_name_marking_and_logo_come_from_settings(
    school: ReportsSchool, service: DocumentService
) -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (60, 30), (31, 58, 95)).save(buffer, format="PNG")
    logo = base64.b64encode(buffer.getvalue()).decode("ascii")
    changes = {
        "document_marking": "OFFICIAL",
        "school_name": "Ysgol Gymraeg Llanŵ",
        LOGO_SETTING: logo,
    }
    with school.database.session() as session:
        before = {s.key: s.value for s in session.scalars(sa.select(Setting))}
        for key, value in changes.items():
            session.merge(Setting(key=key, value=value, updated_at=MONDAY_MORNING))
    try:
        pdf = service.render(DocumentKind.VISIT_FORM, None)
        text = text_of(pdf)
        assert "Ysgol Gymraeg Llanŵ" in text
        assert "OFFICIAL " in text + " " and MARKING not in text
        page = PdfReader(io.BytesIO(pdf)).pages[0]
        images = [
            x.get_object()
            for x in page["/Resources"].get("/XObject", {}).values()
            if x.get_object().get("/Subtype") == "/Image"
        ]
        assert images, "the logo is drawn in the header"
    finally:
        with school.database.session() as session:
            for key in changes:
                setting = session.get(Setting, key)
                if key in before:
                    assert setting is not None
                    setting.value = before[key]
                elif setting is not None:
                    session.delete(setting)


def test_the_same_record_at_the_same_time_gives_the_same_bytes(
    school: ReportsSchool, service: DocumentService
) -> None:
    """The PDF's dates come from the injected clock, so documents are reproducible."""
    visit_id = school.summary.states["overdue_stage3"][0]
    first = service.render(DocumentKind.POLICE_SHEET, visit_id)
    assert service.render(DocumentKind.POLICE_SHEET, visit_id) == first
    info = PdfReader(io.BytesIO(first)).metadata
    assert info is not None and str(info["/CreationDate"]).startswith("D:20261123103000")


def test_errors_the_office_can_meet(school: ReportsSchool, service: DocumentService) -> None:
    with pytest.raises(NoSuchRecord, match=r"There is no visit 9999\."):
        service.render(DocumentKind.VISIT_FORM, 9999)
    with pytest.raises(NoSuchRecord, match=r"There is no visit 9999\."):
        service.render(DocumentKind.POLICE_SHEET, 9999)
    with pytest.raises(NoSuchRecord, match=r"There is no incident 9999\."):
        service.render(DocumentKind.INCIDENT, 9999)
    with pytest.raises(NoBlankVersion):
        service.render(DocumentKind.RISK_ASSESSMENT, None)
    with pytest.raises(DocumentError, match="no document called 'payslip'"):
        service.render("payslip", 1)
    assert DocumentService.filename("risk-assessment", 12) == "visit-12-risk-assessment.pdf"
    assert DocumentService.filename(DocumentKind.INCIDENT, 3) == "incident-3-incident.pdf"
    assert DocumentService.filename(DocumentKind.VISIT_FORM, None) == "blank-visit-form.pdf"


def test_every_kind_renders_for_the_live_visits(
    school: ReportsSchool, service: DocumentService
) -> None:
    """Every live state of the demo prints every visit document (none raises)."""
    for ids in school.summary.states.values():
        for visit_id in ids:
            for kind in (
                DocumentKind.VISIT_FORM,
                DocumentKind.VISIT_RECORD,
                DocumentKind.AUTHORISATION,
                DocumentKind.POLICE_SHEET,
                DocumentKind.RISK_ASSESSMENT,
            ):
                assert service.render(kind, visit_id).startswith(b"%PDF-")


def test_arabic_text_in_a_table_cell_is_right_aligned(tmp_path: Path) -> None:
    """The paragraph style chosen for right-to-left text aligns right (and Latin stays left)."""
    from reportlab.lib.enums import TA_LEFT, TA_RIGHT

    from hvdesk.reports.layout import para

    assert para(f"{URDU_MOTHER[0]} {URDU_MOTHER[1]} (Mother)").style.alignment == TA_RIGHT
    assert para("Łukasz Wójcik (Father)").style.alignment == TA_LEFT
    assert para(f"Mother: {URDU_MOTHER[0]}").style.alignment == TA_LEFT


def test_drill_event_kinds_are_printed_with_the_visit_events(
    school: ReportsSchool, service: DocumentService
) -> None:
    with school.database.session() as session:
        notes = session.scalars(
            sa.select(VisitEvent.note).where(VisitEvent.visit_id == school.drill_visit)
        ).all()
    text = text_of(service.render(DocumentKind.POLICE_SHEET, school.drill_visit))
    for note in notes:
        assert note is not None and note in text


def test_a_closed_review_says_none_recorded_not_to_do(
    school: ReportsSchool, service: DocumentService
) -> None:
    """On a closed incident an empty review field means nothing to add, not a task."""
    with school.database.session() as session:
        incident_id = session.scalar(
            sa.select(Incident.id)
            .where(Incident.status == IncidentStatus.CLOSED, Incident.procedure_changes.is_(None))
            .order_by(Incident.id)
        )
    assert incident_id is not None
    text = text_of(service.render(DocumentKind.INCIDENT, incident_id))
    assert "Changes to the procedure None recorded." in text
    assert "Not yet recorded." not in text


def test_reportlab_is_imported_only_when_a_document_is_made() -> None:
    """reportlab costs about 100 ms to import: the app and the CLI must not pay it at start."""
    import subprocess
    import sys

    code = (
        "import sys, hvdesk.services.documents, hvdesk.cli_pdf, hvdesk.reports.models, "
        "hvdesk.ui.main_window; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('reportlab', 'bidi', "
        "'arabic_reshaper', 'alembic', 'pypdf')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
