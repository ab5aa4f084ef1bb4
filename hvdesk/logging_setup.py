"""Logging to a file under the user's log folder: a GUI started from a shortcut has no console.

Log lines name records by id, never by a person's name, address or phone number, and never carry
a key (the engine hides SQL parameters too).
"""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

LOG_FILENAME = "hvdesk.log"
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
    return path
