"""The yardstick for start-up: a bare PySide6 window showing a table of N rows (argv[1]) with
the board's eight columns of short text.

Prints "first-paint" on stdout when the window first paints, then quits.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QApplication, QMainWindow, QTableView

COLUMNS = ("Staff", "Area", "Purpose", "Departed", "Call due in", "Stage", "Claimed", "Mobile")


class _FirstPaint(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.Paint:
            print("first-paint", flush=True)
            QTimer.singleShot(0, QApplication.quit)
            watched.removeEventFilter(self)
        return False


def main() -> int:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    model = QStandardItemModel(rows, len(COLUMNS))
    model.setHorizontalHeaderLabels(list(COLUMNS))
    for r in range(rows):
        for c, name in enumerate(COLUMNS):
            model.setItem(r, c, QStandardItem(f"{name} of row {r + 1}"))
    table = QTableView()
    table.setModel(model)
    window.setCentralWidget(table)
    window.resize(1280, 800)
    spy = _FirstPaint()
    window.installEventFilter(spy)
    window.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
