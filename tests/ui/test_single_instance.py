"""One hvdesk per user: a second start reaches the first and asks it to come forward."""

from __future__ import annotations

import uuid

import pytest

from hvdesk.ui.single_instance import SingleInstance, instance_name


@pytest.fixture
def name() -> str:
    return f"hvdesk-test-{uuid.uuid4().hex[:12]}"


def test_second_instance_sees_the_first_and_asks_it_to_raise(qtbot, tmp_path, name):
    first = SingleInstance(name, tmp_path)
    second = SingleInstance(name, tmp_path)
    try:
        assert first.acquire()
        assert not second.acquire()
        with qtbot.waitSignal(first.raise_requested, timeout=3000):
            assert second.notify_running()
    finally:
        second.release()
        first.release()


def test_the_lock_is_free_again_after_release(qtbot, tmp_path, name):
    first = SingleInstance(name, tmp_path)
    assert first.acquire()
    first.release()
    again = SingleInstance(name, tmp_path)
    assert again.acquire()
    again.release()


def test_nobody_to_notify(qtbot, tmp_path, name):
    lonely = SingleInstance(name, tmp_path)
    assert not lonely.notify_running(timeout_ms=200)


def test_instance_names_differ_per_user():
    assert instance_name("alice") != instance_name("bob")
    assert instance_name("alice") == instance_name("alice")
    assert "alice" not in instance_name("alice")  # no user name in a machine-wide pipe name
