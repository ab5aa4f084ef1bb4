"""Where hvdesk keeps its data and logs on this computer.

Data goes to the local (non-roaming) application-data folder: roaming profiles are often
redirected to network shares, where SQLite corrupts. ``HVDESK_DATA_DIR`` or ``--data-dir``
overrides it.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from hvdesk import APP_NAME

DATA_DIR_ENV = "HVDESK_DATA_DIR"
LOG_DIR_ENV = "HVDESK_LOG_DIR"


def default_data_dir() -> Path:
    """The data folder when none is given: $HVDESK_DATA_DIR, else the user's local app data."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False, roaming=False))


def default_log_dir() -> Path:
    """Where the log file goes (a GUI started from a shortcut has no console to print to)."""
    override = os.environ.get(LOG_DIR_ENV)
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))
