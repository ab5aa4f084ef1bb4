"""Server mode on a real PostgreSQL server (issue 16): the migrations, the command line, two PCs
writing and claiming at once, a change heard on another PC within a second, and one clear
message for each way connecting can fail.

Needs `HVDESK_TEST_SERVER` (a throwaway cluster's administrator URL; `.ci/run` starts one);
skipped, saying so, without it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.engine import make_url

from hvdesk.cli import main
from hvdesk.clock import FakeClock
from hvdesk.db.audit_trail import verify_chain
from hvdesk.db.models import AuditEntry, Base
from hvdesk.db.server import parse_settings
from hvdesk.db.server_database import open_server_database
from hvdesk.errors import (
    DecisionAlreadyMade,
    ServerSignInRefused,
    ServerTlsRefused,
    ServerUnreachable,
)
from hvdesk.services.live_updates import LiveUpdates
from hvdesk.services.visit_log import VisitLog
from tests.board_school import signed_in
from tests.conftest import MONDAY_MORNING
from tests.server_support import (
    Demo,
    admin_url,
    create_server_database,
    drop_server_database,
    run_as_admin,
    settings_for,
)

pytestmark = pytest.mark.server


@pytest.fixture
def empty_server_database() -> Iterator[str]:
    admin_url()  # skips without a server
    name = create_server_database()
    yield name
    drop_server_database(name)


def _not_the_school(obj: Any, name: str | None, kind: str, reflected: bool, other: Any) -> bool:
    """The comparison of models and server schema, leaving out what migration 0011 adds on
    PostgreSQL only: the `school` column, and uniques that start with it."""
    if kind == "column" and name == "school":
        return False
    if kind == "unique_constraint":
        columns = {c.name for c in (obj if reflected else (other or obj)).columns}
        return "school" not in columns
    return True


def _url(name: str) -> str:
    return settings_for(name).url.render_as_string(hide_password=False)


def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv), FakeClock(MONDAY_MORNING))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# --- one set of migrations; db current|upgrade --------------------------------------------


def test_db_upgrade_on_a_server_needs_the_backup_confirmation_then_builds_the_models_schema(
    empty_server_database: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    url = _url(empty_server_database)
    data_dir = tmp_path / "data"
    assert _cli(capsys, "db", "current", "--database-url", url)[1].startswith("empty")
    code, _out, err = _cli(capsys, "db", "upgrade", "--database-url", url)
    assert code == 1 and len(err.strip().splitlines()) == 1
    assert "--i-have-a-backup" in err and "pg_dump" in err
    assert _cli(capsys, "db", "current", "--database-url", url)[1].startswith("empty")

    code, out, _err = _cli(
        capsys,
        "db",
        "upgrade",
        "--i-have-a-backup",
        "--database-url",
        url,
        "--data-dir",
        str(data_dir),
    )
    assert code == 0 and "Upgraded the database from empty" in out
    assert _cli(capsys, "db", "current", "--database-url", url)[1].startswith("0011 (head)")
    assert not data_dir.exists()  # nothing written to a local data folder in server mode

    engine = sa.create_engine(make_url(url))
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"include_object": _not_the_school}
            )
            assert compare_metadata(context, Base.metadata) == []
            # (UPDATE and DELETE: test_audit.py, run on this server by the PostgreSQL pass)
            with pytest.raises(sa.exc.DatabaseError, match="append-only"):
                connection.exec_driver_sql("TRUNCATE audit_entries")
    finally:
        engine.dispose()


def test_seed_demo_board_json_and_audit_verify_work_against_the_url(
    empty_server_database: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    url = _url(empty_server_database)
    data_dir = tmp_path / "data"
    common = ("--database-url", url, "--data-dir", str(data_dir))
    code, out, err = _cli(capsys, "seed-demo", *common)
    assert code == 0, err
    assert "Demo school created on the database server" in out
    code, out, err = _cli(capsys, "board", "--json", *common)
    assert code == 0, err
    board = json.loads(out)
    assert board  # the demo has visits out
    code, out, err = _cli(capsys, "audit", "verify", *common)
    assert code == 0 and "chain is unbroken" in out, err
    code, _out, err = _cli(capsys, "seed-demo", *common)
    assert code == 1 and "already holds an hvdesk database" in err
    for command in (("backup", "--out", str(tmp_path / "b.db")), ("rekey",)):
        code, _out, err = _cli(capsys, *command, *common)
        assert code == 1 and len(err.strip().splitlines()) == 1, err
        assert "server's own tools" in err and "For IT" in err
    assert not data_dir.exists()


# --- writers queue, not fail ---------------------------------------------------------------

_WRITER = """
import sys
from datetime import UTC, datetime
from hvdesk.clock import FakeClock
from hvdesk.db.server import parse_settings
from hvdesk.db.server_database import open_server_database
from hvdesk.services.audit import record_view
from tests.board_school import signed_in

settings = parse_settings(sys.argv[1])
clock = FakeClock(datetime(2026, 11, 23, 10, 30, tzinfo=UTC))
database = open_server_database(settings, clock)
by = signed_in(database, sys.argv[2])
print("ready", flush=True)
sys.stdin.readline()
for n in range(int(sys.argv[3])):
    record_view(database, clock, by, "pupils", 1 + n % 5)
database.close()
print("done", flush=True)
"""


def test_two_pcs_each_recording_500_audited_actions_at_once_lose_none(demo_copy: str) -> None:
    url = _url(demo_copy)
    engine = sa.create_engine(make_url(url))
    try:
        with engine.connect() as connection:
            before = connection.execute(sa.select(sa.func.count()).select_from(AuditEntry)).one()[0]
        pcs = [
            subprocess.Popen(
                [sys.executable, "-c", _WRITER, url, user, "500"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
                cwd=Path(__file__).parent.parent,
                env={**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)},
            )
            for user in ("k.lewis", "s.whitfield")
        ]
        for pc in pcs:
            assert pc.stdout is not None and pc.stdout.readline().strip() == "ready"
        for pc in pcs:  # both start together
            assert pc.stdin is not None
            pc.stdin.write("go\n")
            pc.stdin.flush()
        for pc in pcs:
            out, _ = pc.communicate(timeout=300)
            assert pc.returncode == 0 and "done" in out
        with engine.connect() as connection:
            views = connection.execute(
                sa.select(AuditEntry.username, sa.func.count())
                .where(AuditEntry.id > before, AuditEntry.action == "view")
                .group_by(AuditEntry.username)
            ).all()
            _count, first_break = verify_chain(connection)
        assert dict(views) == {"k.lewis": 500, "s.whitfield": 500}
        assert first_break is None
    finally:
        engine.dispose()


def test_two_pcs_claiming_one_alert_at_once_one_wins_and_the_other_is_told_who(
    demo_on_server: Demo, demo_copy: str
) -> None:
    settings = settings_for(demo_copy)
    visit = demo_on_server.states["overdue_stage3"][0]
    clock = FakeClock(MONDAY_MORNING)
    pcs = [open_server_database(settings, clock) for _ in range(2)]
    start = threading.Barrier(2)
    outcomes: dict[str, object] = {}

    def claim(database_index: int, username: str) -> None:
        database = pcs[database_index]
        by = signed_in(database, username)
        start.wait()
        try:
            outcomes[username] = VisitLog(database, clock).claim(visit, by, seen_claimant=None)
        except DecisionAlreadyMade as exc:
            outcomes[username] = exc

    try:
        threads = [
            threading.Thread(target=claim, args=(0, "k.lewis")),
            threading.Thread(target=claim, args=(1, "s.whitfield")),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    finally:
        for database in pcs:
            database.close()
    refused = [o for o in outcomes.values() if isinstance(o, DecisionAlreadyMade)]
    won = [name for name, o in outcomes.items() if isinstance(o, int)]
    assert len(refused) == 1 and len(won) == 1
    winner = {"k.lewis": "Karen Lewis", "s.whitfield": "Sarah Whitfield"}[won[0]]
    assert winner in refused[0].what and "already dealing" in refused[0].what


# --- a live board across PCs ---------------------------------------------------------------

_LISTENER = """
import sys, time
from datetime import UTC, datetime
from hvdesk.clock import FakeClock
from hvdesk.db.server import parse_settings
from hvdesk.db.server_database import open_server_database
from hvdesk.services.board import BoardService
from hvdesk.services.live_updates import LiveUpdates

clock = FakeClock(datetime(2026, 11, 23, 10, 30, tzinfo=UTC))
database = open_server_database(parse_settings(sys.argv[1]), clock)
updates = LiveUpdates(database)
print("listening" if updates.wait_for_change(0.01) is False and updates.live else "polling",
      flush=True)
changed = updates.wait_for_change(10)
heard = time.time()
board = BoardService(database, clock).read(include_private=False)
claimed = [e.claimed_by for e in board.entries if e.visit_id == int(sys.argv[2])]
print(changed, heard, claimed[0] if claimed else None, flush=True)
updates.close()
database.close()
"""


def test_a_claim_on_one_pc_reaches_another_pcs_board_within_a_second(
    demo_on_server: Demo, demo_copy: str
) -> None:
    settings = settings_for(demo_copy)
    visit = demo_on_server.states["overdue_stage2"][0]
    other_pc = subprocess.Popen(
        [sys.executable, "-c", _LISTENER, _url(demo_copy), str(visit)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)},
    )
    clock = FakeClock(MONDAY_MORNING)
    database = open_server_database(settings, clock)
    try:
        assert other_pc.stdout is not None
        assert other_pc.stdout.readline().strip() == "listening"
        VisitLog(database, clock).claim(visit, signed_in(database, "k.lewis"))
        committed = time.time()
        out, _ = other_pc.communicate(timeout=30)
    finally:
        database.close()
    changed, heard, claimed_by = out.split(maxsplit=2)
    assert changed == "True"
    assert claimed_by.strip() == "Karen Lewis"
    assert float(heard) - committed < 1.0


def test_live_updates_fall_back_to_polling_and_recover_when_the_connection_is_lost(
    demo_copy: str,
) -> None:
    database = open_server_database(settings_for(demo_copy), FakeClock(MONDAY_MORNING))
    updates = LiveUpdates(database)
    try:
        assert updates.wait_for_change(0.01) is False and updates.live
        run_as_admin(
            "postgres",
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            f"WHERE datname = '{demo_copy}' AND pid <> pg_backend_pid()",
        )
        assert updates.wait_for_change(0.2) is False  # no crash; the stale warning covers it
        assert updates.wait_for_change(0.2) is False
        assert updates.live  # listening again on a new connection
    finally:
        updates.close()
        database.close()


# --- one clear message for each way connecting fails -----------------------------------------


def _one_line(capsys: pytest.CaptureFixture[str], url: str) -> str:
    code, out, err = _cli(capsys, "board", "--json", "--database-url", url)
    assert code == 1 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "bug" not in err, err
    return lines[0]


def test_an_unreachable_server_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    line = _one_line(capsys, "postgresql+psycopg://hvdesk@127.0.0.1:9/hvdesk")
    assert "not answering" in line
    with pytest.raises(ServerUnreachable):
        open_server_database(
            parse_settings("postgresql+psycopg://hvdesk@127.0.0.1:9/hvdesk"),
            FakeClock(MONDAY_MORNING),
        )


def test_a_wrong_password_says_so_and_changes_nothing(
    empty_server_database: str, capsys: pytest.CaptureFixture[str], memory_keyring: object
) -> None:
    run_as_admin(
        empty_server_database,
        "DROP ROLE IF EXISTS hvdesk_pw_test",
        "CREATE ROLE hvdesk_pw_test LOGIN PASSWORD 'the right one'",
    )
    admin = make_url(admin_url())
    port = admin.query.get("port") or admin.port or 5432
    url = f"postgresql+psycopg://hvdesk_pw_test@127.0.0.1:{port}/{empty_server_database}"
    settings = parse_settings(url)
    from hvdesk.db.server import store_password

    store_password(settings, "not the right one")
    line = _one_line(capsys, url)
    assert "refused hvdesk's sign-in" in line
    store_password(settings, "the right one")
    code, _out, err = _cli(capsys, "db", "current", "--database-url", url)
    assert code == 0, err
    assert "the right one" not in err
    run_as_admin(empty_server_database, "DROP ROLE hvdesk_pw_test")
    with pytest.raises(ServerSignInRefused):
        open_server_database(settings, FakeClock(MONDAY_MORNING), password="wrong")


def test_a_server_with_a_newer_schema_is_refused_untouched(
    demo_copy: str, capsys: pytest.CaptureFixture[str]
) -> None:
    run_as_admin(demo_copy, "UPDATE alembic_version SET version_num = '0099'")
    line = _one_line(capsys, _url(demo_copy))
    assert "newer version of hvdesk" in line
    code, _out, err = _cli(
        capsys, "db", "upgrade", "--i-have-a-backup", "--database-url", _url(demo_copy)
    )
    assert code == 1 and "newer version" in err


def test_a_remote_server_without_checked_tls_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    line = _one_line(capsys, "postgresql+psycopg://hvdesk@db.example.org/hvdesk?sslmode=disable")
    assert "TLS" in line
    with pytest.raises(ServerTlsRefused):
        parse_settings("postgresql+psycopg://hvdesk@db.example.org/hvdesk?sslmode=require")
    admin = make_url(admin_url())
    port = admin.query.get("port") or admin.port or 5432
    # A server name that is not this PC, reached at this PC's address: the test server has no
    # TLS, so verify-full (the default) refuses to go on.
    line = _one_line(
        capsys, f"postgresql+psycopg://hvdesk@db.school.test:{port}/hvdesk?hostaddr=127.0.0.1"
    )
    assert "secure (TLS) connection" in line


def test_a_password_in_the_url_or_settings_file_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    line = _one_line(capsys, "postgresql+psycopg://hvdesk:secret@localhost/hvdesk")
    assert "contains a password" in line and "secret" not in line
    settings_file = tmp_path / "server.toml"
    settings_file.write_text('[server]\nurl = "postgresql://hvdesk@localhost/x"\npassword = "s"\n')
    monkeypatch.setenv("HVDESK_CONFIG", str(settings_file))
    code, _out, err = _cli(capsys, "board")
    assert code == 1 and "contains a password" in err


def test_the_settings_file_selects_the_server(
    demo_copy: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    settings_file = tmp_path / "server.toml"
    settings_file.write_text(f'[server]\nurl = "{_url(demo_copy)}"\n', encoding="utf-8")
    monkeypatch.setenv("HVDESK_CONFIG", str(settings_file))
    code, out, err = _cli(capsys, "db", "current")
    assert code == 0 and out.startswith("0011 (head)"), err


# --- moving a school's data ----------------------------------------------------------------


def test_db_copy_moves_a_school_to_an_empty_server_and_back_checked_on_both_sides(
    empty_server_database: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    memory_keyring: object,
) -> None:
    here = tmp_path / "here"
    back = tmp_path / "back"
    url = _url(empty_server_database)
    assert _cli(capsys, "seed-demo", "--data-dir", str(here))[0] == 0
    code, out, err = _cli(capsys, "db", "copy", "--to", url, "--data-dir", str(here))
    assert code == 0, err
    assert "audit trail verifies on both sides" in out
    code, _out, err = _cli(capsys, "db", "copy", "--to", url, "--data-dir", str(here))
    assert code == 1 and "already holds" in err  # never into a database with data
    code, out, err = _cli(capsys, "audit", "verify", "--database-url", url)
    assert code == 0 and "chain is unbroken" in out, err

    # The server carries on: a new action there gets the next id and chains on.
    database = open_server_database(settings_for(empty_server_database), FakeClock(MONDAY_MORNING))
    try:
        from hvdesk.services.audit import record_view

        record_view(
            database, FakeClock(MONDAY_MORNING), signed_in(database, "k.lewis"), "pupils", 1
        )
    finally:
        database.close()

    code, out, err = _cli(capsys, "db", "copy", "--from", url, "--data-dir", str(back))
    assert code == 0, err
    assert "Recovery key" in out
    code, out, err = _cli(capsys, "audit", "verify", "--data-dir", str(back))
    assert code == 0 and "chain is unbroken" in out, err
    code, out, _err = _cli(capsys, "board", "--json", "--data-dir", str(back))
    assert code == 0 and json.loads(out)


# --- the app's rights ------------------------------------------------------------------------


def test_the_app_role_may_work_but_not_change_the_trail_or_the_tables(
    demo_copy: str, capsys: pytest.CaptureFixture[str]
) -> None:
    run_as_admin(
        demo_copy, "DROP ROLE IF EXISTS hvdesk_app_test", "CREATE ROLE hvdesk_app_test LOGIN"
    )
    try:
        code, out, err = _cli(
            capsys, "db", "grant", "hvdesk_app_test", "--database-url", _url(demo_copy)
        )
        assert code == 0 and "not change or delete it" in out, err
        app_url = make_url(_url(demo_copy)).set(username="hvdesk_app_test")
        settings = parse_settings(app_url.render_as_string(hide_password=False))
        clock = FakeClock(MONDAY_MORNING)
        database = open_server_database(settings, clock)
        try:
            from hvdesk.services.audit import record_view

            record_view(database, clock, signed_in(database, "k.lewis"), "pupils", 1)
            with database.engine.connect() as connection:
                for statement in (
                    "UPDATE audit_entries SET username = 'x'",
                    "DELETE FROM audit_entries",
                    "TRUNCATE audit_entries",
                    "CREATE TABLE sneaky (id int)",
                    "UPDATE alembic_version SET version_num = '0001'",
                ):
                    with pytest.raises(Exception, match="may not do this"):
                        connection.exec_driver_sql(statement)
                    connection.rollback()
        finally:
            database.close()
        code, out, err = _cli(capsys, "audit", "verify", "--database-url", _url(demo_copy))
        assert code == 0 and "chain is unbroken" in out, err
    finally:
        run_as_admin(
            demo_copy,
            "DROP OWNED BY hvdesk_app_test",
            "DROP ROLE hvdesk_app_test",
        )


def test_the_board_stamp_trigger_takes_the_chain_lock_first() -> None:
    """Migration 0005 writes the chain lock's number as a literal: it must be the same one."""
    from hvdesk.db.audit_trail import CHAIN_LOCK
    from hvdesk.db.migrations.versions import __name__ as versions

    module = __import__(f"{versions}.0005_board_speed", fromlist=["_BUMP_POSTGRESQL"])
    assert f"pg_advisory_xact_lock({CHAIN_LOCK})" in module._BUMP_POSTGRESQL


# --- a trust on one server: row-level security ---------------------------------------------


def test_a_pc_set_for_one_school_sees_none_of_anothers_rows_even_by_raw_sql(
    demo_copy: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """The demo school is the server's "default" school; a second school joins the same
    database. Both PCs use the app's login role (the owner and superusers are not filtered)."""
    run_as_admin(
        demo_copy, "DROP ROLE IF EXISTS hvdesk_rls_test", "CREATE ROLE hvdesk_rls_test LOGIN"
    )
    app_url = make_url(_url(demo_copy)).set(username="hvdesk_rls_test")
    text = app_url.render_as_string(hide_password=False)
    clock = FakeClock(MONDAY_MORNING)
    try:
        assert (
            _cli(capsys, "db", "grant", "hvdesk_rls_test", "--database-url", _url(demo_copy))[0]
            == 0
        )
        school_b = open_server_database(parse_settings(text, school="st-bede"), clock)
        school_a = open_server_database(parse_settings(text), clock)  # no school: "default"
        try:
            from hvdesk.services.accounts import Accounts

            b_accounts = Accounts(school_b, clock)
            assert b_accounts.needs_first_administrator()  # B sees none of A's accounts
            b_accounts.create_first_administrator("p.stanton", "Paul Stanton", "a long password!")
            with school_b.engine.connect() as b, school_a.engine.connect() as a:
                count = "SELECT count(*) FROM {}"
                for table in ("households", "pupils", "visits", "visit_events", "staff"):
                    assert b.exec_driver_sql(count.format(table)).scalar() == 0, table
                    assert a.exec_driver_sql(count.format(table)).scalar() > 0, table
                assert (
                    b.exec_driver_sql(
                        "SELECT count(*) FROM audit_entries WHERE school = 'default'"
                    ).scalar()
                    == 0
                )
                assert b.exec_driver_sql("SELECT username FROM user_accounts").scalars().all() == [
                    "p.stanton"
                ]  # the same username as in school A: unique per school
                assert (
                    a.exec_driver_sql(
                        "SELECT count(*) FROM user_accounts WHERE school = 'st-bede'"
                    ).scalar()
                    == 0
                )
                with pytest.raises(Exception, match="may not do this"):
                    b.exec_driver_sql(
                        "INSERT INTO settings (key, value, updated_at, school) "
                        "VALUES ('x', '\"y\"', now(), 'default')"
                    )
                b.rollback()
                _n, b_break = verify_chain(b)  # B's own chain, from its own beginning
                _n, a_break = verify_chain(a)
                assert b_break is None and a_break is None
        finally:
            school_a.close()
            school_b.close()
    finally:
        run_as_admin(demo_copy, "DROP OWNED BY hvdesk_rls_test", "DROP ROLE hvdesk_rls_test")
