"""The shape of the code, checked: layering contracts and the one-clock rule."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "hvdesk"
CLOCK_CALLS = re.compile(
    r"datetime\.now\(|datetime\.utcnow\(|date\.today\(|time\.time\(|time\.monotonic\(|"
    r"datetime\.today\(|QDateTime\.currentDateTime"
)


def test_import_contracts_hold() -> None:
    """domain, services, db and reports never import Qt or the UI; layers point one way."""
    # In a child process: import-linter reconfigures logging, which would silence later tests.
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from importlinter.cli import lint_imports; "
            "sys.exit(lint_imports(no_cache=True, no_logo=True))",
        ],
        cwd=PACKAGE.parent,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_only_the_clock_module_reads_the_time() -> None:
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if path.name == "clock.py" and path.parent == PACKAGE:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if CLOCK_CALLS.search(line):
                offenders.append(f"{path.relative_to(PACKAGE.parent)}:{number}: {line.strip()}")
    assert offenders == [], "read the time from the injected Clock:\n" + "\n".join(offenders)


def test_every_package_is_installed() -> None:
    """setuptools installs only the packages pyproject lists: a new folder left out works in an
    editable checkout and fails after `pip install .` (what users and CI run)."""
    import tomllib

    root = Path(__file__).resolve().parent.parent
    listed = set(
        tomllib.loads((root / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    )
    on_disk = {
        ".".join(init.parent.relative_to(root).parts)
        for init in (root / "hvdesk").rglob("__init__.py")
    }
    assert on_disk - listed == set(), "add these to [tool.setuptools] packages in pyproject.toml"
