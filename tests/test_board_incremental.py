# ruff: noqa: F811  (the demo-school fixtures are imported by name)
"""The board's read keeps what it worked out (issue 14): a quiet read replays no timeline, a
recorded call replays only its own visit, and whatever it keeps, every read says exactly what
a fresh service (a restart) says at the same instant, including as stages change on their
own and when another program writes to the database."""

from __future__ import annotations

import importlib
from datetime import timedelta

import pytest

import hvdesk.services.board as board_module
from hvdesk.domain.escalation import EscalationStage
from hvdesk.services.board import BoardService, BoardSnapshot
from tests.board_school import School, demo_template, school  # noqa: F401

BOARD_WATCHED: tuple[str, ...] = importlib.import_module(
    "hvdesk.db.migrations.versions.0005_board_speed"
).WATCHED

RECEPTION = "k.lewis"


@pytest.fixture
def evaluations(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The visit ids the board service asks the engine to evaluate, in order."""
    seen: list[int] = []
    real = board_module.evaluate

    def counting(plan, timeline, policy, at):  # type: ignore[no-untyped-def]
        seen.append(plan.visit_id)
        return real(plan, timeline, policy, at)

    monkeypatch.setattr(board_module, "evaluate", counting)
    return seen


def _same(kept: BoardSnapshot, fresh: BoardSnapshot) -> None:
    assert kept.read_at == fresh.read_at
    assert kept.end_of_day == fresh.end_of_day
    assert kept.monitoring == fresh.monitoring
    assert [e.visit_id for e in kept.entries] == [e.visit_id for e in fresh.entries]
    for mine, theirs in zip(kept.entries, fresh.entries, strict=True):
        assert mine == theirs, mine.visit_id


def test_a_quiet_read_replays_no_timeline(school: School, evaluations: list[int]) -> None:
    first = school.board.read(include_private=True)
    assert len(evaluations) >= len(first.entries) > 5
    evaluations.clear()
    school.clock.advance(timedelta(seconds=5))
    quiet = school.board.read(include_private=True)
    due = [
        e.visit_id
        for e in first.entries
        if e.state.next_change_at is not None and e.state.next_change_at <= school.clock.now()
    ]
    assert evaluations == due  # only rows whose stage was due to change
    _same(quiet, BoardService(school.database, school.clock).read(include_private=True))
    assert (
        quiet.entries[0].state.remaining == first.entries[0].state.remaining - timedelta(seconds=5)
        or quiet.entries[0].visit_id in due
    )


def test_a_recorded_call_replays_only_its_own_visit(school: School, evaluations: list[int]) -> None:
    school.board.read(include_private=False)
    (visit_id, *_) = school.state("out_on_time")
    school.clock.advance(timedelta(seconds=1))
    school.log.call_received(visit_id, school.user(RECEPTION))
    evaluations.clear()
    after = school.board.read(include_private=False)
    assert visit_id in evaluations
    assert len(evaluations) <= 1 + sum(
        1
        for e in after.entries
        if e.state.evaluated_at == school.clock.now() and e.visit_id != visit_id
    )
    _same(after, BoardService(school.database, school.clock).read(include_private=False))


@pytest.mark.parametrize("include_private", [False, True])
def test_every_kept_read_says_what_a_restart_says_as_time_passes(
    school: School, include_private: bool
) -> None:
    """Forty minutes in 20-second steps (stages step up on their own along the way), with a
    call recorded part-way: each read equals a fresh service's read at the same instant."""
    kept = school.board
    stages_seen: set[EscalationStage] = set()
    (recorded,) = school.state("not_signed_out")[:1]
    for step in range(120):
        school.clock.advance(timedelta(seconds=20))
        if step == 60:
            school.log.sign_out(recorded, school.user(RECEPTION))
        snapshot = kept.read(include_private=include_private)
        fresh = BoardService(school.database, school.clock).read(include_private=include_private)
        _same(snapshot, fresh)
        stages_seen |= {e.state.stage for e in snapshot.entries}
    assert EscalationStage.CALL_STAFF in stages_seen or EscalationStage.DUE_SOON in stages_seen


def test_a_write_by_another_program_is_seen_at_once(school: School) -> None:
    """The change counter is moved by the database itself, so a write that bypasses hvdesk's
    sessions (another tool, a restore) is not missed by a quiet read."""
    before = school.board.read(include_private=False)
    (visit_id,) = school.state("not_signed_out")[:1]
    assert before.entry(visit_id) is not None
    school.clock.advance(timedelta(seconds=1))
    with school.database.engine.begin() as connection:
        connection.exec_driver_sql(
            "UPDATE visits SET status = 'cancelled', cancellation_cause = 'parent_not_present' "
            f"WHERE id = {visit_id}"
        )
    after = school.board.read(include_private=False)
    assert after.entry(visit_id) is None
    _same(after, BoardService(school.database, school.clock).read(include_private=False))


def test_every_table_the_board_reads_moves_the_stamp(school: School) -> None:
    """A later migration that rebuilds a table (SQLite does, for a new foreign key) must not
    drop the stamp's triggers with it: one trigger per change for every watched table."""
    with school.database.engine.connect() as connection:
        names = {
            row[0]
            for row in connection.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type = 'trigger'"
            )
        }
    expected = {
        f"board_stamp_{table}_{change}"
        for table in BOARD_WATCHED
        for change in ("insert", "update", "delete")
    }
    assert expected - names == set()
