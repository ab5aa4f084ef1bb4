"""The board page's widgets and where they sit: the heading line (title, when it was read, the
urgent-departure and drill buttons), the summary with who is monitoring, the red "not updating"
bar, and the prompts above the table (with its quick actions) in a splitter."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from hvdesk.ui.board.alert_panel import AlertPanel
from hvdesk.ui.board.board_model import BoardModel
from hvdesk.ui.board.handover_dialog import MonitoringStrip
from hvdesk.ui.board.height_sharing import HeightSharer
from hvdesk.ui.board.quick_actions import QuickActionBar
from hvdesk.ui.board.table_fitting import TableFitter
from hvdesk.ui.pages.base import make_table


@dataclass
class BoardWidgets:
    """Everything the board page shows."""

    problem_bar: QLabel
    updated_label: QLabel
    urgent_button: QPushButton
    drill_button: QPushButton
    monitoring_strip: MonitoringStrip
    alert_panel: AlertPanel
    table: QTableView
    fitter: TableFitter
    empty_label: QLabel
    quick_bar: QuickActionBar
    splitter: QSplitter
    heights: HeightSharer


def lay_out_board(
    layout: QVBoxLayout, title: QLabel, summary_label: QLabel, model: BoardModel
) -> BoardWidgets:
    """Build the board's widgets into the page's `layout` (which holds its title and summary:
    they share their lines with the board's own actions, so the cards and table keep the
    height)."""
    problem_bar = QLabel()
    problem_bar.setObjectName("boardProblem")
    problem_bar.setWordWrap(True)
    problem_bar.setAccessibleName("Board not updating")
    problem_bar.hide()

    monitoring_strip = MonitoringStrip()
    urgent_button = QPushButton("&Urgent departure…")
    urgent_button.setObjectName("urgentButton")
    urgent_button.setToolTip(
        "Record staff leaving now for an unplanned emergency visit (authorised afterwards)"
    )
    drill_button = QPushButton("Start &drill…")
    drill_button.setToolTip("A practice visit marked DRILL that walks the whole ladder")
    for widget in (title, summary_label):
        layout.removeWidget(widget)
    layout.setContentsMargins(20, 12, 20, 8)  # the board is all the height it gets
    layout.setSpacing(8)
    updated_label = QLabel()
    updated_label.setObjectName("boardUpdated")
    updated_label.setWordWrap(True)
    heading = QHBoxLayout()
    heading.setSpacing(8)
    heading.addWidget(title)
    heading.addSpacing(8)
    heading.addWidget(updated_label, 1)
    heading.addWidget(urgent_button)
    heading.addWidget(drill_button)
    summary = QHBoxLayout()
    summary.setSpacing(12)
    summary.addWidget(summary_label, 1)
    summary.addWidget(monitoring_strip)
    layout.insertLayout(0, heading)
    layout.insertLayout(1, summary)

    alert_panel = AlertPanel()
    table = make_table("Visits on the board", "boardTable")
    table.setModel(model)
    table.setSortingEnabled(False)
    table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    header = table.horizontalHeader()
    header.setStretchLastSection(False)
    header.setResizeContentsPrecision(60)  # measure the first rows, not hundreds
    fitter = TableFitter(table, model)

    empty_label = QLabel("No one is out on a visit right now.")
    empty_label.setObjectName("emptyNote")
    empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    empty_label.hide()

    quick_bar = QuickActionBar()
    for action in quick_bar.actions_.values():
        table.addAction(action)

    table_host = QWidget()
    table_layout = QVBoxLayout(table_host)
    table_layout.setContentsMargins(0, 0, 0, 0)
    table_layout.setSpacing(6)
    table_layout.addWidget(table, 1)
    table_layout.addWidget(empty_label)
    table_layout.addWidget(quick_bar)
    splitter = QSplitter(Qt.Orientation.Vertical)
    splitter.setObjectName("boardSplitter")
    splitter.setChildrenCollapsible(False)
    splitter.addWidget(alert_panel)
    splitter.addWidget(table_host)
    splitter.setStretchFactor(0, 0)
    splitter.setStretchFactor(1, 1)
    heights = HeightSharer(splitter, alert_panel, table, empty_label, quick_bar)

    layout.addWidget(problem_bar)
    layout.addWidget(splitter, 1)
    return BoardWidgets(
        problem_bar=problem_bar,
        updated_label=updated_label,
        urgent_button=urgent_button,
        drill_button=drill_button,
        monitoring_strip=monitoring_strip,
        alert_panel=alert_panel,
        table=table,
        fitter=fitter,
        empty_label=empty_label,
        quick_bar=quick_bar,
        splitter=splitter,
        heights=heights,
    )
