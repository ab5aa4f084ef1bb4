"""How long a request has waited, as the queue and the review both say it."""

from __future__ import annotations

from datetime import timedelta


def waited(duration: timedelta) -> str:
    """In the largest units that matter: 45 min, 3 h 05 min, 2 days 4 h."""
    minutes = max(int(duration.total_seconds() // 60), 0)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return f"{days} day{'s' if days != 1 else ''} {hours} h"
    if hours:
        return f"{hours} h {minutes:02d} min"
    return f"{minutes} min"
