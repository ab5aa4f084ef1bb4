"""The living demo: a throwaway encrypted database seeded with a believable school."""

from __future__ import annotations

from pathlib import Path

from hvdesk.clock import Clock
from hvdesk.demo.school import DemoSummary, seed_demo
from hvdesk.services.opening import DatabaseOpener, OpenedDatabase


def create_demo_database(
    data_dir: Path, opener: DatabaseOpener, clock: Clock
) -> tuple[OpenedDatabase, DemoSummary]:
    """Create a new database in `data_dir` and fill it with the demo school, relative to now."""
    opened = opener.create(data_dir)
    with opened.database.session() as session:
        summary = seed_demo(session, clock)
    return opened, summary
