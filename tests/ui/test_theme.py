"""On a dark system palette (Windows 11 dark mode), hvdesk stays light throughout: inputs are
dark text on white, not dark text on dark grey. Run in a fresh process: the style and palette
are the application's, and the test session's application must keep its own."""

from __future__ import annotations

import os
import subprocess
import sys

from hvdesk.ui.theme import light_palette

CHECK = """
import os
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QLineEdit, QSpinBox, QTimeEdit, QCheckBox
app = QApplication([])
dark = QPalette()
for role, colour in ((QPalette.ColorRole.Window, "#202020"), (QPalette.ColorRole.Base, "#2b2b2b"),
                     (QPalette.ColorRole.Text, "#1b1f24"), (QPalette.ColorRole.Button, "#333333")):
    dark.setColor(role, QColor(colour))
app.setPalette(dark)
from hvdesk.app import _application
_application([])
for kind in (QLineEdit, QSpinBox, QTimeEdit, QCheckBox):
    widget = kind()
    widget.ensurePolished()
    palette = widget.palette()
    print(kind.__name__, palette.color(QPalette.ColorRole.Base).lightness(),
          palette.color(QPalette.ColorRole.Text).lightness(), app.style().metaObject().className())
"""


def test_inputs_stay_dark_on_white_on_a_dark_system() -> None:
    environ = dict(os.environ, HVDESK_LOG_DIR=os.environ.get("HVDESK_LOG_DIR", "/tmp"))
    result = subprocess.run(
        [sys.executable, "-c", CHECK],
        capture_output=True,
        text=True,
        env=environ,
        timeout=120,
        check=True,
    )
    lines = [line.split() for line in result.stdout.strip().splitlines()]
    assert [line[0] for line in lines] == ["QLineEdit", "QSpinBox", "QTimeEdit", "QCheckBox"]
    for _name, base, text, *_style in lines:
        assert int(base) >= 240 and int(text) <= 40


def test_the_palette_is_light_with_readable_disabled_text() -> None:
    from PySide6.QtGui import QPalette

    palette = light_palette()
    assert palette.color(QPalette.ColorRole.Base).lightness() == 255
    assert palette.color(QPalette.ColorRole.Window).lightness() > 240
    assert palette.color(QPalette.ColorRole.Text).lightness() < 40
    disabled = palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
    assert 90 < disabled.lightness() < 160  # greyed, still legible on white
