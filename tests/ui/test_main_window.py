"""The main window on a real encrypted demo database: every page lists what the database
holds, the keyboard reaches every page, and the status bar says what is open."""

from __future__ import annotations

import sqlalchemy as sa
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from hvdesk import __version__
from hvdesk.db.models import Incident, Pupil, Staff, Visit
from hvdesk.domain.people import Role
from hvdesk.domain.visits import VisitStatus
from hvdesk.services.board import BoardService
from hvdesk.ui.about import AboutDialog
from hvdesk.ui.main_window import MainWindow
from hvdesk.ui.timers import Timer

SECTIONS = [
    "Board",
    "Visits",
    "Authorisations",
    "After visits",
    "Incidents",
    "Pupils",
    "Staff",
    "Reports",
    "Data protection",
    "Audit trail",
    "Settings",
]


def signed_in(window: MainWindow) -> MainWindow:
    """Sections other than the Board list pupils and addresses: only for someone signed in.
    The DSL's account must exist (permissions are read from the account as it is now): the
    demo has one; the small school gets one here."""
    from hvdesk.demo.accounts import DEMO_PASSWORD

    accounts = window.services.accounts
    password = DEMO_PASSWORD
    if accounts.needs_first_administrator():  # the small school has no accounts yet
        password = "a long enough password"
        admin = accounts.create_first_administrator("p.stanton", "Paul Stanton", password)
        accounts.create_account(admin, "s.whitfield", "Sarah Whitfield", Role.DSL, password)
    window.current_user.sign_in(accounts.sign_in("s.whitfield", password))
    return window


def count(demo, statement) -> int:
    with demo.database.session() as session:
        return session.execute(statement).scalar_one()


def test_every_page_lists_the_database_rows(qtbot, demo, demo_window: MainWindow):
    w = signed_in(demo_window)
    expected = {
        # The board lists visits out, and authorised ones not yet signed out (the prompt).
        "Board": len(BoardService(demo.database, demo_window.clock).read(False).entries),
        "Visits": count(demo, sa.select(sa.func.count(Visit.id))),
        "Pupils": count(demo, sa.select(sa.func.count()).where(Pupil.active.is_(True))),
        "Staff": count(demo, sa.select(sa.func.count()).where(Staff.active.is_(True))),
        "Incidents": count(demo, sa.select(sa.func.count(Incident.id))),
    }
    assert expected["Board"] > 0 and expected["Visits"] > 100 and expected["Incidents"] > 0
    for number, name in enumerate(SECTIONS):
        w.show_section(number)
        assert w.stack.currentWidget() is w.sections[number].page
        if name in expected:
            assert w.sections[number].page.model.rowCount() == expected[name], name
    assert w.reports_page.model.rowCount() == 12
    total = sum(m.total for m in w.reports_page.model.rows)
    in_last_year = count(demo, sa.select(sa.func.count(Visit.id)))
    assert 0 < total <= in_last_year
    assert len(w.settings_page.editors) >= 30


def test_ctrl_number_switches_pages(qtbot, demo_window: MainWindow):
    w = signed_in(demo_window)
    w.activateWindow()
    qtbot.waitUntil(lambda: w.isActiveWindow(), timeout=2000)
    for number in (3, 7, 1, 5):
        QTest.keyClick(w, Qt.Key(Qt.Key.Key_0 + number), Qt.KeyboardModifier.ControlModifier)
        assert w.navigation.currentRow() == number - 1
        assert w.stack.currentIndex() == number - 1
    assert [a.shortcut().toString() for a in w.section_actions] == [
        f"Ctrl+{n}" for n in range(1, 10)
    ] + [""] * (len(SECTIONS) - 9)


def test_every_control_is_keyboard_reachable(qtbot, demo_window: MainWindow):
    w = signed_in(demo_window)
    w.show_section(w.section_index(w.visits_page))
    focusable = [
        w.navigation,
        w.visits_page.search_box,
        w.visits_page.status_box,
        w.visits_page.table,
    ]
    assert all(widget.focusPolicy() & Qt.FocusPolicy.TabFocus for widget in focusable)
    assert not w.visits_page.table.tabKeyNavigation()  # Tab leaves the table
    assert w.navigation.accessibleName() == "Sections"


def test_status_bar_names_the_demo_database_school_and_time(demo, demo_window: MainWindow):
    w = demo_window
    assert w.demo_label.isVisible() and "DEMO" in w.demo_label.text()
    assert str(demo.folder) in w.database_label.text()
    assert w.school_label.text() == w.policy.school_name != ""
    # 10:30 UTC on Monday 23 November 2026 is 10:30 in London.
    assert w.clock_label.text() == "Mon 23 Nov 2026, 10:30 UK time"
    assert "[DEMO]" in w.windowTitle()


def test_clock_follows_the_injected_clock_into_summer_time(demo_window, clock, timers):
    from datetime import UTC, datetime

    clock.set(datetime(2027, 6, 1, 9, 5, tzinfo=UTC))
    timers.fire("status-clock")
    assert demo_window.clock_label.text() == "Tue 01 Jun 2027, 10:05 UK time"  # BST


def test_search_filters_as_you_type(qtbot, small_window: MainWindow):
    page = signed_in(small_window).pupils_page
    small_window.show_section(SECTIONS.index("Pupils"))
    qtbot.keyClicks(page.search_box, "smi")
    assert page.proxy.rowCount() == 2
    assert page.summary_label.text() == "Showing 2 of 3 pupils matching “smi”"
    qtbot.keyClicks(page.search_box, "thers")
    assert page.proxy.rowCount() == 1
    page.search_box.clear()
    assert page.proxy.rowCount() == 3
    assert page.summary_label.text() == "3 pupils"


def test_ctrl_f_focuses_the_search_of_the_current_page(qtbot, small_window: MainWindow):
    w = signed_in(small_window)
    w.activateWindow()
    qtbot.waitUntil(lambda: w.isActiveWindow(), timeout=2000)
    w.show_section(SECTIONS.index("Staff"))
    QTest.keyClick(w, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert w.staff_page.search_box.hasFocus()


def test_visits_status_filter(qtbot, small_window: MainWindow):
    page = signed_in(small_window).visits_page
    small_window.show_section(SECTIONS.index("Visits"))
    assert page.model.rowCount() == 5
    page.status_box.setCurrentIndex(page.status_box.findData(VisitStatus.OUT.value))
    assert page.model.rowCount() == 2
    assert {page.model.row(i).status for i in range(2)} == {VisitStatus.OUT}


def test_settings_page_reads_the_policy_in_words(small_window: MainWindow):
    signed_in(small_window).show_section(SECTIONS.index("Settings"))
    rows = {e.field.label: e for e in small_window.settings_page.entries.values()}
    assert rows["School name"].shown == "St Aidan's Primary" and rows["School name"].changed
    assert rows["Inform the police, after the agreed time"].shown == "30 minutes"
    assert rows["Working days"].shown == "Monday to Friday"
    assert rows["Who may authorise a visit"].shown == "Designated Safeguarding Lead, Deputy DSL"
    assert not any("_" in label for label in rows)


def test_about_box(qtbot, demo_window: MainWindow, demo):
    dialog = AboutDialog(demo_window.about, demo_window)
    qtbot.addWidget(dialog)
    text = dialog.text()
    assert __version__ in text
    assert str(demo.folder) in text
    assert "hvdesk.log" in text
    assert "Proprietary" in text


def test_closing_the_window_stops_its_timers(qtbot, small_school, clock):
    from hvdesk.ui.timers import Timers
    from tests.ui.conftest import open_window

    window = open_window(small_school.database, clock, Timers(autostart=True))
    window.show()
    assert {t.name for t in Timer.running()} >= {"board-countdown", "board-refresh", "status-clock"}
    window.close()
    window.deleteLater()
    assert Timer.running() == []


def test_bring_to_front_restores_a_minimised_window(qtbot, small_window: MainWindow):
    small_window.showMinimized()
    small_window.bring_to_front()
    assert small_window.isVisible() and not small_window.isMinimized()


def test_pages_are_built_when_first_shown_with_the_title_the_navigation_promised(
    qtbot, small_window: MainWindow
):
    """At start nobody is signed in and only the Board can be shown: nothing else is built."""
    assert [s.is_built for s in small_window.sections] == [True] + [False] * (len(SECTIONS) - 1)
    w = signed_in(small_window)
    for index, section in enumerate(w.sections):
        w.show_section(index)
        assert section.is_built and w.stack.currentWidget() is section.page
        assert w.current_page() is section.page
        assert section.page.title == section.title and section.page.icon_name == section.icon_name
    assert w.stack.count() == len(SECTIONS)
