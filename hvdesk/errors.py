"""Errors the office can meet, each with a message written for them.

Anything raised as an `HvdeskError` is shown to the user (a dialog in the app, one line on stderr
from the CLI) with what happened and what to do. Any other exception is a bug: it is logged with
its traceback and reported as such.
"""

from __future__ import annotations


class HvdeskError(Exception):
    """A problem the user can understand and act on."""

    title = "hvdesk"

    def __init__(self, what: str, todo: str = "") -> None:
        super().__init__(what)
        self.what = what
        self.todo = todo

    def __str__(self) -> str:
        return f"{self.what} {self.todo}".strip()


class DataFolderError(HvdeskError):
    """The data folder is missing, not a folder, or cannot be written."""

    title = "Data folder problem"


class DatabaseMissing(HvdeskError):
    """There is no database in the data folder yet."""

    title = "No database"


class DatabaseExists(HvdeskError):
    """Creating a database where one already is would destroy it."""

    title = "Database already exists"


class NotADatabase(HvdeskError):
    """The file is not an hvdesk database, is damaged, or the key is wrong."""

    title = "Cannot open the database"


class WrongKey(NotADatabase):
    """The key or recovery key does not open this database."""

    title = "Wrong key"


class DatabaseTooNew(HvdeskError):
    """The database was written by a newer hvdesk than this one."""

    title = "Database from a newer hvdesk"


class DatabaseLocked(HvdeskError):
    """Another program holds the database."""

    title = "Database busy"


class DiskFull(HvdeskError):
    """The disk holding the data folder is full."""

    title = "Disk full"


class ReadOnlyData(HvdeskError):
    """The database or its folder cannot be written."""

    title = "Cannot write the database"


class MigrationFailed(HvdeskError):
    """An upgrade of the database failed and was rolled back."""

    title = "Upgrade failed"


class KeyNeeded(HvdeskError):
    """The database key is not in the credential store: the recovery key is needed."""

    title = "Recovery key needed"


class InvalidRecoveryKey(HvdeskError):
    """What was typed is not a well-formed recovery key."""

    title = "Recovery key not recognised"


class CredentialStoreUnavailable(HvdeskError):
    """No working OS credential store (as on a headless Linux box)."""

    title = "No credential store"


class AlreadyRunning(HvdeskError):
    """hvdesk is already open for this user."""

    title = "hvdesk is already open"


# --- issue 11 (database errors typed at the session boundary) and issue 16 (server mode) ---


class DatabaseDamaged(NotADatabase):
    """The database file (or a page of it) is damaged."""

    title = "Database damaged"


class ServerUnreachable(HvdeskError):
    """The database server did not answer (network, server stopped, wrong address)."""

    title = "Database server not reachable"


class ServerSignInRefused(HvdeskError):
    """The database server refused hvdesk's sign-in (wrong password or certificate)."""

    title = "Database server refused the sign-in"


class ServerTlsRefused(HvdeskError):
    """The encrypted connection to the server could not be set up or checked."""

    title = "Secure connection refused"


class ServerModeOnly(HvdeskError):
    """What was asked is done by the server's own tools in server mode."""

    title = "The server's job"


class InvalidText(HvdeskError):
    """Text holding a character the database cannot store (NUL on PostgreSQL)."""

    title = "Text not saved"


class DecisionAlreadyMade(HvdeskError):
    """Someone else made this decision first (a claim, an approval): theirs stands."""

    title = "Already done by someone else"


RETRY_HELPS: tuple[type[HvdeskError], ...] = (DatabaseLocked, DiskFull, ServerUnreachable)
"""Errors after which trying the same step again can work: the window offers "Try again"."""
