"""The small rules several services share, each now kept in one place: how a visit's reason and
a pupil's year group read on paper, and how the safe word is kept out of what leaves hvdesk."""

from __future__ import annotations

from datetime import date

from hvdesk.domain.policy import SchoolPolicy
from hvdesk.domain.safe_word import REDACTED, redact_safe_word
from hvdesk.domain.uk_formats import name_with_year_group
from hvdesk.domain.visit_request import dbs_in_date_until, training_in_date_until
from hvdesk.domain.visits import VisitReason, reason_text


def test_a_reason_reads_as_its_label_with_any_words_typed() -> None:
    assert reason_text(VisitReason.WELFARE_CHECK, None) == "Welfare check after absence"
    assert reason_text(VisitReason.OTHER, "") == "Other"
    assert reason_text(VisitReason.OTHER, "Returning a coat") == "Other: Returning a coat"


def test_a_pupil_is_printed_with_their_year_group() -> None:
    assert name_with_year_group("Amy Khan", 7) == "Amy Khan (Year 7)"
    assert name_with_year_group("Ben Ali", 0) == "Ben Ali (Reception)"
    assert name_with_year_group("Cai Ng", -1) == "Cai Ng (Nursery)"
    assert name_with_year_group("Cara Doyle", None) == "Cara Doyle"


def test_the_safe_word_is_taken_out_as_a_whole_word_in_any_case() -> None:
    text = "Said BLUEBELL twice; bluebells in the garden; bluebell."
    assert redact_safe_word(text, " Bluebell ") == (
        f"Said {REDACTED} twice; bluebells in the garden; {REDACTED}."
    )


def test_text_without_a_safe_word_or_without_text_is_left_alone() -> None:
    assert redact_safe_word("Nothing to hide", None) == "Nothing to hide"
    assert redact_safe_word("Nothing to hide", "   ") == "Nothing to hide"
    assert redact_safe_word(None, "Bluebell") is None
    assert redact_safe_word("", "Bluebell") == ""


def test_training_and_dbs_run_out_the_policy_s_years_later() -> None:
    policy = SchoolPolicy()
    trained = date(2024, 2, 29)
    until = training_in_date_until(trained, policy)
    assert until.month == 2 and until.day == 28  # no 29 February that year
    assert until.year == 2024 + policy.safeguarding_training_valid_years
    assert dbs_in_date_until(date(2025, 1, 10), policy) == date(
        2025 + policy.dbs_valid_years, 1, 10
    )
