# ruff: noqa: F811  (the demo-school fixtures are imported by name)
"""The DSL's retention review tab: delete what is due after confirming, holds block it,
reception is told plainly that the review is not theirs."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from PySide6.QtCore import QItemSelectionModel

from hvdesk.db.models import Pupil, Visit
from hvdesk.services.retention import Retention
from hvdesk.ui.current_user import CurrentUser
from hvdesk.ui.data_protection.retention_tab import RetentionTab
from tests.board_school import School, demo_template, school  # noqa: F401


@pytest.fixture
def aged(school: School) -> list[int]:
    """The visits of one demo pupil, made due by a date of birth long ago."""
    with school.database.session() as session:
        pupil_id = session.scalars(
            sa.select(Visit.pupil_id).where(Visit.pupil_id.is_not(None)).order_by(Visit.id)
        ).first()
        pupil = session.get(Pupil, pupil_id)
        assert pupil is not None
        pupil.date_of_birth = date(1998, 5, 1)
        return sorted(session.scalars(sa.select(Visit.id).where(Visit.pupil_id == pupil_id)))


class Answers:
    def __init__(self) -> None:
        self.questions: list[str] = []
        self.confirm = True
        self.reason: str | None = "Police investigation"

    def ask_confirm(self, question: str) -> bool:
        self.questions.append(question)
        return self.confirm

    def ask_reason(self, prompt: str) -> str | None:
        self.questions.append(prompt)
        return self.reason


@pytest.fixture
def tab(qtbot, school: School) -> Iterator[tuple[RetentionTab, CurrentUser, Answers]]:
    user = CurrentUser()
    answers = Answers()
    widget = RetentionTab(
        Retention(school.database, school.clock),
        user,
        confirm=answers.ask_confirm,
        ask_reason=answers.ask_reason,
    )
    qtbot.addWidget(widget)
    yield widget, user, answers


def _select_all(widget: RetentionTab) -> None:
    view = widget.due_view
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for row in range(widget.due_model.rowCount()):
        view.selectionModel().select(widget.due_model.index(row, 0), flags)


def test_the_dsl_deletes_due_visits_after_confirming(
    tab, school: School, aged: list[int], tmp_path: Path
) -> None:
    widget, user, answers = tab
    user.sign_in(school.user("s.whitfield"))
    assert [r.record_id for r in widget.due_model.rows] == aged
    _select_all(widget)
    answers.confirm = False
    widget.delete_selected()
    assert widget.due_model.rowCount() == len(aged)  # said no: nothing deleted
    answers.confirm = True
    widget.delete_selected()
    assert f"Delete {len(aged)} record(s)" in answers.questions[-1]
    assert widget.log_model.rowCount() == 1
    assert widget.log_model.row(0).record_count == len(aged)
    widget.resize(900, 700)
    widget.grab().save("/tmp/retention.png")


def test_a_hold_blocks_deletion_until_lifted(tab, school: School, aged: list[int]) -> None:
    widget, user, _ = tab
    user.sign_in(school.user("s.whitfield"))
    widget.due_view.selectRow(0)
    widget.hold_selected()
    assert widget.hold_model.rowCount() == 1
    assert widget.due_model.row(0).held_by == "Police investigation"
    _select_all(widget)
    widget.delete_selected()
    assert "legal hold" in widget.error.message
    assert widget.due_model.rowCount() == len(aged)
    widget.hold_view.selectRow(0)
    widget.lift_selected()
    assert widget.hold_model.rowCount() == 0


def test_reception_is_told_the_review_is_for_the_dsl(tab, school: School, aged) -> None:
    widget, user, _ = tab
    user.sign_in(school.user("k.lewis"))
    assert widget.due_model.rowCount() == 0
    assert "DSL" in widget.error.message
