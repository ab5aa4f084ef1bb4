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
MACHINE_WIDE_MARKER = "machine-wide"


def default_data_dir() -> Path:
    """The data folder when none is given: $HVDESK_DATA_DIR, else the machine-wide folder when
    the installer chose one database for the PC, else the user's local app data."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override).expanduser()
    if machine_wide_marker().is_file():
        return machine_data_dir()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False, roaming=False))


def machine_config_dir() -> Path:
    """hvdesk's folder for the whole PC: %ProgramData%\\hvdesk on Windows, /etc/hvdesk on
    Linux, /Library/Application Support/hvdesk on macOS."""
    return Path(platformdirs.site_config_dir(APP_NAME, appauthor=False))


def machine_wide_marker() -> Path:
    """Present when the installer chose one database for every account on the PC (a
    reception PC several people sign in to with their own Windows accounts)."""
    return machine_config_dir() / MACHINE_WIDE_MARKER


def machine_data_dir() -> Path:
    """The machine-wide data folder: %ProgramData%\\hvdesk\\data on Windows, readable and
    writable only by the local group the installer creates ("hvdesk users"); each Windows
    account still stores the key once, from the recovery key."""
    if os.name == "nt":
        return machine_config_dir() / "data"
    return Path(platformdirs.site_data_dir(APP_NAME, appauthor=False))


def default_log_dir() -> Path:
    """Where the log file goes (a GUI started from a shortcut has no console to print to)."""
    override = os.environ.get(LOG_DIR_ENV)
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))
