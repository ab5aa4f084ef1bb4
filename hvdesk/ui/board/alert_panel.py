"""The alert banner: every prompt across the top of the board, most urgent first.

It scales with the number of prompts: the most urgent unclaimed ones (up to two, as the height
allows) show whole, every other prompt as a one-line row that opens in place, a claimed prompt
folds to its row, and whatever is scrolled out of view is counted ("+4 more alerts"). Which
prompts sound, and what a claim covers, is not the banner's business.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from hvdesk.services.board_alerts import Alert, AlertKey, AlertKind
from hvdesk.ui.board.alert_card import AlertCard
from hvdesk.ui.restyle import set_style_properties

_NOTHING_YET = Alert(AlertKind.END_OF_DAY, 0, "", 0, None, False)
"""What a spare card holds until it is given a prompt."""


class AlertPanel(QFrame):
    """Every prompt, most urgent first, in one column; hidden when nothing needs action.

    It scales with the number of prompts: the first `max_full` that are not claimed show as
    whole cards, every other prompt as a one-line row (a claimed prompt folds to its row), and
    any row can be opened in place. Nothing is out of sight without a count: when some prompts
    are scrolled out of view, "+4 more alerts" says so and brings the next one into view. The
    sound and the claims do not depend on any of this (the page decides them from the alerts).
    """

    requested = Signal(object)  # CardRequest, from any card
    shape_changed = Signal()
    """The height the prompts want changed (one added, gone, opened or folded)."""

    HEADING_SEEN = 24
    """A prompt counts as in view when this much of its top (its heading line) is on screen."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("alertPanel")
        self.summary_label = QLabel()
        self.summary_label.setObjectName("alertSummary")
        self.summary_label.setWordWrap(True)
        self.cards: dict[AlertKey, AlertCard] = {}
        self.max_full = 2
        self._alerts: list[Alert] = []
        self._order: list[AlertKey] = []
        self._chosen: dict[AlertKey, tuple[str, bool]] = {}
        """An Expand or Collapse pressed by the office, for the prompt's level it was pressed
        at: a prompt that steps up shows as the defaults say again."""
        self._shape: object = None
        self._spare: AlertCard | None = None
        """A card built in idle time, ready for the next prompt."""
        QTimer.singleShot(0, self, self._make_spare)

        self.list_host = QWidget()
        self.list_host.setObjectName("alertList")
        self.list_layout = QVBoxLayout(self.list_host)
        self.list_layout.setContentsMargins(0, 0, 0, 0)
        self.list_layout.setSpacing(6)
        self.list_layout.addStretch(1)
        self.scroll_area = QScrollArea()
        self.scroll_area.setObjectName("alertScroll")
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll_area.setWidget(self.list_host)
        self.scroll_area.setAccessibleName("Alerts")
        bar = self.scroll_area.verticalScrollBar()
        bar.valueChanged.connect(self._update_more)
        bar.rangeChanged.connect(self._update_more)
        self.scroll_area.viewport().installEventFilter(self)

        self.more_button = QPushButton()
        self.more_button.setObjectName("alertMoreBelow")
        self.more_button.setToolTip("Scroll the alerts to the next one out of view")
        self.more_button.clicked.connect(self.show_next_hidden)
        self.more_button.hide()
        self.hidden_keys: list[AlertKey] = []

        strip = QHBoxLayout()
        strip.setSpacing(8)
        strip.addWidget(self.summary_label, 1)
        strip.addWidget(self.more_button)
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.layout_.setSpacing(6)
        self.layout_.addLayout(strip)
        self.layout_.addWidget(self.scroll_area, 1)
        self.hide()

    def set_alerts(
        self,
        alerts: list[Alert],
        *,
        private: bool,
        now: datetime,
        names: dict[int, str] | None = None,
    ) -> None:
        # What still needs someone first (most urgent first), then what is being dealt with:
        # the prompts shown whole are at the top, never scrolled out of view by claimed ones.
        alerts = [a for a in alerts if not a.acknowledged] + [a for a in alerts if a.acknowledged]
        order = [a.key for a in alerts]
        for key in list(self.cards):
            if key not in order:
                card = self.cards.pop(key)
                self.list_layout.removeWidget(card)
                card.hide()
                card.deleteLater()
                self._chosen.pop(key, None)
        for alert in alerts:
            found = self.cards.get(alert.key)
            if found is None:
                found = self._new_card(alert)
                self.cards[alert.key] = found
            found.update_alert(alert, private=private, now=now, names=names)
        self._alerts = list(alerts)
        if order != self._order:
            self._order = order
            for key in order:
                self.list_layout.removeWidget(self.cards[key])
            for position, key in enumerate(order):
                self.list_layout.insertWidget(position, self.cards[key])
        unclaimed = sum(1 for a in alerts if a.needs_claim)
        self._update_summary(len(alerts), unclaimed)
        self.setVisible(bool(alerts))
        self._apply_folding()

    def _new_card(self, alert: Alert) -> AlertCard:
        """A card for a new prompt: the one made ready in idle time if there is one (building
        a card is most of the time from a deadline to its alert on screen), and the next one
        made ready once the window is idle again."""
        card, self._spare = self._spare, None
        if card is None:
            card = AlertCard(alert, self.list_host)
        else:
            card.show()  # shown with the panel (the spare was hidden while it waited)
        card.alert = alert
        card.requested.connect(self.requested.emit)
        card.expand_requested.connect(lambda expand, key=alert.key: self.expand(key, expand))
        QTimer.singleShot(0, self, self._make_spare)
        return card

    def _make_spare(self) -> None:
        if self._spare is None:
            spare = AlertCard(_NOTHING_YET, self.list_host)
            spare.hide()
            spare.ensurePolished()
            self._spare = spare

    def _apply_folding(self) -> None:
        """Whole cards for the first `max_full` prompts not yet claimed, one line for the rest,
        unless the office chose otherwise at this level or a card holds a question or an
        error."""
        wanted = [a.key for a in self._alerts if not a.acknowledged][: self.max_full]
        for alert in self._alerts:
            card = self.cards[alert.key]
            chosen = self._chosen.get(alert.key)
            if chosen is not None and chosen[0] != alert.level:
                del self._chosen[alert.key]
                chosen = None
            full = chosen[1] if chosen is not None else alert.key in wanted
            card.set_compact(not (full or card.holds_input))
        self._align_rows()
        # What changes the prompts' heights: which are folded, and what each card shows.
        shape = tuple((key, self.cards[key].compact, self.cards[key].shown) for key in self._order)
        if self.isVisible():
            self.list_layout.activate()
        self._update_more()
        if shape != self._shape:
            self._shape = shape
            self.shape_changed.emit()

    def _align_rows(self) -> None:
        """The one-line rows' stage words and times in columns, so they read as a list."""
        compact = [c for c in self.cards.values() if c.compact]
        for attribute in ("compact_stage", "compact_time"):
            labels: list[QLabel] = [getattr(c, attribute) for c in compact]
            width = max((label.sizeHint().width() for label in labels), default=0)
            for label in labels:
                label.setMinimumWidth(width)

    def set_max_full(self, count: int) -> None:
        """How many prompts may show whole by default (the page says, from its height)."""
        if count != self.max_full:
            self.max_full = count
            self._apply_folding()

    def fit_full_cards(self, room: int, width: int, most: int = 2) -> None:
        """Show up to `most` cards whole by default, fewer if they would not fit in `room`."""
        for count in range(most, 0, -1):
            self.set_max_full(count)
            if self.wanted_height(width) <= room:
                return

    def expand(self, key: AlertKey, expand: bool) -> None:
        """Open a prompt's whole card in place, or fold it to its line (the office's choice
        for this level of the prompt). Opening moves the keyboard into the card."""
        card = self.cards.get(key)
        if card is None:
            return
        if not expand:
            card.close_input()
            card.clear_error()
        self._chosen[key] = (card.alert.level, expand)
        self._apply_folding()  # the keyboard follows (`AlertCard.set_compact`)
        if expand:
            self.scroll_area.ensureWidgetVisible(card, 0, 0)

    def tick(self, now: datetime) -> None:
        """Move the clocks of the cards on screen (the others catch up when scrolled to)."""
        for card in self.cards.values():
            if not card.visibleRegion().isEmpty():
                card.tick(now)

    def card(self, kind: AlertKind, visit_id: int) -> AlertCard | None:
        return self.cards.get((kind, visit_id))

    # -- what is out of view -------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Resize:
            self._update_more()
        return False

    def _in_view(self, card: AlertCard) -> bool:
        top = self.scroll_area.verticalScrollBar().value()
        bottom = top + self.scroll_area.viewport().height()
        seen = min(card.height(), self.HEADING_SEEN)
        return card.y() >= top - 1 and card.y() + seen <= bottom + 1

    def _update_more(self) -> None:
        """Count the prompts out of view, and say so ("+4 more alerts (2 not claimed)")."""
        if not self._alerts or self.scroll_area.viewport().height() <= 0:
            self.hidden_keys = []
            self.more_button.hide()
            return
        by_key = {a.key: a for a in self._alerts}
        self.hidden_keys = [k for k in self._order if not self._in_view(self.cards[k])]
        count = len(self.hidden_keys)
        if not count:
            self.more_button.hide()
            return
        unclaimed = sum(1 for k in self.hidden_keys if by_key[k].needs_claim)
        text = "+1 more alert" if count == 1 else f"+{count} more alerts"
        if unclaimed:
            text += f" ({unclaimed} not claimed)"
        text += ": show ▾"
        if self.more_button.text() != text:
            self.more_button.setText(text)
            self.more_button.setAccessibleName(f"{text[:-2]} the next one")
        set_style_properties(self.more_button, unclaimed=unclaimed > 0)
        self.more_button.show()

    def show_next_hidden(self) -> None:
        """Bring the next prompt out of view into view: the first below the view, or once
        the end is reached, the first above it (so pressing again walks through them all)."""
        if not self.hidden_keys:
            return
        bar = self.scroll_area.verticalScrollBar()
        below = [k for k in self.hidden_keys if self.cards[k].y() >= bar.value()]
        card = self.cards[(below or self.hidden_keys)[0]]
        height = self.scroll_area.viewport().height()
        if card.y() < bar.value():
            bar.setValue(card.y())
        else:
            bar.setValue(min(card.y(), card.y() + card.height() - height))
        target = card.expand_button if card.compact else card.first_control()
        target.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- words and sizes -----------------------------------------------------------------------

    def _update_summary(self, total: int, unclaimed: int) -> None:
        if total == 0:
            text = ""
        else:
            prompts = "1 prompt needs action" if total == 1 else f"{total} prompts need action"
            if unclaimed:
                waiting = "1 is not claimed" if unclaimed == 1 else f"{unclaimed} are not claimed"
                text = f"{prompts}; {waiting}: the alert sound repeats until each is claimed."
            else:
                text = f"{prompts}; every alert is claimed."
        self.summary_label.setText(text)
        set_style_properties(self.summary_label, unclaimed=unclaimed > 0)

    # The sizes below are for a panel `width` wide (the page asks while the window is being
    # resized, before the panel itself has its new width).

    def wanted_height(self, width: int) -> int:
        """The height that shows every prompt whole."""
        heights = self._card_heights(width)
        spacing = self.list_layout.spacing() * max(0, len(heights) - 1)
        return self._above_list(width) + sum(heights) + spacing

    def first_card_height(self, width: int) -> int:
        """The height that shows the most urgent prompt whole (its card, or its line)."""
        heights = self._card_heights(width)
        return self._above_list(width) + heights[0] if heights else 0

    def snapped_height(self, limit: int, width: int) -> int:
        """The tallest height up to `limit` that ends between two prompts rather than across
        one (but never less than the first prompt's, or `limit` if that is less)."""
        bottom = end = self._above_list(width)
        for height in self._card_heights(width):
            if end + height > limit:
                break
            bottom = end + height
            end = bottom + self.list_layout.spacing()
        return max(bottom, min(limit, self.first_card_height(width)))

    def least_height(self, width: int) -> int:
        """The height below which the panel would not show even its first prompt's heading."""
        heights = self._card_heights(width)
        return self._above_list(width) + min(heights[0] if heights else 0, 60)

    def _card_heights(self, width: int) -> list[int]:
        """Each prompt's height as folded now (a card or a line), beside a scroll bar."""
        inner = width - self.scroll_area.verticalScrollBar().sizeHint().width()
        heights = []
        for key in self._order:
            card = self.cards[key]
            height = card.heightForWidth(inner) if card.hasHeightForWidth() else -1
            heights.append(height if height > 0 else card.sizeHint().height())
        return heights

    def _above_list(self, width: int) -> int:
        """The strip's height (the summary, or the "+4 more" button if taller), and the gap."""
        label_width = max(width - self.more_button.sizeHint().width() - 8, 200)
        label = self.summary_label.heightForWidth(label_width)
        return max(label, self.more_button.sizeHint().height()) + self.layout_.spacing()
