"""The record's questions on the rules of conduct (issue 18): who was spoken to (ticked from the
household's adults, with a warning for one without parental responsibility; free text only for
someone not on the record), entering the home, a child found alone and what was done, and each
rule that applied, kept or not with the reason.

The rules shown follow `hvdesk.domain.conduct`: they change as "entered the home" is answered.
The widget only gathers answers; `VisitRecords.write` decides whether they may be saved, and
what it refuses is shown under the question it is about.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from hvdesk.domain.conduct import (
    ConductAnswers,
    ConductRule,
    HowAnswered,
    RuleAnswer,
    derived_kept,
    groups_for_record,
    review_reasons,
    rules_for,
    spoken_to_warnings,
)
from hvdesk.domain.visits import EntryMode
from hvdesk.services.visit_conduct import ConductQuestions
from hvdesk.ui.dialogs.inline_error import InlineError

__all__ = ["ConductSection", "RuleRow", "YesNo"]


_STYLE = """
QGroupBox#conductBox {
    font-weight: bold;
    border: 2px solid #3b5b2e;
    border-radius: 6px;
    background: #f6faf3;
    margin-top: 14px;
    padding: 14px 8px 8px 8px;
}
QGroupBox#conductBox::title { subcontrol-origin: margin; left: 10px; padding: 0 4px; }
QGroupBox#conductBox QLabel, QGroupBox#conductBox QRadioButton,
QGroupBox#conductBox QCheckBox, QGroupBox#conductBox QLineEdit { font-weight: normal; }
QWidget#ruleRow { border-top: 1px solid #c9d6c2; }
"""


class YesNo(QWidget):
    """Two radio buttons, neither ticked until answered."""

    changed = Signal()

    def __init__(self, accessible: str, yes: str = "Yes", no: str = "No") -> None:
        super().__init__()
        self.yes = QRadioButton(yes)
        self.no = QRadioButton(no)
        self.yes.setAccessibleName(f"{accessible}: {yes.replace('&', '')}")
        self.no.setAccessibleName(f"{accessible}: {no.replace('&', '')}")
        group = QButtonGroup(self)
        group.addButton(self.yes)
        group.addButton(self.no)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.yes)
        layout.addWidget(self.no)
        layout.addStretch(1)
        self.yes.toggled.connect(lambda _: self.changed.emit())
        self.no.toggled.connect(lambda _: self.changed.emit())

    def value(self) -> bool | None:
        return True if self.yes.isChecked() else False if self.no.isChecked() else None

    def set_value(self, value: bool | None) -> None:
        if value is True:
            self.yes.setChecked(True)
        elif value is False:
            self.no.setChecked(True)


class RuleRow(QWidget):
    """One rule: its words, kept or not (or what its own question says), and why not."""

    changed = Signal()

    def __init__(self, rule: ConductRule) -> None:
        super().__init__()
        self.rule = rule
        self.words = QLabel(rule.wording)
        self.words.setWordWrap(True)
        self.words.setTextFormat(Qt.TextFormat.PlainText)
        self.kept = YesNo(f"Rule: {rule.wording}", "Kept", "Not kept")
        self.kept.changed.connect(self._refresh)
        self.derived = QLabel()
        self.derived.setObjectName("fieldHint")
        self.reason = QLineEdit()
        self.reason.setAccessibleName(f"Why it was not kept: {rule.wording}")
        self.reason.setPlaceholderText("Why it was not kept")
        self.error = InlineError()
        self.setObjectName("ruleRow")
        self.kept.setMinimumWidth(200)
        self.derived.setMinimumWidth(200)
        layout = QGridLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setHorizontalSpacing(16)
        layout.setVerticalSpacing(3)
        layout.addWidget(self.words, 0, 0)
        answer = self.kept if rule.how_answered is HowAnswered.KEPT_OR_NOT else self.derived
        layout.addWidget(answer, 0, 1, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.reason, 1, 0, 1, 2)
        layout.addWidget(self.error, 2, 0, 1, 2)
        layout.setColumnStretch(0, 1)
        self._derived_value: bool | None = None
        self._refresh()

    def set_derived(self, kept: bool | None) -> None:
        """For a rule answered by its own question: what that question says now."""
        self._derived_value = kept
        self.derived.setText(
            "Answered above: "
            + ("kept" if kept else "not kept, say why" if kept is False else "not answered yet")
        )
        self._refresh()

    def current(self) -> bool | None:
        if self.rule.how_answered is HowAnswered.KEPT_OR_NOT:
            return self.kept.value()
        return self._derived_value

    def answer(self) -> RuleAnswer:
        return RuleAnswer(self.rule.code, self.kept.value(), self.reason.text())

    def _refresh(self) -> None:
        self.reason.setVisible(self.current() is False)
        self.changed.emit()


class ConductSection(QGroupBox):
    """The questions, filled from the saved answers; `answers()` gives them back."""

    def __init__(self, questions: ConductQuestions, parent: QWidget | None = None) -> None:
        super().__init__("In the home: the rules of conduct", parent)
        self.setObjectName("conductBox")
        self.setStyleSheet(_STYLE)
        self.questions = questions
        self.adults = questions.adults_by_id
        self.rows: dict[str, RuleRow] = {}
        self.errors: dict[str, InlineError] = {
            name: InlineError()
            for name in (
                "spoken_to",
                "entered_home",
                "child_found_alone",
                "child_alone_action",
                "entered_for_emergency",
                "conduct",
            )
        }
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)

        # Who was spoken to.
        spoken = QWidget()
        spoken_layout = QVBoxLayout(spoken)
        spoken_layout.setContentsMargins(0, 0, 0, 0)
        spoken_layout.setSpacing(2)
        self.adult_boxes: dict[int, QCheckBox] = {}
        for adult in questions.adults:
            box = QCheckBox(adult.label)
            box.setAccessibleName(f"Spoken to: {adult.label}")
            box.toggled.connect(self._update)
            self.adult_boxes[adult.adult_id] = box
            spoken_layout.addWidget(box)
        if not questions.adults:
            spoken_layout.addWidget(QLabel("No adults are on the pupil's record."))
        other_row = QHBoxLayout()
        other_label = QLabel("Someone &not on the record:")
        self.other = QLineEdit()
        self.other.setAccessibleName("Spoken to: someone not on the pupil's record")
        self.other.setPlaceholderText("Name and who they are, e.g. Sandra Hughes (aunt)")
        other_label.setBuddy(self.other)
        self.other.textChanged.connect(self._update)
        other_row.addWidget(other_label)
        other_row.addWidget(self.other, 1)
        spoken_layout.addLayout(other_row)
        self.nobody = QCheckBox("Nobody was spoken to (no one answered)")
        self.nobody.toggled.connect(self._update)
        spoken_layout.addWidget(self.nobody)
        self.warning = QLabel()
        self.warning.setObjectName("recordNotice")
        self.warning.setWordWrap(True)
        self.warning.hide()
        spoken_layout.addWidget(self.warning)
        spoken_layout.addWidget(self.errors["spoken_to"])
        spoken_label = QLabel("Spoken to:")
        form.addRow(spoken_label, spoken)

        # Entering the home.
        self.entered = YesNo("Entered the home")
        self.entered.changed.connect(self._rebuild_rules)
        form.addRow("Entered the home?", self._with_error(self.entered, "entered_home"))

        # A child found alone.
        self.alone = YesNo("A child found alone")
        self.alone.changed.connect(self._update)
        form.addRow("A child found alone?", self._with_error(self.alone, "child_found_alone"))
        self.alone_action = QPlainTextEdit()
        self.alone_action.setAccessibleName("What was done about the child found alone")
        self.alone_action.setTabChangesFocus(True)
        self.alone_action.setFixedHeight(self.alone_action.fontMetrics().lineSpacing() * 3 + 18)
        self.alone_action.setPlaceholderText(
            "What you did: who you phoned (the DSL, 999), whether you went in and why, who came"
        )
        self.alone_action.textChanged.connect(self._update)
        self.alone_action_row = self._with_error(self.alone_action, "child_alone_action")
        self.alone_action_label = QLabel("What was done:")
        form.addRow(self.alone_action_label, self.alone_action_row)
        self.emergency = YesNo("Entering was necessary to safeguard the child in an emergency")
        self.emergency.changed.connect(self._update)
        self.emergency_row = self._with_error(self.emergency, "entered_for_emergency")
        self.emergency_label = QLabel("Entering was necessary to\nsafeguard the child?")
        form.addRow(self.emergency_label, self.emergency_row)
        incident = QLabel(
            "Saving the record raises a “Child found alone” incident for review, unless the "
            "board already raised one when you phoned it in."
        )
        incident.setObjectName("fieldHint")
        incident.setWordWrap(True)
        self.incident_hint = incident
        form.addRow("", incident)

        self.rules_box = QVBoxLayout()
        self.rules_box.setSpacing(2)
        rules_heading = QLabel(
            "<b>The rules that applied</b> (“kept” also covers one that did not arise)"
        )
        rules_heading.setWordWrap(True)
        self.review = QLabel()
        self.review.setObjectName("recordNotice")
        self.review.setWordWrap(True)
        self.review.setTextFormat(Qt.TextFormat.PlainText)
        outer = QVBoxLayout(self)
        outer.addLayout(form)
        outer.addWidget(rules_heading)
        outer.addLayout(self.rules_box)
        outer.addWidget(self.errors["conduct"])
        outer.addWidget(self.review)
        self._fill(questions.answers)

    @staticmethod
    def _wrap(widget: QWidget, error: InlineError) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(widget)
        layout.addWidget(error)
        return box

    def _with_error(self, widget: QWidget, name: str) -> QWidget:
        return self._wrap(widget, self.errors[name])

    # --- the rules shown ---------------------------------------------------------------------

    def applying(self) -> tuple[ConductRule, ...]:
        """The rules the record asks now, given the answer on entering the home."""
        groups = groups_for_record(
            self.questions.reason, EntryMode(self.questions.entry_mode_value), self.entered.value()
        )
        return rules_for(self.questions.rules, groups)

    def _rebuild_rules(self) -> None:
        wanted = self.applying()
        codes = [r.code for r in wanted]
        for code, row in self.rows.items():
            row.setVisible(code in codes)
        for rule in wanted:
            if rule.code not in self.rows:
                row = RuleRow(rule)
                row.changed.connect(self._update_review)
                self.rows[rule.code] = row
        # Keep the school's order.
        for rule in wanted:
            self.rules_box.removeWidget(self.rows[rule.code])
            self.rules_box.addWidget(self.rows[rule.code])
            self.rows[rule.code].show()
        self._update()

    def _update(self) -> None:
        answers = self.answers()
        self._clear_answered(answers)
        alone = self.alone.value() is True
        for widget in (self.alone_action_label, self.alone_action_row, self.incident_hint):
            widget.setVisible(alone)
        needs_emergency = alone and self.entered.value() is True
        self.emergency_label.setVisible(needs_emergency)
        self.emergency_row.setVisible(needs_emergency)
        warnings = spoken_to_warnings(answers, self.adults, self.questions.pupil)
        self.warning.setText("⚠ " + "\n⚠ ".join(warnings) if warnings else "")
        self.warning.setVisible(bool(warnings))
        for row in self.rows.values():
            if row.rule.how_answered is not HowAnswered.KEPT_OR_NOT:
                row.set_derived(derived_kept(row.rule, answers, self.adults))
        self._update_review()

    def _update_review(self) -> None:
        answers = self.answers()
        kept = []
        for rule in self.applying():
            row = self.rows.get(rule.code)
            value = derived_kept(rule, answers, self.adults)
            if row is not None and value is not None:
                kept.append((rule.wording, value))
        reasons = review_reasons(kept, answers.child_found_alone)
        text = ""
        if reasons:
            text = "This record needs the DSL's review:\n• " + "\n• ".join(reasons)
            questions = self.questions
            if questions.reviewed_at is not None and set(reasons) <= set(questions.review_reasons):
                by = f" by {questions.reviewed_by}" if questions.reviewed_by else ""
                text += f"\nReviewed{by}: {questions.review_note or ''}"
        self.review.setText(text)
        self.review.setVisible(bool(text))

    # --- answers -------------------------------------------------------------------------------

    def answers(self) -> ConductAnswers:
        """The answers as given (rules not shown now are left out)."""
        shown = {r.code for r in self.applying()}
        return ConductAnswers(
            spoken_to_adult_ids=tuple(i for i, box in self.adult_boxes.items() if box.isChecked()),
            spoken_to_other=self.other.text(),
            nobody_spoken_to=self.nobody.isChecked(),
            entered_home=self.entered.value(),
            child_found_alone=self.alone.value(),
            child_alone_action=self.alone_action.toPlainText(),
            entered_for_emergency=self.emergency.value(),
            rule_answers=tuple(row.answer() for code, row in self.rows.items() if code in shown),
        )

    def _fill(self, answers: ConductAnswers | None) -> None:
        if answers is not None:
            for adult_id in answers.spoken_to_adult_ids:
                if adult_id in self.adult_boxes:
                    self.adult_boxes[adult_id].setChecked(True)
            self.other.setText(answers.spoken_to_other or "")
            self.nobody.setChecked(answers.nobody_spoken_to)
            self.entered.set_value(answers.entered_home)
            self.alone.set_value(answers.child_found_alone)
            self.alone_action.setPlainText(answers.child_alone_action or "")
            self.emergency.set_value(answers.entered_for_emergency)
        self._rebuild_rules()
        if answers is not None:
            for given in answers.rule_answers:
                row = self.rows.get(given.code)
                if row is None:
                    continue
                row.kept.set_value(given.kept)
                row.reason.setText(given.reason or "")
        self._update()

    def show_problem(self, name: str, message: str) -> QWidget | None:
        """Show a refusal under its question; returns the widget to focus (None: not ours)."""
        if name.startswith("rule:"):
            row = self.rows.get(name.removeprefix("rule:"))
            if row is None:
                return None
            row.error.show_message(message)
            if row.current() is False:
                return row.reason
            return row.kept.yes if row.rule.how_answered is HowAnswered.KEPT_OR_NOT else row
        label = self.errors.get(name)
        if label is None:
            return None
        label.show_message(message)
        focus: dict[str, QWidget] = {
            "spoken_to": self.other,
            "entered_home": self.entered.yes,
            "child_found_alone": self.alone.yes,
            "child_alone_action": self.alone_action,
            "entered_for_emergency": self.emergency.yes,
            "conduct": self,
        }
        return focus.get(name)

    def _clear_answered(self, answers: ConductAnswers) -> None:
        """A question answered since the refusal loses its message."""
        answered = {
            "spoken_to": bool(
                answers.nobody_spoken_to
                or answers.spoken_to_adult_ids
                or (answers.spoken_to_other or "").strip()
            ),
            "entered_home": answers.entered_home is not None,
            "child_found_alone": answers.child_found_alone is not None,
            "child_alone_action": bool((answers.child_alone_action or "").strip()),
            "entered_for_emergency": answers.entered_for_emergency is not None,
        }
        for name, done in answered.items():
            if done:
                self.errors[name].hide()

    def clear_errors(self) -> None:
        for label in (*self.errors.values(), *(r.error for r in self.rows.values())):
            label.hide()
            label.clear()

    def set_read_only(self) -> None:
        for box in self.adult_boxes.values():
            box.setEnabled(False)
        for widget in (self.other, self.nobody, self.entered, self.alone, self.emergency):
            widget.setEnabled(False)
        self.alone_action.setReadOnly(True)
        for row in self.rows.values():
            row.kept.setEnabled(False)
            row.reason.setReadOnly(True)
