# ruff: noqa: F811  (the demo-school fixtures are imported by name)
"""In the home (issue 18) on the real encrypted demo school: the briefing (rules by visit kind,
who holds parental responsibility, the pupil's needs for the visitors only), the record's
answers, the DSL's review, a child found alone or no appropriate adult phoned in during the
visit, and the yearly count of rules not kept."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from hvdesk.db.models import (
    Adult,
    Incident,
    Pupil,
    PupilAdult,
    Setting,
    UserAccount,
    Visit,
    VisitEvent,
    VisitRuleAnswer,
    VisitStaff,
)
from hvdesk.domain.conduct import ConductAnswers, RuleAnswer
from hvdesk.domain.households import Relationship
from hvdesk.domain.incidents import IncidentKind
from hvdesk.domain.people import Role
from hvdesk.domain.visit_record import VisitRecordDraft
from hvdesk.domain.visits import EntryMode, EventKind, VisitReason
from hvdesk.services.accounts import NotPermitted
from hvdesk.services.conduct_calls import ConductCalls
from hvdesk.services.documents import DocumentService
from hvdesk.services.identity import SignedInUser
from hvdesk.services.statistics import Statistics
from hvdesk.services.subject_access import SubjectAccess, SubjectKind
from hvdesk.services.visit_conduct import NEEDS_WITHHELD, ConductNotSaved, PupilNeeds, VisitConduct
from hvdesk.services.visit_log import InvalidAction
from hvdesk.services.visit_records import RecordProblems, VisitRecords
from tests.board_school import School, demo_template, school, signed_in  # noqa: F401

DSL = "s.whitfield"
RECEPTION = "k.lewis"


def _plan(school: School, visit_id: int, reason: VisitReason, mode: EntryMode) -> None:
    """Arrange the visit's plan (as the request would have said)."""
    with school.database.session() as session:
        visit = session.get(Visit, visit_id)
        assert visit is not None
        visit.reason = reason
        visit.entry_mode = mode


def _family(school: School, visit_id: int) -> tuple[int, int, str]:
    """The pupil's adult with parental responsibility, and a lodger at the address without it
    (added here); returns their ids and the pupil's name."""
    with school.database.session() as session:
        visit = session.get(Visit, visit_id)
        assert visit is not None and visit.pupil is not None
        holder = next(
            link.adult_id for link in visit.pupil.adult_links if link.parental_responsibility
        )
        for link in visit.pupil.adult_links:
            if link.adult_id != holder:
                link.parental_responsibility = False
        lodger = Adult(household_id=visit.household_id, first_name="Gary", last_name="Stone")
        session.add(lodger)
        session.flush()
        session.add(
            PupilAdult(
                pupil_id=visit.pupil.id,
                adult_id=lodger.id,
                relationship_to_pupil=Relationship.OTHER,
                parental_responsibility=False,
            )
        )
        return holder, lodger.id, visit.pupil.full_name


def _returned(school: School, state: str = "out_on_time") -> int:
    visit_id = school.one(state)
    school.log.returned(visit_id, school.user(RECEPTION))
    return visit_id


def _visitor(school: School, visit_id: int) -> SignedInUser:
    with school.database.session() as session:
        username = session.scalars(
            sa.select(UserAccount.username)
            .join(VisitStaff, VisitStaff.staff_id == UserAccount.staff_id)
            .where(VisitStaff.visit_id == visit_id)
            .order_by(VisitStaff.position)
        ).first()
    assert username is not None, "every demo visitor has an account"
    return school.user(username)


def _draft(answers: ConductAnswers) -> VisitRecordDraft:
    return VisitRecordDraft(
        child_seen=True,
        observations="Amelia answered the door with her mother.",
        outcome="Back in school tomorrow.",
        conduct=answers,
    )


def _kept(school: School, visit_id: int, by: SignedInUser, **fields: object) -> ConductAnswers:
    """Every rule the record asks, answered kept (then `fields` changed)."""
    view = VisitRecords(school.database, school.clock).record(visit_id, by)
    assert view.conduct is not None
    base = ConductAnswers(
        entered_home=False,
        child_found_alone=False,
        rule_answers=tuple(RuleAnswer(r.code, True) for r in view.conduct.rules),
    )
    return ConductAnswers(**{**base.__dict__, **fields})


def _stored(school: School, visit_id: int) -> tuple[Visit, dict[str, VisitRuleAnswer]]:
    with school.database.session() as session:
        visit = session.get(Visit, visit_id)
        assert visit is not None
        rows = session.scalars(
            sa.select(VisitRuleAnswer).where(VisitRuleAnswer.visit_id == visit_id)
        ).all()
        return visit, {r.code: r for r in rows}


def _incidents(school: School, visit_id: int) -> list[Incident]:
    with school.database.session() as session:
        return list(
            session.scalars(
                sa.select(Incident).where(
                    Incident.visit_id == visit_id, Incident.kind == IncidentKind.CHILD_FOUND_ALONE
                )
            )
        )


# --- the record's answers, by visit kind -------------------------------------------------------


def test_a_doorstep_visit_kept_to_the_rules_needs_no_review(school: School) -> None:
    visit_id = _returned(school)
    _plan(school, visit_id, VisitReason.WELFARE_CHECK, EntryMode.DOORSTEP)
    mum, _, _ = _family(school, visit_id)
    dsl = school.user(DSL)
    answers = _kept(school, visit_id, dsl, spoken_to_adult_ids=(mum,))
    VisitRecords(school.database, school.clock).write(visit_id, _draft(answers), dsl)

    visit, rules = _stored(school, visit_id)
    assert set(rules) == {
        "official_id",
        "parental_responsibility",
        "child_found_alone",
        "siblings",
        "leave_if_unsafe",
        "doorstep_only",
    }
    assert all(r.kept for r in rules.values())
    assert visit.needs_dsl_review is False and visit.entered_home is False
    assert visit.spoken_to_adult_ids == [mum]
    assert visit.spoken_to is not None and "no parental responsibility" not in visit.spoken_to
    listed = VisitConduct(school.database, school.clock).awaiting_review(dsl)
    assert visit_id not in [r.visit_id for r in listed]  # (the demo has one of its own)


def test_speaking_to_an_adult_without_parental_responsibility_goes_to_the_dsl(
    school: School,
) -> None:
    visit_id = _returned(school)
    _plan(school, visit_id, VisitReason.WELFARE_CHECK, EntryMode.DOORSTEP)
    mum, lodger, pupil = _family(school, visit_id)
    dsl = school.user(DSL)
    records = VisitRecords(school.database, school.clock)
    answers = _kept(school, visit_id, dsl, spoken_to_adult_ids=(mum, lodger))

    with pytest.raises(RecordProblems) as refused:
        records.write(visit_id, _draft(answers), dsl)
    assert [p.field for p in refused.value.problems] == ["rule:parental_responsibility"]
    assert _stored(school, visit_id)[0].completed_at is None  # nothing written

    reason = RuleAnswer("parental_responsibility", False, "Mum asked him to take the message.")
    answers = ConductAnswers(
        **{**answers.__dict__, "rule_answers": (*answers.rule_answers, reason)}
    )
    records.write(visit_id, _draft(answers), dsl)

    visit, rules = _stored(school, visit_id)
    assert rules["parental_responsibility"].kept is False
    assert rules["parental_responsibility"].reason == "Mum asked him to take the message."
    assert visit.needs_dsl_review is True
    assert "Gary Stone (Other, no parental responsibility)" in (visit.spoken_to or "")
    listed = [
        r
        for r in VisitConduct(school.database, school.clock).awaiting_review(dsl)
        if r.visit_id == visit_id
    ]
    assert [(r.visit_id, r.pupil) for r in listed] == [(visit_id, pupil)]
    assert listed[0].reasons == (
        "Not kept: Only speak to adults with parental responsibility about the child.",
    )
    assert listed[0].may_mark_reviewed
    # Reading the record back gives the same answers to the dialog.
    view = records.record(visit_id, dsl)
    assert view.conduct is not None and view.conduct.needs_review
    assert view.draft.conduct is not None
    assert view.draft.conduct.spoken_to_adult_ids == (mum, lodger)


def test_the_dsl_reviews_it_with_a_note_and_it_leaves_the_list(school: School) -> None:
    visit_id = _returned(school)
    _plan(school, visit_id, VisitReason.WELFARE_CHECK, EntryMode.DOORSTEP)
    dsl = school.user(DSL)
    answers = _kept(
        school,
        visit_id,
        dsl,
        nobody_spoken_to=True,
        rule_answers=(
            *_kept(school, visit_id, dsl).rule_answers,
            RuleAnswer("official_id", False, "Badge left in the car."),
        ),
    )
    VisitRecords(school.database, school.clock).write(visit_id, _draft(answers), dsl)
    conduct = VisitConduct(school.database, school.clock)
    visitor = _visitor(school, visit_id)
    row = next(r for r in conduct.awaiting_review(visitor) if r.visit_id == visit_id)
    assert not row.may_mark_reviewed  # a visitor sees it listed, cannot review it
    with pytest.raises(NotPermitted):
        conduct.mark_reviewed(visit_id, "Fine.", visitor)
    with pytest.raises(ConductNotSaved, match="short note"):
        conduct.mark_reviewed(visit_id, "  ", dsl)

    conduct.mark_reviewed(visit_id, "Spoke to the visitor; ID kept on the lanyard now.", dsl)

    assert visit_id not in [r.visit_id for r in conduct.awaiting_review(dsl)]
    visit, _ = _stored(school, visit_id)
    assert visit.dsl_reviewed_by_id == dsl.user_id and visit.dsl_reviewed_at == school.clock.now()
    with pytest.raises(ConductNotSaved, match="does not need"):
        conduct.mark_reviewed(visit_id, "Again.", dsl)


def test_entering_a_doorstep_visit_breaks_its_rule_and_asks_the_entering_rules(
    school: School,
) -> None:
    visit_id = _returned(school)
    _plan(school, visit_id, VisitReason.WELFARE_CHECK, EntryMode.DOORSTEP)
    dsl = school.user(DSL)
    records = VisitRecords(school.database, school.clock)
    base = _kept(school, visit_id, dsl, nobody_spoken_to=True, entered_home=True)
    only_every = ConductAnswers(
        **{
            **base.__dict__,
            "rule_answers": tuple(
                a
                for a in base.rule_answers
                if a.code not in ("invited_in_by_adult", "shared_areas")
            ),
        }
    )
    with pytest.raises(RecordProblems) as refused:
        records.write(visit_id, _draft(only_every), dsl)
    assert {p.field for p in refused.value.problems} == {
        "rule:doorstep_only",
        "rule:invited_in_by_adult",
        "rule:shared_areas",
    }
    answers = ConductAnswers(
        **{
            **base.__dict__,
            "rule_answers": (
                *base.rule_answers,
                RuleAnswer("doorstep_only", False, "Mum was unwell and asked us in to talk."),
            ),
        }
    )
    records.write(visit_id, _draft(answers), dsl)
    visit, rules = _stored(school, visit_id)
    assert rules["doorstep_only"].kept is False and visit.needs_dsl_review
    assert {"invited_in_by_adult", "shared_areas"} <= set(rules)


def test_a_tutoring_visit_answers_the_tutoring_rules(school: School) -> None:
    visit_id = _returned(school)
    _plan(school, visit_id, VisitReason.TUTORING, EntryMode.ENTER)
    dsl = school.user(DSL)
    records = VisitRecords(school.database, school.clock)
    answers = _kept(school, visit_id, dsl, nobody_spoken_to=True, entered_home=True)
    door = [RuleAnswer(a.code, a.code != "tutoring_door_open", None) for a in answers.rule_answers]
    with pytest.raises(RecordProblems) as refused:
        records.write(
            visit_id,
            _draft(ConductAnswers(**{**answers.__dict__, "rule_answers": tuple(door)})),
            dsl,
        )
    assert [p.message for p in refused.value.problems] == [
        "Say why this was not kept: The door of the room where tutoring is delivered is "
        "always kept open."
    ]
    records.write(visit_id, _draft(answers), dsl)
    _, rules = _stored(school, visit_id)
    assert {
        "tutoring_appropriate_adult",
        "tutoring_not_in_bedroom",
        "tutoring_door_open",
        "tutoring_siblings",
        "tutoring_schedule_changes",
    } <= set(rules)
    assert "doorstep_only" not in rules


def test_a_child_found_alone_raises_the_incident_with_the_record(school: School) -> None:
    visit_id = _returned(school)
    _plan(school, visit_id, VisitReason.WELFARE_CHECK, EntryMode.DOORSTEP)
    dsl = school.user(DSL)
    answers = _kept(
        school,
        visit_id,
        dsl,
        nobody_spoken_to=True,
        child_found_alone=True,
        child_alone_action="Stayed at the door; phoned the DSL; mum home in ten minutes.",
    )
    VisitRecords(school.database, school.clock).write(visit_id, _draft(answers), dsl)
    incidents = _incidents(school, visit_id)
    assert len(incidents) == 1
    assert "mum home in ten minutes" in incidents[0].summary
    assert incidents[0].review_due_on == date(2026, 11, 23) + timedelta(days=10)
    visit, rules = _stored(school, visit_id)
    assert visit.needs_dsl_review and rules["child_found_alone"].kept  # they stayed outside
    # Saving the record again does not raise a second incident.
    VisitRecords(school.database, school.clock).write(visit_id, _draft(answers), dsl)
    assert len(_incidents(school, visit_id)) == 1


def test_a_record_without_the_conduct_answers_is_refused(school: School) -> None:
    visit_id = _returned(school)
    with pytest.raises(RecordProblems) as refused:
        VisitRecords(school.database, school.clock).write(
            visit_id,
            VisitRecordDraft(child_seen=True, spoken_to="Mum", observations="x", outcome="y"),
            school.user(DSL),
        )
    assert [p.field for p in refused.value.problems] == ["conduct"]


def test_an_adult_not_of_this_household_cannot_be_chosen(school: School) -> None:
    visit_id = _returned(school)
    dsl = school.user(DSL)
    with school.database.session() as session:
        stranger = session.scalars(
            sa.select(Adult.id).where(
                Adult.household_id != _stored(school, visit_id)[0].household_id
            )
        ).first()
    answers = _kept(school, visit_id, dsl, spoken_to_adult_ids=(stranger,))
    with pytest.raises(RecordProblems) as refused:
        VisitRecords(school.database, school.clock).write(visit_id, _draft(answers), dsl)
    assert "Choose who was spoken to from the list" in refused.value.problems[0].message


# --- the briefing ------------------------------------------------------------------------------


def test_the_briefing_gives_the_rules_of_the_plan_and_who_holds_parental_responsibility(
    school: School,
) -> None:
    visit_id = school.one("planned")
    _plan(school, visit_id, VisitReason.WELFARE_CHECK, EntryMode.DOORSTEP)
    _family(school, visit_id)
    briefing = VisitConduct(school.database, school.clock).briefing(visit_id, school.user(DSL))
    assert [g.group.label for g in briefing.groups] == ["Every visit", "Doorstep only"]
    assert briefing.groups[1].rules == (
        "This is a doorstep visit: stay at the door and do not enter the home.",
    )
    assert len(briefing.with_parental_responsibility) >= 1
    assert any("Gary Stone" in name for name in briefing.without_parental_responsibility)
    assert briefing.needs is None and briefing.needs_withheld is None  # not tutoring


def test_the_pupils_needs_are_for_the_visitors_only(school: School) -> None:
    visit_id = school.one("planned")
    _plan(school, visit_id, VisitReason.TUTORING, EntryMode.ENTER)
    dsl = school.user(DSL)
    conduct = VisitConduct(school.database, school.clock)
    with school.database.session() as session:
        pupil_id = session.get(Visit, visit_id).pupil_id  # type: ignore[union-attr]
    assert pupil_id is not None
    needs = PupilNeeds("Dyslexia: large print.", "Epipen in the kitchen drawer.", None)
    conduct.set_pupil_needs(pupil_id, needs, dsl)
    visitor = _visitor(school, visit_id)
    with pytest.raises(NotPermitted):
        conduct.set_pupil_needs(pupil_id, needs, visitor)
    with pytest.raises(NotPermitted):
        conduct.pupil_needs(pupil_id, school.user(RECEPTION))

    theirs = conduct.briefing(visit_id, visitor)
    assert [g.group.label for g in theirs.groups] == [
        "Every visit",
        "Entering the home",
        "Tutoring at home",
    ]
    assert theirs.needs == PupilNeeds(
        "Dyslexia: large print.", "Epipen in the kitchen drawer.", None
    )
    office = conduct.briefing(visit_id, school.user(RECEPTION))
    assert office.needs is None and office.needs_withheld == NEEDS_WITHHELD
    assert conduct.briefing(visit_id, dsl).needs is None  # need-to-know: the visitors

    # The account as it is now: one no longer linked to a visitor is refused the briefing,
    # whatever the caller's SignedInUser still says.
    with school.database.session() as session:
        account = session.get(UserAccount, visitor.user_id)
        assert account is not None and account.role is Role.VISITING_STAFF
        account.staff_id = None
    with pytest.raises(NotPermitted):
        conduct.briefing(visit_id, visitor)


def test_seed_001s_question_is_answered_on_the_request(school: School) -> None:
    visit_id = school.one("awaiting_authorisation")
    dsl = school.user(DSL)
    conduct = VisitConduct(school.database, school.clock)
    with pytest.raises(ConductNotSaved, match="Say how sending two staff"):
        conduct.answer_two_staff(visit_id, True, None, dsl)
    conduct.answer_two_staff(visit_id, True, "Dad reacts badly to groups; one visitor.", dsl)
    assert conduct.briefing(visit_id, dsl).two_staff_answer == (
        "Yes: Dad reacts badly to groups; one visitor."
    )
    with pytest.raises(ConductNotSaved, match="can no longer be changed"):
        conduct.answer_two_staff(school.one("out_on_time"), False, None, dsl)


# --- during the visit -------------------------------------------------------------------------


def test_a_child_found_alone_phoned_in_is_one_logged_step_with_the_instruction(
    school: School,
) -> None:
    visit_id = school.one("overdue_stage1")
    calls = ConductCalls(school.database, school.clock)
    logged = calls.child_found_alone(visit_id, school.user(RECEPTION), "Boy of about 8 at the door")
    assert logged.instruction == (
        "Do not enter unless necessary to safeguard the child in an emergency; if in immediate "
        "danger, call 999."
    )
    assert logged.incident_id is not None
    with school.database.session() as session:
        event = session.get(VisitEvent, logged.event_id)
        assert event is not None and event.kind is EventKind.CHILD_ALONE_CALL
        assert event.note is not None and event.note.startswith("Boy of about 8 at the door")
        assert "call 999" in event.note
    # A call from the staff: they are heard from, so the visit is no longer overdue.
    entry = school.board.read(include_private=False).entry(visit_id)
    assert entry is not None and not entry.state.is_overdue
    assert len(_incidents(school, visit_id)) == 1


def test_no_appropriate_adult_is_for_tutoring_visits_out_now(school: School) -> None:
    visit_id = school.one("out_on_time")
    calls = ConductCalls(school.database, school.clock)
    with pytest.raises(InvalidAction, match="not a tutoring visit"):
        calls.no_appropriate_adult(visit_id, school.user(RECEPTION))
    _plan(school, visit_id, VisitReason.TUTORING, EntryMode.ENTER)
    logged = calls.no_appropriate_adult(visit_id, school.user(RECEPTION))
    assert "appropriate adult" in logged.instruction and logged.incident_id is None
    with pytest.raises(InvalidAction, match="not been signed out"):
        calls.child_found_alone(school.one("planned"), school.user(RECEPTION))


def test_a_pupils_needs_are_kept_by_the_dsl(school: School) -> None:
    conduct = VisitConduct(school.database, school.clock)
    with school.database.session() as session:
        pupil_id = session.scalars(sa.select(Pupil.id).order_by(Pupil.id)).first()
    assert pupil_id is not None
    dsl = signed_in(school.database, DSL)
    with pytest.raises(ConductNotSaved, match="under 4000"):
        conduct.set_pupil_needs(pupil_id, PupilNeeds("x" * 4001, None, None), dsl)
    conduct.set_pupil_needs(pupil_id, PupilNeeds("  ASD  ", "", None), dsl)
    assert conduct.pupil_needs(pupil_id, dsl) == PupilNeeds("ASD", None, None)


# --- the Home Visit Form's briefing and the record's answers, printed ---------------------------


def _pdf_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def test_the_home_visit_form_prints_the_briefing_with_needs_only_for_the_visitors(
    school: School,
) -> None:
    visit_id = school.one("planned")
    _plan(school, visit_id, VisitReason.TUTORING, EntryMode.ENTER)
    _, _, _ = _family(school, visit_id)
    dsl = school.user(DSL)
    with school.database.session() as session:
        pupil_id = session.get(Visit, visit_id).pupil_id  # type: ignore[union-attr]
    assert pupil_id is not None
    VisitConduct(school.database, school.clock).set_pupil_needs(
        pupil_id, PupilNeeds("Dyslexia: large print.", "Nut allergy: EpiPen.", None), dsl
    )
    docs = DocumentService(school.database, school.clock)
    theirs = " ".join(
        _pdf_text(docs.render("visit-form", visit_id, by=_visitor(school, visit_id))).split()
    )
    assert "Visitors' briefing" in theirs
    assert "keep this page. Do not leave it at the home." in theirs
    assert "Tutoring is not delivered in the pupil's bedroom." in theirs
    assert "Gary Stone (Other, no parental responsibility)" in theirs
    assert "Nut allergy: EpiPen." in theirs and "Dyslexia: large print." in theirs
    office = " ".join(
        _pdf_text(docs.render("visit-form", visit_id, by=school.user(RECEPTION))).split()
    )
    assert "Visitors' briefing" in office
    assert "Nut allergy" not in office and "Dyslexia" not in office
    assert "printed only for the visitors" in office


def test_the_record_of_home_visit_prints_the_answers(school: School) -> None:
    visit_id = _returned(school)
    _plan(school, visit_id, VisitReason.WELFARE_CHECK, EntryMode.DOORSTEP)
    dsl = school.user(DSL)
    answers = _kept(
        school,
        visit_id,
        dsl,
        nobody_spoken_to=True,
        rule_answers=(
            *_kept(school, visit_id, dsl).rule_answers,
            RuleAnswer("official_id", False, "Badge left in the car."),
        ),
    )
    VisitRecords(school.database, school.clock).write(visit_id, _draft(answers), dsl)
    text = " ".join(
        _pdf_text(
            DocumentService(school.database, school.clock).render("visit-record", visit_id, by=dsl)
        ).split()
    )
    assert "In the home: the rules of conduct" in text
    assert "NOT KEPT: Badge left in the car." in text
    assert "Needs the DSL's review" in text
    summary = VisitRecords(school.database, school.clock).cpoms_summary(visit_id, dsl)
    assert "IN THE HOME: THE RULES OF CONDUCT" in summary
    assert (
        "- Have your official school ID with you and show it when you introduce yourself: "
        "NOT KEPT: Badge left in the car." in summary
    )


# --- the annual pack ---------------------------------------------------------------------------


def test_the_annual_pack_counts_how_often_each_rule_could_not_be_kept(school: School) -> None:
    dsl = school.user(DSL)
    records = VisitRecords(school.database, school.clock)
    first = _returned(school, "out_on_time")
    second = _returned(school, "due_soon")
    for visit_id, broken in ((first, ("official_id",)), (second, ("official_id", "siblings"))):
        _plan(school, visit_id, VisitReason.WELFARE_CHECK, EntryMode.DOORSTEP)
        base = _kept(school, visit_id, dsl, nobody_spoken_to=True)
        answers = ConductAnswers(
            **{
                **base.__dict__,
                "rule_answers": (
                    *base.rule_answers,
                    *(RuleAnswer(code, False, "It could not be kept.") for code in broken),
                ),
            }
        )
        records.write(visit_id, _draft(answers), dsl)
    ConductCalls(school.database, school.clock).child_found_alone(
        school.one("overdue_stage2"), school.user(RECEPTION)
    )

    stats = Statistics(school.database, school.clock)
    figures = stats.year_in_review(2026).conduct
    assert figures is not None
    # The demo's own six answered records (one ID badge not shown) plus these two.
    assert figures.records_answered == 6 + 2 and figures.not_kept == 1 + 3
    assert figures.child_alone_calls == 1 and figures.no_adult_calls == 0
    top = figures.rules[0]
    assert (top.code, top.applied, top.not_kept) == ("official_id", 6 + 2, 1 + 2)
    siblings = next(r for r in figures.rules if r.code == "siblings")
    assert (siblings.applied, siblings.not_kept) == (6 + 2, 1)
    assert stats.year_in_review(2025).conduct is not None
    assert stats.year_in_review(2025).conduct.records_answered == 0  # type: ignore[union-attr]

    text = " ".join(_pdf_text(stats.annual_review_pdf(2026)).split())
    assert "In the home: the rules of conduct" in text
    assert "a rule could not be kept 4 times" in text


# --- subject access ----------------------------------------------------------------------------


def test_a_pupils_subject_access_pack_holds_their_needs_and_the_conduct_answers(
    school: School,
) -> None:
    dsl = school.user(DSL)
    visit_id = _returned(school)
    _plan(school, visit_id, VisitReason.WELFARE_CHECK, EntryMode.DOORSTEP)
    VisitRecords(school.database, school.clock).write(
        visit_id, _draft(_kept(school, visit_id, dsl, nobody_spoken_to=True)), dsl
    )
    with school.database.session() as session:
        pupil_id = session.get(Visit, visit_id).pupil_id  # type: ignore[union-attr]
    assert pupil_id is not None
    VisitConduct(school.database, school.clock).set_pupil_needs(
        pupil_id, PupilNeeds(None, "Type 1 diabetes: snacks in the kitchen.", None), dsl
    )
    access = SubjectAccess(school.database, school.clock)
    request_id = access.log_request(
        SubjectKind.PUPIL, pupil_id, "Joanne Hughes (mother)", date(2026, 11, 20), dsl
    )
    _, pack = access.pack(request_id, dsl)
    fields = [
        (label, value)
        for part in pack.sections
        for entry in part.entries
        for label, value in entry.fields
    ]
    assert ("Medical needs", "Type 1 diabetes: snacks in the kitchen.") in fields
    assert ("Entered the home", "No") in fields
    assert (
        "Have your official school ID with you and show it when you introduce yourself.",
        "Kept",
    ) in fields


def test_the_schools_own_wording_from_the_settings_table_is_briefed_and_asked(
    school: School,
) -> None:
    """Settings as stored (JSON overrides): a rule cleared, one reworded, one of its own."""
    with school.database.session() as session:
        for key, value in (
            ("rule_siblings", ""),
            ("rule_official_id", "Show your ID badge on a quick-release lanyard."),
            ("rules_extra_doorstep", ["Wait no longer than 5 minutes, in the car."]),
        ):
            session.add(Setting(key=key, value=value, updated_at=school.clock.now()))
    visit_id = school.one("planned")
    _plan(school, visit_id, VisitReason.WELFARE_CHECK, EntryMode.DOORSTEP)
    briefing = VisitConduct(school.database, school.clock).briefing(visit_id, school.user(DSL))
    every, doorstep = briefing.groups[0].rules, briefing.groups[1].rules
    assert every[0] == "Show your ID badge on a quick-release lanyard."
    assert not any("siblings" in rule for rule in every)
    assert doorstep[-1] == "Wait no longer than 5 minutes, in the car."

    returned = _returned(school)
    _plan(school, returned, VisitReason.WELFARE_CHECK, EntryMode.DOORSTEP)
    view = VisitRecords(school.database, school.clock).record(returned, school.user(DSL))
    assert view.conduct is not None
    extra = [r for r in view.conduct.rules if r.code.startswith("extra_doorstep_")]
    assert [r.wording for r in extra] == ["Wait no longer than 5 minutes, in the car."]
    with pytest.raises(RecordProblems) as refused:
        VisitRecords(school.database, school.clock).write(
            returned,
            _draft(
                ConductAnswers(
                    nobody_spoken_to=True,
                    entered_home=False,
                    child_found_alone=False,
                    rule_answers=tuple(
                        RuleAnswer(r.code, True) for r in view.conduct.rules if r not in extra
                    ),
                )
            ),
            school.user(DSL),
        )
    assert [p.field for p in refused.value.problems] == [f"rule:{extra[0].code}"]
