"""The kill loops of benchmarks/kill_loops.py, small (issue 12, item 1): `rekey`, `restore
--force` and `db upgrade` killed at random instants as real processes; after every kill the
database opens with the stored key or a recovery key the office holds, with every row. The
full runs (300 kills each) are `python -m benchmarks.kill_loops --kills 300`."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.kill_loops import OPERATIONS, run


@pytest.mark.slow
@pytest.mark.timeout(900)
@pytest.mark.parametrize("operation", OPERATIONS)
def test_a_killed_operation_never_locks_the_school_out(tmp_path: Path, operation: str) -> None:
    tally = run(operation, 8, tmp_path)
    print(tally.line())
    assert tally.kills >= 8
    assert tally.lockouts == 0 and tally.rows_lost == 0, tally.line()
