"""School settings: seed 000's defaults, validation, and the stored-overrides round trip."""

from __future__ import annotations

from datetime import time

import pytest

from hvdesk.domain.people import Role
from hvdesk.domain.policy import SchoolPolicy, SettingError
from hvdesk.domain.risk import BandThresholds, RiskBand, risk_score


def test_defaults_follow_seed_000() -> None:
    policy = SchoolPolicy()
    assert policy.emergency_contact_after_minutes == 15
    assert policy.police_after_minutes == 30
    assert policy.pairs_by_default
    assert Role.DSL in policy.authorising_roles
    assert Role.RECEPTION not in policy.authorising_roles
    assert set(policy.lone_visit_roles) >= {Role.DSL, Role.SLT}


def test_settings_round_trip_through_json_values() -> None:
    changed = SchoolPolicy(
        school_name="Levett School",
        parent_wait_limit_minutes=5,
        working_day_end=time(17, 0),
        authorising_roles=(Role.HEADTEACHER, Role.SLT),
        risk_bands=BandThresholds(low_max=3, medium_max=10),
    )
    assert SchoolPolicy.from_settings(changed.to_settings()) == changed


def test_unknown_keys_from_a_newer_hvdesk_are_ignored() -> None:
    assert SchoolPolicy.from_settings({"invented_later": 3}) == SchoolPolicy()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"police_after_minutes": 10}, "police step must come after"),
        ({"due_soon_minutes": -1}, "whole number of minutes"),
        ({"working_day_start": time(19, 0)}, "start before they end"),
        ({"authorising_roles": ()}, "At least one role"),
        ({"school_name": "  "}, "cannot be empty"),
    ],
)
def test_unusable_settings_are_refused_with_a_message(
    changes: dict[str, object], message: str
) -> None:
    with pytest.raises(SettingError, match=message):
        SchoolPolicy().with_changes(**changes)


def test_a_corrupt_stored_value_names_the_setting() -> None:
    with pytest.raises(SettingError, match="Working day start"):
        SchoolPolicy.from_settings({"working_day_start": "half past"})


@pytest.mark.parametrize(
    ("severity", "likelihood", "band"),
    [(1, 4, RiskBand.LOW), (1, 5, RiskBand.MEDIUM), (3, 4, RiskBand.MEDIUM), (3, 5, RiskBand.HIGH)],
)
def test_matrix_bands_default_to_seed_001(severity: int, likelihood: int, band: RiskBand) -> None:
    assert BandThresholds().band(risk_score(severity, likelihood)) is band


def test_scores_outside_the_matrix_are_refused() -> None:
    with pytest.raises(ValueError):
        risk_score(0, 3)
    with pytest.raises(ValueError):
        BandThresholds(low_max=12, medium_max=4)
