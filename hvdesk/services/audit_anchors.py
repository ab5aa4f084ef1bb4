"""Where the audit trail's anchors are found, and the reset a restore makes.

An anchor is the trail's head (last entry's id and hash) kept outside the database
(hvdesk.db.audit_trail explains why). `gather` collects every one this computer holds for a
database: the credential store's (moved on after every commit), the log's (written at each
start and each backup), and every backup's (a backup holds the trail as it was). After a
restore the trail legitimately goes back in time, so a restore resets them: the credential
store gets the restored head and the log a line that sets aside the anchors before it.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
import sqlcipher3

from hvdesk.db.audit_trail import ANCHOR_LOG_PREFIX, Anchor, current_anchor
from hvdesk.db.backup import key_opens
from hvdesk.db.database import BACKUP_FOLDER, Database
from hvdesk.db.keys import KeyStore
from hvdesk.db.models import BackupRecord

__all__ = ["RESET_LOG_PREFIX", "FoundAnchor", "gather", "reset_after_restore"]

log = logging.getLogger(__name__)

RESET_LOG_PREFIX = "Audit anchors reset"
LOG_NAME = "hvdesk.log"
_LOG_TIME = re.compile(r"^(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2})")
_ANCHOR = re.compile(r"entry (\d+) hash ([0-9a-f]{64})")


@dataclass(frozen=True)
class FoundAnchor:
    """An anchor and where it was found, in words ("the credential store")."""

    source: str
    anchor: Anchor


def gather(
    database: Database, keystore: KeyStore, log_dir: Path | None, backup_folders: Iterable[Path]
) -> list[FoundAnchor]:
    """Every anchor of this database this computer holds (see the module notes)."""
    found: list[FoundAnchor] = []
    kept = Anchor.from_text(keystore.anchor(database.path) or "")
    if kept is not None:
        found.append(FoundAnchor("the credential store", kept))
    if log_dir is not None:
        found.extend(_from_logs(log_dir, database.path))
    found.extend(_from_backups(database, backup_folders))
    return found


def reset_after_restore(database: Database, keystore: KeyStore) -> None:
    """A restored trail is older than the anchors kept: start them again from it."""
    with database.engine.connect() as connection:
        head = current_anchor(connection)
    keystore.keep_anchor(database.path, head.to_text())
    log.info("%s (restore) for %s: entry %d", RESET_LOG_PREFIX, database.path, head.entry_id)


def _from_logs(log_dir: Path, database_path: Path) -> list[FoundAnchor]:
    files = sorted(
        (p for p in log_dir.glob(f"{LOG_NAME}*") if p.is_file()),
        key=lambda p: -int(p.suffix[1:]) if p.suffix[1:].isdigit() else 0,
    )
    mark = f"for {database_path}:"
    found: list[FoundAnchor] = []
    for path in files:  # oldest first
        try:
            lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            continue
        for line in lines:
            if mark not in line:
                continue
            if RESET_LOG_PREFIX in line:
                found.clear()  # a restore: the anchors before it were of another history
                continue
            if ANCHOR_LOG_PREFIX not in line:
                continue
            match = _ANCHOR.search(line)
            if match is None:
                continue
            when = _LOG_TIME.match(line)
            label = f"the log ({when.group(1)})" if when else f"the log ({path.name})"
            found.append(FoundAnchor(label, Anchor(int(match.group(1)), match.group(2))))
    return found


def _from_backups(database: Database, folders: Iterable[Path]) -> list[FoundAnchor]:
    literal = database.engine.url.password
    if not isinstance(literal, str):
        return []
    since = _last_restore(database)
    found: list[FoundAnchor] = []
    seen: set[Path] = set()
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.db")):
            resolved = path.resolve()
            if resolved in seen or resolved == database.path.resolve():
                continue
            seen.add(resolved)
            made = datetime.fromtimestamp(path.stat().st_mtime, UTC)
            if since is not None and made < since:
                continue  # a copy of the history a restore replaced
            anchor = _backup_head(path, literal)
            if anchor is not None:
                found.append(FoundAnchor(f"the backup {path.name}", anchor))
    return found


def _backup_head(path: Path, literal: str) -> Anchor | None:
    """The head of a backup's own trail (None if this key does not open it, or it predates
    the trail: an old key's backup, a copy made before an upgrade to the trail's schema)."""
    if not key_opens(path, literal):
        return None
    connection = sqlcipher3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        connection.execute(f'PRAGMA key = "{literal}"')
        connection.execute("PRAGMA cipher_log_level = NONE")
        row = connection.execute(
            "SELECT id, entry_hash FROM audit_entries ORDER BY id DESC LIMIT 1"
        ).fetchone()
    except sqlcipher3.DatabaseError:
        return None
    finally:
        connection.close()
    return Anchor(int(row[0]), str(row[1])) if row else None


def _last_restore(database: Database) -> datetime | None:
    with database.session() as session:
        return session.scalar(
            sa.select(sa.func.max(BackupRecord.at)).where(
                BackupRecord.kind == "restore", BackupRecord.ok.is_(True)
            )
        )


def default_backup_folders(database: Database, configured: Path) -> list[Path]:
    """The automatic backups' folder (as the settings say) and the data folder's own."""
    return [configured, database.path.parent / BACKUP_FOLDER]
