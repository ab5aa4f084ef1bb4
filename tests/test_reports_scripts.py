"""Names in every script, printed and searchable (issue 17 item 5): a pupil, their mother and a
visiting colleague named in Urdu, Arabic, Bengali, Gujarati, Gurmukhi, Tamil and Chinese come
back as typed from `pdftotext` on the Home Visit Form, the police sheet and the Record of Home
Visit, in fonts embedded as subsets."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from hvdesk.clock import FakeClock
from hvdesk.db.models import Pupil, Staff, Visit, VisitStaff
from hvdesk.domain.people import Role
from hvdesk.services import audit
from hvdesk.services.documents import DocumentKind, DocumentService
from tests.conftest import MONDAY_MORNING
from tests.helpers import user_with_role
from tests.test_reports_school import ReportsSchool, build_reports_school, fonts

# (script, pupil first, pupil last, colleague's first name, the font that must be embedded)
NAMES = [
    ("Urdu", "عائشہ", "قریشی", "صلاح", "NotoSansArabic-Regular"),
    ("Bengali", "রহিম", "উদ্দিন", "তাসলিমা", "NotoSansBengali-Regular"),
    ("Gujarati", "પ્રિયા", "પટેલ", "કૃષ્ણ", "NotoSansGujarati-Regular"),
    ("Gurmukhi", "ਹਰਪ੍ਰੀਤ", "ਸਿੰਘ", "ਗੁਰਪ੍ਰੀਤ", "NotoSansGurmukhi-Regular"),
    ("Tamil", "கார்த்திக்", "ஸ்ரீநிவாசன்", "லக்ஷ்மி", "NotoSansTamil-Regular"),
    ("Chinese", "小明", "王", "丽华", "DroidSansFallback"),
]
DOCUMENTS = (DocumentKind.VISIT_FORM, DocumentKind.POLICE_SHEET, DocumentKind.VISIT_RECORD)

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")


@pytest.fixture(scope="module")
def school(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ReportsSchool]:
    built = build_reports_school(
        tmp_path_factory.mktemp("scripts") / "data", FakeClock(MONDAY_MORNING)
    )
    yield built
    built.database.close()


def pdftotext(pdf: bytes) -> str:
    done = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return " ".join(done.stdout.decode("utf-8").split())


def rename(school: ReportsSchool, first: str, last: str, colleague: str) -> None:
    """The visit's pupil and its lead visitor take the names."""
    with school.database.session() as session:
        visit = session.get(Visit, school.urdu_visit)
        assert visit is not None
        pupil = session.get(Pupil, visit.pupil_id)
        assert pupil is not None
        pupil.first_name, pupil.last_name = first, last
        staff_id = session.scalar(
            sa.select(VisitStaff.staff_id)
            .where(VisitStaff.visit_id == visit.id)
            .order_by(VisitStaff.position)
        )
        staff = session.get(Staff, staff_id)
        assert staff is not None
        staff.first_name = colleague


@pytest.mark.parametrize(("script", "first", "last", "colleague", "font"), NAMES)
def test_names_in_each_script_round_trip_through_pdftotext(
    school: ReportsSchool, script: str, first: str, last: str, colleague: str, font: str
) -> None:
    rename(school, first, last, colleague)
    audit.set_signed_in(user_with_role(school.database, Role.DSL))  # type: ignore[arg-type]
    service = DocumentService(school.database, school.clock)
    for kind in DOCUMENTS:
        pdf = service.render(kind, school.urdu_visit)
        text = pdftotext(pdf)
        assert f"{first} {last}" in text, (script, kind)
        assert colleague in text, (script, kind)
        embedded = fonts(pdf)
        assert embedded.get(font) is True, (script, kind, embedded)
        # Subset on embedding: a 4 MB Chinese font adds a few kilobytes, not megabytes.
        assert len(pdf) < 250_000, (script, kind, len(pdf))


def test_a_name_is_drawn_with_its_own_glyphs_not_boxes(school: ReportsSchool) -> None:
    """Every character of the names is in the font that sets it (no .notdef boxes)."""
    from reportlab.pdfbase import pdfmetrics

    from hvdesk.reports.fonts import SCRIPT_FONTS, register_fonts, shaping_font

    register_fonts()
    for script, first, last, colleague, _font in NAMES[1:]:
        key = script.casefold() if script != "Chinese" else "cjk"
        if key != "cjk":
            assert shaping_font(first) == SCRIPT_FONTS[key][0]
        face = pdfmetrics.getFont(SCRIPT_FONTS[key][0]).face
        for char in f"{first}{last}{colleague}":
            if char.isspace() or char in "\u200c\u200d":
                continue
            assert ord(char) in face.charToGlyph, (script, char)


def test_numbers_typed_any_way_print_national_or_with_their_prefix(school: ReportsSchool) -> None:
    """Issue 17 item 3: a colleague's mobile from abroad, typed with 00, is saved and printed on
    the police sheet with its + prefix; a UK 0300 number in national form."""
    from dataclasses import replace

    from hvdesk.services.people import PeopleService

    dsl = user_with_role(school.database, Role.DSL)
    audit.set_signed_in(dsl)  # type: ignore[arg-type]
    with school.database.session() as session:
        staff_id = session.scalar(
            sa.select(VisitStaff.staff_id)
            .where(VisitStaff.visit_id == school.urdu_visit)
            .order_by(VisitStaff.position)
        )
    assert staff_id is not None
    people = PeopleService(school.database, school.clock)
    admin = user_with_role(school.database, Role.ADMINISTRATOR)
    draft = people.staff_member(staff_id, admin).draft  # type: ignore[arg-type]
    people.save_staff(
        replace(draft, work_mobile="0048601234567", emergency_contact_phone="03001234567"),
        admin,  # type: ignore[arg-type]
        staff_id,
    )
    text = pdftotext(
        DocumentService(school.database, school.clock).render(
            DocumentKind.POLICE_SHEET, school.urdu_visit
        )
    )
    assert "+48 601 234 567" in text
    assert "0300 123 4567" in text
