# ruff: noqa: F811  (the demo-school fixtures are imported by name)
"""A page whose service refuses says why on the page, keeps what it showed, and offers Try
again; trying again once the cause is put right reads afresh. On a copy of the real encrypted
demo school, through the services the window is given."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from pytestqt.qtbot import QtBot

from hvdesk.db.models import UserAccount
from hvdesk.services.container import Services
from hvdesk.ui.current_user import CurrentUser
from hvdesk.ui.pages.after_visits_page import AfterVisitsPage
from tests.board_school import School, demo_template, school  # noqa: F401

DSL = "s.whitfield"


def _set_active(school: School, username: str, active: bool) -> None:
    """What an administrator at another PC does when a colleague leaves (or comes back)."""
    with school.database.session() as session:
        account = session.scalars(
            sa.select(UserAccount).where(UserAccount.username == username)
        ).one()
        account.active = active


@pytest.fixture
def page(qtbot: QtBot, school: School) -> Iterator[AfterVisitsPage]:
    current = CurrentUser()
    shown = AfterVisitsPage(Services.build(school.database, school.clock), current)
    qtbot.addWidget(shown)
    shown.resize(1200, 760)
    shown.show()
    current.sign_in(school.user(DSL))
    yield shown
    shown.close()


def test_a_refused_read_is_said_on_the_page_with_try_again(
    qtbot: QtBot, page: AfterVisitsPage, school: School
) -> None:
    before = list(page.follow_ups.model.rows)
    assert before
    assert not page.retry_button.isVisible()

    _set_active(school, DSL, False)
    page.refresh()
    assert page.problem_label.isVisible()
    assert "not an active hvdesk account" in page.problem_label.text()
    assert page.retry_button.isVisible()
    assert list(page.follow_ups.model.rows) == before  # the last rows stay on screen

    page.retry_button.click()  # still closed: still said
    assert page.problem_label.isVisible()

    _set_active(school, DSL, True)
    page.retry_button.click()
    assert not page.problem_label.isVisible()
    assert not page.retry_button.isVisible()
    assert list(page.follow_ups.model.rows) == before
