"""Server mode: the school's database on a PostgreSQL server instead of a file on this PC.

Which server comes from `--database-url`, else `HVDESK_DATABASE_URL`, else the `url` setting
of a small local settings file (`server.toml` in the user's config folder, or the file named
by `HVDESK_CONFIG`):

    [server]
    url = "postgresql+psycopg://hvdesk_app@db.school.internal/hvdesk"
    ca_file = "C:/ProgramData/hvdesk/school-ca.pem"   # the CA that signed the server's cert
    school = "st-aidans"   # a trust's server: the school this PC works for (or HVDESK_SCHOOL)

The password is never in that file, the URL or a log: it comes from the OS credential store
(asked once, `hvdesk db password`), or libpq finds it in `PGPASSFILE` / a client certificate.
Any host that is not this PC must be reached over TLS that checks the server's certificate
(`sslmode=verify-full` unless the URL asks for `verify-ca`); anything weaker is refused before
connecting.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.pool import QueuePool

from hvdesk.db.audit_trail import lock_chain
from hvdesk.db.engine import WRITER_OPTION, busy_timeout
from hvdesk.db.errors import LOCAL_WORDS, ServerPlace, translate_errors
from hvdesk.errors import HvdeskError, ServerTlsRefused

log = logging.getLogger(__name__)

URL_ENV = "HVDESK_DATABASE_URL"
SCHOOL_ENV = "HVDESK_SCHOOL"
_SCHOOL = re.compile(r"[a-z0-9][a-z0-9_-]{0,39}")
CONFIG_ENV = "HVDESK_CONFIG"
CONFIG_FILENAME = "server.toml"
KEYRING_SERVICE = "hvdesk-database-server"
DRIVER = "postgresql+psycopg"
_LOCAL_HOSTS = {"", "localhost", "127.0.0.1", "::1"}
_CHECKED_TLS = ("verify-full", "verify-ca")


class ServerSettingsError(HvdeskError):
    """The server settings (URL or settings file) cannot be used as they are."""

    title = "Database server settings"


@dataclass(frozen=True)
class ServerSettings:
    """Where the server is and how to check it; never a password."""

    url: URL
    ca_file: Path | None = None
    school: str | None = None  # a trust's server: which school this PC works for (RLS)

    @property
    def place(self) -> ServerPlace:
        return ServerPlace(self.host_words, self.url.database or "")

    @property
    def host(self) -> str:
        """The host, whether written in the URL's authority or as ?host= (libpq allows both)."""
        given = self.url.query.get("host")
        if isinstance(given, tuple):
            given = ",".join(given)
        return self.url.host or given or ""

    @property
    def host_words(self) -> str:
        host = self.host if self.host and not self.host.startswith("/") else LOCAL_WORDS
        return f"{host}:{self.url.port}" if self.url.port else host

    @property
    def is_local(self) -> bool:
        return all(h in _LOCAL_HOSTS or h.startswith("/") for h in self.host.split(","))

    @property
    def credential_name(self) -> str:
        """The credential store's name for this account on this server and database."""
        return f"{self.url.username or ''}@{self.host_words}/{self.url.database or ''}"


def config_file() -> Path:
    """The local settings file: $HVDESK_CONFIG, else server.toml in the user's config folder."""
    given = os.environ.get(CONFIG_ENV)
    if given:
        return Path(given).expanduser()
    from platformdirs import user_config_dir

    return Path(user_config_dir("hvdesk", appauthor=False, roaming=False)) / CONFIG_FILENAME


def server_settings(given_url: str | None = None) -> ServerSettings | None:
    """The server to use, or None for the usual encrypted file in the data folder."""
    from_file = _read_config_file(config_file())
    text = given_url or os.environ.get(URL_ENV) or from_file.get("url")
    if not text:
        return None
    ca = from_file.get("ca_file") or None
    school = os.environ.get(SCHOOL_ENV) or from_file.get("school") or None
    return parse_settings(
        str(text), Path(str(ca)).expanduser() if ca else None, str(school) if school else None
    )


def parse_settings(
    text: str, ca_file: Path | None = None, school: str | None = None
) -> ServerSettings:
    """Check a database URL and settle its TLS, refusing a password written into it."""
    try:
        url = make_url(text.strip())
    except sa.exc.ArgumentError:
        raise ServerSettingsError(
            "The database address is not a database URL.",
            "Write it as postgresql+psycopg://USER@HOST/DATABASE (no password in it).",
        ) from None
    if url.get_backend_name() != "postgresql":
        raise ServerSettingsError(
            f"hvdesk's server mode needs a PostgreSQL server, not {url.get_backend_name()}.",
            "Write the address as postgresql+psycopg://USER@HOST/DATABASE.",
        )
    if url.password is not None:
        raise ServerSettingsError(
            "The database address contains a password; hvdesk never keeps one in a setting.",
            "Remove it from the address, then store it with: hvdesk db password (or use "
            "PGPASSFILE or a client certificate).",
        )
    if not url.database:
        raise ServerSettingsError(
            "The database address names no database.",
            "Add it at the end: postgresql+psycopg://USER@HOST/DATABASE.",
        )
    if school is not None and not _SCHOOL.fullmatch(school):
        raise ServerSettingsError(
            f"{school!r} is not a school name hvdesk accepts in the settings.",
            "Use up to 40 lower-case letters, digits, - and _ (for example st-aidans).",
        )
    url = url.set(drivername=DRIVER)
    settings = ServerSettings(url, ca_file, school)
    sslmode = url.query.get("sslmode")
    if not settings.is_local:
        if sslmode is None:
            url = url.update_query_dict({"sslmode": "verify-full"})
        elif sslmode not in _CHECKED_TLS:
            raise ServerTlsRefused(
                f"The database address asks for sslmode={sslmode} to {settings.host_words}; "
                "hvdesk only talks to another computer over TLS that checks its certificate.",
                "Remove sslmode from the address (verify-full is used) and set ca_file to the "
                "certificate of the CA that signed the server's.",
            )
        if ca_file is not None:
            if not ca_file.is_file():
                raise ServerTlsRefused(
                    f"The CA certificate file {ca_file} does not exist.",
                    "Ask IT for the file and check ca_file in the settings.",
                )
            url = url.update_query_dict({"sslrootcert": str(ca_file)})
    return ServerSettings(url, ca_file, school)


def _read_config_file(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    try:
        parsed = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ServerSettingsError(
            f"The settings file {path} cannot be read ({exc}).",
            "Correct it (see README: 'For IT: a database server'), or remove it to use the "
            "data folder on this PC.",
        ) from exc
    section = parsed.get("server", {})
    if not isinstance(section, dict):
        return {}
    if "password" in section:
        raise ServerSettingsError(
            f"The settings file {path} contains a password; hvdesk never keeps one there.",
            "Remove it, then store it with: hvdesk db password.",
        )
    return section


# --- the password ----------------------------------------------------------------------------


def stored_password(settings: ServerSettings) -> str | None:
    """The password kept in the OS credential store for this server account, if any."""
    import keyring
    import keyring.errors

    try:
        return keyring.get_password(KEYRING_SERVICE, settings.credential_name)
    except keyring.errors.KeyringError:
        return None


def store_password(settings: ServerSettings, password: str) -> bool:
    """Keep the password in the OS credential store; False where there is none."""
    import keyring
    import keyring.errors

    try:
        keyring.set_password(KEYRING_SERVICE, settings.credential_name, password)
    except keyring.errors.KeyringError:
        return False
    return True


def forget_password(settings: ServerSettings) -> None:
    import keyring
    import keyring.errors

    with contextlib.suppress(keyring.errors.KeyringError):
        keyring.delete_password(KEYRING_SERVICE, settings.credential_name)


# --- the engine ------------------------------------------------------------------------------


def create_server_engine(settings: ServerSettings, password: str | None = None) -> Engine:
    """An engine for the server database. With no password given, the stored one is used,
    else libpq's own sources (PGPASSFILE, a client certificate)."""
    secret = password if password is not None else stored_password(settings)
    wait_ms = int(busy_timeout() * 1000)
    connect_args: dict[str, Any] = {
        "connect_timeout": 10,
        "application_name": "hvdesk",
        # A writer waits for another PC's lock this long, then the office is told to try again.
        "options": f"-c lock_timeout={wait_ms} -c idle_in_transaction_session_timeout=60000",
    }
    if settings.school is not None:  # row-level security shows this school's rows only
        connect_args["options"] += f" -c hvdesk.school={settings.school}"
    if secret is not None:
        connect_args["password"] = secret  # beside the URL, so no repr or log can show it
    engine = sa.create_engine(
        settings.url,
        poolclass=QueuePool,
        pool_size=2,
        max_overflow=2,
        pool_timeout=10,
        pool_pre_ping=True,
        connect_args=connect_args,
        hide_parameters=True,
    )
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    translate_errors(engine, settings.place)
    return engine


def _on_begin(conn: sa.Connection) -> None:
    # A unit of work that will write (hvdesk.services.audit.writing_as) takes the audit chain's
    # lock first, as SQLite's BEGIN IMMEDIATE takes the file: writers from several PCs queue
    # (up to lock_timeout) in one order, so none deadlocks and none loses its action.
    if conn.get_execution_options().get(WRITER_OPTION):
        lock_chain(conn)


def _on_connect(dbapi_conn: Any, _record: Any) -> None:
    # Every time in UTC on the wire; the app converts for display.
    with dbapi_conn.cursor() as cursor:
        cursor.execute("SET TIME ZONE 'UTC'")
    dbapi_conn.commit()
