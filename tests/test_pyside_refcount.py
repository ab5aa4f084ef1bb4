"""Regression guard for PySide6 6.12.0 on CPython 3.11 (ENGINEERING-NOTES, first section).

That release dropped a reference to None on every void call and to True on every emit; once a
count reached zero the interpreter aborted. A board ticking each second would die within hours.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal

CALLS = 30_000


class _Ticker(QObject):
    ticked = Signal(bool)


def test_void_calls_and_emits_do_not_leak_references_to_none_or_true() -> None:
    ticker = _Ticker()
    received: list[bool] = []
    ticker.ticked.connect(received.append)
    none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(CALLS):
        ticker.setObjectName("board")  # a void method
        ticker.ticked.emit(True)
    received.clear()
    # On 3.12+ None/True are immortal (counts are huge and fixed); on 3.11 they must not fall.
    assert sys.getrefcount(None) >= none_before - 100
    assert sys.getrefcount(True) >= true_before - 100


def test_the_installed_pyside_is_not_the_aborting_release() -> None:
    import PySide6

    if sys.version_info < (3, 12):
        assert not PySide6.__version__.startswith("6.12.0"), PySide6.__version__
