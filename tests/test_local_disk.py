"""A data folder on a network share is refused, with why and what to do: Windows UNC paths and
mapped drives (GetDriveTypeW faked at the boundary), NFS/SMB and the like on Linux and macOS
(mount table and statfs faked), and a real mount read from this machine's mount table."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from hvdesk.db.database import create_database
from hvdesk.db.local_disk import (
    DRIVE_REMOTE,
    _linux_mounts,
    _mount_type,
    check_local_disk,
    network_share_reason,
)
from hvdesk.errors import DataFolderError

FIXED, REMOVABLE = 3, 2


def windows(path: str, drive: int = FIXED) -> str | None:
    calls: list[str] = []

    def drive_type(root: str) -> int:
        calls.append(root)
        return drive

    return network_share_reason(Path(path), platform="win32", drive_type=drive_type)


@pytest.mark.parametrize(
    "path",
    [
        r"\\school-server\office\hvdesk",
        "//school-server/office/hvdesk",
        r"\\?\UNC\school-server\office\hvdesk",
    ],
)
def test_windows_network_paths_are_refused(path: str) -> None:
    assert windows(path) == r"it is a network path (\\server\share)"


def test_windows_mapped_network_drives_are_refused_and_local_drives_accepted() -> None:
    assert windows(r"H:\hvdesk", DRIVE_REMOTE) == "H: is a mapped network drive"
    assert windows(r"C:\ProgramData\hvdesk\data", FIXED) is None
    assert windows(r"E:\hvdesk", REMOVABLE) is None
    assert windows(r"\\?\C:\hvdesk", FIXED) is None


MOUNTS = [
    ("/", "ext4"),
    ("/home", "ext4"),
    ("/home/office/shared", "nfs4"),
    ("/mnt/school drive", "cifs"),
    ("/srv/fast", "xfs"),
    ("/media/sshfs", "fuse.sshfs"),
]


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("/home/office/shared/hvdesk", "nfs4"),
        ("/home/office/shared", "nfs4"),
        ("/mnt/school drive/hvdesk/data", "cifs"),
        ("/media/sshfs/x", "fuse.sshfs"),
    ],
)
def test_linux_network_filesystems_are_refused(path: str, kind: str) -> None:
    reason = network_share_reason(Path(path), platform="linux", mounts=lambda: MOUNTS)
    assert reason == f"it is on a network filesystem ({kind})"


@pytest.mark.parametrize(
    "path", ["/home/office/hvdesk", "/srv/fast/hvdesk", "/home/office/sharedx"]
)
def test_linux_local_filesystems_are_accepted(path: str) -> None:
    assert network_share_reason(Path(path), platform="linux", mounts=lambda: MOUNTS) is None


@pytest.mark.parametrize(("kind", "refused"), [("smbfs", True), ("nfs", True), ("apfs", False)])
def test_macos_asks_statfs_for_the_filesystem_type(kind: str, refused: bool) -> None:
    reason = network_share_reason(Path("/Volumes/x"), platform="darwin", fs_type=lambda _p: kind)
    assert (reason is not None) is refused


def test_the_refusal_says_why_and_what_to_do() -> None:
    with pytest.raises(DataFolderError) as refused:
        check_local_disk(Path(r"\\server\share\hvdesk"), platform="win32", drive_type=lambda r: 0)
    text = str(refused.value)
    assert "network" in text and "corrupted" in text and "this PC's own disk" in text


@pytest.fixture
def mounted(tmp_path: Path) -> Iterator[Path]:
    """A real filesystem mounted for the test (tmpfs: what this machine can mount)."""
    point = tmp_path / "mounted here"
    point.mkdir()
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(point)],
        capture_output=True,
        check=False,
    )
    if result.returncode != 0:
        pytest.skip("cannot mount a filesystem here (needs root)")
    try:
        yield point
    finally:
        subprocess.run(["umount", "-l", str(point)], check=False)


def test_a_real_mount_is_found_in_this_machines_mount_table(mounted: Path) -> None:
    mounts = _linux_mounts()
    assert _mount_type((mounted / "hvdesk").resolve(), mounts) == "tmpfs"
    assert network_share_reason(mounted / "hvdesk") is None  # tmpfs is a local filesystem
    # The same real mount, were it a share, is refused (only its type is swapped).
    as_share = [(p, "cifs" if Path(p) == mounted.resolve() else k) for p, k in mounts]
    reason = network_share_reason(mounted / "hvdesk", platform="linux", mounts=lambda: as_share)
    assert reason == "it is on a network filesystem (cifs)"


def test_a_database_is_not_created_on_a_share(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    import hvdesk.db.local_disk as local_disk

    share = tmp_path / "share"
    monkeypatch.setattr(local_disk, "_linux_mounts", lambda: [("/", "ext4"), (str(share), "nfs")])
    with pytest.raises(DataFolderError, match="network filesystem"):
        create_database(share / "data", b"k" * 32)
    assert not share.exists()
