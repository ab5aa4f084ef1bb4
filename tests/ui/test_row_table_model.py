"""The shared table model and its search proxy, without any window."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from PySide6.QtCore import QModelIndex, Qt

from hvdesk.ui.formatting import show_date, sort_date
from hvdesk.ui.row_table_model import (
    ROW_ROLE,
    SORT_ROLE,
    Column,
    RowFilterProxyModel,
    RowTableModel,
)


@dataclass(frozen=True)
class Person:
    id: int
    name: str
    born: date
    note: str = ""


COLUMNS = [
    Column("Name", lambda p: p.name),
    Column("Born", lambda p: show_date(p.born), sort_key=lambda p: sort_date(p.born)),
    Column("Note", lambda p: p.note, bold=lambda p: p.note == "urgent", searchable=False),
]

PEOPLE = [
    Person(1, "Amy Smith", date(2016, 3, 4)),
    Person(2, "Łukasz Nowak", date(2015, 1, 23), "urgent"),
    Person(3, "Ben Smithers", date(2017, 2, 3)),
]


@pytest.fixture
def model() -> RowTableModel[Person]:
    m: RowTableModel[Person] = RowTableModel(COLUMNS, key=lambda p: p.id)
    m.set_rows(PEOPLE)
    return m


def test_model_contract(qtmodeltester, model):
    qtmodeltester.check(model, force_py=True)
    empty: RowTableModel[Person] = RowTableModel(COLUMNS)
    qtmodeltester.check(empty, force_py=True)


def test_data_roles(model):
    index = model.index(1, 1)
    assert model.data(index) == "23 Jan 2015"
    assert model.data(index, SORT_ROLE) == date(2015, 1, 23).toordinal()
    assert model.data(index, ROW_ROLE) == PEOPLE[1]
    assert model.data(model.index(1, 2), Qt.ItemDataRole.FontRole).bold()
    assert model.data(model.index(0, 2), Qt.ItemDataRole.FontRole) is None
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Name"
    assert model.headerData(0, Qt.Orientation.Vertical) is None
    assert model.rowCount(model.index(0, 0)) == 0  # a table: no children


def test_same_rows_again_announce_only_what_changed(qtbot, model):
    resets: list[bool] = []
    changes: list[tuple[int, int, int, int]] = []
    model.modelReset.connect(lambda: resets.append(True))
    model.dataChanged.connect(
        lambda tl, br, roles=(): changes.append((tl.row(), tl.column(), br.row(), br.column()))
    )
    model.set_rows(list(PEOPLE))
    assert (resets, changes) == ([], [])
    renamed = [PEOPLE[0], Person(2, "Lukasz Nowak", PEOPLE[1].born), PEOPLE[2]]
    model.set_rows(renamed)
    assert resets == []
    assert changes == [(1, 0, 1, 2)]
    assert model.data(model.index(1, 0)) == "Lukasz Nowak"


def test_different_rows_reset(qtbot, model):
    with qtbot.waitSignal(model.modelReset, timeout=100):
        model.set_rows(PEOPLE[:2])
    assert model.rowCount() == 2
    with qtbot.waitSignal(model.modelReset, timeout=100):
        model.set_rows([])
    assert model.rowCount() == 0


def test_column_changed_is_one_column(qtbot, model):
    with qtbot.waitSignal(model.dataChanged, timeout=100) as blocker:
        model.column_changed(1, 0, 10)
    top_left, bottom_right = blocker.args[0], blocker.args[1]
    assert (top_left.row(), top_left.column(), bottom_right.row(), bottom_right.column()) == (
        0,
        1,
        2,
        1,
    )


def test_search_matches_every_word_in_any_case(model):
    proxy = RowFilterProxyModel()
    proxy.setSourceModel(model)
    proxy.set_search("smi")
    assert proxy.rowCount() == 2
    proxy.set_search("SMITH amy")
    assert [proxy.data(proxy.index(r, 0)) for r in range(proxy.rowCount())] == ["Amy Smith"]
    proxy.set_search("łukasz")
    assert proxy.rowCount() == 1
    proxy.set_search("urgent")  # the note column is not searchable
    assert proxy.rowCount() == 0
    proxy.set_search("  ")
    assert proxy.rowCount() == 3


def test_search_follows_new_rows(model):
    proxy = RowFilterProxyModel()
    proxy.setSourceModel(model)
    proxy.set_search("cara")
    assert proxy.rowCount() == 0
    model.set_rows([*PEOPLE, Person(4, "Cara Jones", date(2015, 5, 5))])
    assert proxy.rowCount() == 1


def test_sorting_uses_the_sort_key_not_the_text(model):
    proxy = RowFilterProxyModel()
    proxy.setSourceModel(model)
    proxy.sort(1, Qt.SortOrder.AscendingOrder)
    names = [proxy.data(proxy.index(r, 0)) for r in range(proxy.rowCount())]
    # As text "03 Feb 2017" < "04 Mar 2016" < "23 Jan 2015"; by date it is the reverse.
    assert names == ["Łukasz Nowak", "Amy Smith", "Ben Smithers"]


def test_invalid_index_and_no_columns():
    m: RowTableModel[Person] = RowTableModel(COLUMNS)
    assert m.data(QModelIndex()) is None
    with pytest.raises(ValueError, match="at least one column"):
        RowTableModel([])
