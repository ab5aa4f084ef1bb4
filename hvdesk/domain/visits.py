"""The vocabulary of a home visit: why it happens, how it is made, and what is logged."""

from __future__ import annotations

from hvdesk.domain.labels import LabelledEnum


class VisitReason(LabelledEnum):
    """Why a visit happens: the reasons the five policies list (DOMAIN.md)."""

    WELFARE_CHECK = ("welfare_check", "Welfare check after absence")
    OTHER_CONTACT_FAILED = ("other_contact_failed", "All other contact has failed")
    REFUSING_SCHOOL = ("refusing_school", "Pupil refusing school")
    ATTENDANCE_SUPPORT = ("attendance_support", "Attendance support with parents")
    CHILD_MISSING_EDUCATION = ("child_missing_education", "Child missing education check")
    EDUCATED_AT_HOME = ("educated_at_home", "Pupil educated at home")
    PARENT_CANNOT_COME_IN = ("parent_cannot_come_in", "Meeting parents who cannot come in")
    COLLECT_OR_DROP_CHILD = ("collect_or_drop_child", "Collecting or dropping off a child")
    WORK_OR_EQUIPMENT = ("work_or_equipment", "Dropping off or collecting work or equipment")
    LONG_ILLNESS = ("long_illness", "Keeping in touch during a long illness")
    SUSPECTED_HOLIDAY = ("suspected_holiday", "Suspected term-time holiday (leave refused)")
    TUTORING = ("tutoring", "Tutoring at home")
    NEW_FAMILY = ("new_family", "Building a relationship with a new family")
    EMERGENCY_SAFEGUARDING = ("emergency_safeguarding", "Emergency safeguarding visit")
    OTHER = ("other", "Other")


class VisitStatus(LabelledEnum):
    """Where a visit is in its life; the live stage on the board is derived from events."""

    DRAFT = ("draft", "Draft")
    AWAITING_AUTHORISATION = ("awaiting_authorisation", "Awaiting authorisation")
    CHANGES_REQUESTED = ("changes_requested", "Sent back for changes")
    AUTHORISED = ("authorised", "Authorised")
    REFUSED = ("refused", "Refused")
    OUT = ("out", "Out on visit")
    COMPLETED = ("completed", "Completed")
    CANCELLED = ("cancelled", "Cancelled")


class EntryMode(LabelledEnum):
    """Whether staff stay on the doorstep or go into the home (000, 002)."""

    DOORSTEP = ("doorstep", "Doorstep only")
    ENTER = ("enter", "Enter the home")


class VisitorRole(LabelledEnum):
    """A visitor's part in a visit."""

    LEAD = ("lead", "Lead visitor")
    SECOND = ("second", "Second visitor")


class EventKind(LabelledEnum):
    """Entries on a visit's timeline; the escalation stage is derived from them."""

    SIGNED_OUT = ("signed_out", "Departed")
    ARRIVED = ("arrived", "Arrived (phoned in)")
    CALL_RECEIVED = ("call_received", "Call received")
    SCHEDULE_CHANGED = ("schedule_changed", "Schedule changed")
    SAFE_WORD = ("safe_word", "Safe word used")
    LEFT = ("left", "Left the home (phoned in)")
    RETURNED = ("returned", "Back at base / home safe")
    CANCELLED = ("cancelled", "Visit cancelled")
    ESCALATION_ACTION = ("escalation_action", "Escalation action")
    ALERT_CLAIMED = ("alert_claimed", "Alert claimed")
    RESOLVED = ("resolved", "Escalation resolved")
    NOTE = ("note", "Note")
    # Issue 13: the wait at the door (003, 004) and the stand-down after an escalation.
    WAITING_AT_DOOR = ("waiting_at_door", "Waiting at the door")
    PARENT_RUNNING_LATE = ("parent_running_late", "Parent running late")
    PARENT_ARRIVED = ("parent_arrived", "Parent arrived: wait over")
    STOOD_DOWN = ("stood_down", "Stand-down")
    # In the home (issue 18): the staff phone in a child found alone, or no appropriate adult
    # present for tutoring; a call from the staff, so it counts as contact.
    CHILD_ALONE_CALL = ("child_alone_call", "Staff phoned: child found alone")
    NO_ADULT_CALL = ("no_adult_call", "Staff phoned: no appropriate adult for tutoring")


CONDUCT_CALLS: frozenset[EventKind] = frozenset(
    {EventKind.CHILD_ALONE_CALL, EventKind.NO_ADULT_CALL}
)
"""Calls from the staff about the rules of conduct during the visit (issue 18)."""


class EscalationAction(LabelledEnum):
    """What the office did on the ladder (seed 000), logged with its outcome."""

    CALLED_STAFF = ("called_staff", "Called the staff member")
    INFORMED_SUPERVISOR = ("informed_supervisor", "Informed the supervisor / senior")
    CALLED_EMERGENCY_CONTACT = ("called_emergency_contact", "Called the emergency contact")
    INFORMED_POLICE = ("informed_police", "Informed the police")
    INFORMED_HEADTEACHER = ("informed_headteacher", "Informed the headteacher")


class ActionOutcome(LabelledEnum):
    """How an escalation action went."""

    NO_ANSWER = ("no_answer", "No answer")
    SAFE = ("safe", "Reached: safe")
    REACHED = ("reached", "Reached")
    LEFT_MESSAGE = ("left_message", "Left a message")
    INFORMED = ("informed", "Informed")
    # Issue 13: a stand-down that was not needed (with a word why in the note).
    NOT_NEEDED = ("not_needed", "Not needed")


class CancellationCause(LabelledEnum):
    """Why a visit was cancelled; safety causes flag the headteacher (003, 004)."""

    PARENT_NOT_PRESENT = ("parent_not_present", "Parent not present after the wait limit")
    ANIMAL_NOT_SECURED = ("animal_not_secured", "Animal not shut away")
    FELT_UNSAFE = ("felt_unsafe", "Staff felt unsafe")
    PARENT_CANCELLED = ("parent_cancelled", "Parent cancelled")
    STAFF_UNAVAILABLE = ("staff_unavailable", "Staff unavailable")
    OTHER = ("other", "Other")

    @property
    def is_safety(self) -> bool:
        return self in (CancellationCause.ANIMAL_NOT_SECURED, CancellationCause.FELT_UNSAFE)


class AuthorisationDecision(LabelledEnum):
    """What the authoriser decided."""

    APPROVED = ("approved", "Approved")
    CHANGES_REQUESTED = ("changes_requested", "Sent back for changes")
    REFUSED = ("refused", "Refused")


def reason_text(reason: VisitReason, other: str | None) -> str:
    """The reason as lists and documents show it: its label, then the words typed to explain
    it ("Other: ...") when there are any."""
    return f"{reason.label}: {other}" if other else reason.label
