"""Logging to a file under the user's log folder: a GUI started from a shortcut has no console.

Log lines name records by id, never by a person's name, address or phone number, and never carry
a key (the engine hides SQL parameters too).
"""

from __future__ import annotations

import contextlib
import faulthandler
import logging
import logging.handlers
import os
from pathlib import Path
from typing import IO

LOG_FILENAME = "hvdesk.log"
CRASH_FILENAME = "hvdesk-crash.log"
_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def setup_logging(log_dir: Path, *, level: int = logging.INFO) -> Path | None:
    """Send hvdesk's log records to a rotating file; returns its path (None if unwritable)."""
    root = logging.getLogger("hvdesk")
    root.setLevel(level)
    for old in list(root.handlers):
        if getattr(old, "_hvdesk", False):
            root.removeHandler(old)
            old.close()
    try:
        log_dir.mkdir(parents=True, exist_ok=True)
        path = log_dir / LOG_FILENAME
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=2_000_000, backupCount=5, encoding="utf-8"
        )
    except OSError:
        return None
    handler.setFormatter(logging.Formatter(_FORMAT))
    handler._hvdesk = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    if os.name == "posix":
        with contextlib.suppress(OSError):
            path.chmod(0o600)  # ids only, but nobody else's business
    _native_crashes_to(path)
    return path


_crash_file: list[IO[str]] = []


def _native_crashes_to(log_path: Path) -> None:
    """A native crash (Qt, SQLCipher) writes its Python stack into the log file, where support
    looks, rather than to a console a GUI start has not got. Its own handle, opened for
    appending; on Windows a file beside the log (an open handle would stop the log rotating)."""
    target = log_path if os.name == "posix" else log_path.with_name(CRASH_FILENAME)
    try:
        stream = target.open("a", encoding="utf-8")
    except OSError:
        return
    faulthandler.enable(file=stream, all_threads=True)
    for old in _crash_file:  # a second setup (tests, a restart) lets the last one go
        with contextlib.suppress(OSError, ValueError):
            old.close()
    _crash_file[:] = [stream]  # faulthandler needs the file kept open
