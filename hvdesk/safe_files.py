"""Writing a file the office asked for (a PDF, an export) whole or not at all, and never over
something it should not replace.

Qt-free and database-free, so the window and the command line share it without importing each
other. The rules:

* Nothing but a regular file is ever replaced: a folder, a device node (`/dev/full`), a named
  pipe, a socket or a symbolic link at the path is refused, whatever `replace` says.
* An existing file is replaced only when the caller says so (`--force`, or the save dialog's own
  "replace?" question); otherwise it is refused.
* The data goes to a temporary file (0600) in the same folder, is synced, then takes the name in
  one step; on any failure the temporary file is removed (it may hold personal data).
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from pathlib import Path

from hvdesk.errors import HvdeskError

__all__ = ["OutputNotWritten", "check_output", "write_atomically"]


class OutputNotWritten(HvdeskError):
    """The file could not be written where asked."""

    title = "Cannot write the file"


def check_output(path: Path, *, replace: bool) -> None:
    """Refuse, before any work is done, a path that cannot or must not be written."""
    try:
        found = path.lstat()
    except FileNotFoundError:
        found = None
    except OSError as exc:
        raise OutputNotWritten(
            f"Cannot use {path} ({exc.strerror or exc}).", "Choose another file name."
        ) from exc
    if found is not None:
        if stat.S_ISDIR(found.st_mode):
            raise OutputNotWritten(f"{path} is a folder.", "Give a file name.")
        if not stat.S_ISREG(found.st_mode):
            raise OutputNotWritten(
                f"{path} is not an ordinary file (it is {_kind_of(found.st_mode)}); hvdesk "
                "will not write over it.",
                "Choose another file name.",
            )
        if not replace:
            raise OutputNotWritten(
                f"{path} already exists.",
                "Choose another file name, or add --force to replace it.",
            )
    if not path.parent.is_dir():
        raise OutputNotWritten(
            f"The folder {path.parent} does not exist.", "Create it, or choose another place."
        )


def write_atomically(path: Path, data: bytes, *, replace: bool = True) -> None:
    """Write `data` to `path` whole or not at all (see the module notes). With `replace` False
    an existing file is refused even if it appeared after `check_output`."""
    check_output(path, replace=replace)
    try:
        handle, temporary = tempfile.mkstemp(
            dir=path.parent, prefix=f".{path.name[:100]}.", suffix=".part"
        )
    except OSError as exc:
        raise OutputNotWritten(
            f"Cannot write to the folder {path.parent} ({exc.strerror or exc}).",
            "Choose a folder you can write to.",
        ) from exc
    part = Path(temporary)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        _put_in_place(part, path, replace=replace)
        sync_folder(path.parent)
    except OSError as exc:
        with contextlib.suppress(OSError):
            part.unlink()
        raise OutputNotWritten(
            f"Could not write {path} ({exc.strerror or exc}).",
            "Check the disk has room and the file is not open in another program.",
        ) from exc
    except BaseException:
        with contextlib.suppress(OSError):
            part.unlink()
        raise


def _put_in_place(part: Path, path: Path, *, replace: bool) -> None:
    """Give the finished file its name. Without `replace`, a hard link (which never replaces)
    so a file that appeared meanwhile is not overwritten; with it, only over a regular file."""
    if not replace:
        try:
            os.link(part, path)
        except FileExistsError:
            raise _exists(path) from None
        except OSError as exc:
            if exc.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.EXDEV, errno.ENOSYS):
                raise
            check_output(path, replace=False)  # no hard links here (FAT, some shares)
            part.replace(path)
            return
        part.unlink()
        return
    check_output(path, replace=True)  # again, just before: nothing but a regular file goes
    part.replace(path)


def _exists(path: Path) -> OutputNotWritten:
    return OutputNotWritten(
        f"{path} already exists.", "Choose another file name, or add --force to replace it."
    )


def sync_folder(folder: Path) -> None:
    """Make the new name durable too (POSIX; Windows has no directory handles to sync)."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def _kind_of(mode: int) -> str:
    if stat.S_ISLNK(mode):
        return "a link to another file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISFIFO(mode):
        return "a pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"
