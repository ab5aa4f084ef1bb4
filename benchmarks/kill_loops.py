"""Kill loops (issue 12, item 1): `hvdesk rekey`, `hvdesk restore --force` and `hvdesk db
upgrade`, each run as a real process and killed (SIGKILL) at a random instant, hundreds of times.
After every kill the database must open with the key in the credential store, or with a recovery
key the office holds (the one printed when it was made, or a new one the command had printed
before it died), and hold every row it held before. A database that opens with none of them is
a lockout; the target is 0.

    .venv/bin/python -m benchmarks.kill_loops --kills 300            # all three operations
    .venv/bin/python -m benchmarks.kill_loops --kills 20 --only rekey

Each kill lands uniformly between the moment the command starts its work (measured: process
start-up and opening the database) and a little after it normally ends, so the kills cover
every step rather than the interpreter's start-up. Also run with small counts by
tests/test_kill_loops.py (marked slow).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from hvdesk.clock import FakeClock
from hvdesk.db.backup import key_opens
from hvdesk.db.database import create_database, database_path, open_database
from hvdesk.db.engine import create_encrypted_engine, raw_key_literal
from hvdesk.db.keys import KeyStore, format_recovery_key, new_database_key, parse_recovery_key
from hvdesk.db.migrate import upgrade_to_head

ROOT = Path(__file__).resolve().parent.parent
OPERATIONS = ("rekey", "restore", "upgrade")
RECOVERY = re.compile(r"\b([A-Z2-7]{4}(?:-[A-Z2-7]{4}){13})\b")


@dataclass
class Tally:
    """What the kills of one operation found."""

    operation: str
    kills: int = 0  # runs killed while still working
    finished_before_kill: int = 0  # runs that ended before their kill came (also checked)
    lockouts: int = 0
    rows_lost: int = 0
    opened_with: Counter[str] = field(default_factory=Counter)

    def line(self) -> str:
        ways = ", ".join(f"{k}: {v}" for k, v in sorted(self.opened_with.items()))
        return (
            f"{self.operation:8} kills={self.kills} (runs that finished before their kill: "
            f"{self.finished_before_kill}) lockouts={self.lockouts} rows_lost={self.rows_lost} "
            f"opened with {ways}"
        )


@dataclass
class Template:
    folder: Path
    key: bytes
    rows: int
    backup: Path


def _environment(keyring_file: Path, recovery: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env["PYTHON_KEYRING_BACKEND"] = "benchmarks.file_keyring.FileKeyring"
    env["HVDESK_KEYRING_FILE"] = str(keyring_file)
    env["HVDESK_RECOVERY_KEY"] = recovery
    env["HVDESK_LOG_DIR"] = str(keyring_file.parent / "logs")
    return env


def _rows(folder: Path, key: bytes) -> int:
    database = open_database(folder, key, FakeClock(), upgrade=False)
    try:
        with database.engine.connect() as connection:
            names = [
                n
                for (n,) in connection.exec_driver_sql(
                    "SELECT name FROM sqlite_master WHERE type = 'table' "
                    "AND name NOT IN ('alembic_version', 'backup_records', 'audit_entries')"
                )
            ]
            return sum(
                connection.exec_driver_sql(f'SELECT count(*) FROM "{n}"').scalar() or 0
                for n in names
            )
    finally:
        database.close()


def _school(work: Path, *, revision: str | None = None) -> Template:
    """A small school with rows in it (the demo's own seed); at `revision` for the upgrade."""
    from hvdesk.demo.school import seed_demo

    folder = work / "template"
    key = new_database_key()
    clock = FakeClock()
    if revision is None:
        database = create_database(folder, key, clock)
        with database.session() as session:
            seed_demo(session, clock)
        database.close()
    else:
        folder.mkdir(parents=True)
        engine = create_encrypted_engine(database_path(folder), key)
        upgrade_to_head(engine, target=revision)
        with engine.begin() as connection:
            connection.exec_driver_sql(
                "CREATE TABLE IF NOT EXISTS kill_loop_rows (id INTEGER PRIMARY KEY, note TEXT)"
            )
            for number in range(500):
                connection.exec_driver_sql(
                    "INSERT INTO kill_loop_rows (note) VALUES (?)", (f"row {number}",)
                )
        engine.dispose()
    backup = work / "school-backup.db"
    if revision is None:
        database = open_database(folder, key, clock)
        try:
            from hvdesk.db.backup import copy_encrypted

            copy_encrypted(database.engine, backup)
        finally:
            database.close()
    rows = _rows(folder, key) if revision is None else 500
    return Template(folder, key, rows, backup)


def _command(operation: str, folder: Path, template: Template) -> list[str]:
    base = [sys.executable, "-m", "hvdesk.cli"]
    if operation == "rekey":
        return [*base, "rekey", "--data-dir", str(folder)]
    if operation == "restore":
        return [*base, "restore", str(template.backup), "--force", "--data-dir", str(folder)]
    return [*base, "db", "upgrade", "--data-dir", str(folder)]


def _fresh(template: Template, run: Path) -> tuple[Path, Path]:
    if run.exists():
        shutil.rmtree(run)
    folder = run / "data"
    shutil.copytree(template.folder, folder)
    keyring_file = run / "keyring.json"
    env = _environment(keyring_file, format_recovery_key(template.key))
    os.environ["HVDESK_KEYRING_FILE"] = str(keyring_file)
    from benchmarks.file_keyring import FileKeyring

    KeyStore(FileKeyring()).save(database_path(folder), template.key)
    del env
    return folder, keyring_file


def _timings(operation: str, template: Template, work: Path) -> tuple[float, float]:
    """(when the work starts, when it ends) after process start, each the median of 3."""
    starts, ends = [], []
    for _ in range(3):
        folder, keyring_file = _fresh(template, work / "timing")
        env = _environment(keyring_file, format_recovery_key(template.key))
        begin = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "hvdesk.cli", "db", "current", "--data-dir", str(folder)],
            env=env,
            capture_output=True,
            check=True,
        )
        starts.append(time.perf_counter() - begin)
        folder, keyring_file = _fresh(template, work / "timing")
        begin = time.perf_counter()
        subprocess.run(
            _command(operation, folder, template), env=env, capture_output=True, check=True
        )
        ends.append(time.perf_counter() - begin)
    return sorted(starts)[1] * 0.8, sorted(ends)[1] * 1.05


def _opens(folder: Path, keyring_file: Path, held: list[str]) -> tuple[str, bytes] | None:
    """How the database opens now, if it does: the stored key, else a recovery key held."""
    from benchmarks.file_keyring import FileKeyring

    os.environ["HVDESK_KEYRING_FILE"] = str(keyring_file)
    path = database_path(folder)
    if not path.is_file():
        return None
    stored = KeyStore(FileKeyring()).load(path)
    if stored is not None and key_opens(path, raw_key_literal(stored)):
        return "stored key", stored
    for number, recovery in enumerate(held):
        key = parse_recovery_key(recovery)
        if key_opens(path, raw_key_literal(key)):
            return ("old recovery key" if number == 0 else "new recovery key"), key
    return None


def run(operation: str, kills: int, work: Path, seed: int = 12) -> Tally:
    """Kill `operation` `kills` times at random instants; count what opened and what did not."""
    rng = random.Random(seed)
    template = _school(work / operation, revision="0001" if operation == "upgrade" else None)
    start, end = _timings(operation, template, work / operation)
    tally = Tally(operation)
    run_folder = work / operation / "run"
    while tally.kills < kills:
        folder, keyring_file = _fresh(template, run_folder)
        env = _environment(keyring_file, format_recovery_key(template.key))
        out = run_folder / "stdout.txt"
        with out.open("wb") as stdout:
            child = subprocess.Popen(
                _command(operation, folder, template),
                env=env,
                stdout=stdout,
                stderr=subprocess.DEVNULL,
            )
            delay = rng.uniform(start, end)
            try:
                child.wait(timeout=delay)
                tally.finished_before_kill += 1
            except subprocess.TimeoutExpired:
                child.send_signal(signal.SIGKILL)
                child.wait()
                tally.kills += 1
        held = [format_recovery_key(template.key), *RECOVERY.findall(out.read_text())]
        opened = _opens(folder, keyring_file, held)
        if opened is None:
            tally.lockouts += 1
            kept = run_folder.with_name(f"lockout-{tally.kills}-{tally.finished_before_kill}")
            shutil.copytree(run_folder, kept, dirs_exist_ok=True)
            continue
        how, key = opened
        tally.opened_with[how] += 1
        if operation != "upgrade" and _rows(folder, key) != template.rows:
            tally.rows_lost += 1
        if operation == "upgrade":
            retry = subprocess.run(
                _command(operation, folder, template), env=env, capture_output=True, check=False
            )
            if retry.returncode != 0:  # a retry straight after the crash must work
                tally.lockouts += 1
    return tally


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=300)
    parser.add_argument("--only", choices=OPERATIONS, action="append")
    args = parser.parse_args(argv)
    failed = False
    with tempfile.TemporaryDirectory(prefix="hvdesk-kill-loops-") as scratch:
        for operation in args.only or OPERATIONS:
            began = time.perf_counter()
            tally = run(operation, args.kills, Path(scratch))
            print(f"{tally.line()} [{time.perf_counter() - began:.0f} s]", flush=True)
            failed = failed or tally.lockouts > 0 or tally.rows_lost > 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
