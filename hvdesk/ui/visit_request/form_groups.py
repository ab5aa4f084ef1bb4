"""The visit request form's parts: a titled group of labelled rows, and its safety group
(resources, vehicle, safe word, and the out-of-hours responsible contact)."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QFormLayout, QGroupBox, QLabel, QLineEdit, QWidget


def form_group(title: str) -> tuple[QGroupBox, QFormLayout]:
    """A titled group whose fields grow with the dialog and whose labels never wrap."""
    box = QGroupBox(title)
    form = QFormLayout(box)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
    form.setVerticalSpacing(8)
    return box, form


def buddy_label(text: str, buddy: QWidget) -> QLabel:
    """A label whose mnemonic (the letter after &) moves the cursor to `buddy`."""
    label = QLabel(text)
    label.setBuddy(buddy)
    return label


class SafetyGroup(QGroupBox):
    """Safety and arrangements; the responsible contact's rows show only out of hours (the
    form decides when, from the planned times)."""

    def __init__(self) -> None:
        super().__init__("Safety and arrangements")
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        form.setVerticalSpacing(8)
        self.resources = QLineEdit()
        self.resources.setAccessibleName("Resources to take")
        self.resources.setPlaceholderText("e.g. laptop, work pack, ID badges")
        self.vehicle = QComboBox()
        self.vehicle.setEditable(True)
        self.vehicle.setAccessibleName("Vehicle")
        self.vehicle.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        line = self.vehicle.lineEdit()
        if line is not None:
            line.setPlaceholderText("Whose car (colour, make, registration), or on foot")
        self.safe_word = QLineEdit()
        self.safe_word.setAccessibleName("Safe word")
        self.safe_word.setPlaceholderText(
            "Agreed with the office; shown only to the visitors, the DSL and on the police sheet"
        )
        self.contact_name = QLineEdit()
        self.contact_name.setAccessibleName("Responsible contact's name")
        self.contact_phone = QLineEdit()
        self.contact_phone.setAccessibleName("Responsible contact's phone")
        self.contact_phone.setPlaceholderText("UK number, e.g. 07700 900123")
        self.out_of_hours_box = QWidget()
        out_form = QFormLayout(self.out_of_hours_box)
        out_form.setContentsMargins(0, 0, 0, 0)
        hint = QLabel("Out of hours: name who will check on the visitors until they are home safe.")
        hint.setObjectName("formHint")
        hint.setWordWrap(True)
        out_form.addRow(hint)
        out_form.addRow(buddy_label("Responsible &contact:", self.contact_name), self.contact_name)
        out_form.addRow(
            buddy_label("Their &mobile or phone:", self.contact_phone), self.contact_phone
        )
        form.addRow(buddy_label("Res&ources to take:", self.resources), self.resources)
        form.addRow(buddy_label("Ve&hicle:", self.vehicle), self.vehicle)
        form.addRow(buddy_label("Sa&fe word:", self.safe_word), self.safe_word)
        form.addRow(self.out_of_hours_box)
