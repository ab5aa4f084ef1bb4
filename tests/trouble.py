"""Real trouble for the tests of what the office is told: another process holding the
database's write lock, and a filesystem of a few hundred kilobytes filled to the last byte.

Not a test module: the helpers are used by the service, command-line and window tests.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

# The second process opens the file with hvdesk's own engine and takes SQLite's write lock
# (BEGIN IMMEDIATE), says so, and keeps it until its stdin closes.
_HOLDER = """
import os, sys
from pathlib import Path
from hvdesk.db.engine import create_encrypted_engine
engine = create_encrypted_engine(Path(sys.argv[1]), bytes.fromhex(os.environ["HVDESK_TEST_KEY"]))
raw = engine.raw_connection()
cursor = raw.cursor()
cursor.execute("BEGIN IMMEDIATE")
cursor.execute("UPDATE settings SET value = value WHERE key = 'no such setting'")
print("holding", flush=True)
sys.stdin.read()
cursor.execute("ROLLBACK")
raw.close()
engine.dispose()
"""


@contextmanager
def holding_the_write_lock(database_file: Path, key: bytes) -> Iterator[None]:
    """While inside, another process holds the database's write lock; it lets go on exit."""
    env = {**os.environ, "HVDESK_TEST_KEY": key.hex()}
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(database_file)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env=env,
        text=True,
    )
    try:
        assert holder.stdout is not None
        ready = holder.stdout.readline().strip()
        assert ready == "holding", f"the second process did not take the lock ({ready!r})"
        yield
    finally:
        if holder.stdin is not None:
            holder.stdin.close()
        holder.wait(timeout=30)
        if holder.stdout is not None:
            holder.stdout.close()


@contextmanager
def tiny_filesystem(mount_point: Path, size: str = "640k") -> Iterator[Path]:
    """A real filesystem of `size` (tmpfs) at `mount_point`; the test is skipped, saying why,
    where mounting is refused (it needs root, as CI and the build machine have)."""
    mount_point.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(mount_point)],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        pytest.skip(f"cannot mount a small filesystem here (needs root): {result.stderr.strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def fill(disk: Path) -> Path:
    """Fill a filesystem to the last byte; the filler is returned, to be removed."""
    filler = disk / "filler"
    with filler.open("ab", buffering=0) as handle:
        for size in (65536, 4096, 512, 1):
            try:
                while True:
                    handle.write(b"\0" * size)
            except OSError:
                continue
    return filler
