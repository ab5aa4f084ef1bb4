"""The rules of conduct in the home as the policies word them (issue 18): the defaults of the
school's settings. A school rewords a rule in Settings, or clears it to say it does not apply.

Each rule keeps a stable code (the setting's name without `rule_`), so a year's answers are
counted together however the school words the rule.
"""

from __future__ import annotations

from hvdesk.domain.labels import LabelledEnum


class ConductGroup(LabelledEnum):
    """Which visits a rule is for; the plan decides which groups apply (see `conduct`)."""

    EVERY_VISIT = ("every_visit", "Every visit")
    DOORSTEP = ("doorstep", "Doorstep only")
    ENTERING = ("entering", "Entering the home")
    TUTORING = ("tutoring", "Tutoring at home")


RULE_PREFIX = "rule_"
"""Each built-in rule is the setting `rule_<code>`; its group and question are fixed here."""

# code -> (group, default wording, where the wording comes from)
DEFAULT_RULES: dict[str, tuple[ConductGroup, str, str]] = {
    "official_id": (
        ConductGroup.EVERY_VISIT,
        "Have your official school ID with you and show it when you introduce yourself.",
        "000, 003",
    ),
    "parental_responsibility": (
        ConductGroup.EVERY_VISIT,
        "Only speak to adults with parental responsibility about the child.",
        "000, 001",
    ),
    "child_found_alone": (
        ConductGroup.EVERY_VISIT,
        "If a child is found alone, do not enter the premises unless it is necessary to "
        "safeguard the child in an emergency; if the child is in immediate danger, call 999.",
        "000, 001",
    ),
    "siblings": (
        ConductGroup.EVERY_VISIT,
        "Do not speak to siblings other than to ask if their parent, carer or guardian is "
        "available, and do not discuss the purpose of the visit with them.",
        "001",
    ),
    "leave_if_unsafe": (
        ConductGroup.EVERY_VISIT,
        "End the visit and leave the household immediately if you consider yourself at risk "
        "or unsafe.",
        "000, 003",
    ),
    "doorstep_only": (
        ConductGroup.DOORSTEP,
        "This is a doorstep visit: stay at the door and do not enter the home.",
        "000",
    ),
    "invited_in_by_adult": (
        ConductGroup.ENTERING,
        "Only enter the premises when invited in by a responsible adult, never when invited "
        "by a child who is on the premises unsupervised.",
        "001",
    ),
    "shared_areas": (
        ConductGroup.ENTERING,
        "Remain in shared areas of the household; only go into a child's bedroom in "
        "exceptional circumstances, such as the need to see a child who is too unwell to get "
        "out of bed, and only when visiting in pairs and with the permission of the child and "
        "their parents/carers/guardians.",
        "000",
    ),
    "tutoring_appropriate_adult": (
        ConductGroup.TUTORING,
        "Never enter the home or stay inside without an appropriate adult present; an "
        "appropriate adult should be in the room or its proximity at all times.",
        "003",
    ),
    "tutoring_not_in_bedroom": (
        ConductGroup.TUTORING,
        "Tutoring is not delivered in the pupil's bedroom.",
        "003",
    ),
    "tutoring_door_open": (
        ConductGroup.TUTORING,
        "The door of the room where tutoring is delivered is always kept open.",
        "003",
    ),
    "tutoring_siblings": (
        ConductGroup.TUTORING,
        "Do not hold conversations with siblings or other children in the home without an "
        "appropriate adult present.",
        "003",
    ),
    "tutoring_schedule_changes": (
        ConductGroup.TUTORING,
        "Tell the parents of any change to the schedule of a tutoring session, such as a delay "
        "or ending it early.",
        "003",
    ),
}

EXTRA_PREFIX = "rules_extra_"
"""The school's own rules for a group: the setting `rules_extra_<group>` (one rule a line)."""

CHILD_ALONE_INSTRUCTION = (
    "Do not enter unless necessary to safeguard the child in an emergency; if in immediate "
    "danger, call 999."
)
"""What the office says to a colleague who phones in a child found alone (000, 001)."""

NO_ADULT_INSTRUCTION = (
    "Do not enter or stay in the home without an appropriate adult present: wait outside or "
    "end the session, and tell the parents. If a child is in immediate danger, call 999."
)
"""What the office says when no appropriate adult is present for tutoring (003)."""

TWO_STAFF_QUESTION = "Consider whether sending two members of staff may escalate the difficulties."
"""Asked on the visit request (001, 'Making safe home visits')."""
