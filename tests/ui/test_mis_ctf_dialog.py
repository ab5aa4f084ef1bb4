# ruff: noqa: F811  (the demo-school fixtures are imported by name)
"""The import dialog with a Common Transfer File (issue 17 item 1): no mapping to set, the same
Check then Import, problems listed by line and element, nothing imported until all are right."""

from __future__ import annotations

import sqlalchemy as sa
from PySide6.QtCore import Qt

from hvdesk.db.models import Pupil
from hvdesk.services.mis_import import MisImport
from hvdesk.ui.people.import_dialog import ImportDialog
from tests.board_school import School, demo_template, school  # noqa: F401
from tests.mis_files import FakeContact, FakePupil, ctf


def count(school: School) -> int:
    with school.database.session() as session:
        return session.scalar(sa.select(sa.func.count(Pupil.id))) or 0


def test_a_ctf_is_checked_and_imported_without_a_mapping(qtbot, tmp_path, school):
    path = tmp_path / "A999_CTF_999_001.XML"
    path.write_bytes(
        ctf(
            [
                FakePupil(
                    "A999999999201", "Aisha", "Khan", contacts=(FakeContact("Farah", "Khan"),)
                ),
                FakePupil("A999999999202", "Tomasz", "Nowak"),
            ]
        )
    )
    dialog = ImportDialog(MisImport(school.database, school.clock), school.user("p.stanton"))
    qtbot.addWidget(dialog)
    dialog.show()
    before = count(school)
    dialog.load_file(path)
    assert "a Common Transfer File from Invented Primary School" in dialog.file_label.text()
    assert not dialog.mapping_box.isVisible() and not dialog.preview_box.isVisible()
    qtbot.mouseClick(dialog.check_button, Qt.MouseButton.LeftButton)
    assert dialog.result_label.text().startswith("Ready to import: 2 pupil(s) added")
    assert count(school) == before
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert dialog.summary is not None and dialog.summary.added == 2
    assert count(school) == before + 2


def test_a_bad_ctf_lists_line_and_element_and_imports_nothing(qtbot, tmp_path, school):
    path = tmp_path / "bad.xml"
    path.write_bytes(ctf([FakePupil("A999999999203", "", "Khan", postcode="NOT A CODE")]))
    dialog = ImportDialog(MisImport(school.database, school.clock), school.user("p.stanton"))
    qtbot.addWidget(dialog)
    dialog.show()
    before = count(school)
    dialog.load_file(path)
    qtbot.mouseClick(dialog.check_button, Qt.MouseButton.LeftButton)
    problems = [dialog.problem_list.item(i).text() for i in range(dialog.problem_list.count())]
    assert any(", pupil 1 (UPN A999999999203): First name is empty." in p for p in problems)
    assert any("'NOT A CODE' is not a UK postcode" in p for p in problems)
    assert not dialog.import_button.isEnabled()
    dialog.run_import()
    assert count(school) == before
