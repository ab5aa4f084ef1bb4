"""When a record comes up for retention review, by which rule (pure; the years are settings).

Defaults follow the IRMS Information Management Toolkit for Schools:
- safeguarding and visit records: until the pupil's date of birth + 25 years, then review; a
  visit with no pupil recorded is kept 25 years from the visit (the longest a child could be);
- incident and accident records: at least 3 years after the incident (closed ones only);
- staff contact and vehicle details: 6 years after the member of staff left. Only those details
  are erased; the name stays, because visit records name who went.
"""

from __future__ import annotations

from datetime import date

from hvdesk.domain.labels import LabelledEnum
from hvdesk.domain.policy import SchoolPolicy


class RetentionCategory(LabelledEnum):
    """The record types the retention rules name."""

    VISIT = ("visit", "Safeguarding and visit records")
    PUPIL = ("pupil", "Pupil records")
    INCIDENT = ("incident", "Incident and accident records")
    STAFF_DETAILS = ("staff_details", "Staff contact and vehicle details")


def years_later(day: date, years: int) -> date:
    """The same calendar day `years` later (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def visit_review_date(date_of_birth: date | None, visit_day: date, policy: SchoolPolicy) -> date:
    """A visit record is reviewed once its pupil reaches the age the settings name."""
    years = policy.retention_visit_years_after_birth
    return years_later(date_of_birth if date_of_birth is not None else visit_day, years)


def pupil_review_date(date_of_birth: date, policy: SchoolPolicy) -> date:
    return years_later(date_of_birth, policy.retention_visit_years_after_birth)


def incident_review_date(occurred_on: date, policy: SchoolPolicy) -> date:
    return years_later(occurred_on, policy.retention_incident_years)


def staff_review_date(left_on: date, policy: SchoolPolicy) -> date:
    return years_later(left_on, policy.retention_staff_years_after_leaving)


def rule_text(category: RetentionCategory, policy: SchoolPolicy) -> str:
    """The rule in words, as the deletion log records it."""
    if category is RetentionCategory.VISIT:
        return (
            f"Visit records: pupil's date of birth + {policy.retention_visit_years_after_birth} "
            "years (no pupil: visit date + the same), then review"
        )
    if category is RetentionCategory.PUPIL:
        return (
            f"Pupil records: date of birth + {policy.retention_visit_years_after_birth} years, "
            "once no visit record remains"
        )
    if category is RetentionCategory.INCIDENT:
        return f"Incident records: at least {policy.retention_incident_years} years, once closed"
    return (
        "Staff contact and vehicle details: "
        f"{policy.retention_staff_years_after_leaving} years after leaving"
    )
