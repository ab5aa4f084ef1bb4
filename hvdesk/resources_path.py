"""Finding icons and styles whether hvdesk is installed or run from a source checkout.

Installed (wheel or PyInstaller), the repository's top-level ``resources/`` lives at
``hvdesk/resources/`` (pyproject's ``[tool.setuptools.package-dir]``); in a checkout it is
next to the ``hvdesk`` package. Looking in both keeps one code path for tests and installs.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

_PACKAGE_DIR = Path(__file__).resolve().parent


def resource_dirs() -> tuple[Path, ...]:
    """The places searched, installed location first."""
    return (_PACKAGE_DIR / "resources", _PACKAGE_DIR.parent / "resources")


def resource_path(name: str) -> Path:
    """The file `name` (e.g. ``"icons/board.svg"``) from hvdesk's resources.

    Raises FileNotFoundError naming the places looked in: a missing icon is a packaging bug,
    better found at start-up than shown as a blank button.
    """
    relative = PurePosixPath(name)
    if relative.is_absolute() or ".." in relative.parts:
        raise ValueError(f"resource names are relative paths inside resources/: {name!r}")
    for base in resource_dirs():
        candidate = base.joinpath(*relative.parts)
        if candidate.is_file():
            return candidate
    looked = ", ".join(str(d) for d in resource_dirs())
    raise FileNotFoundError(f"hvdesk resource {name!r} not found (looked in {looked})")
