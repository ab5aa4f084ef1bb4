# ruff: noqa: F811  (the demo-school fixtures are imported by name)
"""Rekey, restore and upgrade are safe at every instant (issue 12, item 1). These tests stop
each at its dangerous steps in-process; benchmarks/kill_loops.py (and tests/test_kill_loops.py)
kill real processes hundreds of times."""

from __future__ import annotations

from pathlib import Path

import pytest

from hvdesk.clock import FakeClock
from hvdesk.db import backup as file_steps
from hvdesk.db.backup import key_opens
from hvdesk.db.database import database_path, open_database
from hvdesk.db.engine import create_encrypted_engine, raw_key_literal
from hvdesk.db.keys import KeyStore, format_recovery_key, new_database_key
from hvdesk.db.migrate import upgrade_to_head
from hvdesk.services import restore as restore_module
from hvdesk.services.backups import Backups
from hvdesk.services.opening import DatabaseOpener
from hvdesk.services.restore import RekeyFailed, rekey, restore_backup
from tests.board_school import School, demo_template, school  # noqa: F401


class Cut(BaseException):
    """Stands for the power going off at that instant."""


def test_a_rekey_cut_before_the_switch_leaves_the_old_key(
    school: School, keystore: KeyStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    keystore.save(school.database.path, school.key)
    shown: list[str] = []

    def cut(partial: Path, path: Path) -> None:
        raise Cut

    monkeypatch.setattr(restore_module, "swap_in", cut)
    with pytest.raises(Cut):
        rekey(school.database, school.clock, keystore, shown.append)
    path = database_path(school.data_dir)
    assert len(shown) == 1  # the new recovery key was shown before anything changed
    assert keystore.load(path) == school.key
    assert key_opens(path, raw_key_literal(school.key))
    assert not path.with_name(path.name + restore_module.REKEYING).exists()
    school.database = open_database(school.data_dir, school.key, school.clock)


def test_a_rekey_cut_after_the_switch_opens_with_the_stored_new_key(
    school: School, keystore: KeyStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The worst instant of the old rekey: the file has the new key, the store the old one."""
    keystore.save(school.database.path, school.key)
    shown: list[str] = []

    def cut_after_the_switch(path: Path, key: bytes) -> bool:
        raise Cut

    monkeypatch.setattr(keystore, "try_save", cut_after_the_switch)
    with pytest.raises(Cut):
        rekey(school.database, school.clock, keystore, shown.append)
    path = database_path(school.data_dir)
    assert not key_opens(path, raw_key_literal(school.key))
    opened = DatabaseOpener(keystore, school.clock).open(school.data_dir)
    school.database = opened.database
    new_key = keystore.load(path)
    assert new_key is not None and format_recovery_key(new_key) == shown[0]


def test_a_full_disk_during_rekey_changes_nothing(
    school: School, keystore: KeyStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    keystore.save(school.database.path, school.key)
    real = file_steps.rekeyed_copy

    def disk_full(path: Path, partial: Path, old: str, new: str) -> None:
        real(path, partial, old, new)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(restore_module, "rekeyed_copy", disk_full)
    with pytest.raises(RekeyFailed, match="full") as caught:
        rekey(school.database, school.clock, keystore)
    assert "old key and recovery key still open it" in caught.value.todo
    path = database_path(school.data_dir)
    assert keystore.load(path) == school.key
    assert not list(school.data_dir.glob("*.rekeying*"))
    school.database = open_database(school.data_dir, school.key, school.clock)


def test_a_restore_cut_before_the_switch_keeps_the_old_database_and_can_be_rerun(
    school: School, keystore: KeyStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "b.db"
    Backups(school.database, school.clock).back_up(out)
    school.database.close()

    def cut(partial: Path, path: Path) -> None:
        raise Cut

    monkeypatch.setattr(restore_module, "swap_in", cut)
    with pytest.raises(Cut):
        restore_backup(out, school.data_dir, school.key, school.clock, keystore, force=True)
    assert key_opens(database_path(school.data_dir), raw_key_literal(school.key))
    monkeypatch.undo()
    # Straight away, in the same second: the aside folder gets a name of its own.
    result = restore_backup(out, school.data_dir, school.key, school.clock, keystore, force=True)
    assert result.replaced_to is not None and result.replaced_to.name.endswith("-2")
    school.database = open_database(school.data_dir, school.key, school.clock)


def test_a_restore_into_a_new_folder_cut_short_can_be_rerun_without_force(
    school: School, keystore: KeyStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "b.db"
    Backups(school.database, school.clock).back_up(out)
    target = tmp_path / "new-pc"

    def cut(partial: Path, path: Path) -> None:
        raise Cut

    monkeypatch.setattr(restore_module, "swap_in", cut)
    with pytest.raises(Cut):
        restore_backup(out, target, school.key, school.clock, keystore)
    monkeypatch.undo()
    (target / "hvdesk.db.restoring").write_bytes(b"what a cut leaves")
    restore_backup(out, target, school.key, school.clock, keystore)
    open_database(target, school.key, school.clock).close()


def test_an_upgrade_retried_in_the_same_second_gets_its_own_copy(
    tmp_path: Path, clock: FakeClock
) -> None:
    data_dir = tmp_path / "school"
    data_dir.mkdir()
    key = new_database_key()
    engine = create_encrypted_engine(database_path(data_dir), key)
    upgrade_to_head(engine, target="0001")
    engine.dispose()
    stamp = clock.now().strftime("%Y%m%dT%H%M%SZ")
    left = data_dir / "backups" / f"pre-upgrade-0001-{stamp}.db"
    left.parent.mkdir()
    left.write_bytes(b"the copy a crashed attempt left")
    database = open_database(data_dir, key, clock)
    database.close()
    assert database.pre_upgrade_copy == left.with_name(f"pre-upgrade-0001-{stamp}-2.db")
    assert left.read_bytes() == b"the copy a crashed attempt left"


def test_a_full_disk_during_a_cli_rekey_is_one_line(
    small_disk: Path,
    clock: FakeClock,
    capsys: pytest.CaptureFixture[str],
    memory_keyring: object,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A real 4 MB filesystem, filled: one line, exit 1, and the old key still opens it."""
    from hvdesk.cli import main
    from hvdesk.db.database import create_database

    key = new_database_key()
    data_dir = small_disk / "school"
    create_database(data_dir, key, clock).close()
    monkeypatch.setenv("HVDESK_RECOVERY_KEY", format_recovery_key(key))
    filler = small_disk / "filler"
    with filler.open("wb") as handle:
        try:
            while True:
                handle.write(b"\0" * 65536)
                handle.flush()
        except OSError:
            pass
    assert main(["rekey", "--data-dir", str(data_dir)], clock) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "bug" not in err[0] and "full" in err[0], err
    filler.unlink()
    open_database(data_dir, key, clock).close()
