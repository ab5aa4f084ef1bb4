"""The school the document tests print from: the demo, plus a few records it lacks.

The demo has no Arabic-script name, no drill, no assessment scored against other thresholds and
no timeline long enough to need a second page, so they are added here: an Urdu-speaking family
(names in Urdu script, a Welsh house name with Ŵ and ŷ, a Polish father with ł, ś and ż), a
completed visit to them with 60 check-in calls and a note that mentions the safe word, and an
incident on it; and a drill out now.
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa
from pypdf import PdfReader

from hvdesk.clock import FakeClock
from hvdesk.db.database import Database, create_database
from hvdesk.db.keys import new_database_key
from hvdesk.db.models import (
    Adult,
    Authorisation,
    Hazard,
    Household,
    Incident,
    KnownRisk,
    Pupil,
    PupilAdult,
    RiskAssessment,
    Staff,
    UserAccount,
    Visit,
    VisitEvent,
    VisitStaff,
)
from hvdesk.demo.school import DemoSummary, seed_demo
from hvdesk.domain.households import Relationship, RiskKind
from hvdesk.domain.incidents import IncidentKind, IncidentStatus
from hvdesk.domain.people import Role
from hvdesk.domain.risk import RiskBand
from hvdesk.domain.visits import (
    AuthorisationDecision,
    EntryMode,
    EventKind,
    VisitorRole,
    VisitReason,
    VisitStatus,
)
from hvdesk.services.identity import SignedInUser
from hvdesk.services.visit_log import VisitLog

URDU_MOTHER = ("عائشہ", "قریشی")
URDU_PUPIL = ("مریم", "قریشی")
POLISH_FATHER = ("Michał", "Wiśniewski-Różycki")
HOUSE = "Tŷ Ŵyn"
SAFE_WORD = "pomegranate"
HISTORY = "Referred to children's social care in 2023"
CHECK_INS = 60
CUSTOM_BANDS = (6, 14)  # an assessment scored against other thresholds than the default


@dataclass
class ReportsSchool:
    database: Database
    clock: FakeClock
    summary: DemoSummary
    key: bytes
    folder: Path
    urdu_visit: int
    urdu_incident: int
    drill_visit: int


def build_reports_school(folder: Path, clock: FakeClock) -> ReportsSchool:
    key = new_database_key()
    database = create_database(folder, key)
    with database.session() as session:
        summary = seed_demo(session, clock)
    now = clock.now()
    with database.session() as session:
        dsl = session.scalars(sa.select(UserAccount).where(UserAccount.role == Role.DSL)).first()
        reception = session.scalars(
            sa.select(UserAccount).where(UserAccount.role == Role.RECEPTION)
        ).first()
        assert dsl is not None and reception is not None
        busy = sa.select(VisitStaff.staff_id).join(Visit).where(Visit.status == VisitStatus.OUT)
        free = session.scalars(
            sa.select(Staff)
            .where(Staff.work_mobile.is_not(None), Staff.id.not_in(busy))
            .order_by(Staff.id)
        ).all()
        home = Household(
            address_line1=f"{HOUSE}, 4 Heol y Bont",
            town="Brookford",
            postcode="RV1 4WY",
            area="Northgate",
            location_notes="Side door; the front gate sticks.",
            created_at=now - timedelta(days=300),
        )
        mother = Adult(first_name=URDU_MOTHER[0], last_name=URDU_MOTHER[1], household=home)
        father = Adult(first_name=POLISH_FATHER[0], last_name=POLISH_FATHER[1], household=home)
        pupil = Pupil(
            first_name=URDU_PUPIL[0],
            last_name=URDU_PUPIL[1],
            date_of_birth=(now - timedelta(days=12 * 365)).date(),
            year_group=8,
            household=home,
        )
        pupil.adult_links = [
            PupilAdult(
                adult=mother,
                relationship_to_pupil=Relationship.MOTHER,
                parental_responsibility=True,
            ),
            PupilAdult(
                adult=father,
                relationship_to_pupil=Relationship.FATHER,
                parental_responsibility=True,
            ),
        ]
        home.known_risks = [
            KnownRisk(
                kind=RiskKind.DOG,
                description="Large dog kept in the back yard",
                recorded_at=now - timedelta(days=200),
            ),
            KnownRisk(
                kind=RiskKind.SAFEGUARDING_HISTORY,
                description=HISTORY,
                recorded_at=now - timedelta(days=200),
            ),
        ]
        session.add_all([home, mother, father, pupil])
        session.flush()
        start = now - timedelta(days=1, hours=3)
        visit = Visit(
            household_id=home.id,
            pupil_id=pupil.id,
            reason=VisitReason.WELFARE_CHECK,
            purpose="Third day of unexplained absence; calls unanswered.",
            announced=False,
            unannounced_reason="Absent child, parents not answering calls.",
            entry_mode=EntryMode.DOORSTEP,
            planned_start=start,
            planned_end=start + timedelta(hours=3),
            status=VisitStatus.COMPLETED,
            safe_word=SAFE_WORD,
            created_at=start - timedelta(days=1),
            child_seen=True,
            spoken_to=f"{URDU_MOTHER[0]} {URDU_MOTHER[1]} (mother)",
            observations="Maryam seen at the door, well and dressed for school.",
            outcome="Maryam back in school tomorrow; mother to ring the office.",
            action_required="Attendance officer to check the register on Wednesday.",
            completed_at=start + timedelta(hours=4),
        )
        session.add(visit)
        session.flush()
        for position, staff in enumerate(free[:2]):
            session.add(
                VisitStaff(
                    visit_id=visit.id,
                    staff_id=staff.id,
                    position=position,
                    role=VisitorRole.LEAD if position == 0 else VisitorRole.SECOND,
                )
            )
        assessment = RiskAssessment(
            visit_id=visit.id,
            household_id=home.id,
            band_low_max=CUSTOM_BANDS[0],
            band_medium_max=CUSTOM_BANDS[1],
            highest_residual_band=RiskBand.LOW,
            notes="Dog is shut away when visitors come.",
            created_at=start - timedelta(hours=20),
        )
        assessment.hazards = [
            Hazard(
                position=0,
                hazard="Dogs or other animals",
                who_at_risk="Visiting staff",
                severity=3,
                likelihood=2,
                controls="Ask for the dog to be shut away.",
                residual_severity=2,
                residual_likelihood=1,
            ),
            Hazard(
                position=1,
                hazard="Aggressive or violent person",
                who_at_risk="Visiting staff",
                severity=5,
                likelihood=3,
                controls="Doorstep only; pair visit.",
                residual_severity=4,
                residual_likelihood=2,
            ),
        ]
        session.add(assessment)
        session.add(
            Authorisation(
                visit_id=visit.id,
                decision=AuthorisationDecision.APPROVED,
                decided_by_id=dsl.id,
                decided_at=start - timedelta(hours=18),
                conditions="Doorstep only; ring the office on arrival.",
                approved_hash="ab" * 32,
            )
        )
        at = start
        events = [(EventKind.SIGNED_OUT, None), (EventKind.ARRIVED, None)]
        events += [(EventKind.CALL_RECEIVED, f"Check-in call {n}") for n in range(1, CHECK_INS + 1)]
        events += [
            (EventKind.NOTE, f"Staff said {SAFE_WORD.capitalize()} by mistake; confirmed safe."),
            (EventKind.LEFT, None),
            (EventKind.RETURNED, None),
        ]
        for kind, note in events:
            at += timedelta(minutes=2)
            session.add(
                VisitEvent(
                    visit_id=visit.id,
                    kind=kind,
                    occurred_at=at,
                    recorded_at=at,
                    recorded_by_id=reception.id,
                    note=note,
                )
            )
        incident = Incident(
            visit_id=visit.id,
            kind=IncidentKind.SAFE_WORD,
            status=IncidentStatus.OPEN,
            occurred_at=start + timedelta(hours=1),
            raised_at=start + timedelta(hours=1, minutes=5),
            raised_by_id=reception.id,
            summary=f"The safe word ({SAFE_WORD}) was said on a check-in call.",
        )
        session.add(incident)
        session.flush()
        urdu_visit, urdu_incident = visit.id, incident.id
        drill_staff = free[2].id
        by = SignedInUser(reception.id, reception.username, reception.display_name, reception.role)
    drill_visit = VisitLog(database, clock).start_drill([drill_staff], by)
    return ReportsSchool(
        database, clock, summary, key, folder, urdu_visit, urdu_incident, drill_visit
    )


# --- reading PDFs --------------------------------------------------------------------------------


def pages(pdf: bytes) -> list[str]:
    """The text of each page, as pypdf extracts it."""
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def flat(text: str) -> str:
    """Whitespace collapsed, so a value wrapped over two lines still matches."""
    return " ".join(text.split())


def text_of(pdf: bytes) -> str:
    return flat(" ".join(pages(pdf)))


def logical(text: str) -> str:
    """Extracted Arabic back to plain letters (shaping puts presentation forms in the PDF)."""
    return flat(unicodedata.normalize("NFKC", text))


def fonts(pdf: bytes) -> dict[str, bool]:
    """Every font the pages use, subset prefix removed, and whether its TrueType program is
    embedded (/FontFile2)."""
    found: dict[str, bool] = {}
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            descriptor = font.get("/FontDescriptor")
            embedded = descriptor is not None and "/FontFile2" in descriptor.get_object()
            found[re.sub(r"^/([A-Z]{6}\+)?", "", str(font["/BaseFont"]))] = embedded
    return found


def test_the_school_has_what_the_document_tests_need(tmp_path: Path) -> None:
    """The extras land as the document tests expect (so a failure there is about documents)."""
    school = build_reports_school(tmp_path / "data", FakeClock())
    try:
        with school.database.session() as session:
            visit = session.get(Visit, school.urdu_visit)
            drill = session.get(Visit, school.drill_visit)
            assert visit is not None and drill is not None
            assert len(visit.events) == CHECK_INS + 5
            assert len(visit.visitors) == 2
            assert drill.is_drill and drill.status is VisitStatus.OUT
            assert not drill.risk_assessments
    finally:
        school.database.close()
