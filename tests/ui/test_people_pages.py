# ruff: noqa: F811  (the demo-school fixtures are imported by name)
"""The Pupils and Staff pages with their dialogs, driven as the office would, on a copy of the
real encrypted demo school: edit a pupil, record a risk, refuse a bad mobile without saving,
and import a good and a bad MIS export through the column-mapping dialog."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import pytest
import sqlalchemy as sa
from PySide6.QtCore import Qt

from hvdesk.db.models import KnownRisk, Pupil, Staff
from hvdesk.domain.households import RiskKind
from hvdesk.domain.mis_import import MisField
from hvdesk.services.container import Services
from hvdesk.services.people import PeopleService
from hvdesk.ui.current_user import CurrentUser
from hvdesk.ui.pages.pupils_page import PupilsPage
from hvdesk.ui.pages.staff_page import StaffPage
from hvdesk.ui.people.import_dialog import ImportDialog
from hvdesk.ui.people.pupil_dialog import PupilDialog
from hvdesk.ui.people.staff_dialog import StaffDialog
from tests.board_school import School, demo_template, school  # noqa: F401

DATA = Path(__file__).parent.parent / "data"


@pytest.fixture
def user(qapp) -> Iterator[CurrentUser]:
    current = CurrentUser()
    yield current
    current.deleteLater()


Page = TypeVar("Page", PupilsPage, StaffPage)


@contextmanager
def shown(qtbot, page: Page) -> Iterator[Page]:
    """The page on screen with its rows read; closed afterwards with any dialog it opened."""
    qtbot.addWidget(page)
    page.resize(1100, 700)
    page.show()
    page.refresh()
    yield page
    if page.dialog is not None:
        page.dialog.close()
    page.close()


@pytest.fixture
def pupils_page(qtbot, school: School, user: CurrentUser) -> Iterator[PupilsPage]:
    with shown(
        qtbot, PupilsPage(Services.build(school.database, school.clock), current_user=user)
    ) as page:
        yield page


@pytest.fixture
def staff_page(qtbot, school: School, user: CurrentUser) -> Iterator[StaffPage]:
    with shown(
        qtbot, StaffPage(Services.build(school.database, school.clock), current_user=user)
    ) as page:
        yield page


def count(school: School, model: type) -> int:
    with school.database.session() as session:
        return session.scalar(sa.select(sa.func.count()).select_from(model)) or 0


def pupil_with_history(school: School) -> int:
    with school.database.session() as session:
        found = session.scalars(
            sa.select(Pupil.id)
            .join(KnownRisk, KnownRisk.household_id == Pupil.household_id)
            .where(KnownRisk.kind == RiskKind.SAFEGUARDING_HISTORY, Pupil.active.is_(True))
            .order_by(Pupil.id)
        ).first()
    assert found is not None
    return found


def risk_kinds_shown(dialog: PupilDialog) -> list[str]:
    return [dialog.risks.item(r, 0).text() for r in range(dialog.risks.rowCount())]


def test_nobody_signed_in_can_change_nothing(pupils_page, staff_page):
    for button in (pupils_page.add_button, pupils_page.edit_button, pupils_page.import_button):
        assert not button.isEnabled()
    assert pupils_page.open_pupil(None) is None and pupils_page.open_import() is None
    assert not staff_page.add_button.isEnabled() and staff_page.open_staff(None) is None


def test_edit_a_pupil_from_the_list(qtbot, school, user, pupils_page):
    user.sign_in(school.user("p.stanton"))
    assert pupils_page.add_button.isEnabled() and pupils_page.import_button.isEnabled()
    pupil_id = pupil_with_history(school)
    assert pupils_page.select_row(lambda r: r.id == pupil_id)
    qtbot.mouseClick(pupils_page.edit_button, Qt.MouseButton.LeftButton)
    dialog = pupils_page.dialog
    assert isinstance(dialog, PupilDialog) and dialog.isVisible()
    assert dialog.record is not None and dialog.last_name.text() == dialog.record.draft.last_name

    dialog.last_name.setText("Fairweather-Smith")
    dialog.year_group.setCurrentIndex(dialog.year_group.findText("Year 10"))
    dialog.postcode.setText("ls1 1aa")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert not dialog.isVisible()
    saved = PeopleService(school.database, school.clock).pupil(pupil_id, school.user("p.stanton"))
    assert saved.draft.last_name == "Fairweather-Smith"
    assert saved.draft.year_group == 10 and saved.draft.household.postcode == "LS1 1AA"
    selected = pupils_page.selected_row()
    assert selected is not None and selected.id == pupil_id
    assert selected.last_name == "Fairweather-Smith" and selected.year_group == 10


def test_a_bad_pupil_form_says_what_is_wrong_and_stays_open(qtbot, school, user, pupils_page):
    user.sign_in(school.user("p.stanton"))
    before = count(school, Pupil)
    dialog = pupils_page.open_pupil(None)
    assert dialog is not None
    dialog.first_name.setText("Nia")
    dialog.last_name.setText("Evans")
    dialog.date_of_birth.setText("31/02/2015")
    dialog.address_line1.setText("1 Bryn Road")
    dialog.town.setText("Leeds")
    dialog.postcode.setText("NOT A CODE")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    messages = dialog.problems.messages
    assert "Date of birth: '31/02/2015' is not a date; type it as dd/mm/yyyy." in messages
    assert any("'NOT A CODE' is not a UK postcode" in m for m in messages)
    assert any(m.startswith("Area:") for m in messages)
    assert count(school, Pupil) == before

    dialog.date_of_birth.setText("28/02/2015")
    dialog.postcode.setText("LS8 2QR")
    dialog.area.setText("Harehills")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible() and count(school, Pupil) == before + 1


def test_need_to_know_in_the_pupil_dialog(qtbot, school, user, pupils_page):
    pupil_id = pupil_with_history(school)
    user.sign_in(school.user("s.whitfield"))
    dsl_dialog = pupils_page.open_pupil(pupil_id)
    assert dsl_dialog is not None
    assert "Safeguarding history" in risk_kinds_shown(dsl_dialog)
    assert dsl_dialog.risk_kind.findText("Safeguarding history") >= 0
    assert dsl_dialog.end_risk_button.isVisibleTo(dsl_dialog)
    dsl_dialog.close()

    user.sign_in(school.user("k.lewis"))
    dialog = pupils_page.open_pupil(pupil_id)
    assert dialog is not None
    assert "Safeguarding history" not in risk_kinds_shown(dialog)
    assert dialog.risk_kind.findText("Safeguarding history") == -1
    assert not dialog.end_risk_button.isVisibleTo(dialog)
    assert dialog.last_name.isReadOnly() and not dialog.home_phone.isReadOnly()

    dialog.risk_kind.setCurrentIndex(dialog.risk_kind.findText("Dog or other animal"))
    dialog.risk_text.setText("Two dogs loose in the garden")
    qtbot.mouseClick(dialog.add_risk_button, Qt.MouseButton.LeftButton)
    assert "New" in [dialog.risks.item(r, 3).text() for r in range(dialog.risks.rowCount())]
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    risks = PeopleService(school.database, school.clock).pupil(pupil_id, school.user("k.lewis"))
    assert "Two dogs loose in the garden" in [r.description for r in risks.risks]


def test_add_staff_with_a_bad_mobile_saves_nothing(qtbot, school, user, staff_page):
    user.sign_in(school.user("p.stanton"))
    before = count(school, Staff)
    qtbot.mouseClick(staff_page.add_button, Qt.MouseButton.LeftButton)
    dialog = staff_page.dialog
    assert isinstance(dialog, StaffDialog) and dialog.isVisible()
    dialog.first_name.setText("Owen")
    dialog.last_name.setText("Pritchard")
    dialog.job_role.setCurrentIndex(dialog.job_role.findText("Attendance officer"))
    dialog.work_mobile.setText("0113 496 0123")
    dialog.emergency_name.setText("Gwen Pritchard")
    dialog.emergency_phone.setText("07700 900 55")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert dialog.isVisible()
    messages = dialog.problems.messages
    assert any(m.startswith("Work mobile: '0113 496 0123' is not a UK mobile") for m in messages)
    assert any(m.startswith("Emergency contact phone: '07700 900 55'") for m in messages)
    assert dialog.work_mobile.accessibleDescription().startswith("Work mobile:")
    assert count(school, Staff) == before

    dialog.work_mobile.setText("07700 900555")
    dialog.emergency_phone.setText("07700900556")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible() and count(school, Staff) == before + 1
    row = staff_page.selected_row()
    assert row is not None and (row.full_name, row.work_mobile) == (
        "Owen Pritchard",
        "07700 900555",
    )


def test_reception_edits_a_colleagues_mobile_but_not_their_checks(qtbot, school, user, staff_page):
    user.sign_in(school.user("k.lewis"))
    assert not staff_page.add_button.isEnabled()
    staff_page.table.selectRow(0)
    dialog = staff_page.edit_selected()
    assert dialog is not None
    assert dialog.first_name.isReadOnly() and not dialog.dbs_level.isEnabled()
    assert not dialog.work_mobile.isReadOnly()
    dialog.work_mobile.setText("07700 900999")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert staff_page.selected_row().work_mobile == "07700 900999"


def test_import_a_good_csv_through_the_mapping_dialog(qtbot, school, user, pupils_page):
    user.sign_in(school.user("p.stanton"))
    before = count(school, Pupil)
    qtbot.mouseClick(pupils_page.import_button, Qt.MouseButton.LeftButton)
    dialog = pupils_page.dialog
    assert isinstance(dialog, ImportDialog)
    assert not dialog.check_button.isEnabled() and not dialog.import_button.isEnabled()

    dialog.load_file(DATA / "mis_good.csv")
    assert "5 row(s)" in dialog.file_label.text()
    assert dialog.boxes[MisField.MIS_ID].currentText() == "UPN"
    assert dialog.boxes[MisField.AREA].currentText() == "(not in the file)"
    assert dialog.preview.rowCount() == 5 and dialog.preview.item(0, 1).text() == "Okafor"
    dialog.set_column(MisField.HOME_PHONE, None)  # the office edits the suggestion
    assert dialog.mapping.item(list(MisField).index(MisField.HOME_PHONE), 2).text() == ""

    qtbot.mouseClick(dialog.check_button, Qt.MouseButton.LeftButton)
    assert dialog.result_label.text() == (
        "Ready to import: 5 pupil(s) added, 0 updated, 0 unchanged; 4 new household(s)."
    )
    assert count(school, Pupil) == before and dialog.import_button.isEnabled()
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert dialog.summary is not None and dialog.summary.added == 5
    assert dialog.result_label.text().startswith("Imported: 5 pupil(s) added")
    assert count(school, Pupil) == before + 5
    assert not dialog.import_button.isEnabled()  # not twice by accident
    dialog.close_button.click()
    assert pupils_page.proxy.rowCount() == before + 5 - _left(school)


def _left(school: School) -> int:
    with school.database.session() as session:
        return (
            session.scalar(sa.select(sa.func.count(Pupil.id)).where(Pupil.active.is_(False))) or 0
        )


def test_a_bad_csv_shows_line_numbers_and_imports_nothing(qtbot, school, user, pupils_page):
    user.sign_in(school.user("s.whitfield"))
    before = count(school, Pupil)
    dialog = pupils_page.open_import()
    assert dialog is not None
    dialog.load_file(DATA / "mis_bad.csv")
    qtbot.mouseClick(dialog.check_button, Qt.MouseButton.LeftButton)
    lines = dialog.problems
    assert lines[0] == (
        "Line 3: Date of birth '31/02/2015' is not a date (use dd/mm/yyyy or yyyy-mm-dd)."
    )
    assert {line.split(":")[0] for line in lines} == {
        "Line 3",
        "Line 4",
        "Line 5",
        "Line 6",
        "Line 8",
        "Line 9",
    }
    assert "Nothing will be imported" in dialog.result_label.text()
    assert not dialog.import_button.isEnabled()
    dialog.run_import()  # even if asked, there is nothing checked to import
    assert count(school, Pupil) == before

    dialog.set_column(MisField.DATE_OF_BIRTH, None)
    qtbot.mouseClick(dialog.check_button, Qt.MouseButton.LeftButton)
    assert dialog.problems[0] == "Line 1: Choose the column that holds Date of birth."


def test_changing_the_mapping_after_a_check_asks_for_another(qtbot, school, user, pupils_page):
    user.sign_in(school.user("p.stanton"))
    dialog = pupils_page.open_import()
    assert dialog is not None
    dialog.load_file(DATA / "mis_good.csv")
    qtbot.mouseClick(dialog.check_button, Qt.MouseButton.LeftButton)
    assert dialog.import_button.isEnabled()
    dialog.set_column(MisField.AREA, "Town")
    assert not dialog.import_button.isEnabled()
    assert "check again" in dialog.result_label.text()


def test_a_file_that_is_not_csv_is_explained(tmp_path, school, user, pupils_page):
    user.sign_in(school.user("p.stanton"))
    dialog = pupils_page.open_import()
    assert dialog is not None
    spreadsheet = tmp_path / "pupils.xlsx"
    spreadsheet.write_bytes(b"PK\x03\x04\x14\x00\x00\x00\x81\x8d\x00")
    dialog.load_file(spreadsheet)
    assert "not a CSV export" in dialog.file_label.text()
    assert not dialog.check_button.isEnabled()
