"""Importing pupils and families from the MIS's CSV export (or its Common Transfer File, which
needs no mapping: its structure is the DfE's), in three steps on one screen:
choose the file; check the column mapping (suggested from the header names) against a preview of
the first rows; Check, which lists every bad row by its line number, or says what the import
would do. Import is possible only after a clean Check of the same mapping, and is all or
nothing: the service refuses the whole file if any row is bad."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QPushButton,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from hvdesk.domain.mis_import import MisField
from hvdesk.errors import HvdeskError
from hvdesk.services.identity import SignedInUser
from hvdesk.services.mis_import import ImportFile, ImportRefused, ImportSummary, MisImport

PREVIEW_ROWS = 5
NOT_IN_FILE = "(not in the file)"
FIELD, COLUMN, SAMPLE = range(3)


class ImportDialog(QDialog):
    """The MIS import. `summary` holds what was imported once Import has succeeded."""

    def __init__(
        self, importer: MisImport, user: SignedInUser, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("importDialog")
        self.setWindowTitle("Import pupils from the MIS")
        self.resize(1040, 780)
        self.importer = importer
        self.user = user
        self.file: ImportFile | None = None
        self.summary: ImportSummary | None = None
        self._checked_mapping: dict[MisField, int] | None = None

        heading = QLabel("Import pupils and families from the MIS")
        heading.setObjectName("dialogTitle")
        intro = QLabel(
            "Export the pupils from the MIS as a CSV file, or choose its Common Transfer File "
            "(CTF). Pupils are matched by their MIS ID "
            "and updated; new ones are added; pupils not in the file are left as they are. "
            "If any row is wrong, nothing is imported."
        )
        intro.setWordWrap(True)
        self.file_label = QLabel("No file chosen yet.")
        self.file_label.setObjectName("pageSummary")
        self.file_label.setWordWrap(True)
        self.choose_button = QPushButton("&Choose file…")
        self.choose_button.clicked.connect(self.choose_file)
        file_row = QHBoxLayout()
        file_row.addWidget(self.choose_button)
        file_row.addWidget(self.file_label, 1)

        mapping_box = self.mapping_box = QGroupBox("Which column holds what (* needed)")
        self.mapping = QTableWidget(len(MisField), 3)
        self.mapping.setAccessibleName("Column mapping")
        self.mapping.setHorizontalHeaderLabels(["hvdesk field", "Column in the file", "First row"])
        self.mapping.verticalHeader().hide()
        self.mapping.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.mapping.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        header = self.mapping.horizontalHeader()
        header.setSectionResizeMode(FIELD, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COLUMN, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(COLUMN, 260)
        header.setSectionResizeMode(SAMPLE, QHeaderView.ResizeMode.Stretch)
        self.boxes: dict[MisField, QComboBox] = {}
        for row, field in enumerate(MisField):
            label = f"{field.label} *" if field.required else field.label
            self.mapping.setItem(row, FIELD, QTableWidgetItem(label))
            box = QComboBox()
            box.setAccessibleName(f"Column for {field.label}")
            box.currentIndexChanged.connect(self._mapping_changed)
            self.mapping.setCellWidget(row, COLUMN, box)
            self.boxes[field] = box
            self.mapping.setItem(row, SAMPLE, QTableWidgetItem(""))
        self.mapping.verticalHeader().setDefaultSectionSize(36)
        self.mapping.setMinimumHeight(200)
        QVBoxLayout(mapping_box).addWidget(self.mapping)

        preview_box = self.preview_box = QGroupBox(f"The first {PREVIEW_ROWS} rows of the file")
        self.preview = QTableWidget(0, 0)
        self.preview.setAccessibleName("Preview of the file")
        self.preview.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.preview.setMinimumHeight(150)
        self.preview.setMaximumHeight(200)
        QVBoxLayout(preview_box).addWidget(self.preview)

        self.result_label = QLabel()
        self.result_label.setWordWrap(True)
        self.result_label.setMinimumHeight(38)
        self.result_label.hide()
        self.problem_list = QListWidget()
        self.problem_list.setAccessibleName("Rows with problems")
        self.problem_list.setMinimumHeight(90)
        self.problem_list.setMaximumHeight(160)
        self.problem_list.hide()

        self.check_button = QPushButton("Chec&k")
        self.import_button = QPushButton("&Import")
        self.close_button = QPushButton("Close")
        self.check_button.clicked.connect(self.check)
        self.import_button.clicked.connect(self.run_import)
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.check_button, self.import_button, self.close_button):
            button.setAutoDefault(False)
            buttons.addWidget(button)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(intro)
        layout.addLayout(file_row)
        layout.addWidget(mapping_box, 3)
        layout.addWidget(preview_box, 1)
        layout.addWidget(self.result_label)
        layout.addWidget(self.problem_list)
        # Takes the mapping's room when a CTF (which has none) is loaded.
        self.ctf_room = QWidget()
        self.ctf_room.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        self.ctf_room.hide()
        layout.addWidget(self.ctf_room, 4)
        layout.addLayout(buttons)
        self._update_buttons()

    # -- the file ------------------------------------------------------------------------------

    def choose_file(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self,
            "Choose the MIS export",
            "",
            "MIS exports (*.csv *.txt *.xml);;CSV files (*.csv *.txt);;"
            "Common Transfer Files (*.xml);;All files (*)",
        )
        if path:
            self.load_file(Path(path))

    def load_file(self, path: Path) -> None:
        """Read the file, fill the mapping with the suggestion and show the preview."""
        try:
            loaded = self.importer.read(path)
        except HvdeskError as error:
            self.file = None
            self.file_label.setText(str(error))
            self._show_result("", [])
            self._update_buttons()
            return
        self.file = loaded
        table = loaded.table
        is_ctf = loaded.ctf is not None
        self.mapping_box.setVisible(not is_ctf)
        self.preview_box.setVisible(not is_ctf)
        self.ctf_room.setVisible(is_ctf)
        if loaded.ctf is not None:
            school = loaded.ctf.source_school or "the school that sent it"
            self.file_label.setText(
                f"{path.name}: a Common Transfer File from {school}. No column mapping is "
                "needed: press Check."
            )
            self._checked_mapping = None
            self._show_result("", [])
            self._update_buttons()
            return
        self.file_label.setText(
            f"{path.name}: {len(table.rows)} row(s), {len(table.headers)} columns "
            f"({table.encoding})."
            + (
                f" Columns mapped as last time (“{loaded.remembered}”)."
                if loaded.remembered
                else ""
            )
        )
        choices = [NOT_IN_FILE, *table.headers]
        for field, box in self.boxes.items():
            box.blockSignals(True)
            box.clear()
            box.addItems(choices)
            column = loaded.suggested.get(field)
            box.setCurrentIndex(0 if column is None else column + 1)
            box.blockSignals(False)
        self._fill_preview()
        self._mapping_changed()

    def _fill_preview(self) -> None:
        assert self.file is not None
        table = self.file.table
        self.preview.clear()
        self.preview.setColumnCount(len(table.headers))
        self.preview.setHorizontalHeaderLabels(list(table.headers))
        rows = table.rows[:PREVIEW_ROWS]
        self.preview.setRowCount(len(rows))
        self.preview.setVerticalHeaderLabels([f"Line {row.line}" for row in rows])
        for r, row in enumerate(rows):
            for c, value in enumerate(row.cells[: len(table.headers)]):
                self.preview.setItem(r, c, QTableWidgetItem(value.replace("\n", " ⏎ ")))
        self.preview.resizeColumnsToContents()

    # -- the mapping ---------------------------------------------------------------------------

    def current_mapping(self) -> dict[MisField, int]:
        return {
            field: box.currentIndex() - 1
            for field, box in self.boxes.items()
            if box.currentIndex() > 0
        }

    def set_column(self, field: MisField, header: str | None) -> None:
        """Choose the column for a field by its header (None: not in the file)."""
        box = self.boxes[field]
        box.setCurrentIndex(0 if header is None else box.findText(header))

    def _mapping_changed(self) -> None:
        first = self.file.table.rows[0].cells if self.file and self.file.table.rows else ()
        for row, field in enumerate(MisField):
            column = self.boxes[field].currentIndex() - 1
            sample = first[column] if 0 <= column < len(first) else ""
            item = self.mapping.item(row, SAMPLE)
            if item is not None:
                item.setText(sample.replace("\n", " ⏎ "))
        if self._checked_mapping is not None and self._checked_mapping != self.current_mapping():
            self._checked_mapping = None
            self._show_result("The mapping changed: check again before importing.", [])
        self._update_buttons()

    # -- checking and importing ----------------------------------------------------------------

    def check(self) -> None:
        if self.file is None:
            return
        mapping = self.current_mapping()
        try:
            summary = self.importer.check(self.file, mapping, self.user)
        except HvdeskError as error:
            self._show_result(str(error), [])
            return
        if summary.ok:
            self._checked_mapping = mapping
            self._show_result(f"Ready to import: {summary.describe()}", [])
        else:
            self._checked_mapping = None
            self._show_result(
                f"{len(summary.problems)} problem(s): correct these rows (or the mapping) and "
                "check again. Nothing will be imported until every row is right.",
                [str(p) for p in summary.problems],
            )
        self._update_buttons()

    def run_import(self) -> None:
        if self.file is None or self._checked_mapping is None:
            return
        try:
            self.summary = self.importer.run(self.file, self._checked_mapping, self.user)
        except ImportRefused as refused:
            self._checked_mapping = None
            self._show_result(refused.what.splitlines()[0], [str(p) for p in refused.problems])
            self._update_buttons()
            return
        except HvdeskError as error:
            self._show_result(str(error), [])
            return
        self._checked_mapping = None
        self._show_result(f"Imported: {self.summary.describe()}", [])
        self.close_button.setText("Done")
        self._update_buttons()

    def _show_result(self, text: str, problems: list[str]) -> None:
        self.result_label.setText(text)
        self.result_label.setObjectName("inlineError" if problems else "pageSummary")
        self.result_label.style().unpolish(self.result_label)
        self.result_label.style().polish(self.result_label)
        self.result_label.setVisible(bool(text))
        self.problem_list.clear()
        self.problem_list.addItems(problems)
        self.problem_list.setVisible(bool(problems))

    @property
    def problems(self) -> list[str]:
        return [self.problem_list.item(i).text() for i in range(self.problem_list.count())]

    def _update_buttons(self) -> None:
        self.check_button.setEnabled(self.file is not None)
        self.import_button.setEnabled(self.file is not None and self._checked_mapping is not None)
