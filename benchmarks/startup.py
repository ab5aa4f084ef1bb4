"""Start-up: process start to the main window's first paint, hvdesk on the demo database vs a
bare PySide6 window with an empty table, measured the same way in one run.

Each run spawns a fresh interpreter and stops the clock when the child prints "first-paint".
Runs alternate between the two so machine noise hits both; medians and their ratio are printed.
Aim (issue 2): hvdesk within 1.5x of the bare window.

    python benchmarks/startup.py [--runs 7] [--platform offscreen|xcb]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def _time_to_first_paint(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    child = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT
    )
    assert child.stdout is not None
    for line in child.stdout:
        if line.startswith("first-paint"):
            elapsed = time.perf_counter() - started
            break
    else:
        _, err = child.communicate()
        raise SystemExit(f"{command[2:]} never painted:\n{err}")
    child.communicate(timeout=60)
    return elapsed


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--platform", default=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="hvdesk-bench-") as tmp:
        env = {
            **os.environ,
            "QT_QPA_PLATFORM": args.platform,
            "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
            "HVDESK_LOG_DIR": str(Path(tmp) / "logs"),
        }
        data_dir = Path(tmp) / "demo"
        recovery_key = _seed_demo(data_dir, env)
        sys.path.insert(0, str(ROOT))
        from hvdesk.db.keys import parse_recovery_key

        env["HVDESK_BENCH_KEY"] = parse_recovery_key(recovery_key).hex()
        env["PYTHON_KEYRING_BACKEND"] = "benchmarks.bench_keyring.BenchKeyring"
        env["HVDESK_EXIT_AFTER_FIRST_PAINT"] = "1"
        bare_cmd = [sys.executable, str(HERE / "_bare_window.py")]
        app_cmd = [sys.executable, "-m", "hvdesk.cli", "--data-dir", str(data_dir)]
        # One unmeasured start of each warms the disk cache.
        _time_to_first_paint(bare_cmd, env)
        _time_to_first_paint(app_cmd, env)
        bare, app = [], []
        for _ in range(args.runs):
            bare.append(_time_to_first_paint(bare_cmd, env))
            app.append(_time_to_first_paint(app_cmd, env))

    bare_ms, app_ms = statistics.median(bare) * 1000, statistics.median(app) * 1000
    print(f"platform: {args.platform}, runs: {args.runs} each, median process start -> first paint")
    print(f"  bare PySide6 window, empty table : {bare_ms:7.0f} ms  (min {min(bare) * 1000:.0f})")
    print(f"  hvdesk main window, demo database: {app_ms:7.0f} ms  (min {min(app) * 1000:.0f})")
    print(f"  ratio hvdesk / bare              : {app_ms / bare_ms:7.2f}x  (aim: 1.5x or less)")


if __name__ == "__main__":
    main()
