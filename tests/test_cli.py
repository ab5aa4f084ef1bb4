"""The CLI contract: --data-dir everywhere; exit 0 ok, 2 usage, 1 error with one line on stderr."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from hvdesk.cli import main
from hvdesk.clock import FakeClock
from hvdesk.db.database import create_database, database_path
from hvdesk.db.engine import create_encrypted_engine
from hvdesk.db.keys import format_recovery_key, new_database_key
from hvdesk.db.migrate import head_revision, upgrade_to_head
from tests.helpers import checksums


def _one_line_error(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("hvdesk: ")
    return lines[0]


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["db"])
    assert caught.value.code == 2
    with pytest.raises(SystemExit) as caught:
        main(["no-such-command"])
    assert caught.value.code == 2
    capsys.readouterr()


def test_db_current_and_upgrade(
    tmp_path: Path,
    clock: FakeClock,
    capsys: pytest.CaptureFixture[str],
    memory_keyring: object,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data_dir = tmp_path / "school"
    key = new_database_key()
    data_dir.mkdir()
    engine = create_encrypted_engine(database_path(data_dir), key)
    upgrade_to_head(engine, target="0001")
    engine.dispose()
    monkeypatch.setenv("HVDESK_RECOVERY_KEY", format_recovery_key(key))

    assert main(["db", "current", "--data-dir", str(data_dir)], clock) == 0
    assert capsys.readouterr().out.startswith(
        f"0001 (this hvdesk can upgrade it to {head_revision()}"
    )
    assert main(["--data-dir", str(data_dir), "db", "upgrade"], clock) == 0
    out = capsys.readouterr().out
    assert f"Upgraded the database from 0001 to {head_revision()}" in out
    assert "pre-upgrade-0001" in out
    assert main(["db", "upgrade", "--data-dir", str(data_dir)], clock) == 0
    assert "already at" in capsys.readouterr().out
    assert main(["db", "current", "--data-dir", str(data_dir)], clock) == 0
    assert capsys.readouterr().out.strip() == f"{head_revision()} (head)"


def test_data_dir_from_the_environment(
    tmp_path: Path,
    clock: FakeClock,
    capsys: pytest.CaptureFixture[str],
    memory_keyring: object,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    key = new_database_key()
    create_database(tmp_path / "env-school", key).close()
    monkeypatch.setenv("HVDESK_DATA_DIR", str(tmp_path / "env-school"))
    monkeypatch.setenv("HVDESK_RECOVERY_KEY", format_recovery_key(key))
    assert main(["db", "current"], clock) == 0
    assert "(head)" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("setup", "expected"),
    [
        ("missing-folder", "does not exist"),
        ("no-database", "no hvdesk database"),
        ("not-a-database", "does not open the database"),
        ("wrong-recovery-key", "does not open the database"),
        ("typo-recovery-key", "typo"),
        ("no-key-at-all", "recovery key"),
    ],
)
def test_errors_are_one_line_and_exit_1(
    tmp_path: Path,
    clock: FakeClock,
    capsys: pytest.CaptureFixture[str],
    no_keyring: object,
    monkeypatch: pytest.MonkeyPatch,
    setup: str,
    expected: str,
) -> None:
    data_dir = tmp_path / "school"
    if setup != "missing-folder":
        data_dir.mkdir()
    if setup == "not-a-database":
        database_path(data_dir).write_bytes(os.urandom(4096))
        monkeypatch.setenv("HVDESK_RECOVERY_KEY", format_recovery_key(new_database_key()))
    if setup in ("wrong-recovery-key", "typo-recovery-key", "no-key-at-all"):
        create_database(data_dir, new_database_key()).close()
        other = format_recovery_key(new_database_key())
        if setup == "wrong-recovery-key":
            monkeypatch.setenv("HVDESK_RECOVERY_KEY", other)
        if setup == "typo-recovery-key":
            monkeypatch.setenv(
                "HVDESK_RECOVERY_KEY", other[:-1] + ("A" if other[-1] != "A" else "B")
            )
    before = checksums(data_dir) if data_dir.exists() else {}
    for command in (["db", "current"], ["db", "upgrade"]):
        assert main([*command, "--data-dir", str(data_dir)], clock) == 1
        assert expected in _one_line_error(capsys)
    assert (checksums(data_dir) if data_dir.exists() else {}) == before


def test_the_installed_command_keeps_the_contract(tmp_path: Path) -> None:
    """The real entry point in a child process with no credential store at all."""
    env = {
        **os.environ,
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
        "HVDESK_LOG_DIR": str(tmp_path / "logs"),
    }
    env.pop("HVDESK_RECOVERY_KEY", None)
    command = [sys.executable, "-m", "hvdesk.cli"]
    usage = subprocess.run([*command, "db"], capture_output=True, text=True, env=env, check=False)
    assert usage.returncode == 2
    missing = subprocess.run(
        [*command, "db", "current", "--data-dir", str(tmp_path / "none")],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    assert missing.returncode == 1
    assert missing.stderr.count("\n") == 1 and "does not exist" in missing.stderr
    version = subprocess.run(
        [*command, "--version"], capture_output=True, text=True, env=env, check=False
    )
    assert version.returncode == 0 and version.stdout.startswith("hvdesk ")


def test_seed_demo_prints_the_recovery_key_once_and_it_opens_the_school(
    tmp_path: Path,
    clock: FakeClock,
    capsys: pytest.CaptureFixture[str],
    no_keyring: object,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data_dir = tmp_path / "demo"
    assert main(["seed-demo", "--data-dir", str(data_dir)], clock) == 0
    out = capsys.readouterr().out
    assert "Riverside" not in out  # counts only; names stay inside the database
    assert "150 pupils" in out
    assert "no credential store" in out and "HVDESK_RECOVERY_KEY" in out
    recovery_key = out.split("Recovery key", 1)[1].splitlines()[1].strip()
    assert out.count(recovery_key) == 1
    monkeypatch.setenv("HVDESK_RECOVERY_KEY", recovery_key)
    assert main(["db", "current", "--data-dir", str(data_dir)], clock) == 0
    assert "(head)" in capsys.readouterr().out
    # A second seed into the same folder would destroy the first: refused.
    before = checksums(data_dir)
    assert main(["seed-demo", "--data-dir", str(data_dir)], clock) == 1
    assert "already an hvdesk database" in _one_line_error(capsys)
    assert checksums(data_dir) == before
