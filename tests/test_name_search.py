# ruff: noqa: F811  (the demo-school fixtures are imported by name)
"""Finding people as the office types (issue 17 item 4): accents and case ignored, common
spelling variants found and ranked after exact matches; in the request form's search and the
directory's pupil list, over the real encrypted demo school."""

from __future__ import annotations

from datetime import date

import pytest

from hvdesk.domain.name_search import Scorer, fold, matches_all, skeleton, terms_of
from hvdesk.services.directory import list_pupils
from hvdesk.services.lookups import Lookups
from hvdesk.services.people import PeopleService
from tests.board_school import School, demo_template, school  # noqa: F401
from tests.test_people import new_pupil


@pytest.mark.parametrize(
    ("typed", "folded"),
    [
        ("Zoë", "zoe"),
        ("ŁUKASZ Wiśniewski", "lukasz wisniewski"),
        ("Søren Ærø", "soren aero"),
        ("Siân Llŷr", "sian llyr"),
        ("Straße", "strasse"),
        ("Ｚｏｅ", "zoe"),  # full-width letters, as some phones type them
        ("عائشہ", fold("عائشہ")),  # other scripts pass through (no marks to drop)
    ],
)
def test_text_is_folded_without_accents_or_case(typed, folded):
    assert fold(typed) == folded


def test_spelling_variants_share_a_skeleton():
    assert {skeleton(w) for w in ("mohammed", "muhammad", "mohamed", "mohammad")} == {"mhmd"}
    assert skeleton("yusuf") == skeleton("yousef")
    assert skeleton("amy") != skeleton("ann")


def test_exact_matches_rank_before_variants_and_nonsense_matches_nothing():
    scorer = Scorer("mohamed")
    exact = scorer.score(("Mohamed", "Ali"))
    variant = scorer.score(("Muhammad", "Ali"))
    other = scorer.score(("Molly", "Ward"))
    assert exact > variant > 0 == other
    assert Scorer("zoe ash").score(("Zoë", "Ashworth")) > 0
    assert Scorer("zoe xq").score(("Zoë", "Ashworth")) == 0  # every word must match
    assert Scorer("al").score(("Ella", "Hall")) > 0  # two letters: contained, not tolerant
    assert Scorer("al").score(("Eli", "Hull")) == 0
    assert matches_all(terms_of("mohammed"), ("Muhammad Begum",))
    assert not matches_all(terms_of("mohammed"), ("Michael Brown",))


def add(people: PeopleService, school: School, first: str, last: str, mis_id: str) -> int:
    return people.save_pupil(
        new_pupil(first_name=first, last_name=last, mis_id=mis_id, date_of_birth=date(2015, 1, 2)),
        school.user("p.stanton"),
    )


def test_the_request_form_finds_accented_names_and_variants_best_first(school: School) -> None:
    people = PeopleService(school.database, school.clock)
    zoe = add(people, school, "Zoë", "Ashworth", "S-1")
    muhammad = add(people, school, "Muhammad", "Qureshi", "S-2")
    mohamed = add(people, school, "Mohamed", "Qureshi", "S-3")
    lookups = Lookups(school.database, school.clock)
    assert zoe in [c.pupil_id for c in lookups.find_homes("zoe")]
    assert zoe in [c.pupil_id for c in lookups.find_homes("ZOE ASH")]
    found = [c.pupil_id for c in lookups.find_homes("mohamed qureshi")]
    assert found[:2] == [mohamed, muhammad]  # the exact spelling first, then the variant
    found = [c.pupil_id for c in lookups.find_homes("mohammed")]
    assert {mohamed, muhammad} <= set(found)
    assert lookups.find_homes("zzqqxx") == []


def test_the_pupil_list_finds_accented_names_and_variants(school: School) -> None:
    people = PeopleService(school.database, school.clock)
    zoe = add(people, school, "Zoë", "Ashworth", "S-1")
    muhammad = add(people, school, "Muhammad", "Qureshi", "S-2")
    with school.database.session() as session:
        assert zoe in [p.id for p in list_pupils(session, "zoe")]
        assert muhammad in [p.id for p in list_pupils(session, "Mohammed")]
        assert list_pupils(session, "zzqqxx") == []


def test_a_pupil_added_or_renamed_between_keystrokes_is_found_at_once(school: School) -> None:
    """The form's search keeps a folded copy of the pupils; any write makes it read again."""
    lookups = Lookups(school.database, school.clock)
    assert lookups.find_homes("zarkovic") == []
    people = PeopleService(school.database, school.clock)
    pupil_id = add(people, school, "Muhammad", "Zarkovic", "S-9")
    assert [c.pupil_id for c in lookups.find_homes("zarkovic")] == [pupil_id]
    admin = school.user("p.stanton")
    draft = people.pupil(pupil_id, admin).draft
    people.save_pupil(
        new_pupil(
            first_name="Yusuf", last_name="Zarkovic", mis_id="S-9", household=draft.household
        ),
        admin,
        pupil_id,
    )
    assert [c.pupil_name for c in lookups.find_homes("yousef zark")] == ["Yusuf Zarkovic"]
