"""Drill mode: a practice visit that walks the whole escalation ladder in a few minutes.

A drill is an ordinary visit row marked ``is_drill`` (so every read-model, sheet and log can say
DRILL, and statistics leave it out). Its stage is worked out by the same engine as a real visit,
only against a compressed copy of the school's policy: `ladder_policy` is the one place where
that compression is decided, and everything that evaluates a visit (the board, the visit log's
checks, the police sheet, the CLI) goes through it.

With the compressed ladder, a drill signed out at T with nobody phoning in goes:
due soon at T, stage 1 (call the staff member) at T+1 min, stage 3 (emergency contact) at
T+3 min and stage 4 (police) at T+4 min; a logged "no answer" moves it to stage 2 at once.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from hvdesk.db.models import Visit
from hvdesk.domain.escalation import VisitState, evaluate
from hvdesk.domain.policy import SchoolPolicy
from hvdesk.services.timeline import timeline, visit_plan

DRILL_VISIT_LENGTH = timedelta(minutes=5)
"""A drill's planned end comes this long after it starts (the check-in, if arrival is logged)."""

DRILL_AREA = "Drill"
DRILL_ADDRESS = "Practice visit (drill): no real address"
DRILL_POSTCODE = "DRILL"
DRILL_PURPOSE = "DRILL: practice of the missed check-in procedure"
DRILL_SAFE_WORD = "DRILL"
DRILL_PREFIX = "DRILL (practice only: do not call real contacts or the police). "


def drill_policy(policy: SchoolPolicy) -> SchoolPolicy:
    """The school's policy with the ladder compressed to minutes, for practice visits.

    Only the ladder's timings change (everything else, the school's name included, is kept):
    arrival grace and "due soon" 1 minute, the emergency contact 2 minutes and the police
    3 minutes after the missed deadline, the home-safe call 2 minutes after leaving, a follow-up
    call 1 minute after contact, and the not-signed-out prompt 1 minute after the start.
    """
    return policy.with_changes(
        due_soon_minutes=1,
        arrival_call_grace_minutes=1,
        not_signed_out_grace_minutes=1,
        emergency_contact_after_minutes=2,
        police_after_minutes=3,
        home_safe_grace_minutes=2,
        follow_up_call_minutes=1,
    )


def ladder_policy(policy: SchoolPolicy, is_drill: bool) -> SchoolPolicy:
    """The policy a visit is evaluated against: the school's, or the drill's compressed one."""
    return drill_policy(policy) if is_drill else policy


def evaluate_visit(visit: Visit, policy: SchoolPolicy, at: datetime) -> VisitState:
    """Where a stored visit stands at `at`, on its own ladder (the drill's for a drill).

    `visit.events` must be loaded; `policy` is the school's (not yet compressed).
    """
    return evaluate(visit_plan(visit), timeline(visit), ladder_policy(policy, visit.is_drill), at)
