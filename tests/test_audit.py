# ruff: noqa: F811  (the demo-school fixtures are imported by name)
"""The audit trail: every change recorded in its own transaction, with who, when and what;
explicit entries (sign-in, views, prints); the viewer's permissions; the hash chain, its check
from the command line, and that concurrent writers cannot fork it."""

from __future__ import annotations

import itertools
import json
import threading
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
import sqlalchemy.exc

from hvdesk.cli import main
from hvdesk.clock import FakeClock
from hvdesk.db.audit_trail import GENESIS, entry_hash, verify_chain
from hvdesk.db.database import open_database
from hvdesk.db.keys import format_recovery_key
from hvdesk.db.models import AuditEntry, Household, Pupil, Setting, Visit
from hvdesk.domain.visits import ActionOutcome, EscalationAction
from hvdesk.errors import DatabaseLocked
from hvdesk.services import audit
from hvdesk.services.accounts import Accounts, NotPermitted, SignInRefused
from hvdesk.services.audit import AuditFilter, AuditTrail
from hvdesk.services.documents import DocumentKind, DocumentService, NotYours
from hvdesk.services.opening import DatabaseOpener
from tests.board_school import School, demo_template, school  # noqa: F401

DEMO_PASSWORD = "demo-password"


def _entries(school: School, after: int = 0) -> list[AuditEntry]:
    with school.database.session() as session:
        return list(
            session.scalars(
                sa.select(AuditEntry).where(AuditEntry.id > after).order_by(AuditEntry.id)
            )
        )


def _last_id(school: School) -> int:
    with school.database.session() as session:
        return session.scalar(sa.select(sa.func.max(AuditEntry.id))) or 0


def _details(entry: AuditEntry) -> dict[str, Any]:
    return json.loads(entry.details or "{}")


@pytest.fixture(autouse=True)
def _nobody_signed_in() -> Iterator[None]:
    audit.set_signed_in(None)
    yield
    audit.set_signed_in(None)


# --- what a change records ------------------------------------------------------------------


def test_a_board_event_is_recorded_with_user_clock_time_record_and_fields(school: School) -> None:
    user = school.user("k.lewis")
    school.clock.advance(timedelta(minutes=3))
    before = _last_id(school)
    event_id = school.log.call_received(school.one("out_on_time"), user, 10, "traffic")
    entries = _entries(school, before)
    created = [e for e in entries if e.action == "create" and e.record_type == "visit_events"]
    assert [e.record_id for e in created] == [event_id]
    entry = created[0]
    assert (entry.user_id, entry.username) == (user.user_id, "k.lewis")
    assert entry.at == school.clock.now()
    details = _details(entry)
    assert "note" in details["fields"] and "new_deadline" in details["fields"]
    assert details["values"]["kind"] == "call_received"
    assert details["values"]["visit_id"] == school.one("out_on_time")
    # Free text is named, never kept: it would outlive a retention deletion.
    assert "traffic" not in (entry.details or "")


def test_an_update_keeps_old_and_new_status_but_only_the_name_of_changed_text(
    school: School,
) -> None:
    user = school.user("k.lewis")
    visit_id = school.one("planned")
    before = _last_id(school)
    with audit.writing_as(school.database, user, school.clock) as session:
        visit = session.get(Visit, visit_id)
        assert visit is not None
        old_status = visit.status.value
        visit.purpose = "A purpose that names Amira Okafor"
        visit.out_of_hours = not visit.out_of_hours
    (entry,) = _entries(school, before)
    assert (entry.action, entry.record_type, entry.record_id) == ("update", "visits", visit_id)
    details = _details(entry)
    assert details["fields"] == ["out_of_hours", "purpose"]
    assert "purpose" not in details["values"]
    assert details["values"]["out_of_hours"][1] is not details["values"]["out_of_hours"][0]
    assert "Amira" not in (entry.details or "") and old_status


def test_a_delete_is_recorded_without_the_deleted_content(school: School) -> None:
    user = school.user("p.stanton")
    with audit.writing_as(school.database, user, school.clock) as session:
        setting = Setting(key="audit_test", value={"x": 1}, updated_at=school.clock.now())
        session.add(setting)
    before = _last_id(school)
    with audit.writing_as(school.database, user, school.clock) as session:
        found = session.get(Setting, "audit_test")
        session.delete(found)
    (entry,) = _entries(school, before)
    assert (entry.action, entry.record_type, entry.record_id) == ("delete", "settings", None)
    assert _details(entry)["key"] == {"key": "audit_test"}
    assert entry.username == "p.stanton"


def test_a_rolled_back_change_leaves_no_entry(school: School) -> None:
    before = _last_id(school)
    with (
        pytest.raises(RuntimeError),
        audit.writing_as(school.database, school.user("k.lewis"), school.clock) as session,
    ):
        pupil = session.scalars(sa.select(Pupil).limit(1)).one()
        pupil.year_group = 11
        session.flush()
        raise RuntimeError("the unit of work fails after flushing")
    assert _entries(school, before) == []


def test_a_change_naming_nobody_goes_to_the_signed_in_user_else_system(school: School) -> None:
    before = _last_id(school)
    with school.database.session() as session:
        session.scalars(sa.select(Household).limit(1)).one().area = "Northside"
    audit.set_signed_in(school.user("s.whitfield"))
    with school.database.session() as session:
        session.scalars(sa.select(Household).limit(1)).one().area = "Southside"
    first, second = _entries(school, before)
    assert (first.user_id, first.username) == (None, "system")
    assert second.username == "s.whitfield"
    assert first.at == school.clock.now()  # the database's clock, the one it was opened with


def test_bulk_statements_get_one_summary_entry(school: School) -> None:
    before = _last_id(school)
    with school.database.session() as session:
        session.execute(
            sa.insert(Setting),
            [{"key": f"bulk_{n}", "value": n, "updated_at": school.clock.now()} for n in range(5)],
        )
        session.execute(sa.update(Setting).where(Setting.key.like("bulk_%")).values(value=0))
    created, updated = _entries(school, before)
    assert (created.action, created.record_type, _details(created)) == (
        "bulk_create",
        "settings",
        {"rows": 5},
    )
    assert (updated.action, _details(updated)) == ("bulk_update", {"rows": 5})


# --- explicit entries -----------------------------------------------------------------------


def test_sign_ins_and_failed_sign_ins_are_recorded_but_a_typed_unknown_name_is_not(
    school: School,
) -> None:
    accounts = Accounts(school.database, school.clock)
    before = _last_id(school)
    accounts.sign_in("k.lewis", DEMO_PASSWORD)
    with pytest.raises(SignInRefused):
        accounts.sign_in("k.lewis", "not the password")
    with pytest.raises(SignInRefused):
        accounts.sign_in("Hunter2-typed-in-the-name-box", "x")
    explicit = [e for e in _entries(school, before) if e.action.startswith("sign_in")]
    assert [(e.action, e.username) for e in explicit] == [
        ("sign_in", "k.lewis"),
        ("sign_in_failed", "k.lewis"),
        ("sign_in_failed", None),
    ]
    assert all("Hunter2" not in (e.details or "") for e in _entries(school, before))


def test_views_of_pupils_and_households_are_recorded(school: School) -> None:
    user = school.user("s.whitfield")
    before = _last_id(school)
    audit.record_view(school.database, school.clock, user, "pupils", 7)
    AuditTrail(school.database, school.clock).record_view(user, "households", 3)
    views = _entries(school, before)
    assert [(e.action, e.record_type, e.record_id, e.username) for e in views] == [
        ("view", "pupils", 7, "s.whitfield"),
        ("view", "households", 3, "s.whitfield"),
    ]
    with pytest.raises(ValueError, match="views are recorded"):
        audit.record_view(school.database, school.clock, user, "staff", 1)
    before = _last_id(school)
    with audit.writing_as(school.database, user, school.clock) as session:
        audit.note_view(session, "pupils", 9)  # inside a unit of work the caller holds
    (inside,) = _entries(school, before)
    assert (inside.action, inside.record_id, inside.username) == ("view", 9, "s.whitfield")


def test_printing_and_exporting_a_document_are_recorded(school: School) -> None:
    user = school.user("s.whitfield")
    visit_id = school.one("out_on_time")
    documents = DocumentService(school.database, school.clock)
    before = _last_id(school)
    documents.render(DocumentKind.POLICE_SHEET, visit_id, by=user)
    with pytest.raises(NotYours):  # a record's document is never made for nobody
        documents.render(DocumentKind.VISIT_FORM, visit_id, exported=True)
    documents.render(DocumentKind.VISIT_FORM, visit_id, by=user, exported=True)
    documents.render(DocumentKind.VISIT_FORM, None)  # a blank form names nobody: not recorded
    printed, exported = _entries(school, before)
    assert (printed.action, printed.record_type, printed.record_id, printed.username) == (
        "print",
        "visits",
        visit_id,
        "s.whitfield",
    )
    assert _details(printed) == {"document": "police-sheet"}
    assert (exported.action, exported.username) == ("export", "s.whitfield")


# --- the viewer -----------------------------------------------------------------------------


def test_only_the_dsl_and_administrator_read_the_trail_and_each_look_is_recorded(
    school: School,
) -> None:
    trail = AuditTrail(school.database, school.clock)
    school.log.call_received(school.one("out_on_time"), school.user("k.lewis"))
    before = _last_id(school)
    with pytest.raises(NotPermitted):
        trail.entries(school.user("k.lewis"))
    (refused,) = _entries(school, before)
    assert (refused.action, refused.username, _details(refused)) == (
        "audit_viewed",
        "k.lewis",
        {"refused": True},
    )
    before = _last_id(school)
    rows = trail.entries(school.user("s.whitfield"), AuditFilter(username="K.Lewis "))
    assert rows and all(row.username == "k.lewis" for row in rows)
    assert [row.entry_id for row in rows] == sorted((r.entry_id for r in rows), reverse=True)
    (look,) = _entries(school, before)
    assert (look.action, look.username) == ("audit_viewed", "s.whitfield")
    assert _details(look) == {"username": "k.lewis"}
    assert trail.entries(school.user("p.stanton"), AuditFilter(limit=1))[0].action == (
        "audit_viewed"
    )


def test_the_viewer_filters_by_record_and_by_date(school: School) -> None:
    trail = AuditTrail(school.database, school.clock)
    dsl = school.user("s.whitfield")
    visit_id = school.one("out_on_time")
    school.clock.advance(timedelta(days=2))
    start = school.clock.now()
    school.log.call_received(visit_id, school.user("k.lewis"), 5, "traffic")
    by_record = trail.entries(dsl, AuditFilter(record_type="visits", record_id=visit_id))
    assert by_record and all(
        (r.record_type, r.record_id) == ("visits", visit_id) for r in by_record
    )
    recent = trail.entries(dsl, AuditFilter(start=start, end=start + timedelta(seconds=1)))
    assert {r.record_type for r in recent} >= {"visit_events"}
    assert all(start <= r.at < start + timedelta(seconds=1) for r in recent)
    assert "visits" in trail.record_types()
    event = next(r for r in recent if r.record_type == "visit_events")
    assert "kind: call_received" in event.what_changed


# --- the chain ------------------------------------------------------------------------------


def test_the_chain_starts_at_zeros_and_each_hash_covers_the_one_before(school: School) -> None:
    entries = _entries(school)
    assert entries[0].prev_hash == GENESIS
    for previous, entry in itertools.pairwise(entries):
        assert entry.prev_hash == previous.entry_hash
    last = entries[-1]
    assert last.entry_hash == entry_hash(
        last.prev_hash,
        last.at,
        last.user_id,
        last.username,
        last.action,
        last.record_type,
        last.record_id,
        last.details,
    )
    assert AuditTrail(school.database, school.clock).verify().ok


def test_the_trail_refuses_update_and_delete(school: School) -> None:
    with (
        pytest.raises(sqlalchemy.exc.DatabaseError, match="append-only"),
        school.database.engine.begin() as connection,
    ):
        connection.exec_driver_sql("UPDATE audit_entries SET username = 'x' WHERE id = 1")
    with (
        pytest.raises(sqlalchemy.exc.DatabaseError, match="append-only"),
        school.database.engine.begin() as connection,
    ):
        connection.exec_driver_sql("DELETE FROM audit_entries WHERE id = 1")


def _tamper(school: School, sql: str) -> None:
    """Go around the triggers, as someone with the key and a SQLite shell could."""
    with school.database.engine.begin() as connection:
        connection.exec_driver_sql("DROP TRIGGER audit_entries_no_update")
        connection.exec_driver_sql("DROP TRIGGER audit_entries_no_delete")
        connection.exec_driver_sql(sql)


def _verify_cli(
    school: School, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> tuple[int, str, str]:
    monkeypatch.setenv("HVDESK_RECOVERY_KEY", format_recovery_key(school.key))
    school.database.close()
    code = main(["audit", "verify", "--data-dir", str(school.data_dir)], school.clock)
    out = capsys.readouterr()
    school.database = open_database(school.data_dir, school.key, school.clock)
    return code, out.out, out.err


@pytest.mark.usefixtures("memory_keyring")
@pytest.mark.file_only
def test_verify_passes_on_an_honest_trail(
    school: School, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, _err = _verify_cli(school, capsys, monkeypatch)
    assert code == 0
    assert "unbroken" in out


@pytest.mark.usefixtures("memory_keyring")
@pytest.mark.file_only
@pytest.mark.parametrize(
    ("sql", "broken_at"),
    [
        ("UPDATE audit_entries SET details = '{}' WHERE id = 40", 40),
        ("UPDATE audit_entries SET at = '2020-01-01 00:00:00.000000' WHERE id = 12", 12),
        ("DELETE FROM audit_entries WHERE id = 25", 26),
    ],
    ids=["changed-details", "changed-time", "removed"],
)
def test_verify_names_the_first_broken_entry_and_exits_1(
    school: School,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    sql: str,
    broken_at: int,
) -> None:
    _tamper(school, sql)
    report = AuditTrail(school.database, school.clock).verify()
    assert report.first_break is not None and report.first_break.entry_id == broken_at
    code, _out, err = _verify_cli(school, capsys, monkeypatch)
    assert code == 1
    assert f"broken at entry {broken_at}" in err
    assert err.count("\n") == 1


# --- concurrency ----------------------------------------------------------------------------


def test_concurrent_writers_queue_and_cannot_fork_the_chain(school: School) -> None:
    """Two threads, each on its own pooled connection, record board events as fast as they
    can: every write succeeds (BEGIN IMMEDIATE queues them) and the chain stays one line."""
    before = _last_id(school)
    visits = [school.one("out_on_time"), school.state("overdue_stage2")[0]]
    users = [school.user("k.lewis"), school.user("s.whitfield")]
    failures: list[BaseException] = []
    per_thread = 15

    def writer(index: int) -> None:
        try:
            for _ in range(per_thread):
                if index == 0:
                    school.log.call_received(visits[0], users[0])
                else:
                    school.log.escalation_action(
                        visits[1], EscalationAction.CALLED_STAFF, ActionOutcome.NO_ANSWER, users[1]
                    )
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert failures == []
    created = [
        e
        for e in _entries(school, before)
        if e.action == "create" and e.record_type == "visit_events"
    ]
    # + 1: the first "no answer" on the unclaimed alert also claims it (issue 13).
    assert len(created) == 2 * per_thread + 1
    with school.database.engine.connect() as connection:
        _count, first_break = verify_chain(connection)
        prevs = connection.exec_driver_sql(
            "SELECT prev_hash, count(*) FROM audit_entries GROUP BY prev_hash HAVING count(*) > 1"
        ).all()
    assert first_break is None
    assert prevs == []


@pytest.mark.file_only
def test_an_unmarked_writer_on_a_stale_snapshot_is_refused_rather_than_forking(
    school: School,
) -> None:
    """Without BEGIN IMMEDIATE, SQLite (WAL) refuses the second of two overlapping writers."""
    before = _last_id(school)
    first = school.database.sessions()
    second = school.database.sessions()
    try:
        second.scalars(sa.select(Household).limit(1)).one()  # its snapshot starts here
        first.scalars(sa.select(Household).limit(1)).one().area = "First"
        first.commit()
        second.scalars(sa.select(Household).limit(1)).one().area = "Second"
        with pytest.raises(DatabaseLocked, match="writing"):
            second.commit()
    finally:
        second.rollback()
        second.close()
        first.close()
    assert [e.action for e in _entries(school, before)] == ["update"]
    assert AuditTrail(school.database, school.clock).verify().ok


def test_the_demo_seed_is_in_the_trail_as_system(school: School) -> None:
    entries = _entries(school)
    assert entries and all(e.username == "system" for e in entries)
    actions = {e.action for e in entries}
    assert entries[0].action == "genesis"  # the trail starts with it
    assert (
        {"create", "bulk_create"}
        <= actions
        <= {
            "genesis",
            "create",
            "update",
            "bulk_create",
            "bulk_update",
        }
    )
    assert any(e.record_type == "visit_events" and e.action == "bulk_create" for e in entries)


def test_a_database_being_created_writes_the_trail_at_the_injected_clocks_time(
    opener: DatabaseOpener, data_dir: Path, clock: FakeClock
) -> None:
    """The demo seed runs on the database `create` hands back: its entries carry the clock
    the opener was given, never the machine's own time."""
    from hvdesk.demo.school import seed_demo

    database = opener.create(data_dir).database
    try:
        with database.session() as session:
            seed_demo(session, clock)
        with database.session() as session:
            times = set(session.scalars(sa.select(AuditEntry.at)))
    finally:
        database.close()
    assert times == {clock.now()}


def test_a_fake_clock_time_reaches_an_entry_made_in_a_new_session(
    school: School, clock: FakeClock
) -> None:
    clock.advance(timedelta(hours=5))
    before = _last_id(school)
    audit.record_view(school.database, clock, school.user("s.whitfield"), "pupils", 1)
    (entry,) = _entries(school, before)
    assert entry.at == clock.now()
