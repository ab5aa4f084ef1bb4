"""Incidents: raised by hand or created when an escalation is resolved, then reviewed."""

from __future__ import annotations

from hvdesk.domain.labels import LabelledEnum


class IncidentKind(LabelledEnum):
    """What happened (the incident issue's list)."""

    ESCALATION = ("escalation", "Missed check-in escalation")
    AGGRESSIVE_ADULT = ("aggressive_adult", "Aggressive adult")
    THREAT = ("threat", "Threat")
    ALLEGATION = ("allegation", "Allegation against staff")
    CHILD_FOUND_ALONE = ("child_found_alone", "Child found alone")
    ANIMAL = ("animal", "Animal")
    ACCIDENT = ("accident", "Accident or injury")
    NEAR_MISS = ("near_miss", "Near miss")
    SAFE_WORD = ("safe_word", "Safe word used")


class IncidentStatus(LabelledEnum):
    """Review status: open -> under review -> closed."""

    OPEN = ("open", "Open")
    UNDER_REVIEW = ("under_review", "Under review")
    CLOSED = ("closed", "Closed")
