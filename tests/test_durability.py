# ruff: noqa: F811  (the demo-school fixtures are imported by name)
"""Durability under SIGKILL: what the board reported as recorded is on disk, whole.

A child process records board events (calls received, escalation steps) on the demo school as
fast as it can, printing each event's id only after its unit of work has committed. The test
kills it with SIGKILL at random moments, many times (a forked writer per kill, from a parent
that imported everything once), then reopens the database and checks:
SQLite's integrity check is ok, the audit chain is unbroken, and every id the child reported is
there (with its audit entry). Run as a script, this module is that child.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.board_school import School, demo_template, school  # noqa: F401

# In the normal suite on purpose: about 25 kills take a few seconds (one interpreter start).
pytestmark = pytest.mark.timeout(90)

ROOT = Path(__file__).resolve().parents[1]
KILLS = 25
READY = "ready"
DEAD = "dead"
WRITER = "writer "


def _zygote(data_dir: Path, key_hex: str, visits: tuple[int, int]) -> None:
    """Import everything once, then for each line on stdin fork a writer (so each kill costs
    milliseconds, not the second an interpreter takes to start) and wait for it to die."""
    from hvdesk.clock import FakeClock
    from hvdesk.db.database import open_database
    from hvdesk.domain.visits import ActionOutcome, EscalationAction
    from hvdesk.services.visit_log import VisitLog
    from tests.board_school import signed_in
    from tests.conftest import MONDAY_MORNING

    def record_until_killed(offset_s: int) -> None:
        clock = FakeClock(MONDAY_MORNING + timedelta(seconds=offset_s))
        database = open_database(data_dir, bytes.fromhex(key_hex), clock)
        log = VisitLog(database, clock)
        reception = signed_in(database, "k.lewis")
        n = 0
        while True:
            clock.advance(timedelta(seconds=1))
            if n % 2 == 0:
                event_id = log.call_received(visits[0], reception)
            else:
                event_id = log.escalation_action(
                    visits[1], EscalationAction.CALLED_STAFF, ActionOutcome.NO_ANSWER, reception
                )
            print(event_id, flush=True)  # only now is it "recorded" as far as the office knows
            n += 1

    print(READY, flush=True)
    for line in sys.stdin:
        pid = os.fork()
        if pid == 0:
            try:
                record_until_killed(int(line))
            finally:
                os._exit(1)
        print(f"{WRITER}{pid}", flush=True)
        os.waitpid(pid, 0)
        print(DEAD, flush=True)


def _kill_writers(school: School, rng: random.Random) -> list[int]:
    """Start the zygote, have it fork KILLS writers, SIGKILL each at a random moment; the ids
    they reported before dying."""
    visits = f"{school.one('out_on_time')},{school.state('overdue_stage2')[0]}"
    zygote = subprocess.Popen(
        [sys.executable, "-m", "tests.test_durability", str(school.data_dir), school.key.hex()],
        cwd=ROOT,
        env={**os.environ, "HVDESK_DURABILITY_VISITS": visits},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert zygote.stdin is not None and zygote.stdout is not None
    reported: list[int] = []
    try:
        assert zygote.stdout.readline().strip() == READY
        for run in range(KILLS):
            zygote.stdin.write(f"{run * 600}\n")
            zygote.stdin.flush()
            line = zygote.stdout.readline()
            while not line.startswith(WRITER):
                reported.append(int(line))
                line = zygote.stdout.readline()
            writer = int(line[len(WRITER) :])
            # Let it record once (on a loaded machine opening the database can take longer
            # than the random wait), then kill it at a random moment among later writes.
            reported.append(int(zygote.stdout.readline()))
            time.sleep(rng.uniform(0.0, 0.25))
            os.kill(writer, signal.SIGKILL)
            # Lines are whole: each id is one write() of a few bytes to a pipe.
            for line in iter(zygote.stdout.readline, f"{DEAD}\n"):
                reported.append(int(line))
    finally:
        zygote.stdin.close()
        zygote.wait(timeout=30)
        zygote.stdout.close()
    return reported


def test_every_reported_event_survives_sigkill_whole(school: School) -> None:
    school.database.close()
    reported = _kill_writers(school, random.Random(7))
    assert len(reported) >= KILLS  # the writers did record, run after run

    from hvdesk.db.audit_trail import verify_chain
    from hvdesk.db.database import open_database
    from hvdesk.db.models import AuditEntry, VisitEvent

    school.database = open_database(school.data_dir, school.key, school.clock)
    with school.database.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        _count, first_break = verify_chain(connection)
    assert first_break is None
    with school.database.session() as session:
        stored = set(session.scalars(sa.select(VisitEvent.id).where(VisitEvent.id.in_(reported))))
        audited = set(
            session.scalars(
                sa.select(AuditEntry.record_id).where(
                    AuditEntry.record_type == "visit_events",
                    AuditEntry.action == "create",
                    AuditEntry.record_id.in_(reported),
                )
            )
        )
    assert stored == set(reported)
    assert audited == set(reported)


if __name__ == "__main__":
    first, second = (int(v) for v in os.environ["HVDESK_DURABILITY_VISITS"].split(","))
    _zygote(Path(sys.argv[1]), sys.argv[2], (first, second))
