"""Server mode beside the encrypted file (issue 16): the board read, a recorded call, and how
long a change on one PC takes to reach another PC's board.

The demo school is seeded once into a SQLCipher file and once into a PostgreSQL database (on
the server of `--server`, or `HVDESK_TEST_SERVER`: an administrator URL of a throwaway
cluster). The two are then measured interleaved (file, server, file, server...), `--runs` times
each (at least 5), and min / median / max are printed with the server's ratio to the file (the
floor: the file is what a school has today).

- board read: `BoardService.read(include_private=True)`, the board's every-few-seconds read.
- recorded call: `VisitLog.call_received` on a visit out, a whole audited write.
- cross-PC: a second "PC" (its own engine, in a thread) waits on `LiveUpdates`; the time from
  the first PC's commit to the second hearing of it. On the file this is the poll (there is no
  second PC: `--poll` seconds, as the board's fallback), on the server a NOTIFY.

    python benchmarks/server_mode.py [--runs 7] [--server URL] [--poll 1.0]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from hvdesk.clock import FakeClock
from hvdesk.db.database import Database, create_database
from hvdesk.db.keys import new_database_key
from hvdesk.db.models import UserAccount
from hvdesk.db.server import parse_settings
from hvdesk.db.server_database import open_server_database
from hvdesk.demo.school import seed_demo
from hvdesk.services.board import BoardService
from hvdesk.services.identity import SignedInUser
from hvdesk.services.live_updates import LiveUpdates
from hvdesk.services.visit_log import VisitLog

NOW = datetime(2026, 11, 23, 10, 30, tzinfo=UTC)
DATABASE = "hvdesk_benchmark"


def _user(database: Database, username: str) -> SignedInUser:
    with database.session() as session:
        account = session.scalars(
            sa.select(UserAccount).where(UserAccount.username == username)
        ).one()
        return SignedInUser(
            account.id, account.username, account.display_name, account.role, account.staff_id
        )


def _file_school(folder: Path, clock: FakeClock) -> tuple[Database, list[int]]:
    database = create_database(folder, new_database_key(), clock)
    with database.session() as session:
        summary = seed_demo(session, clock)
    return database, summary.states["out_on_time"]


def _server_school(admin: str, clock: FakeClock) -> tuple[Database, list[int], str]:
    url = make_url(admin).set(drivername="postgresql+psycopg")
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.exec_driver_sql(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        connection.exec_driver_sql(f"CREATE DATABASE {DATABASE}")
    engine.dispose()
    target = url.set(database=DATABASE).render_as_string(hide_password=False)
    database = open_server_database(parse_settings(target), clock, upgrade=True)
    with database.session() as session:
        summary = seed_demo(session, clock)
    return database, summary.states["out_on_time"], target


def _timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return (time.perf_counter() - start) * 1000


def _cross_pc(writer: Database, reader: Database, act: Callable[[], object], poll: float) -> float:
    """Milliseconds from the writer's commit to the reader's feed reporting a change."""
    updates = LiveUpdates(reader)
    updates.wait_for_change(0.01)
    heard: list[float] = []

    def listen() -> None:
        if updates.live:
            updates.wait_for_change(10)
        else:
            while not updates.wait_for_change(poll):
                pass
        heard.append(time.perf_counter())

    listener = threading.Thread(target=listen)
    listener.start()
    time.sleep(0.05)  # the listener is waiting before the change is made
    act()
    committed = time.perf_counter()
    listener.join(timeout=30)
    updates.close()
    return (heard[0] - committed) * 1000 if heard else float("nan")


def _summary(name: str, values: list[float], floor: list[float] | None) -> str:
    med = statistics.median(values)
    ratio = f"  x{med / statistics.median(floor):.2f} of the file" if floor else ""
    return f"  {name:8} min {min(values):8.2f}  median {med:8.2f}  max {max(values):8.2f} ms{ratio}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--server", default=os.environ.get("HVDESK_TEST_SERVER"))
    parser.add_argument("--poll", type=float, default=1.0)
    args = parser.parse_args()
    if not args.server:
        parser.error("give --server (an administrator URL) or set HVDESK_TEST_SERVER")
    runs = max(5, args.runs)
    clock = FakeClock(NOW)
    with tempfile.TemporaryDirectory() as folder:
        file_db, file_out = _file_school(Path(folder) / "data", clock)
        server_db, server_out, server_url = _server_school(args.server, clock)
        file_reader = Database(place=file_db.path, engine=file_db.engine, clock=clock)
        server_reader = open_server_database(parse_settings(server_url), clock)
        pcs = {
            "file": (file_db, file_reader, file_out),
            "server": (server_db, server_reader, server_out),
        }
        results: dict[str, dict[str, list[float]]] = {
            m: {"file": [], "server": []} for m in ("board", "call", "cross")
        }
        for run in range(runs + 1):  # the first round warms up and is not counted
            for name, (db, reader, out) in pcs.items():
                board = BoardService(db, clock)
                log = VisitLog(db, clock)
                by = _user(db, "k.lewis")
                visit = out[run % len(out)]
                board_ms = _timed(lambda b=board: b.read(include_private=True))
                call_ms = _timed(lambda v=visit, lg=log, u=by: lg.call_received(v, u))
                cross_ms = _cross_pc(
                    db, reader, lambda v=visit, lg=log, u=by: lg.call_received(v, u), args.poll
                )
                if run:
                    results["board"][name].append(board_ms)
                    results["call"][name].append(call_ms)
                    results["cross"][name].append(cross_ms)
        for measure, title in (
            ("board", "board read (include_private)"),
            ("call", "recorded call (call_received, audited write)"),
            ("cross", f"cross-PC update (file: poll every {args.poll:g} s; server: NOTIFY)"),
        ):
            print(title)
            print(_summary("file", results[measure]["file"], None))
            print(_summary("server", results[measure]["server"], results[measure]["file"]))
        server_reader.close()
        server_db.close()
        file_db.close()


if __name__ == "__main__":
    main()
