"""What Help > About says: the version, where the data and the log are, and the licence."""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from hvdesk import __version__

LICENCE = "Proprietary software; see the licence agreement supplied with hvdesk."


@dataclass(frozen=True)
class AboutInfo:
    """Facts the About box shows; the composition root knows them, the window does not."""

    data_dir: Path
    log_file: Path | None
    version: str = __version__
    licence: str = LICENCE
    demo: bool = False
    throwaway: bool = False  # a demo in a temporary folder, deleted at exit


def about_html(info: AboutInfo) -> str:
    log_file = str(info.log_file) if info.log_file is not None else "not available (cannot write)"
    demo = (
        "<p><b>DEMO:</b> this is a throwaway demonstration database with invented people. "
        f"Demo accounts use the password {html.escape(_demo_password())}.</p>"
        if info.demo
        else ""
    )
    return (
        f"<h2>hvdesk {html.escape(info.version)}</h2>"
        "<p>Plan, authorise and watch school staff home visits: the safeguarding office's desk."
        f"</p>{demo}"
        f"<p><b>Data folder:</b><br>{html.escape(str(info.data_dir))}</p>"
        f"<p><b>Log file:</b><br>{html.escape(log_file)}</p>"
        f"<p>{html.escape(info.licence)}</p>"
    )


def _demo_password() -> str:
    from hvdesk.demo.accounts import DEMO_PASSWORD  # the demo seeder's module: only for the demo

    return DEMO_PASSWORD


class AboutDialog(QMessageBox):
    """Help > About."""

    def __init__(self, info: AboutInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("About hvdesk")
        self.setIcon(QMessageBox.Icon.Information)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setText(about_html(info))
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setStandardButtons(QMessageBox.StandardButton.Ok)
