"""`pdf --out` and every saved document (issue 12, item 7): nothing but a regular file is ever
replaced, an existing one only when asked, and the file appears whole or not at all."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from hvdesk.safe_files import OutputNotWritten, check_output, write_atomically


def test_a_device_node_is_refused(tmp_path: Path) -> None:
    with pytest.raises(OutputNotWritten, match="not an ordinary file"):
        write_atomically(Path("/dev/full"), b"%PDF", replace=True)
    assert stat.S_ISCHR(Path("/dev/full").lstat().st_mode)  # still the device
    assert not list(Path("/dev").glob(".full.*.part"))


def test_a_symlink_is_refused_even_with_force(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.txt"
    target.write_text("keep me")
    link = tmp_path / "out.pdf"
    link.symlink_to(target)
    with pytest.raises(OutputNotWritten, match="link to another file"):
        write_atomically(link, b"%PDF", replace=True)
    assert link.is_symlink() and target.read_text() == "keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["elsewhere.txt", "out.pdf"]


def test_a_pipe_is_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.pdf"
    os.mkfifo(fifo)
    with pytest.raises(OutputNotWritten, match="a pipe"):
        check_output(fifo, replace=True)


def test_an_existing_file_only_with_force(tmp_path: Path) -> None:
    out = tmp_path / "form.pdf"
    out.write_bytes(b"older")
    with pytest.raises(OutputNotWritten, match="--force"):
        write_atomically(out, b"%PDF new", replace=False)
    assert out.read_bytes() == b"older"
    write_atomically(out, b"%PDF new", replace=True)
    assert out.read_bytes() == b"%PDF new"
    assert [p.name for p in tmp_path.iterdir()] == ["form.pdf"]


def test_a_new_file_is_private_and_whole(tmp_path: Path) -> None:
    out = tmp_path / "new.pdf"
    write_atomically(out, b"%PDF whole", replace=False)
    assert out.read_bytes() == b"%PDF whole"
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_a_file_that_appears_meanwhile_is_not_overwritten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Checked, then someone else creates the file before the rename: without --force it is
    kept (the name is taken with a hard link, which never replaces)."""
    out = tmp_path / "race.pdf"
    real_fsync = os.fsync

    def someone_else_writes(fd: int) -> None:
        real_fsync(fd)
        if not out.exists():
            out.write_bytes(b"theirs")

    monkeypatch.setattr(os, "fsync", someone_else_writes)
    with pytest.raises(OutputNotWritten, match="already exists"):
        write_atomically(out, b"%PDF mine", replace=False)
    assert out.read_bytes() == b"theirs"
    assert [p.name for p in tmp_path.iterdir()] == ["race.pdf"]
