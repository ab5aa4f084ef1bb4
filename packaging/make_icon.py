"""Render resources/icons/hvdesk.svg into packaging/hvdesk.ico (16 to 256 px), with Qt's own
SVG renderer and ICO writer. Run when the icon changes: python packaging/make_icon.py"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

HERE = Path(__file__).resolve().parent


def main() -> int:
    app = QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(HERE.parent / "resources" / "icons" / "hvdesk.svg"))
    image = QImage(256, 256, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    ok = image.save(str(HERE / "hvdesk.ico"), "ICO")
    del app
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
