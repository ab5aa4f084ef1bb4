# ruff: noqa: F811  (the demo-school fixtures are imported by name)
"""The risk assessment dialog and the 5×5 heat-map, on a copy of the real encrypted demo school.

The office edits the matrix with the keyboard, adds its own hazards, and saves; what is saved is
read back through the service and by opening the dialog again. The heat-map is checked against
the domain's `heat_map` placements and against the pixels it paints."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import TypeVar

import pytest
from PySide6.QtCore import QPointF, Qt, QTimer
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QLineEdit,
    QMessageBox,
    QSpinBox,
    QWidget,
)

from hvdesk.db.models import KnownRisk, RiskAssessment
from hvdesk.domain.households import RiskKind
from hvdesk.domain.incidents import IncidentKind
from hvdesk.domain.risk import BandThresholds, RiskBand
from hvdesk.domain.risk_matrix import (
    ChangesSince,
    HazardRow,
    IncidentFact,
    KnownRiskFact,
    RowSource,
    heat_map,
    incident_row,
    known_risk_row,
    rows_changed_since,
    standard_rows,
    what_is_required,
)
from hvdesk.domain.visits import VisitStatus
from hvdesk.errors import HvdeskError
from hvdesk.services.risk_assessments import RiskAssessments
from hvdesk.services.visit_requests import RequestNotReady, VisitRequests
from hvdesk.ui.risk_matrix import HeatMap, RiskAssessmentDialog, open_risk_assessment
from hvdesk.ui.risk_matrix.bands import BAND_FILL
from hvdesk.ui.risk_matrix.heat_map import AFTER_FILL
from hvdesk.ui.risk_matrix.matrix_model import (
    CONTROLS,
    HAZARD,
    LIKELIHOOD,
    RESIDUAL_LIKELIHOOD,
    RESIDUAL_RISK,
    RESIDUAL_SEVERITY,
    RISK,
    SEVERITY,
    SOURCE,
)
from tests.board_school import School, demo_template, school  # noqa: F401
from tests.test_visit_requests import (
    assessed_household_with_dog,
    base_draft,
    free_visitors,
    quiet_household,
)

Opener = Callable[[int], RiskAssessmentDialog]
W = TypeVar("W", bound=QWidget)


@pytest.fixture
def open_dialog(qtbot, school: School, monkeypatch) -> Iterator[Opener]:
    """Opens the dialog for a visit as reception; every dialog is shut at the end without the
    "discard changes?" question (which a test answers itself when it means to)."""
    opened: list[RiskAssessmentDialog] = []
    monkeypatch.setattr(QMessageBox, "question", lambda *_args: QMessageBox.StandardButton.Discard)

    def open_(visit_id: int) -> RiskAssessmentDialog:
        dialog = RiskAssessmentDialog(
            RiskAssessments(school.database, school.clock), school.user("k.lewis"), visit_id
        )
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        opened.append(dialog)
        return dialog

    yield open_
    for dialog in opened:
        dialog.done(QDialog.DialogCode.Rejected)


def draft(school: School, *, lone: bool = False, household: int | None = None) -> int:
    """A new draft visit request by reception; a pair visit unless `lone`."""
    visitors = tuple(free_visitors(school, 1 if lone else 2))
    request = base_draft(household or quiet_household(school), visitors)
    if lone:
        request = replace(request, lone_visit_justification="Only she knows the family.")
    return VisitRequests(school.database, school.clock).save_draft(request, school.user("k.lewis"))


def press_score(qtbot, dialog: RiskAssessmentDialog, row: int, column: int, digit: str) -> None:
    """Select a score cell and type a digit, as the office does."""
    dialog.table.setCurrentIndex(dialog.model.index(row, column))
    qtbot.keyClick(dialog.table, digit)


def edit_text(qtbot, dialog: RiskAssessmentDialog, row: int, column: int, text: str) -> None:
    """F2 on a text cell, type, Enter."""
    dialog.table.setCurrentIndex(dialog.model.index(row, column))
    qtbot.keyClick(dialog.table, Qt.Key.Key_F2)
    editor = open_editor(dialog, QLineEdit)
    editor.selectAll()
    qtbot.keyClicks(editor, text)
    commit(qtbot, dialog, editor)


def open_editor(dialog: RiskAssessmentDialog, kind: type[W]) -> W:
    """The editor open in the table (closed ones linger hidden until deleted)."""
    found = [w for w in dialog.table.viewport().findChildren(kind) if w.isVisible()]
    assert len(found) == 1, found
    return found[0]


def commit(qtbot, dialog: RiskAssessmentDialog, editor: QWidget) -> None:
    """Enter in an editor: the delegate commits on the next turn of the event loop."""
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.table.state() != QAbstractItemView.State.EditingState)


def cell(dialog: RiskAssessmentDialog, row: int, column: int) -> str:
    return str(dialog.model.index(row, column).data())


# --- the editor ---------------------------------------------------------------------------------


def test_keyboard_edits_and_a_free_row_are_saved_and_read_back(
    qtbot, school: School, open_dialog: Opener
) -> None:
    visit_id = draft(school)
    dialog = open_dialog(visit_id)
    assert dialog.editable and dialog.save_button.isVisible()
    assert dialog.rows == standard_rows()
    assert dialog.changes_label.isHidden() and dialog.read_only_label.isHidden()
    assert "Visit" in dialog.context_label.text() and "pair visit" in dialog.context_label.text()

    # Row 1, aggressive or violent person: typed digits set the scores at once.
    press_score(qtbot, dialog, 0, SEVERITY, "5")
    press_score(qtbot, dialog, 0, LIKELIHOOD, "4")
    press_score(qtbot, dialog, 0, LIKELIHOOD, "9")  # not a score: ignored
    assert cell(dialog, 0, RISK) == "20\nHigh"
    # The residual likelihood through its spin box: F2, type, Enter.
    dialog.table.setCurrentIndex(dialog.model.index(0, RESIDUAL_LIKELIHOOD))
    qtbot.keyClick(dialog.table, Qt.Key.Key_F2)
    spin = open_editor(dialog, QSpinBox)
    assert (spin.minimum(), spin.maximum()) == (1, 5)
    qtbot.keyClicks(spin, "2")
    commit(qtbot, dialog, spin)
    assert cell(dialog, 0, RESIDUAL_RISK) == "8\nMedium"
    assert "MEDIUM (8)" in dialog.requirement_text

    # A free row: its hazard is typed straight into the editor that Add opens.
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    editor = open_editor(dialog, QLineEdit)
    assert dialog.table.currentIndex().column() == HAZARD
    qtbot.keyClicks(editor, "Steep outside stairs")
    commit(qtbot, dialog, editor)
    press_score(qtbot, dialog, 5, SEVERITY, "2")
    press_score(qtbot, dialog, 5, RESIDUAL_SEVERITY, "1")
    edit_text(qtbot, dialog, 5, CONTROLS, "Use the handrail; no carrying on the stairs")
    assert cell(dialog, 5, SOURCE) == "Free row"
    qtbot.keyClicks(dialog.notes_edit, "Dog kept in the garden on visit days.")
    # The map follows every edit.
    assert dialog.heat_map.placements(residual=False) == heat_map(dialog.rows, residual=False)
    assert dialog.heat_map.placements(residual=True) == heat_map(dialog.rows, residual=True)

    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted and not dialog.isVisible()

    view = RiskAssessments(school.database, school.clock).view(visit_id)
    assert view is not None
    first, free = view.rows[0], view.rows[5]
    assert (first.severity, first.likelihood) == (5, 4)
    assert (first.residual_severity, first.residual_likelihood) == (4, 2)
    assert free == HazardRow(
        "Steep outside stairs",
        "Visiting staff",
        2,
        3,
        "Use the handrail; no carrying on the stairs",
        1,
        3,
        RowSource.FREE,
    )
    assert view.notes == "Dog kept in the garden on visit days."

    again = open_dialog(visit_id)
    assert again.rows == view.rows
    assert again.notes_edit.toPlainText() == "Dog kept in the garden on visit days."
    assert cell(again, 0, RISK) == "20\nHigh" and cell(again, 5, HAZARD) == "Steep outside stairs"
    assert not again.has_unsaved_changes


def test_save_lists_what_is_wrong_inline_and_writes_nothing(
    qtbot, school: School, open_dialog: Opener
) -> None:
    visit_id = draft(school)
    dialog = open_dialog(visit_id)
    press_score(qtbot, dialog, 0, RESIDUAL_LIKELIHOOD, "3")  # after controls worse than before
    dialog.add_row()
    qtbot.keyClick(open_editor(dialog, QLineEdit), Qt.Key.Key_Escape)  # hazard left blank
    qtbot.waitUntil(lambda: dialog.table.state() != QAbstractItemView.State.EditingState)
    assert "not worked out yet" in dialog.requirement_text

    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert "Row 6: say what the hazard is." in dialog.error_text
    assert (
        "Row 1 (Aggressive or violent person): the risk after controls (12) cannot be higher "
        "than before (8)"
    ) in dialog.error_text
    assert dialog.model.has_problem(0) and dialog.model.has_problem(5)
    assert not dialog.model.has_problem(1)
    view = RiskAssessments(school.database, school.clock).view(visit_id)
    assert view is not None and view.rows == standard_rows()  # nothing half-saved

    # Only a free row's hazard is typed; the others name what they come from.
    editable = Qt.ItemFlag.ItemIsEditable
    assert not dialog.model.flags(dialog.model.index(0, HAZARD)) & editable
    assert dialog.model.flags(dialog.model.index(5, HAZARD)) & editable
    assert dialog.model.flags(dialog.model.index(0, CONTROLS)) & editable
    # Only a free row can be removed; removing it leaves the one problem still to put right.
    dialog.select_row(1)
    assert not dialog.remove_button.isEnabled()
    dialog.select_row(6)
    assert dialog.remove_button.isEnabled()
    qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    assert len(dialog.rows) == 5
    assert "Row 6" not in dialog.error_text and "Row 1" in dialog.error_text
    press_score(qtbot, dialog, 0, RESIDUAL_LIKELIHOOD, "1")
    assert dialog.error_text == "" and not dialog.model.has_problem(0)

    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_closing_with_unsaved_changes_asks_first(
    qtbot, school: School, open_dialog: Opener, monkeypatch
) -> None:
    dialog = open_dialog(draft(school))
    answers = [QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Discard]
    asked: list[str] = []

    def question(_parent: QWidget, title: str, *_args: object) -> QMessageBox.StandardButton:
        asked.append(title)
        return answers.pop(0)

    monkeypatch.setattr(QMessageBox, "question", question)
    press_score(qtbot, dialog, 1, SEVERITY, "5")
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and asked == ["Discard changes?"]
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible() and len(asked) == 2
    view = RiskAssessments(school.database, school.clock).view(dialog.visit_id)
    assert view is not None and view.rows == standard_rows()


@pytest.mark.parametrize("lone", [False, True], ids=["pair", "lone"])
def test_a_high_residual_risk_says_what_the_visit_requires(
    qtbot, school: School, open_dialog: Opener, lone: bool
) -> None:
    visit_id = draft(school, lone=lone)
    dialog = open_dialog(visit_id)
    assert "LOW" in dialog.requirement_text
    assert "The usual authorisation rules apply." in dialog.requirement_text
    assert ("lone visit" if lone else "pair visit") in dialog.context_label.text()
    # Row 5, dogs: a loose dog that the controls barely touch.
    for column, digit in (
        (SEVERITY, "5"),
        (LIKELIHOOD, "4"),
        (RESIDUAL_SEVERITY, "5"),
        (RESIDUAL_LIKELIHOOD, "3"),
    ):
        press_score(qtbot, dialog, 4, column, digit)
    text = dialog.requirement_text
    assert "HIGH (15)" in text
    if lone:
        assert "This lone visit cannot be submitted" in text
    else:
        assert "Only the DSL or a deputy DSL may approve this visit" in text
    assert what_is_required(RiskBand.HIGH, lone=lone)[:40] in text
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted

    # The service holds the same line on submit: a high lone visit is refused.
    requests = VisitRequests(school.database, school.clock)
    if lone:
        with pytest.raises(RequestNotReady, match="cannot be a lone visit"):
            requests.submit(visit_id, school.user("k.lewis"))
    else:
        requests.submit(visit_id, school.user("k.lewis"))
        with school.database.session() as session:
            stored = session.query(RiskAssessment).filter_by(visit_id=visit_id).one()
            assert stored.highest_residual_band is RiskBand.HIGH


def test_rows_new_since_the_households_last_assessment_are_highlighted(
    school: School, open_dialog: Opener
) -> None:
    household = assessed_household_with_dog(school)
    with school.database.session() as session:
        last = (
            session.query(RiskAssessment)
            .filter_by(household_id=household)
            .order_by(RiskAssessment.created_at.desc(), RiskAssessment.id.desc())
            .first()
        )
        assert last is not None
        last_day = last.created_at
        risk = KnownRisk(
            household_id=household,
            kind=RiskKind.AGGRESSION,
            description="Uncle shouted at the attendance officer",
            recorded_at=school.clock.now(),
        )
        session.add(risk)
        session.flush()
        new_risk_id = risk.id
    dialog = open_dialog(draft(school, household=household))
    banner = dialog.changes_label.text()
    assert dialog.changes_label.isVisible()
    assert banner.startswith(f"Changed since {last_day:%d %b %Y}")
    assert "1 new known risk" in banner and "marked (new)" in banner
    changed = [i for i in range(len(dialog.rows)) if dialog.model.is_changed(i)]
    assert [dialog.rows[i].known_risk_id for i in changed] == [new_risk_id]
    assert cell(dialog, changed[0], SOURCE) == "Known risk (new)"
    assert "Uncle shouted" in cell(dialog, changed[0], HAZARD)
    assert dialog.model.index(changed[0], HAZARD).data(Qt.ItemDataRole.BackgroundRole) is not None
    assert dialog.model.index(0, HAZARD).data(Qt.ItemDataRole.BackgroundRole) is None


def test_an_authorised_visit_opens_read_only_and_says_why(
    qtbot, school: School, open_dialog: Opener
) -> None:
    visit_id = school.one("planned")
    dialog = open_dialog(visit_id)
    assert not dialog.editable
    assert dialog.read_only_label.isVisible()
    assert f"visit {visit_id} is authorised" in dialog.read_only_label.text()
    assert "amendment" in dialog.read_only_label.text()
    assert dialog.save_button.isHidden() and dialog.add_button.isHidden()
    assert dialog.cancel_button.text() == "&Close"
    assert dialog.notes_edit.isReadOnly()
    before = dialog.rows
    assert before, "the demo's authorised visits carry their assessment"
    assert not dialog.model.flags(dialog.model.index(0, SEVERITY)) & Qt.ItemFlag.ItemIsEditable
    press_score(qtbot, dialog, 0, SEVERITY, "1" if before[0].severity != 1 else "2")
    dialog.add_row()
    assert dialog.rows == before
    view = RiskAssessments(school.database, school.clock).view(visit_id)
    assert view is not None and view.visit_status is VisitStatus.AUTHORISED
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()


def test_open_risk_assessment_reports_an_unknown_visit_and_saves_a_real_one(
    qtbot, school: School, monkeypatch
) -> None:
    shown: list[HvdeskError] = []
    monkeypatch.setattr(
        "hvdesk.ui.risk_matrix.assessment_dialog.show_error",
        lambda error, _parent=None: shown.append(error),
    )
    user = school.user("k.lewis")
    assert not open_risk_assessment(RiskAssessments(school.database, school.clock), user, 999_999)
    assert [e.what for e in shown] == ["There is no visit request 999999."]

    visit_id = draft(school)
    seen: list[RiskAssessmentDialog] = []

    def press_save() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, RiskAssessmentDialog):
            seen.append(dialog)
            dialog.model.setData(dialog.model.index(1, SEVERITY), 4)
            dialog.save()
        elif dialog is not None:
            dialog.close()

    QTimer.singleShot(0, press_save)
    assert open_risk_assessment(RiskAssessments(school.database, school.clock), user, visit_id)
    assert len(seen) == 1
    view = RiskAssessments(school.database, school.clock).view(visit_id)
    assert view is not None and view.rows[1].severity == 4


# --- the heat-map -------------------------------------------------------------------------------

ROWS = [
    *standard_rows(),
    HazardRow("Loose dog", "Visiting staff", 5, 4, "Phone ahead", 5, 3, RowSource.FREE),
    HazardRow("Icy path", "Visiting staff", 2, 2, None, 2, 2, RowSource.FREE),
]


def test_the_heat_map_draws_every_row_where_the_domain_places_it(qtbot) -> None:
    heat = HeatMap()
    qtbot.addWidget(heat)
    bands = BandThresholds()
    heat.set_rows(ROWS, bands)
    heat.resize(heat.sizeHint())
    heat.show()
    qtbot.waitExposed(heat)
    assert heat.placements(residual=False) == heat_map(ROWS, residual=False)
    assert heat.placements(residual=True) == heat_map(ROWS, residual=True)

    image = heat.grab().toImage()
    ratio = image.devicePixelRatio()

    def colour_at(point: QPointF) -> QColor:
        return image.pixelColor(round(point.x() * ratio), round(point.y() * ratio))

    for residual in (False, True):
        for (severity, likelihood), numbers in heat_map(ROWS, residual=residual).items():
            box = heat.cell_rect(severity, likelihood)
            for number in numbers:
                centre = heat.marker_centre(number, after=residual)
                assert box.contains(centre), (number, residual)
                # Below the number: filled after controls, hollow (white) before.
                inside = QPointF(centre.x(), centre.y() + 0.7 * box.width() * 0.18)
                expected = AFTER_FILL if residual else QColor("#ffffff")
                assert colour_at(inside) == expected, (number, residual)
    empty = {(5, 5): RiskBand.HIGH, (1, 1): RiskBand.LOW, (1, 5): RiskBand.MEDIUM}
    for (severity, likelihood), band in empty.items():
        box = heat.cell_rect(severity, likelihood)
        assert colour_at(box.center()) == BAND_FILL[band]
    assert heat.cell_text(2, 2) == (
        "Severity 2 × likelihood 2 = 4 (Low).\nBefore controls: rows 3, 7.\nAfter controls: row 7."
    )
    assert "Row 6: 20 High before controls, 15 High after." in heat.accessibleDescription()


def test_the_heat_map_uses_the_assessments_own_bands_and_reports_clicks(qtbot) -> None:
    heat = HeatMap()
    qtbot.addWidget(heat)
    heat.set_rows(ROWS, BandThresholds(low_max=2, medium_max=6))
    heat.resize(420, 520)  # narrow and tall: the legend moves under the grid
    heat.show()
    qtbot.waitExposed(heat)
    image = heat.grab().toImage()
    ratio = image.devicePixelRatio()
    box = heat.cell_rect(1, 4)  # score 4: medium under these bands, low under the defaults
    point = box.center()
    assert (
        image.pixelColor(round(point.x() * ratio), round(point.y() * ratio))
        == (BAND_FILL[RiskBand.MEDIUM])
    )
    assert heat.cell_rect(1, 1).bottom() < 520 - 60  # room for the axis and legend below
    with qtbot.waitSignal(heat.row_clicked) as clicked:
        qtbot.mouseClick(
            heat, Qt.MouseButton.LeftButton, pos=heat.marker_centre(6, after=True).toPoint()
        )
    assert clicked.args == [6]
    assert heat.minimumSizeHint().width() < heat.sizeHint().width()


# --- the domain rules the dialog shows ----------------------------------------------------------


def test_rows_changed_since_finds_the_rows_for_new_risks_and_incidents() -> None:
    from datetime import UTC, datetime

    dog = KnownRiskFact(7, RiskKind.DOG, "Two dogs", datetime(2026, 11, 1, tzinfo=UTC))
    fall = IncidentFact(3, IncidentKind.ACCIDENT, datetime(2026, 11, 2, tzinfo=UTC))
    old = IncidentFact(2, IncidentKind.THREAT, datetime(2026, 1, 2, tzinfo=UTC))
    rows = [*standard_rows(), incident_row(old), known_risk_row(dog), incident_row(fall)]
    changes = ChangesSince((dog,), (), (fall,))
    assert rows_changed_since(rows, changes) == [7, 8]
    assert rows_changed_since(rows, ChangesSince((), (), ())) == []


def test_what_is_required_follows_the_band_and_lone_visits() -> None:
    assert what_is_required(RiskBand.LOW, lone=True) == "The usual authorisation rules apply."
    assert what_is_required(RiskBand.MEDIUM, lone=False) == "The usual authorisation rules apply."
    assert "cannot be submitted" in what_is_required(RiskBand.HIGH, lone=True)
    assert "Only the DSL or a deputy DSL" in what_is_required(RiskBand.HIGH, lone=False)
