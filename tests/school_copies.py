"""How tests get a school: build it once into a real encrypted database, then give each test (or
module) its own copy of the files, opened the way the app opens a database.

Building a school runs the migrations and seeds it (up to two seconds for the demo); copying
its encrypted files takes milliseconds. Every builder of a test school goes through `seed`, and
every test's school is an `open_copy` of one. Not a test module.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Generic, TypeVar

from hvdesk.clock import Clock, FakeClock
from hvdesk.db.database import Database, create_database, open_database
from hvdesk.db.keys import new_database_key

T = TypeVar("T")


@dataclass(frozen=True)
class Seeded(Generic[T]):
    """A school built once: its folder, its key, and what the builder returned about it (the
    ids and counts tests look things up by, which every copy shares)."""

    folder: Path
    key: bytes
    built: T


def seed(folder: Path, now: datetime, build: Callable[[Database, FakeClock], T]) -> Seeded[T]:
    """Create a database in `folder` and let `build` fill it, on a clock standing at `now`."""
    key = new_database_key()
    clock = FakeClock(now)
    database = create_database(folder, key, clock)
    try:
        built = build(database, clock)
    finally:
        database.close()
    return Seeded(folder, key, built)


def copy_files(seeded: Seeded[Any], data_dir: Path) -> None:
    """The seeded school's files, copied into `data_dir` (which must not exist yet)."""
    shutil.copytree(seeded.folder, data_dir)


def open_copy(seeded: Seeded[Any], data_dir: Path, clock: Clock) -> Database:
    """A copy of the seeded school in `data_dir`, open on `clock`."""
    copy_files(seeded, data_dir)
    return open_database(data_dir, seeded.key, clock)
