# ruff: noqa: F811  (the demo-school fixtures are imported by name)
"""The audit trail page: the DSL and administrator read and filter it, each look is recorded,
anyone else is told why they see nothing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
import sqlalchemy as sa
from PySide6.QtCore import QDate
from pytestqt.qtbot import QtBot

from hvdesk.db.models import AuditEntry
from hvdesk.services.container import Services
from hvdesk.ui.current_user import CurrentUser
from hvdesk.ui.pages.audit_page import AuditPage
from tests.board_school import School, demo_template, school  # noqa: F401


@pytest.fixture
def page(school: School, qtbot: QtBot) -> Iterator[AuditPage]:
    current = CurrentUser()
    widget = AuditPage(Services.build(school.database, school.clock), current_user=current)
    qtbot.addWidget(widget)
    widget.resize(1200, 600)
    widget.show()
    yield widget
    widget.close()
    current.deleteLater()


def _looks(school: School) -> list[str | None]:
    with school.database.session() as session:
        return list(
            session.scalars(
                sa.select(AuditEntry.username).where(AuditEntry.action == "audit_viewed")
            )
        )


def test_the_dsl_reads_the_trail_and_the_look_is_recorded(page: AuditPage, school: School) -> None:
    school.log.call_received(school.one("out_on_time"), school.user("k.lewis"), 10, "traffic")
    page.current_user.sign_in(school.user("s.whitfield"))
    page.refresh()
    assert page.model.rowCount() > 0
    assert not page.problem_label.isVisible()
    assert "newest first" in page.summary_label.text()
    assert _looks(school) == ["s.whitfield", "s.whitfield"]  # the sign-in's refresh, and this
    first = page.model.row(0)
    assert first.action == "call_received" or first.entry_id >= page.model.row(1).entry_id
    page.grab().save("/tmp/audit_page.png")


def test_filters_by_user_record_and_dates(page: AuditPage, school: School) -> None:
    visit_id = school.one("out_on_time")
    school.clock.advance(timedelta(days=3))
    school.log.call_received(visit_id, school.user("k.lewis"), 10, "traffic")
    page.current_user.sign_in(school.user("p.stanton"))

    page.user_box.setText("k.lewis")
    page.refresh()
    rows = page.model.rows
    assert rows and {r.username for r in rows} == {"k.lewis"}

    page.user_box.clear()
    page.record_box.setCurrentText("visits")
    page.record_id_box.setText(str(visit_id))
    page.refresh()
    assert page.model.rows
    assert {(r.record_type, r.record_id) for r in page.model.rows} == {("visits", visit_id)}

    page.record_box.setCurrentIndex(0)
    page.record_id_box.clear()
    today = QDate(2026, 11, 26)  # the clock's day (Thursday, after advancing three days)
    page.from_box.setDate(today)
    page.to_box.setDate(today)
    page.refresh()
    assert page.model.rows
    assert all(r.at >= school.clock.now() - timedelta(hours=12) for r in page.model.rows)
    page.from_box.setDate(QDate(2020, 1, 1))
    page.to_box.setDate(QDate(2020, 1, 2))
    page.refresh()
    assert page.model.rowCount() == 0
    assert page.summary_label.text().startswith("0 entries")


def test_reception_and_privacy_mode_see_nothing_and_are_told_why(
    page: AuditPage, school: School
) -> None:
    page.refresh()
    assert page.model.rowCount() == 0
    assert "for the DSL and the administrator" in page.problem_label.text()
    page.current_user.sign_in(school.user("k.lewis"))
    page.refresh()
    assert page.model.rowCount() == 0
    assert page.problem_label.isVisible()
    assert _looks(school) == []
