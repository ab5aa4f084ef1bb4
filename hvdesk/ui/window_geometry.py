"""The window's size and place (issue 13): maximised the first time, as the office left it
after that. Kept in a small file next to the database (no personal data; 0600 like every file
hvdesk writes), so each PC's desk opens its own way.
"""

from __future__ import annotations

import base64
import binascii
import logging
import os
from pathlib import Path

from PySide6.QtCore import QByteArray
from PySide6.QtWidgets import QWidget

log = logging.getLogger(__name__)

FILE_NAME = "window-geometry"


def show_as_remembered(window: QWidget, folder: Path) -> None:
    """Show `window` where it was last closed, or maximised when there is no (usable) memory."""
    path = folder / FILE_NAME
    try:
        saved = base64.b64decode(path.read_bytes(), validate=True)
    except (OSError, binascii.Error, ValueError):
        saved = b""
    if saved and window.restoreGeometry(QByteArray(saved)):
        window.show()
        return
    window.showMaximized()


def remember(window: QWidget, folder: Path) -> None:
    """Keep the window's geometry for next time (a failure to write is only logged)."""
    path = folder / FILE_NAME
    data = base64.b64encode(bytes(window.saveGeometry().data()))
    temporary = path.with_name(f".{FILE_NAME}.tmp")
    try:
        if path.exists() and not path.is_file():
            return
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        temporary.replace(path)
    except OSError as exc:
        log.info("Could not keep the window's size and place (%s)", type(exc).__name__)
