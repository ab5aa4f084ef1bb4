# ruff: noqa: F811  (the demo-school fixtures are imported by name)
"""The authorisers' queue, the review, the signature and amendments, under pytest-qt on a copy
of the real encrypted demo school (which has requests awaiting authorisation).

Each test drives the widgets a DSL would (select, open, type, click) and checks the database
through the services, so what the screen says and what was recorded are both asserted."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from hvdesk.db.models import Visit
from hvdesk.domain.visits import AuthorisationDecision, VisitStatus
from hvdesk.services.accounts import LOCK_AFTER, Accounts
from hvdesk.services.authorisation import Authorisations
from hvdesk.services.container import Services as AppServices
from hvdesk.services.visit_requests import VisitRequests
from hvdesk.ui.authorisation.amend_dialog import AmendDialog
from hvdesk.ui.authorisation.review_dialog import ReviewDialog
from hvdesk.ui.authorisation.review_html import review_html
from hvdesk.ui.authorisation.signature_dialog import WRONG_SIGNATURE, SignatureDialog
from hvdesk.ui.authorisation.waiting import waited
from hvdesk.ui.current_user import CurrentUser
from hvdesk.ui.pages.authorisations_page import AuthorisationsPage, flags
from hvdesk.ui.timers import Timers
from tests.board_school import School, demo_template, school  # noqa: F401
from tests.test_authorisation import decisions, dsl, make_fit, status
from tests.test_visit_requests import PASSWORD, free_visitors, submitted

Services = tuple[VisitRequests, Authorisations]


@pytest.fixture
def services(school: School) -> Services:
    return (
        VisitRequests(school.database, school.clock),
        Authorisations(school.database, school.clock, Accounts(school.database, school.clock)),
    )


@pytest.fixture
def timers() -> Timers:
    return Timers(autostart=False)


@pytest.fixture
def page(school: School, timers: Timers, qtbot: QtBot) -> Iterator[AuthorisationsPage]:
    """The page as the DSL (Sarah Whitfield) sees it."""
    current = CurrentUser()
    shown = AuthorisationsPage(AppServices.build(school.database, school.clock), timers, current)
    qtbot.addWidget(shown)
    shown.resize(1100, 600)
    shown.show()
    current.sign_in(school.user("s.whitfield"))
    yield shown
    if shown.review is not None:
        shown.review.close()
    shown.close()


def listed(page: AuthorisationsPage) -> list[int]:
    return [row.visit_id for row in page.model.rows]


def open_request(page: AuthorisationsPage, visit_id: int) -> ReviewDialog:
    assert page.select_row(lambda r: r.visit_id == visit_id), f"visit {visit_id} is not listed"
    review = page.open_selected()
    assert review is not None and review.isVisible()
    return review


def review_new_request(
    school: School, page: AuthorisationsPage, requests: VisitRequests
) -> tuple[int, ReviewDialog]:
    """Submit a request for two free visitors and open its review from the refreshed queue."""
    visit_id = submitted(school, requests, free_visitors(school, 2))
    page.refresh()
    return visit_id, open_request(page, visit_id)


def click(qtbot: QtBot, button: object) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)  # type: ignore[no-untyped-call]


def sign(qtbot: QtBot, review: ReviewDialog, password: str) -> SignatureDialog:
    if review.signature is None:
        click(qtbot, review.approve_button)
    signature = review.signature
    assert signature is not None and signature.isVisible()
    signature.password_edit.setText(password)
    click(qtbot, signature.sign_button)
    return signature


# --- the queue ---------------------------------------------------------------------------------


def test_the_dsl_sees_the_demo_queue_oldest_first_with_waiting_times(
    school: School, page: AuthorisationsPage, services: Services, timers: Timers
) -> None:
    queue = services[1].queue(dsl(school))
    assert listed(page) == [item.visit_id for item in queue]
    assert listed(page) == [i.visit_id for i in sorted(queue, key=lambda i: i.submitted_at)]
    assert set(listed(page)) == set(school.state("awaiting_authorisation"))
    waiting = page.model.column_index("Waiting")
    first = page.model.row(0)
    assert page.model.index(0, waiting).data() == waited(first.waiting)
    assert page.summary_label.text() == f"{len(queue)} requests"
    # The urgent demo request (this afternoon) says how soon it starts.
    soonest = min(page.model.rows, key=lambda r: r.planned_start)
    assert "Starts in" in flags(soonest)

    school.clock.advance(timedelta(hours=2, minutes=5))
    timers.fire("authorisations-refresh")
    moved = page.model.index(0, waiting).data()
    assert moved == waited(first.waiting + timedelta(hours=2, minutes=5))
    assert moved != waited(first.waiting)


def test_reception_reads_why_they_cannot_authorise(
    school: School, page: AuthorisationsPage
) -> None:
    page.current_user.sign_in(school.user("k.lewis"))
    assert page.model.rowCount() == 0
    assert page.table.isHidden() and page.search_box.isHidden()
    note = page.closed_note.text()
    assert "Visits are authorised by: Designated Safeguarding Lead, Deputy DSL." in note
    assert "You are signed in as Reception / school office" in note
    assert page.open_selected() is None

    page.current_user.sign_out()
    assert "Sign in as an authoriser" in page.closed_note.text()
    page.current_user.sign_in(dsl(school))
    assert page.closed_note.isHidden() and not page.table.isHidden()
    assert page.model.rowCount() == len(school.state("awaiting_authorisation"))


def test_a_resubmitted_request_is_marked(
    school: School, page: AuthorisationsPage, services: Services, qtbot: QtBot
) -> None:
    requests, authorisations = services
    visit_id = submitted(school, requests, free_visitors(school, 2))
    authorisations.send_back(visit_id, dsl(school), "Add the social worker's number")
    requests.submit(visit_id, school.user("k.lewis"))
    page.refresh()
    (row,) = [r for r in page.model.rows if r.visit_id == visit_id]
    assert "Resubmitted" in flags(row)
    review = open_request(page, visit_id)
    assert "resubmitted" in review.status_label.text()
    assert "Add the social worker's number" in review.browser.toPlainText()


# --- approving: the signature --------------------------------------------------------------------


def test_the_dsl_approves_with_the_password_after_a_wrong_one(
    school: School, page: AuthorisationsPage, services: Services, qtbot: QtBot
) -> None:
    requests = services[0]
    visit_id, review = review_new_request(school, page, requests)
    text = review.browser.toPlainText()
    for expected in ("Welfare check after absence", "Safeguarding training", "DBS check"):
        assert expected in text
    assert "bluebell" in text  # the DSL sees the safe word
    assert review.approve_button.isEnabled() and review.refusal_label.isHidden()

    review.conditions_edit.setPlainText("Phone in on arrival")
    signature = sign(qtbot, review, "not the password")
    assert signature.isVisible()  # the dialog stays for another try
    assert signature.error_text == WRONG_SIGNATURE
    assert signature.password_edit.text() == ""
    assert status(school, visit_id) is VisitStatus.AWAITING_AUTHORISATION
    assert decisions(school, visit_id) == []

    school.clock.advance(timedelta(seconds=5))
    sign(qtbot, review, PASSWORD)
    qtbot.waitUntil(lambda: page.review is None)
    assert status(school, visit_id) is VisitStatus.AUTHORISED
    (approval,) = decisions(school, visit_id)
    assert approval.decision is AuthorisationDecision.APPROVED
    assert approval.conditions == "Phone in on arrival"
    assert approval.decided_by_id == dsl(school).user_id
    assert approval.approved_hash is not None and len(approval.approved_hash) == 64
    assert visit_id not in listed(page)
    assert page.notice_label.text() == f"Visit {visit_id} approved and signed."


def test_the_lock_after_repeated_wrong_passwords_is_shown(
    school: School, page: AuthorisationsPage, services: Services, qtbot: QtBot
) -> None:
    visit_id, review = review_new_request(school, page, services[0])
    signature = None
    for _attempt in range(LOCK_AFTER):
        school.clock.advance(timedelta(seconds=61))  # past each slow-down
        signature = sign(qtbot, review, "wrong again")
    assert signature is not None and signature.isVisible()
    assert "This account is locked for 15 minutes" in signature.error_text
    signature.password_edit.setText(PASSWORD)  # even the right one waits for the lock
    click(qtbot, signature.sign_button)
    assert "locked" in signature.error_text
    assert status(school, visit_id) is VisitStatus.AWAITING_AUTHORISATION
    click(qtbot, signature.buttons.button(signature.buttons.StandardButton.Cancel))
    assert review.signature is None and review.isVisible()


def test_approving_a_visit_you_are_going_on_is_refused_plainly(
    school: School, page: AuthorisationsPage, services: Services, qtbot: QtBot
) -> None:
    me = dsl(school)
    assert me.staff_id is not None
    make_fit(school, me.staff_id)
    visit_id = submitted(
        school, services[0], [me.staff_id, free_visitors(school, 1, exclude=(me.staff_id,))[0]]
    )
    page.refresh()
    review = open_request(page, visit_id)
    assert not review.refusal_label.isHidden()
    assert "Nobody may authorise a visit they are going on." in review.refusal_label.text()
    assert not review.approve_button.isEnabled()
    assert "Nobody may authorise" in review.approve_button.toolTip()
    # The service refuses too, and the dialog says so if asked anyway.
    review.comment_edit.setPlainText("I am going on this one")
    click(qtbot, review.refuse_button)
    assert "Nobody may authorise a visit they are going on." in review.error_text
    assert review.isVisible() and status(school, visit_id) is VisitStatus.AWAITING_AUTHORISATION


def test_a_request_that_is_no_longer_ready_says_what_to_put_right(
    school: School, page: AuthorisationsPage, services: Services
) -> None:
    """Every demo request is ready; one whose visitor's DBS check has since lapsed is not."""
    queued = [item.visit_id for item in services[1].queue(dsl(school))]
    assert queued and all(not any(p.blocks for p in services[0].problems(v)) for v in queued), (
        "every demo request should be ready to approve"
    )
    visit_id = queued[0]
    with school.database.session() as session:
        visit = session.get(Visit, visit_id)
        assert visit is not None
        visit.visitors[0].staff.dbs_checked_on = date(2019, 9, 1)
    blocking = [p for p in services[0].problems(visit_id) if p.blocks]
    assert blocking and "DBS" in blocking[0].message
    review = open_request(page, visit_id)
    assert blocking[0].message in review.refusal_label.text()
    assert not review.approve_button.isEnabled()
    assert review.send_back_button.isEnabled()


# --- sending back and refusing -----------------------------------------------------------------


def test_send_back_needs_a_comment(
    school: School, page: AuthorisationsPage, services: Services, qtbot: QtBot
) -> None:
    visit_id, review = review_new_request(school, page, services[0])
    click(qtbot, review.send_back_button)
    assert review.error_text == "Say what the requester should change before sending it back."
    assert status(school, visit_id) is VisitStatus.AWAITING_AUTHORISATION

    review.comment_edit.setPlainText("Add a second trained visitor")
    assert review.error_text == ""  # typing clears the message
    click(qtbot, review.send_back_button)
    qtbot.waitUntil(lambda: page.review is None)
    assert status(school, visit_id) is VisitStatus.CHANGES_REQUESTED
    (row,) = decisions(school, visit_id)
    assert row.decision is AuthorisationDecision.CHANGES_REQUESTED
    assert row.comment == "Add a second trained visitor"
    assert visit_id not in listed(page)
    assert page.notice_label.text() == f"Visit {visit_id} sent back for changes."


def test_refuse_needs_a_reason(
    school: School, page: AuthorisationsPage, services: Services, qtbot: QtBot
) -> None:
    visit_id, review = review_new_request(school, page, services[0])
    click(qtbot, review.refuse_button)
    assert review.error_text == "Say why the visit is refused before refusing it."
    review.comment_edit.setPlainText("The family has asked the school not to visit")
    click(qtbot, review.refuse_button)
    qtbot.waitUntil(lambda: page.review is None)
    assert status(school, visit_id) is VisitStatus.REFUSED
    (row,) = decisions(school, visit_id)
    assert row.decision is AuthorisationDecision.REFUSED
    assert row.comment == "The family has asked the school not to visit"
    assert visit_id not in listed(page)


# --- amendments ----------------------------------------------------------------------------------


def amend_dialog(page: AuthorisationsPage, visit_id: int) -> tuple[ReviewDialog, AmendDialog]:
    page.view_box.setCurrentIndex(page.view_box.findData("authorised"))
    review = open_request(page, visit_id)
    assert review.amend_button.isVisible() and review.send_back_button.isHidden()
    dialog = review.amend()
    assert dialog is not None and dialog.isVisible()
    return review, dialog


def test_moving_the_time_voids_the_approval_then_it_is_approved_again(
    school: School, page: AuthorisationsPage, services: Services, qtbot: QtBot
) -> None:
    requests, authorisations = services
    visit_id = submitted(school, requests, free_visitors(school, 2))
    authorisations.approve(visit_id, dsl(school), PASSWORD)
    school.clock.advance(timedelta(minutes=10))
    review, dialog = amend_dialog(page, visit_id)
    assert dialog.effect_text == "Nothing has changed yet."
    before = dialog.changes()
    assert before == {}

    dialog.start_edit.setDateTime(dialog.start_edit.dateTime().addSecs(30 * 60))
    dialog.end_edit.setDateTime(dialog.end_edit.dateTime().addSecs(30 * 60))
    assert "voids the approval" in dialog.effect_text
    click(qtbot, dialog.save_button)
    assert dialog.error_text == "Say why the visit is changing."
    assert status(school, visit_id) is VisitStatus.AUTHORISED

    dialog.reason_edit.setText("Parent asked for later")
    click(qtbot, dialog.save_button)
    qtbot.waitUntil(lambda: review.amend_dialog is None)
    assert status(school, visit_id) is VisitStatus.AWAITING_AUTHORISATION
    assert not authorisations.approval_is_current(visit_id)
    assert decisions(school, visit_id)[0].voided_at == school.clock.now()
    assert "back in the authorisation queue" in page.notice_label.text()

    # The review now reads as a request again, with the amendment kept in full.
    assert review.review is not None and review.review.awaiting
    assert review.approve_button.isVisible() and review.amend_button.isHidden()
    start, end = review.review.amendments
    assert (start.label, start.reason, start.by) == (
        "Start time",
        "Parent asked for later",
        "Sarah Whitfield",
    )
    assert start.before == "Wed 02 Dec 2026 10:00" and start.after == "Wed 02 Dec 2026 10:30"
    assert end.before == "Wed 02 Dec 2026 11:00" and end.after == "Wed 02 Dec 2026 11:30"
    assert start.voided_approval and start.at == school.clock.now()
    text = review.browser.toPlainText()
    assert "Parent asked for later" in text and "voided the approval" in text
    assert "Approved (void)" in text
    assert "Amended start time, end time: Parent asked for later" in text
    assert "back for approval again after an amendment" in review.status_label.text()

    # Back in the queue, approved and signed again.
    page.view_box.setCurrentIndex(page.view_box.findData("awaiting"))
    assert visit_id in listed(page)
    sign(qtbot, review, PASSWORD)
    qtbot.waitUntil(lambda: page.review is None)
    assert status(school, visit_id) is VisitStatus.AUTHORISED
    assert authorisations.approval_is_current(visit_id)
    assert len(decisions(school, visit_id)) == 2
    assert visit_id not in listed(page)


def test_a_new_vehicle_keeps_the_approval(
    school: School, page: AuthorisationsPage, services: Services, qtbot: QtBot
) -> None:
    requests, authorisations = services
    visit_id = submitted(school, requests, free_visitors(school, 2))
    authorisations.approve(visit_id, dsl(school), PASSWORD)
    review, dialog = amend_dialog(page, visit_id)
    dialog.text_edits["vehicle"].setText("Red Fiat 500, AB12 CDE")
    assert "keeps the approval" in dialog.effect_text
    dialog.reason_edit.setText("The usual car is in for repair")
    click(qtbot, dialog.save_button)
    qtbot.waitUntil(lambda: review.amend_dialog is None)
    assert status(school, visit_id) is VisitStatus.AUTHORISED
    assert authorisations.approval_is_current(visit_id)
    assert (
        page.notice_label.text()
        == f"Visit {visit_id} amended (vehicle); the approval still stands."
    )
    (entry,) = review.review.amendments if review.review else ()
    assert (entry.before, entry.after) == ("(none)", "Red Fiat 500, AB12 CDE")
    assert not entry.voided_approval


def test_an_amendment_the_request_cannot_take_is_refused_in_the_dialog(
    school: School, page: AuthorisationsPage, services: Services, qtbot: QtBot
) -> None:
    requests, authorisations = services
    visit_id = submitted(school, requests, free_visitors(school, 2))
    authorisations.approve(visit_id, dsl(school), PASSWORD)
    _review, dialog = amend_dialog(page, visit_id)
    dialog.end_edit.setDateTime(dialog.start_edit.dateTime().addSecs(-60 * 60))
    dialog.reason_edit.setText("Typo")
    click(qtbot, dialog.save_button)
    assert "end after it starts" in dialog.error_text
    assert dialog.isVisible()
    assert status(school, visit_id) is VisitStatus.AUTHORISED
    assert authorisations.approval_is_current(visit_id)


# --- what the review shows to whom ------------------------------------------------------------


def test_the_requester_reads_the_request_without_the_safe_word(
    school: School, services: Services
) -> None:
    requests, authorisations = services
    visit_id = submitted(school, requests, free_visitors(school, 2))
    reception = school.user("k.lewis")  # the requester of `submitted`
    review = authorisations.review(visit_id, reception)
    assert review.values.safe_word is None
    html = review_html(review)
    assert "bluebell" not in html and "shown only to the visitors and the DSL" in html
    assert any("Visits are authorised by" in r for r in review.approval_refusals)
    full = authorisations.review(visit_id, dsl(school))
    assert full.values.safe_word == "bluebell" and full.approval_refusals == ()
