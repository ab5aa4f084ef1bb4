"""Before the window: on Linux, are the libraries Qt's X11 plugin needs here?

Without them Qt aborts with "Could not load the Qt platform plugin xcb", naming at most the first
missing library, and a school's IT is left guessing. So, when the window would use X11, hvdesk
tries to load each library the plugin links to and, if any is missing, says in one plain line
which packages to install. No Qt import here: this runs before Qt can abort.
"""

from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Callable, Mapping

__all__ = ["XCB_LIBRARIES", "missing_packages", "platform_problem", "uses_x11"]

# The libraries libqxcb.so and libQt6XcbQpa.so link to, with the Debian/Ubuntu package of each.
XCB_LIBRARIES: dict[str, str] = {
    "libxcb.so.1": "libxcb1",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-util.so.1": "libxcb-util1",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libEGL.so.1": "libegl1",
    "libfontconfig.so.1": "libfontconfig1",
    "libdbus-1.so.3": "libdbus-1-3",
}


def uses_x11(environ: Mapping[str, str], platform: str = sys.platform) -> bool:
    """Whether Qt will pick its X11 plugin: Linux, no other platform asked for, not Wayland."""
    if not platform.startswith("linux"):
        return False
    asked = environ.get("QT_QPA_PLATFORM", "").split(";")[0].split(":")[0].strip()
    if asked:
        return asked == "xcb"
    return not (environ.get("WAYLAND_DISPLAY") and environ.get("XDG_SESSION_TYPE") == "wayland")


def missing_packages(load: Callable[[str], object] = ctypes.CDLL) -> list[str]:
    """The packages whose library cannot be loaded, in the order above."""
    missing = []
    for library, package in XCB_LIBRARIES.items():
        try:
            load(library)
        except OSError:
            missing.append(package)
    return missing


def platform_problem(
    environ: Mapping[str, str] = os.environ,
    platform: str = sys.platform,
    load: Callable[[str], object] = ctypes.CDLL,
) -> str | None:
    """One line saying what to install, or None when the window can open (or Qt will not use
    X11, so this check has nothing to say)."""
    if not uses_x11(environ, platform):
        return None
    missing = missing_packages(load)
    if not missing:
        return None
    names = " ".join(missing)
    return (
        f"hvdesk cannot open its window: this computer lacks {', '.join(missing)}. Install them "
        f"(Debian or Ubuntu: sudo apt install {names}) and start hvdesk again."
    )
