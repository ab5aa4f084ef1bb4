"""Start-up and memory: process start to the main window's first paint with the board on the
demo school, and the resident memory then, against a bare PySide6 window with a table of the
same rows (the yardstick `_bare_window.py`), measured the same way, by turns.

Each run spawns a fresh interpreter and stops the clock when the child prints "first-paint";
the child's peak resident memory (VmHWM) is read from /proc as it does (Linux).

    python -m benchmarks.startup
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.harness import Figure, figure, interleaved

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def _first_paint(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Milliseconds to the first paint, and the peak resident memory (MiB) by then."""
    started = time.perf_counter()
    child = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT
    )
    assert child.stdout is not None
    for line in child.stdout:
        if line.startswith("first-paint"):
            elapsed = time.perf_counter() - started
            memory = _peak_mib(child.pid)
            break
    else:
        _, err = child.communicate()
        raise SystemExit(f"{command[2:]} never painted (exit {child.returncode}):\n{err}")
    child.communicate(timeout=60)
    return elapsed * 1000, memory


def _peak_mib(pid: int) -> float:
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="ascii")
    except OSError:
        return float("nan")
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _seed_demo(data_dir: Path, env: dict[str, str]) -> str:
    out = subprocess.run(
        [sys.executable, "-m", "hvdesk.cli", "seed-demo", "--data-dir", str(data_dir)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
        cwd=ROOT,
    ).stdout
    lines = out.splitlines()
    marker = next(i for i, line in enumerate(lines) if line.startswith("Recovery key"))
    return lines[marker + 1].strip()


def _board_rows(data_dir: Path, key: bytes) -> int:
    """How many rows the demo's board shows now (the bare window shows as many)."""
    from hvdesk.clock import SystemClock
    from hvdesk.db.database import open_database
    from hvdesk.services.board import BoardService

    database = open_database(data_dir, key, SystemClock())
    try:
        return len(BoardService(database, SystemClock()).read(include_private=False).entries)
    finally:
        database.close()


def figures(quick: bool) -> list[Figure]:
    runs = 5 if quick else 9
    with tempfile.TemporaryDirectory(prefix="hvdesk-bench-") as tmp:
        env = {
            **os.environ,
            "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
            "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
            "HVDESK_LOG_DIR": str(Path(tmp) / "logs"),
        }
        data_dir = Path(tmp) / "demo"
        recovery_key = _seed_demo(data_dir, env)
        from hvdesk.db.keys import parse_recovery_key

        key = parse_recovery_key(recovery_key)
        rows = _board_rows(data_dir, key)
        env["HVDESK_BENCH_KEY"] = key.hex()
        env["PYTHON_KEYRING_BACKEND"] = "benchmarks.bench_keyring.BenchKeyring"
        env["HVDESK_EXIT_AFTER_FIRST_PAINT"] = "1"
        bare_cmd = [sys.executable, str(HERE / "_bare_window.py"), str(rows)]
        app_cmd = [sys.executable, "-m", "hvdesk.cli", "--data-dir", str(data_dir)]
        _first_paint(bare_cmd, env), _first_paint(app_cmd, env)  # warm the disk cache
        app_runs: list[tuple[float, float]] = []
        bare_runs: list[tuple[float, float]] = []

        def app_run() -> float:
            app_runs.append(_first_paint(app_cmd, env))
            return app_runs[-1][0]

        def bare_run() -> float:
            bare_runs.append(_first_paint(bare_cmd, env))
            return bare_runs[-1][0]

        values, floors = interleaved(app_run, bare_run, runs)
    return [
        figure(
            "start-up to a painted board with data",
            "<= 2x",
            values,
            floors,
            floor=f"a bare window with a table of the same {rows} rows",
        ),
        figure(
            "resident memory, board open on the demo",
            "<= 130 MiB",
            [m for _, m in app_runs],
            [m for _, m in bare_runs],
            unit="MiB",
            floor=f"a bare window with a table of the same {rows} rows",
        ),
    ]


if __name__ == "__main__":
    from benchmarks.harness import table

    print(table(figures(quick=False)))
