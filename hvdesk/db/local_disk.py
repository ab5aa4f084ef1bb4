"""Refuse a data folder on a network share: SQLite's write-ahead log corrupts there
(sqlite.org/howtocorrupt.html), and a school's safeguarding records must not.

What counts as a share, per system:
- Windows: a UNC path (\\\\server\\share, \\\\?\\UNC\\...), or a drive letter that
  `GetDriveTypeW` calls DRIVE_REMOTE (a mapped network drive).
- Linux: the filesystem type of the mount the folder lives on, from the mount table
  (/proc/self/mounts): NFS, SMB/CIFS, SSHFS, WebDAV, AFS, Ceph, GlusterFS and the like.
- macOS: the same, from `statfs`'s f_fstypename (smbfs, nfs, afpfs, webdav).

The operating-system calls are passed in, so tests fake them at the boundary; the defaults
make the real calls. A folder that does not exist yet is judged by its nearest existing parent.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import sys
from collections.abc import Callable, Iterable
from pathlib import Path, PurePath, PureWindowsPath

from hvdesk.errors import DataFolderError

__all__ = [
    "DRIVE_REMOTE",
    "NETWORK_FILESYSTEMS",
    "check_local_disk",
    "network_share_reason",
]

DRIVE_REMOTE = 4  # GetDriveTypeW's answer for a network drive
NETWORK_FILESYSTEMS = frozenset(
    {
        "nfs",
        "nfs4",
        "cifs",
        "smb",
        "smb2",
        "smb3",
        "smbfs",
        "afpfs",
        "webdav",
        "davfs",
        "fuse.davfs2",
        "fuse.sshfs",
        "sshfs",
        "afs",
        "ceph",
        "fuse.ceph",
        "glusterfs",
        "fuse.glusterfs",
        "9p",
        "ncpfs",
        "coda",
        "lustre",
        "gfs2",
        "ocfs2",
        "fuse.rclone",
        "fuse.s3fs",
    }
)

Mounts = Iterable[tuple[str, str]]  # (mount point, filesystem type)


def network_share_reason(
    folder: Path,
    *,
    platform: str = sys.platform,
    drive_type: Callable[[str], int] | None = None,
    mounts: Callable[[], Mounts] | None = None,
    fs_type: Callable[[str], str | None] | None = None,
) -> str | None:
    """Why `folder` is on a network share, in words, or None if it is on a local disk."""
    if platform == "win32":
        return _windows_reason(str(folder), drive_type or _get_drive_type)
    place = _existing(folder)
    if platform == "darwin":
        kind = (fs_type or _macos_fs_type)(str(place))
    else:
        kind = _mount_type(place, (mounts or _linux_mounts)())
    if kind is not None and kind.lower() in NETWORK_FILESYSTEMS:
        return f"it is on a network filesystem ({kind})"
    return None


def check_local_disk(folder: Path, **calls: object) -> None:
    """DataFolderError, saying why and what to do, for a folder on a network share."""
    reason = network_share_reason(folder, **calls)  # type: ignore[arg-type]
    if reason is not None:
        raise DataFolderError(
            f"hvdesk cannot keep its database in {folder}: {reason}. A database on a network "
            "share gets corrupted when two PCs or a dropped connection write to it.",
            "Choose a folder on this PC's own disk (the default, or the machine-wide folder "
            "for a PC several accounts use). Backups may go to a share: they are encrypted "
            "copies.",
        )


def _windows_reason(text: str, drive_type: Callable[[str], int]) -> str | None:
    path = PureWindowsPath(text)
    if text.startswith(("\\\\", "//")) and not text.startswith(("\\\\?\\", "\\\\.\\")):
        return "it is a network path (\\\\server\\share)"
    if text.upper().startswith("\\\\?\\UNC\\"):
        return "it is a network path (\\\\server\\share)"
    drive = path.drive.removeprefix("\\\\?\\")
    if len(drive) == 2 and drive[1] == ":" and drive_type(drive + "\\") == DRIVE_REMOTE:
        return f"{drive} is a mapped network drive"
    return None


def _existing(folder: Path) -> Path:
    """The folder with symbolic links resolved as far as it exists (a share may be reached
    through a link), the parts not made yet appended as they are."""
    place = folder.expanduser().absolute()
    missing: list[str] = []
    while not place.exists() and place.parent != place:
        missing.insert(0, place.name)
        place = place.parent
    with contextlib.suppress(OSError):
        place = place.resolve()
    return place.joinpath(*missing)


def _mount_type(place: PurePath, mounts: Mounts) -> str | None:
    """The filesystem type of the longest mount point containing `place`."""
    best: tuple[int, str] | None = None
    for point, kind in mounts:
        mount = PurePath(point)
        if place == mount or mount in place.parents:
            depth = len(mount.parts)
            if best is None or depth >= best[0]:
                best = (depth, kind)
    return None if best is None else best[1]


def _linux_mounts() -> list[tuple[str, str]]:
    try:
        text = Path("/proc/self/mounts").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    found = []
    for line in text.splitlines():
        parts = line.split()
        if len(parts) >= 3:
            found.append((_unescape(parts[1]), parts[2]))
    return found


def _unescape(field: str) -> str:
    """The mount table writes spaces and tabs in paths as octal escapes (\\040)."""
    for code, char in (("\\040", " "), ("\\011", "\t"), ("\\012", "\n"), ("\\134", "\\")):
        field = field.replace(code, char)
    return field


def _get_drive_type(root: str) -> int:  # pragma: no cover - Windows only
    windll = getattr(ctypes, "windll", None)
    if windll is None:
        return 0
    return int(windll.kernel32.GetDriveTypeW(ctypes.c_wchar_p(root)))


def _macos_fs_type(path: str) -> str | None:  # pragma: no cover - macOS only
    """f_fstypename from statfs(2) (64-bit inode layout: 16 bytes at offset 72)."""
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    libc = ctypes.CDLL(name, use_errno=True)
    buffer = ctypes.create_string_buffer(2168)
    statfs = getattr(libc, "statfs$INODE64", None) or libc.statfs
    if statfs(os.fsencode(path), buffer) != 0:
        return None
    return buffer.raw[72:88].split(b"\0", 1)[0].decode("ascii", "replace") or None
