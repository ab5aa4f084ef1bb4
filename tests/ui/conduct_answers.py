"""Answering the record's questions on the rules of conduct (issue 18) as a visitor would, by
clicking: used by the record tests that are about something else. Not a test module."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget

from hvdesk.domain.conduct import HowAnswered
from hvdesk.ui.visit_record.conduct_section import ConductSection


def click(widget: QWidget) -> None:
    """Click where a person would: on the box or the start of the label (a check box that
    stretches across the form does not take a click on its empty right-hand side)."""
    QTest.mouseClick(widget, Qt.MouseButton.LeftButton, pos=QPoint(8, widget.height() // 2))


def answer_all_kept(section: ConductSection) -> None:
    """Spoken to: the first adult holding parental responsibility (else nobody); stayed at the
    door; no child alone; every rule asked answered "Kept"."""
    holder = next((a for a in section.questions.adults if a.parental_responsibility), None)
    if holder is not None:
        click(section.adult_boxes[holder.adult_id])
    else:
        click(section.nobody)
    click(section.entered.no)
    click(section.alone.no)
    for rule in section.applying():
        if rule.how_answered is HowAnswered.KEPT_OR_NOT:
            click(section.rows[rule.code].kept.yes)
