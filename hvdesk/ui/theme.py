"""Light throughout, whatever the system says.

The style sheet paints hvdesk's own surfaces light with dark text; widgets it does not style
(spin boxes, time fields, check boxes, scroll bars) take their colours from the palette, which on
a Windows 11 in dark mode is dark grey, giving dark text on dark grey. So the application gets
the Fusion style with a light palette of its own, and asks Qt for the light colour scheme where
it can: one consistent look on light and dark systems alike.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

INK = "#1b1f24"
PAPER = "#ffffff"
WINDOW = "#f6f7f9"
MUTED = "#7a8694"
SELECTION = "#cfe0f5"
NAVY = "#10243b"

_COLOURS: dict[QPalette.ColorRole, str] = {
    QPalette.ColorRole.Window: WINDOW,
    QPalette.ColorRole.WindowText: INK,
    QPalette.ColorRole.Base: PAPER,
    QPalette.ColorRole.AlternateBase: "#f2f5f8",
    QPalette.ColorRole.ToolTipBase: PAPER,
    QPalette.ColorRole.ToolTipText: INK,
    QPalette.ColorRole.PlaceholderText: "#5b6672",
    QPalette.ColorRole.Text: INK,
    QPalette.ColorRole.Button: "#eef2f6",
    QPalette.ColorRole.ButtonText: INK,
    QPalette.ColorRole.BrightText: PAPER,
    QPalette.ColorRole.Light: PAPER,
    QPalette.ColorRole.Midlight: "#e1e6ec",
    QPalette.ColorRole.Mid: "#9aa7b5",
    QPalette.ColorRole.Dark: "#6f7d8c",
    QPalette.ColorRole.Shadow: "#3d4753",
    QPalette.ColorRole.Highlight: SELECTION,
    QPalette.ColorRole.HighlightedText: NAVY,
    QPalette.ColorRole.Link: "#1f4f8f",
    QPalette.ColorRole.LinkVisited: "#5b2a86",
}


def light_palette() -> QPalette:
    """hvdesk's palette: the style sheet's colours for everything it does not paint itself."""
    palette = QPalette()
    for role, colour in _COLOURS.items():
        palette.setColor(role, QColor(colour))
    for role in (
        QPalette.ColorRole.Text,
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.ButtonText,
    ):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(MUTED))
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Base, QColor("#eef1f4"))
    return palette


def apply_theme(app: QApplication) -> None:
    """Fusion with the light palette, and the light colour scheme where Qt offers one."""
    style = QStyleFactory.create("Fusion")
    if style is not None:
        app.setStyle(style)
    hints = app.styleHints()
    if hasattr(hints, "setColorScheme"):
        hints.setColorScheme(Qt.ColorScheme.Light)
    app.setPalette(light_palette())
