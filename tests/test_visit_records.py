# ruff: noqa: F811  (the demo-school fixtures are imported by name)
"""After the visit (`VisitRecords`) on the real encrypted demo school: the record with facts and
opinions apart, follow-ups to done, the CPOMS hand-off list and its tick; every refusal writes
nothing and says what to do."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from hvdesk.db.models import FollowUp, Staff, UserAccount, Visit, VisitStaff
from hvdesk.domain.conduct import ConductAnswers, RuleAnswer
from hvdesk.domain.conduct_wording import DEFAULT_RULES
from hvdesk.domain.people import Role
from hvdesk.domain.visit_record import FollowUpDraft, VisitRecordDraft
from hvdesk.domain.visits import CancellationCause, VisitStatus
from hvdesk.services.accounts import NotPermitted
from hvdesk.services.identity import SignedInUser
from hvdesk.services.visit_records import RecordNotSaved, RecordProblems, VisitRecords
from tests.board_school import School, demo_template, school, signed_in  # noqa: F401

DSL = "s.whitfield"
RECEPTION = "k.lewis"
TODAY = date(2026, 11, 23)  # MONDAY_MORNING in London


def _records(school: School) -> VisitRecords:
    return VisitRecords(school.database, school.clock)


def _returned_visit(school: School, state: str = "out_on_time") -> int:
    """A visit out now whose staff come back: COMPLETED, with no record yet."""
    visit_id = school.one(state)
    school.log.returned(visit_id, school.user(RECEPTION))
    return visit_id


def _visitor_user(school: School, visit_id: int) -> SignedInUser:
    with school.database.session() as session:
        username = session.scalars(
            sa.select(UserAccount.username)
            .join(VisitStaff, VisitStaff.staff_id == UserAccount.staff_id)
            .where(VisitStaff.visit_id == visit_id)
            .order_by(VisitStaff.position)
        ).first()
    assert username is not None
    return school.user(username)


def _outsider(school: School, visit_id: int) -> SignedInUser:
    """A visiting member of staff who is neither on this visit nor its requester."""
    with school.database.session() as session:
        visit = session.get(Visit, visit_id)
        assert visit is not None
        on_visit = set(
            session.scalars(sa.select(VisitStaff.staff_id).where(VisitStaff.visit_id == visit_id))
        )
        account = session.scalars(
            sa.select(UserAccount)
            .where(
                UserAccount.role == Role.VISITING_STAFF,
                UserAccount.staff_id.not_in(on_visit),
                UserAccount.id != visit.created_by_id,
            )
            .order_by(UserAccount.id)
        ).first()
        assert account is not None
        return school.user(account.username)


def _staff_ids(school: School, n: int) -> list[int]:
    with school.database.session() as session:
        return list(
            session.scalars(
                sa.select(Staff.id).where(Staff.active.is_(True)).order_by(Staff.id).limit(n)
            )
        )


ALL_KEPT = ConductAnswers(
    nobody_spoken_to=True,
    entered_home=False,
    child_found_alone=False,
    rule_answers=tuple(RuleAnswer(code, True) for code in DEFAULT_RULES),
)
"""Answers to the rules of conduct (issue 18) that break none: tested in test_visit_conduct."""


def _draft(owners: list[int], **changes: object) -> VisitRecordDraft:
    base = VisitRecordDraft(
        child_seen=True,
        spoken_to="  Joanne Hughes (mother)\n and Amelia ",
        observations="Amelia came to the door, dressed.\r\nKitchen had little food.",
        opinions="Mum seemed tired but keen to engage.",
        concerns_raised="Little food in the house.",
        outcome="Food bank voucher given; Amelia back tomorrow.",
        action_required="Check the register; Early Help assessment.",
        follow_ups=(
            FollowUpDraft("Check the register tomorrow.", owners[0], TODAY + timedelta(days=1)),
            FollowUpDraft("Start the Early Help assessment.", owners[1], TODAY + timedelta(days=7)),
        ),
        conduct=ALL_KEPT,
    )
    return VisitRecordDraft(**{**base.__dict__, **changes})  # type: ignore[arg-type]


def _visit_row(school: School, visit_id: int) -> Visit:
    with school.database.session() as session:
        visit = session.get(Visit, visit_id)
        assert visit is not None
        return visit


def _follow_ups(school: School, visit_id: int) -> list[FollowUp]:
    with school.database.session() as session:
        return list(
            session.scalars(
                sa.select(FollowUp).where(FollowUp.visit_id == visit_id).order_by(FollowUp.position)
            )
        )


# --- writing the record -------------------------------------------------------------------------


def test_the_dsl_writes_a_record_with_two_follow_ups_and_reads_it_back(school: School) -> None:
    visit_id = _returned_visit(school)
    owners = _staff_ids(school, 2)
    records = _records(school)
    dsl = school.user(DSL)
    before = records.record(visit_id, dsl)
    assert before.may_write and not before.is_written and before.draft.child_seen is None

    records.write(visit_id, _draft(owners), dsl)

    view = records.record(visit_id, dsl)
    assert view.is_written and view.written_by == dsl.display_name
    assert view.written_at == school.clock.now()
    draft = view.draft
    assert draft.child_seen is True
    assert draft.spoken_to == "Nobody"  # built from the conduct answers
    assert draft.observations == "Amelia came to the door, dressed.\nKitchen had little food."
    assert draft.opinions == "Mum seemed tired but keen to engage."  # apart from the facts
    assert [(f.action, f.owner_staff_id, f.due_on) for f in draft.follow_ups] == [
        ("Check the register tomorrow.", owners[0], date(2026, 11, 24)),
        ("Start the Early Help assessment.", owners[1], date(2026, 11, 30)),
    ]
    stored = _visit_row(school, visit_id)
    assert stored.completed_at == school.clock.now()
    assert stored.record_written_by_id == dsl.user_id
    assert [f.created_by_id for f in _follow_ups(school, visit_id)] == [dsl.user_id] * 2


def test_every_missing_field_is_named_at_once_and_nothing_is_written(school: School) -> None:
    visit_id = _returned_visit(school)
    with pytest.raises(RecordProblems) as refused:
        _records(school).write(visit_id, VisitRecordDraft(spoken_to="   "), school.user(DSL))
    assert {p.field for p in refused.value.problems} == {
        "child_seen",
        "spoken_to",
        "observations",
        "outcome",
        "conduct",
    }
    assert "Say whether the child was seen." in refused.value.what
    stored = _visit_row(school, visit_id)
    assert stored.completed_at is None and stored.spoken_to is None


def test_a_follow_up_needs_an_action_an_owner_and_a_date_not_in_the_past(school: School) -> None:
    visit_id = _returned_visit(school)
    owner = _staff_ids(school, 1)[0]
    bad = (
        FollowUpDraft("  ", owner, TODAY),
        FollowUpDraft("Phone the GP.", None, TODAY),
        FollowUpDraft("Write to parents.", owner, None),
        FollowUpDraft("Chase the referral.", owner, TODAY - timedelta(days=1)),
        FollowUpDraft("Review in a year.", owner, TODAY + timedelta(days=400)),
        FollowUpDraft("Ask someone made up.", 999_999, TODAY),
    )
    with pytest.raises(RecordProblems) as refused:
        _records(school).write(visit_id, _draft([owner, owner], follow_ups=bad), school.user(DSL))
    messages = [p.message for p in refused.value.problems]
    assert messages == [
        "Follow-up 1: say what is to be done.",
        "Follow-up 2: choose who will do it.",
        "Follow-up 3: give the date it is due.",
        "Follow-up 4: the due date 22 Nov 2026 is in the past; choose today or later.",
        "Follow-up 5: the due date 28 Dec 2027 is more than a year away; check the year.",
        "Follow-up 6: choose an owner from the list.",
    ]
    assert [p.row for p in refused.value.problems] == [1, 2, 3, 4, 5, 6]
    assert _follow_ups(school, visit_id) == []


def test_an_overdue_follow_up_kept_unchanged_saves_but_a_new_past_date_does_not(
    school: School,
) -> None:
    visit_id = _returned_visit(school)
    owners = _staff_ids(school, 2)
    records = _records(school)
    dsl = school.user(DSL)
    records.write(visit_id, _draft(owners), dsl)
    school.clock.advance(timedelta(days=3))
    saved = records.record(visit_id, dsl).draft
    records.write(visit_id, saved, dsl)  # the first is overdue now, unchanged: fine
    first = saved.follow_ups[0]
    moved = FollowUpDraft(first.action, first.owner_staff_id, TODAY, first.follow_up_id)
    with pytest.raises(RecordProblems, match="23 Nov 2026 is in the past"):
        records.write(
            visit_id,
            VisitRecordDraft(**{**saved.__dict__, "follow_ups": (moved, saved.follow_ups[1])}),
            dsl,
        )


def test_rewriting_drops_removed_open_follow_ups_and_keeps_done_ones(school: School) -> None:
    visit_id = _returned_visit(school)
    owners = _staff_ids(school, 2)
    records = _records(school)
    dsl = school.user(DSL)
    records.write(visit_id, _draft(owners), dsl)
    first, second = records.record(visit_id, dsl).follow_ups
    records.mark_follow_up_done(first.id, "Register checked: present.", dsl)
    view = records.record(visit_id, dsl)
    assert [f.follow_up_id for f in view.draft.follow_ups] == [second.id]  # done ones not in it
    added = FollowUpDraft("Book a review meeting.", owners[0], TODAY + timedelta(days=14))
    records.write(
        visit_id, VisitRecordDraft(**{**view.draft.__dict__, "follow_ups": (added,)}), dsl
    )
    rows = _follow_ups(school, visit_id)
    assert [(r.id == first.id, r.action, r.done_note) for r in rows] == [
        (True, "Check the register tomorrow.", "Register checked: present."),
        (False, "Book a review meeting.", None),
    ]
    # A done follow-up cannot be slipped back into a draft to change it.
    sneaky = FollowUpDraft("Changed.", owners[0], TODAY, first.id)
    with pytest.raises(RecordProblems, match="already done"):
        records.write(
            visit_id, VisitRecordDraft(**{**view.draft.__dict__, "follow_ups": (sneaky,)}), dsl
        )


@pytest.mark.parametrize("state", ["planned", "awaiting_authorisation", "due_soon"])
def test_no_record_for_a_visit_that_has_not_happened(school: School, state: str) -> None:
    visit_id = school.one(state)
    records = _records(school)
    view = records.record(visit_id, school.user(DSL))
    assert not view.may_write and view.why_not_write
    with pytest.raises(RecordNotSaved) as refused:
        records.write(visit_id, _draft(_staff_ids(school, 2)), school.user(DSL))
    assert f"Visit {visit_id}" in refused.value.what
    assert _visit_row(school, visit_id).completed_at is None


def test_a_visit_called_off_at_the_door_has_a_record_but_one_never_started_does_not(
    school: School,
) -> None:
    records = _records(school)
    dsl = school.user(DSL)
    at_door = school.one("out_on_time")
    school.log.cancel(at_door, CancellationCause.PARENT_NOT_PRESENT, school.user(RECEPTION))
    records.write(at_door, _draft(_staff_ids(school, 2), child_seen=False), dsl)
    assert _visit_row(school, at_door).child_seen is False

    never = school.one("planned")
    school.log.cancel(never, CancellationCause.PARENT_CANCELLED, school.user(RECEPTION))
    with pytest.raises(RecordNotSaved, match="cancelled before anyone set out"):
        records.write(never, _draft(_staff_ids(school, 2)), dsl)


def test_visitors_requester_and_leads_write_others_may_not(school: School) -> None:
    visit_id = _returned_visit(school)
    records = _records(school)
    owners = _staff_ids(school, 2)
    visitor = _visitor_user(school, visit_id)
    records.write(visit_id, _draft(owners), visitor)
    assert _visit_row(school, visit_id).record_written_by_id == visitor.user_id
    reception = school.user(RECEPTION)
    assert not records.record(visit_id, reception).may_write  # the office reads, to hand off
    for user in (reception, school.user("p.stanton")):
        with pytest.raises(NotPermitted):
            records.write(visit_id, _draft(owners, outcome="Changed."), user)
    with pytest.raises(NotPermitted):
        records.record(visit_id, school.user("p.stanton"))  # IT administration reads nothing
    outsider = _outsider(school, visit_id)
    with pytest.raises(NotPermitted):
        records.record(visit_id, outsider)
    assert _visit_row(school, visit_id).outcome == "Food bank voucher given; Amelia back tomorrow."


# --- follow-ups ----------------------------------------------------------------------------------


def test_marking_done_needs_a_note_the_right_person_and_happens_once(school: School) -> None:
    visit_id = _returned_visit(school)
    records = _records(school)
    dsl = school.user(DSL)
    records.write(visit_id, _draft(_staff_ids(school, 2)), dsl)
    first = records.record(visit_id, dsl).follow_ups[0]
    with pytest.raises(RecordNotSaved, match="Say what was done"):
        records.mark_follow_up_done(first.id, "  ", dsl)
    with pytest.raises(NotPermitted):
        records.mark_follow_up_done(first.id, "Done.", _outsider(school, visit_id))
    school.clock.advance(timedelta(hours=2))
    records.mark_follow_up_done(first.id, "Register checked:\npresent all day.", dsl)
    done = records.record(visit_id, dsl).follow_ups[0]
    assert done.done_at == school.clock.now() and done.done_by == dsl.display_name
    assert done.done_note == "Register checked:\npresent all day."
    with pytest.raises(RecordNotSaved, match="already marked done"):
        records.mark_follow_up_done(first.id, "Again.", dsl)


def test_the_owner_marks_their_own_follow_up_done(school: School) -> None:
    visit_id = _returned_visit(school)
    owner = _outsider(school, visit_id)
    assert owner.staff_id is not None
    records = _records(school)
    dsl = school.user(DSL)
    records.write(
        visit_id,
        _draft(
            [owner.staff_id, owner.staff_id],
            follow_ups=(
                FollowUpDraft("Call the family.", owner.staff_id, TODAY + timedelta(days=2)),
            ),
        ),
        dsl,
    )
    mine = [r for r in records.follow_ups(owner) if r.visit_id == visit_id]
    assert len(mine) == 1 and mine[0].may_mark_done
    records.mark_follow_up_done(mine[0].id, "Called; all well.", owner)
    assert not [r for r in records.follow_ups(owner) if r.visit_id == visit_id]


def test_open_follow_ups_earliest_due_first_with_days_overdue(school: School) -> None:
    rows = _records(school).follow_ups(school.user(DSL))
    assert rows and all(not r.is_done for r in rows)
    assert [r.due_on for r in rows] == sorted(r.due_on for r in rows)
    overdue = [r for r in rows if r.is_overdue]
    assert overdue, "the demo has overdue follow-ups"
    for row in rows:
        assert row.days_overdue == max(0, (TODAY - row.due_on).days)
    with_done = _records(school).follow_ups(school.user(DSL), include_done=True)
    assert len(with_done) > len(rows) and any(r.is_done and r.done_note for r in with_done)


def test_visiting_staff_see_only_their_follow_ups(school: School) -> None:
    dsl_rows = _records(school).follow_ups(school.user(DSL))
    with school.database.session() as session:
        owner_staff = session.scalar(
            sa.select(FollowUp.owner_staff_id)
            .join(UserAccount, UserAccount.staff_id == FollowUp.owner_staff_id)
            .where(FollowUp.done_at.is_(None), UserAccount.role == Role.VISITING_STAFF)
            .limit(1)
        )
        username = session.scalar(
            sa.select(UserAccount.username).where(UserAccount.staff_id == owner_staff)
        )
    assert username is not None
    theirs = _records(school).follow_ups(school.user(username))
    assert theirs and len(theirs) < len(dsl_rows)
    assert {r.id for r in theirs} <= {r.id for r in dsl_rows}


# --- the hand-off to CPOMS -----------------------------------------------------------------------


def test_the_hand_off_list_is_oldest_first_and_the_tick_takes_a_visit_off_it(
    school: School,
) -> None:
    records = _records(school)
    reception = school.user(RECEPTION)
    visit_id = _returned_visit(school)
    rows = records.awaiting_cpoms(reception)
    assert [r.planned_start for r in rows] == sorted(r.planned_start for r in rows)
    mine = next(r for r in rows if r.visit_id == visit_id)
    assert not mine.is_written and mine.may_tick
    with pytest.raises(RecordNotSaved, match="no record yet"):
        records.mark_recorded_on_cpoms(visit_id, reception)

    records.write(visit_id, _draft(_staff_ids(school, 2)), school.user(DSL))
    assert next(r for r in records.awaiting_cpoms(reception) if r.visit_id == visit_id).is_written
    with pytest.raises(RecordNotSaved, match="in the future"):
        records.mark_recorded_on_cpoms(visit_id, reception, school.clock.now() + timedelta(hours=1))
    school.clock.advance(timedelta(minutes=30))
    records.mark_recorded_on_cpoms(visit_id, reception)
    assert visit_id not in [r.visit_id for r in records.awaiting_cpoms(reception)]
    stored = _visit_row(school, visit_id)
    assert stored.recorded_on_safeguarding_system_at == school.clock.now()
    assert stored.recorded_on_safeguarding_system_by_id == reception.user_id
    with pytest.raises(RecordNotSaved, match="already ticked"):
        records.mark_recorded_on_cpoms(visit_id, school.user(DSL))


def test_the_demo_has_written_records_waiting_for_cpoms(school: School) -> None:
    rows = _records(school).awaiting_cpoms(school.user(DSL))
    assert len(rows) >= 3 and all(r.is_written for r in rows)
    assert all(r.written_by for r in rows)


def test_only_the_office_leads_and_the_visits_own_staff_tick(school: School) -> None:
    visit_id = _returned_visit(school)
    records = _records(school)
    records.write(visit_id, _draft(_staff_ids(school, 2)), school.user(DSL))
    with pytest.raises(NotPermitted):
        records.mark_recorded_on_cpoms(visit_id, _outsider(school, visit_id))
    with pytest.raises(NotPermitted):
        records.mark_recorded_on_cpoms(visit_id, school.user("p.stanton"))
    records.mark_recorded_on_cpoms(visit_id, _visitor_user(school, visit_id))
    assert _visit_row(school, visit_id).recorded_on_safeguarding_system_at is not None


def test_the_summary_names_the_actions_owners_and_hides_the_safe_word(school: School) -> None:
    visit_id = _returned_visit(school)
    records = _records(school)
    dsl = school.user(DSL)
    owners = _staff_ids(school, 2)
    safe_word = _visit_row(school, visit_id).safe_word
    assert safe_word
    records.write(
        visit_id,
        _draft(owners, opinions=f"Staff did not need to say {safe_word.upper()}."),
        dsl,
    )
    with school.database.session() as session:
        names = [session.get(Staff, i).full_name for i in owners]  # type: ignore[union-attr]
    text = records.cpoms_summary(visit_id, dsl)
    assert text.startswith(f"HOME VISIT RECORD - hvdesk visit {visit_id}\n")
    assert f"1. Check the register tomorrow. (Owner: {names[0]}. Due: 24 Nov 2026.)" in text
    assert f"2. Start the Early Help assessment. (Owner: {names[1]}. Due: 30 Nov 2026.)" in text
    assert "Staff did not need to say [safe word]." in text
    assert safe_word.lower() not in text.lower()
    assert f"Written by {dsl.display_name} on 23 Nov 2026 at 10:30." in text
    assert text == records.cpoms_summary(visit_id, dsl)


def test_drills_have_no_record(school: School) -> None:
    staff = _staff_ids(school, 25)
    with school.database.session() as session:
        busy = set(
            session.scalars(
                sa.select(VisitStaff.staff_id)
                .join(Visit, Visit.id == VisitStaff.visit_id)
                .where(Visit.status == VisitStatus.OUT)
            )
        )
    free = [s for s in staff if s not in busy][:2]
    drill = school.log.start_drill(free, school.user(RECEPTION))
    with pytest.raises(RecordNotSaved, match=f"There is no visit {drill}"):
        _records(school).record(drill, school.user(DSL))
    assert drill not in [r.visit_id for r in _records(school).awaiting_cpoms(school.user(DSL))]
