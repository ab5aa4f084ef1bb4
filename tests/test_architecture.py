"""The shape of the code, checked: layering contracts and the one-clock rule."""

from __future__ import annotations

import re
from pathlib import Path

from importlinter import cli as import_linter

PACKAGE = Path(__file__).resolve().parents[1] / "hvdesk"
CLOCK_CALLS = re.compile(
    r"datetime\.now\(|datetime\.utcnow\(|date\.today\(|time\.time\(|time\.monotonic\(|"
    r"datetime\.today\(|QDateTime\.currentDateTime"
)


def test_import_contracts_hold() -> None:
    """domain, services, db and reports never import Qt or the UI; layers point one way."""
    status = import_linter.lint_imports(
        config_filename=str(PACKAGE.parent / "pyproject.toml"), no_cache=True, no_logo=True
    )
    assert status == import_linter.EXIT_STATUS_SUCCESS


def test_only_the_clock_module_reads_the_time() -> None:
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if path.name == "clock.py" and path.parent == PACKAGE:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if CLOCK_CALLS.search(line):
                offenders.append(f"{path.relative_to(PACKAGE.parent)}:{number}: {line.strip()}")
    assert offenders == [], "read the time from the injected Clock:\n" + "\n".join(offenders)
