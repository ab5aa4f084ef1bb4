"""Who may do what: one test per rule, over every role, with the default and changed settings."""

from __future__ import annotations

import pytest

from hvdesk.domain.people import Role
from hvdesk.domain.permissions import (
    authorisation_refusals,
    may_approve_high_risk,
    may_approve_lone_visit,
    may_approve_out_of_hours,
    may_authorise,
    may_manage_accounts,
    may_record_check_ins,
    may_see_operational_risks,
    may_see_private_board_details,
    may_see_safeguarding_history,
)
from hvdesk.domain.policy import SchoolPolicy
from hvdesk.domain.risk import RiskBand

DEFAULT = SchoolPolicy()


def allowed(rule, *args) -> set[Role]:
    return {role for role in Role if rule(role, *args)}


def test_by_default_the_dsl_and_deputies_authorise():
    assert allowed(may_authorise, DEFAULT) == {Role.DSL, Role.DEPUTY_DSL}


def test_the_settings_name_who_authorises():
    policy = DEFAULT.with_changes(authorising_roles=(Role.HEADTEACHER,))
    assert allowed(may_authorise, policy) == {Role.HEADTEACHER}


def test_reception_records_check_ins_but_cannot_authorise():
    assert may_record_check_ins(Role.RECEPTION)
    assert not may_authorise(Role.RECEPTION, DEFAULT)


def test_every_signed_in_role_records_check_ins_and_no_one_in_privacy_mode():
    assert allowed(may_record_check_ins) == set(Role)
    assert not may_record_check_ins(None)


def test_a_lone_visit_needs_a_role_the_settings_name():
    assert allowed(may_approve_lone_visit, DEFAULT) == {Role.DSL, Role.SLT, Role.HEADTEACHER}
    policy = DEFAULT.with_changes(lone_visit_roles=(Role.DSL,))
    assert allowed(may_approve_lone_visit, policy) == {Role.DSL}


def test_an_out_of_hours_visit_needs_a_role_the_settings_name():
    assert allowed(may_approve_out_of_hours, DEFAULT) == {Role.DSL, Role.SLT, Role.HEADTEACHER}
    policy = DEFAULT.with_changes(out_of_hours_roles=(Role.HEADTEACHER, Role.DEPUTY_DSL))
    assert allowed(may_approve_out_of_hours, policy) == {Role.HEADTEACHER, Role.DEPUTY_DSL}


def test_only_the_dsl_and_deputies_approve_a_high_risk():
    assert allowed(may_approve_high_risk) == {Role.DSL, Role.DEPUTY_DSL}


def test_only_the_dsl_and_deputies_see_the_safeguarding_history():
    assert allowed(may_see_safeguarding_history) == {Role.DSL, Role.DEPUTY_DSL}


def test_everyone_signed_in_sees_the_operational_risks():
    assert allowed(may_see_operational_risks) == set(Role)
    assert not may_see_operational_risks(None)


def test_only_administrators_manage_accounts():
    assert allowed(may_manage_accounts) == {Role.ADMINISTRATOR}


def test_private_board_details_for_anyone_signed_in_and_no_one_in_privacy_mode():
    assert allowed(may_see_private_board_details) == set(Role)
    assert not may_see_private_board_details(None)


def refusals(role: Role, policy: SchoolPolicy = DEFAULT, **visit) -> list[str]:
    facts = {
        "authoriser_staff_id": 1,
        "visitor_staff_ids": [2, 3],
        "lone": False,
        "out_of_hours": False,
        "highest_residual_band": RiskBand.MEDIUM,
    }
    facts.update(visit)
    return authorisation_refusals(role, policy, **facts)  # type: ignore[arg-type]


def test_the_dsl_may_approve_an_ordinary_pair_visit():
    assert refusals(Role.DSL) == []


def test_nobody_authorises_a_visit_they_are_going_on():
    assert refusals(Role.DSL, visitor_staff_ids=[1, 2]) == [
        "Nobody may authorise a visit they are going on."
    ]
    assert refusals(Role.DSL, authoriser_staff_id=None) == []  # an account that is not staff


@pytest.mark.parametrize("role", sorted(set(Role) - {Role.DSL, Role.DEPUTY_DSL}))
def test_a_role_the_settings_do_not_name_is_told_who_authorises(role: Role):
    [reason] = refusals(role)
    assert reason == "Visits are authorised by: Designated Safeguarding Lead, Deputy DSL."


def test_a_deputy_may_not_approve_a_lone_visit_by_default():
    assert refusals(Role.DEPUTY_DSL, lone=True, visitor_staff_ids=[2]) == [
        "A lone visit needs approval by: Designated Safeguarding Lead, Senior leadership "
        "(SLT), Headteacher."
    ]
    assert refusals(Role.DSL, lone=True, visitor_staff_ids=[2]) == []


def test_a_deputy_may_not_approve_out_of_hours_by_default():
    [reason] = refusals(Role.DEPUTY_DSL, out_of_hours=True)
    assert reason.startswith("A visit outside working hours needs approval by:")
    assert refusals(Role.DSL, out_of_hours=True) == []


def test_a_high_risk_is_for_the_dsl_and_never_alone():
    policy = DEFAULT.with_changes(authorising_roles=(Role.HEADTEACHER, Role.DSL))
    [reason] = refusals(Role.HEADTEACHER, policy, highest_residual_band=RiskBand.HIGH)
    assert "DSL or a deputy DSL" in reason
    assert refusals(Role.DSL, policy, highest_residual_band=RiskBand.HIGH) == []
    lone_high = refusals(
        Role.DSL, policy, highest_residual_band=RiskBand.HIGH, lone=True, visitor_staff_ids=[2]
    )
    assert lone_high == ["A visit whose risk stays high after controls cannot be a lone visit."]


def test_every_reason_is_given_at_once():
    reasons = refusals(
        Role.RECEPTION,
        visitor_staff_ids=[1],
        lone=True,
        out_of_hours=True,
        highest_residual_band=RiskBand.HIGH,
    )
    assert len(reasons) == 6
