"""The board's one-line summary under its title: how many are out, how many need action and
how many of those nobody has claimed, and the privacy-mode reminder. Words only, no Qt."""

from __future__ import annotations

from collections.abc import Sequence

from hvdesk.services.board_alerts import Alert, AlertKind


def board_summary(rows: int, out: int, alerts: Sequence[Alert], signed_in: bool) -> str:
    """E.g. "3 visits are out; 2 need action (1 not claimed)."."""
    if not rows:
        return "Everyone is back: no visits are out."
    visits = "1 visit is out" if out == 1 else f"{out} visits are out"
    prompts = [a for a in alerts if a.kind is not AlertKind.END_OF_DAY]
    if not prompts:
        action = "nothing needs action"
    else:
        action = "1 needs action" if len(prompts) == 1 else f"{len(prompts)} need action"
        unclaimed = sum(1 for a in prompts if a.needs_claim)
        if unclaimed:
            action += f" ({unclaimed} not claimed)"
    privacy = "" if signed_in else " Privacy mode: sign in to see addresses and numbers."
    return f"{visits}; {action}.{privacy}"
