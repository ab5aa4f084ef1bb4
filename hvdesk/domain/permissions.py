"""Who may do what. Pure rules over `Role` and the school's `SchoolPolicy`.

Services call these before they act and raise `NotPermitted` with the reason; the UI may also
ask them to grey out a button, but hiding a button is never the enforcement.

Decisions where the policies leave room:
- Recording check-ins (calls, arrived, left, home safe) is open to every signed-in role. The
  ladder must never wait for the right person to reach the desk: whoever is at the board records
  the call, and the record names them. Privacy mode (no one signed in) records nothing.
- The safeguarding history of a household is for the DSL and deputy DSLs only; every signed-in
  role sees its operational risks (a dog, do not enter alone, an aggressive adult).
- A visit whose highest residual risk is high may be approved only by the DSL or a deputy DSL,
  whatever the settings say, and never as a lone visit.
"""

from __future__ import annotations

from collections.abc import Collection

from hvdesk.domain.people import Role
from hvdesk.domain.policy import SchoolPolicy
from hvdesk.domain.risk import RiskBand

SAFEGUARDING_LEADS: frozenset[Role] = frozenset({Role.DSL, Role.DEPUTY_DSL})


def may_authorise(role: Role, policy: SchoolPolicy) -> bool:
    """Only the roles the settings name may authorise a visit (default: DSL and deputy)."""
    return role in policy.authorising_roles


def may_approve_lone_visit(role: Role, policy: SchoolPolicy) -> bool:
    """A lone visit needs a role the settings name (default: DSL, SLT, headteacher)."""
    return role in policy.lone_visit_roles


def may_approve_out_of_hours(role: Role, policy: SchoolPolicy) -> bool:
    """A visit outside working hours needs a role the settings name (default as lone)."""
    return role in policy.out_of_hours_roles


def may_approve_high_risk(role: Role) -> bool:
    """A high residual risk is the DSL's call (or a deputy's), not a setting."""
    return role in SAFEGUARDING_LEADS


def may_record_check_ins(role: Role | None) -> bool:
    """Every signed-in role may record a call or a step of a visit (see the module notes);
    no one in privacy mode (None)."""
    return role is not None


def may_see_safeguarding_history(role: Role) -> bool:
    """Need-to-know: only the DSL and deputy DSLs read a household's safeguarding history."""
    return role in SAFEGUARDING_LEADS


def may_see_operational_risks(role: Role | None) -> bool:
    """Everyone signed in sees what keeps staff safe at a door (dog, aggressive adult...)."""
    return role is not None


def may_manage_retention(role: Role) -> bool:
    """Reviewing records past their retention date, deleting them, and legal holds: the DSL
    and deputies, who know which records an open case or a claim still needs."""
    return role in SAFEGUARDING_LEADS


def may_manage_accounts(role: Role) -> bool:
    """Creating accounts, changing roles and resetting others' passwords: administrators."""
    return role is Role.ADMINISTRATOR


def may_see_private_board_details(role: Role | None) -> bool:
    """Addresses and pupil names on the board: anyone signed in; no one in privacy mode."""
    return role is not None


def authorisation_refusals(
    role: Role,
    policy: SchoolPolicy,
    *,
    authoriser_staff_id: int | None,
    visitor_staff_ids: Collection[int],
    lone: bool,
    out_of_hours: bool,
    highest_residual_band: RiskBand | None = None,
) -> list[str]:
    """Every reason this user may not approve this visit, in words; empty if they may.

    All reasons at once, so the office learns in one go who must approve instead.
    """
    reasons: list[str] = []
    if not may_authorise(role, policy):
        reasons.append(f"Visits are authorised by: {_roles(policy.authorising_roles)}.")
    if authoriser_staff_id is not None and authoriser_staff_id in visitor_staff_ids:
        reasons.append("Nobody may authorise a visit they are going on.")
    if lone and not may_approve_lone_visit(role, policy):
        reasons.append(f"A lone visit needs approval by: {_roles(policy.lone_visit_roles)}.")
    if out_of_hours and not may_approve_out_of_hours(role, policy):
        reasons.append(
            f"A visit outside working hours needs approval by: {_roles(policy.out_of_hours_roles)}."
        )
    if highest_residual_band is RiskBand.HIGH:
        if not may_approve_high_risk(role):
            reasons.append(
                "A visit whose risk stays high after controls needs approval by the DSL or a "
                "deputy DSL."
            )
        if lone:
            reasons.append("A visit whose risk stays high after controls cannot be a lone visit.")
    return reasons


def _roles(roles: Collection[Role]) -> str:
    return ", ".join(role.label for role in roles) or "no role (check the settings)"


def may_change_settings(role: Role, policy: SchoolPolicy) -> bool:
    """The roles the settings name (default: administrator and DSL); the administrator always,
    so no change of settings can leave nobody able to change them back."""
    return role is Role.ADMINISTRATOR or role in policy.settings_roles


def may_change_who_changes_settings(role: Role) -> bool:
    """Who may change the settings is itself the administrator's decision."""
    return role is Role.ADMINISTRATOR
