"""On Linux without the libraries Qt's X11 plugin needs, hvdesk says in one plain line which
packages to install instead of Qt's abort; it stays quiet offscreen, on Wayland and elsewhere."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from hvdesk.qt_platform import XCB_LIBRARIES, missing_packages, platform_problem, uses_x11


def loader(missing: set[str]):  # type: ignore[no-untyped-def]
    def load(name: str) -> object:
        if name in missing:
            raise OSError(f"{name}: cannot open shared object file")
        return object()

    return load


def test_the_line_names_each_missing_package_and_how_to_install_it() -> None:
    line = platform_problem(
        {"DISPLAY": ":0"},
        "linux",
        loader({"libxcb-cursor.so.0", "libxcb-icccm.so.4", "libxcb-keysyms.so.1"}),
    )
    assert line is not None and "\n" not in line
    assert "lacks libxcb-cursor0, libxcb-icccm4, libxcb-keysyms1" in line
    assert "sudo apt install libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1" in line


def test_nothing_is_said_when_everything_loads_or_x11_is_not_used() -> None:
    assert platform_problem({"DISPLAY": ":0"}, "linux", loader(set())) is None
    everything = set(XCB_LIBRARIES)
    for environ in (
        {"QT_QPA_PLATFORM": "offscreen"},
        {"QT_QPA_PLATFORM": "wayland"},
        {"WAYLAND_DISPLAY": "wayland-0", "XDG_SESSION_TYPE": "wayland"},
    ):
        assert platform_problem(environ, "linux", loader(everything)) is None
    assert platform_problem({}, "win32", loader(everything)) is None
    assert uses_x11({"QT_QPA_PLATFORM": "xcb"}, "linux")
    assert uses_x11({"WAYLAND_DISPLAY": "wayland-0", "XDG_SESSION_TYPE": "x11"}, "linux")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux only")
def test_a_real_start_on_this_machine_says_what_is_missing(tmp_path) -> None:  # type: ignore[no-untyped-def]
    missing = missing_packages()
    if not missing:
        pytest.skip("every library Qt's X11 plugin needs is installed here")
    environ = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    environ.update(DISPLAY=":99", HVDESK_DATA_DIR=str(tmp_path / "data"))
    result = subprocess.run(
        [sys.executable, "-m", "hvdesk.cli"],
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and f"sudo apt install {' '.join(missing)}" in lines[0]
    assert not (tmp_path / "data").exists()  # nothing was created
