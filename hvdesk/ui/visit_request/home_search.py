"""Choosing where the visit goes: type part of a pupil's name, their MIS id or the postcode,
and the matches appear at once; Enter (or a click) picks one. A pupil brings their household;
a household can also be chosen on its own, when the visit is about no one pupil."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QWidget

from hvdesk.services.lookups import HomeChoice, Lookups
from hvdesk.ui.finder_parts import finder_column, search_box

INDEX_ROLE = int(Qt.ItemDataRole.UserRole) + 1
NOTHING_CHOSEN = "Nothing chosen yet: type a name, MIS id or postcode above."


class HomeSearch(QWidget):
    """The search box, its matches, and what is chosen (which stays chosen while the user
    searches again)."""

    chosen_changed = Signal()

    def __init__(self, lookups: Lookups, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lookups = lookups
        self._found: list[HomeChoice] = []
        self._chosen: HomeChoice | None = None
        self.search = search_box(
            "Pupil's name, MIS id or postcode; Enter picks the first",
            "Find the pupil or household",
        )
        self.results = QListWidget()
        self.results.setAccessibleName("Pupils and households found")
        self.results.setMaximumHeight(120)
        self.results.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.chosen_label = QLabel(NOTHING_CHOSEN)
        self.chosen_label.setObjectName("pageSummary")
        self.chosen_label.setWordWrap(True)
        self.chosen_label.setTextFormat(Qt.TextFormat.PlainText)
        finder_column(self, self.search, self.results, self.chosen_label)
        self.search.textChanged.connect(self.show_matches)
        self.search.returnPressed.connect(self.pick_first)
        self.search.installEventFilter(self)
        self.results.itemClicked.connect(self._pick_item)
        self.results.itemActivated.connect(self._pick_item)
        self.show_matches("")

    @property
    def chosen(self) -> HomeChoice | None:
        return self._chosen

    def set_chosen(self, choice: HomeChoice | None) -> None:
        """Show a saved request's choice (or none)."""
        self._chosen = choice
        self.chosen_label.setText(_describe(choice))
        self.chosen_changed.emit()

    def show_matches(self, text: str) -> None:
        self._found = self.lookups.find_homes(text)
        self.results.clear()
        for index, choice in enumerate(self._found):
            item = QListWidgetItem(choice.label)
            item.setData(INDEX_ROLE, index)
            item.setToolTip(choice.label)
            self.results.addItem(item)
        if not self._found and text.strip():
            self.results.addItem(QListWidgetItem("No pupil or household matches that."))

    def found(self) -> list[HomeChoice]:
        """The matches listed now, in order."""
        return list(self._found)

    def pick_first(self) -> None:
        if self._found:
            self.set_chosen(self._found[0])
            self.focusNextChild()

    def _pick_item(self, item: QListWidgetItem) -> None:
        index = item.data(INDEX_ROLE)
        if index is not None:
            self.set_chosen(self._found[int(index)])

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        """Down arrow from the search box walks into the matches."""
        if (
            watched is self.search
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Down
            and self.results.count()
        ):
            self.results.setFocus(Qt.FocusReason.OtherFocusReason)
            self.results.setCurrentRow(0)
            return True
        return super().eventFilter(watched, event)


def _describe(choice: HomeChoice | None) -> str:
    if choice is None:
        return NOTHING_CHOSEN
    if choice.pupil_name is None:
        return f"Chosen: the household at {choice.address} ({choice.area}), no pupil named."
    return f"Chosen: {choice.pupil_name}, at {choice.address} ({choice.area})."
