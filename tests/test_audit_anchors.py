"""An audit trail that notices a cut (issue 12, item 4): 27 tamperings, each caught.

The trail's head is anchored outside the database (the credential store after every commit,
the log at each start and backup, every backup itself); a new database's trail starts with a
genesis entry, so an empty trail fails; the check also looks for the triggers that refuse
UPDATE and DELETE. Tampering here is done as an attacker with the key would: a raw connection,
the triggers dropped, rows changed, and (where the case says) the hashes recomputed.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from hvdesk.cli import main
from hvdesk.clock import FakeClock
from hvdesk.db.audit_trail import GENESIS, TRIGGERS, entry_hash
from hvdesk.db.database import create_database, database_path, open_database
from hvdesk.db.engine import create_encrypted_engine
from hvdesk.db.keys import KeyStore, format_recovery_key, new_database_key
from hvdesk.db.models import AuditEntry
from hvdesk.services import audit
from hvdesk.services.accounts import Accounts
from hvdesk.services.audit import AuditTrail
from hvdesk.services.audit_anchors import gather
from hvdesk.services.backups import Backups
from tests.conftest import MONDAY_MORNING

TABLE: sa.Table = AuditEntry.__table__  # type: ignore[assignment]
ENTRIES = 160


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, bytes]]:
    """A school with one administrator and a trail of more than 150 entries."""
    folder = tmp_path_factory.mktemp("anchors") / "data"
    key = new_database_key()
    clock = FakeClock(MONDAY_MORNING)
    database = create_database(folder, key, clock)
    admin = Accounts(database, clock).create_first_administrator(
        "it.office", "IT office", "a long enough password 1"
    )
    for number in range(ENTRIES):
        clock.advance(30)
        audit.record_view(database, clock, admin, "pupils", number + 1)
    database.close()
    yield folder, key


@pytest.fixture
def anchored(
    template: tuple[Path, bytes], tmp_path: Path, keystore: KeyStore
) -> Iterator[tuple[Path, bytes, FakeClock]]:
    """A copy of the school, used today (anchors in the credential store), then backed up (an
    anchor in the backup), as an office would before anyone tampers."""
    folder = tmp_path / "school"
    shutil.copytree(template[0], folder)
    clock = FakeClock(MONDAY_MORNING)
    clock.advance(86_400)
    database = open_database(folder, template[1], clock)
    try:
        admin = Accounts(database, clock).sign_in("it.office", "a long enough password 1")
        audit.record_view(database, clock, admin, "households", 7)
        Backups(database, clock).back_up(folder / "backups" / "nightly.db")
        audit.record_view(database, clock, admin, "households", 8)
    finally:
        database.close()
    yield folder, template[1], clock


# --- tampering, as someone with the key would ---------------------------------------------------


def _engine(folder: Path, key: bytes) -> sa.Engine:
    return create_encrypted_engine(database_path(folder), key)


def _ids(connection: sa.Connection) -> list[int]:
    return list(connection.execute(sa.select(TABLE.c.id).order_by(TABLE.c.id)).scalars())


def _rechain(connection: sa.Connection, start_at: int = 0) -> None:
    """Recompute every hash from the entry at position `start_at` on (what an attacker does to
    hide an edit from the chain check)."""
    rows = connection.execute(sa.select(TABLE).order_by(TABLE.c.id)).all()
    for row in rows[start_at:]:  # out of the way of the unique constraints first
        connection.execute(
            sa.update(TABLE)
            .where(TABLE.c.id == row.id)
            .values(prev_hash=f"p{row.id:063d}", entry_hash=f"e{row.id:063d}")
        )
    previous = rows[start_at - 1].entry_hash if start_at else GENESIS
    for row in rows[start_at:]:
        fields = (row.at, row.user_id, row.username, row.action)
        current = entry_hash(previous, *fields, row.record_type, row.record_id, row.details)
        connection.execute(
            sa.update(TABLE)
            .where(TABLE.c.id == row.id)
            .values(prev_hash=previous, entry_hash=current)
        )
        previous = current


def _edit(column: str) -> Callable[[sa.Connection], None]:
    def tamper(connection: sa.Connection) -> None:
        target = _ids(connection)[80]
        row = connection.execute(sa.select(TABLE).where(TABLE.c.id == target)).one()
        changed = {
            "id": 99_999,
            "at": row.at.replace(year=row.at.year - 1),
            "user_id": 42,
            "username": "someone.else",
            "action": "print",
            "record_type": "staff",
            "record_id": (row.record_id or 0) + 1,
            "details": '{"fields":["nothing"]}',
            "prev_hash": "f" * 64,
            "entry_hash": "e" * 64,
        }[column]
        connection.execute(sa.update(TABLE).where(TABLE.c.id == target).values({column: changed}))

    return tamper


def _cut(where: str, how_many: int) -> Callable[[sa.Connection], None]:
    def tamper(connection: sa.Connection) -> None:
        ids = _ids(connection)
        start = {"head": 0, "middle": len(ids) // 2, "tail": len(ids) - how_many}[where]
        doomed = ids[start : start + how_many]
        connection.execute(sa.delete(TABLE).where(TABLE.c.id.in_(doomed)))

    return tamper


def _wipe(connection: sa.Connection) -> None:
    connection.execute(sa.delete(TABLE))


def _reorder(connection: sa.Connection) -> None:
    first, second = _ids(connection)[60:62]
    connection.execute(sa.update(TABLE).where(TABLE.c.id == first).values(id=-1))
    connection.execute(sa.update(TABLE).where(TABLE.c.id == second).values(id=first))
    connection.execute(sa.update(TABLE).where(TABLE.c.id == -1).values(id=second))


def _swap_details(connection: sa.Connection) -> None:
    first, second = (
        connection.execute(sa.select(TABLE).where(TABLE.c.id == i)).one()
        for i in _ids(connection)[70:72]
    )
    connection.execute(
        sa.update(TABLE).where(TABLE.c.id == first.id).values(record_id=second.record_id)
    )
    connection.execute(
        sa.update(TABLE).where(TABLE.c.id == second.id).values(record_id=first.record_id)
    )


def _edit_and_recompute(connection: sa.Connection) -> None:
    _edit("username")(connection)
    _rechain(connection, 80)


def _cut_and_recompute(connection: sa.Connection) -> None:
    _cut("middle", 1)(connection)
    _rechain(connection, len(_ids(connection)) // 2 - 1)


def _insert_and_recompute(connection: sa.Connection) -> None:
    ids = _ids(connection)
    row = connection.execute(sa.select(TABLE).where(TABLE.c.id == ids[40])).one()
    for moving in reversed(ids[41:]):  # make room, as an insert in the middle needs
        connection.execute(sa.update(TABLE).where(TABLE.c.id == moving).values(id=moving + 1))
    forged = {**row._mapping, "id": ids[40] + 1, "username": "forged", "prev_hash": "a" * 64}
    forged["entry_hash"] = "b" * 64
    connection.execute(sa.insert(TABLE).values(forged))
    _rechain(connection, 41)


def _drop(*names: str) -> Callable[[sa.Connection], None]:
    def tamper(connection: sa.Connection) -> None:
        for name in names:
            connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")

    return tamper


COLUMNS = (
    "id",
    "at",
    "user_id",
    "username",
    "action",
    "record_type",
    "record_id",
    "details",
    "prev_hash",
    "entry_hash",
)
CASES: dict[str, Callable[[sa.Connection], None]] = {
    **{f"edit {column}": _edit(column) for column in COLUMNS},
    **{
        f"cut {where} {n}": _cut(where, n)
        for where in ("head", "middle", "tail")
        for n in (1, 5, 50)
    },
    "wipe": _wipe,
    "reorder": _reorder,
    "swap two entries' records": _swap_details,
    "edit, chain recomputed": _edit_and_recompute,
    "cut, chain recomputed": _cut_and_recompute,
    "insert, chain recomputed": _insert_and_recompute,
    "drop the no-update trigger": _drop(TRIGGERS[0]),
    "drop the no-delete trigger": _drop(TRIGGERS[1]),
}
TRIGGER_CASES = {"drop the no-update trigger", "drop the no-delete trigger"}
APPEND_ONLY = (
    "CREATE TRIGGER IF NOT EXISTS audit_entries_no_update BEFORE UPDATE ON audit_entries "
    "BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END",
    "CREATE TRIGGER IF NOT EXISTS audit_entries_no_delete BEFORE DELETE ON audit_entries "
    "BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END",
)


def _tamper(folder: Path, key: bytes, case: str) -> None:
    engine = _engine(folder, key)
    try:
        with engine.begin() as connection:
            for name in TRIGGERS:
                connection.exec_driver_sql(f"DROP TRIGGER {name}")
            CASES[case](connection)
            if case not in TRIGGER_CASES:  # put the protections back to hide the tampering
                for statement in APPEND_ONLY:
                    connection.exec_driver_sql(statement)
            elif case == "drop the no-update trigger":
                connection.exec_driver_sql(APPEND_ONLY[1])
            else:
                connection.exec_driver_sql(APPEND_ONLY[0])
    finally:
        engine.dispose()


def test_there_are_27_cases() -> None:
    assert len(CASES) == 27


def test_an_untouched_trail_matches_every_anchor(
    anchored: tuple[Path, bytes, FakeClock], keystore: KeyStore
) -> None:
    folder, key, clock = anchored
    database = open_database(folder, key, clock)
    try:
        anchors = gather(database, keystore, None, [folder / "backups"])
        assert {a.source for a in anchors} == {"the credential store", "the backup nightly.db"}
        report = AuditTrail(database, clock).verify(anchors)
        assert report.ok, report.problems()
        assert report.entries > ENTRIES + 1  # the views, the genesis entry and the rest
    finally:
        database.close()


@pytest.mark.parametrize("case", list(CASES))
def test_each_tampering_is_caught(
    anchored: tuple[Path, bytes, FakeClock], keystore: KeyStore, case: str
) -> None:
    folder, key, clock = anchored
    _tamper(folder, key, case)
    database = open_database(folder, key, clock, upgrade=False)
    try:
        anchors = gather(database, keystore, None, [folder / "backups"])
        report = AuditTrail(database, clock).verify(anchors)
    finally:
        database.close()
    assert not report.ok, case
    assert report.problems(), case
    if case.startswith("cut tail") or "recomputed" in case or case == "wipe":
        assert report.disagreements, (case, report.problems())  # what only anchors catch
    if case in TRIGGER_CASES:
        assert report.missing_triggers


def test_the_command_names_what_disagrees_including_the_log(
    anchored: tuple[Path, bytes, FakeClock],
    memory_keyring: object,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    folder, key, clock = anchored
    monkeypatch.setenv("HVDESK_RECOVERY_KEY", format_recovery_key(key))
    out = folder.parent / "weekly.db"
    assert main(["backup", "--out", str(out), "--data-dir", str(folder)], clock) == 0  # logged
    assert main(["audit", "verify", "--data-dir", str(folder)], clock) == 0
    assert "matches all" in capsys.readouterr().out
    _tamper(folder, key, "cut tail 5")
    assert main(["audit", "verify", "--data-dir", str(folder)], clock) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    assert "5 entries were removed from the end" in err[0]
    assert "the credential store" in err[0] and "the log (" in err[0]


def test_a_new_database_starts_with_its_genesis_entry(tmp_path: Path) -> None:
    database = create_database(tmp_path / "new", new_database_key())
    try:
        with database.engine.connect() as connection:
            first = connection.execute(sa.select(TABLE).order_by(TABLE.c.id)).first()
        assert first is not None and first.action == "genesis" and first.prev_hash == GENESIS
        assert AuditTrail(database, FakeClock(MONDAY_MORNING)).verify().ok
    finally:
        database.close()


def test_a_restore_resets_the_anchors(
    anchored: tuple[Path, bytes, FakeClock], keystore: KeyStore, tmp_path: Path
) -> None:
    """A restore takes the trail back in time on purpose: that is not a cut."""
    from hvdesk.services.restore import restore_backup

    folder, key, clock = anchored
    restore_backup(folder / "backups" / "nightly.db", folder, key, clock, keystore, force=True)
    database = open_database(folder, key, clock)
    try:
        anchors = gather(database, keystore, None, [])
        assert AuditTrail(database, clock).verify(anchors).ok
    finally:
        database.close()
