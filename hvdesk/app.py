"""The composition root: builds the real clock, key store, database, every service (once, in a
`Services`) and the window, and wires them.

Everything else takes its dependencies in; only here are the real ones chosen. Start-up order:
Qt application, log file, one instance per user, then the database (opened, created, or
unlocked with the recovery key; migrations run inside `open`, before any window), on a school
database with no administrator yet the first administrator's account, then the main window,
in privacy mode (no one signed in) unless that administrator was just created. A problem the
office can act on is shown as such and exits 1; anything else is a bug, logged with its
traceback, and the dialog says where the log is.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
import tempfile
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import cast

import keyring.backend
import platformdirs
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QInputDialog, QLineEdit, QMessageBox, QWidget

from hvdesk import APP_NAME, __version__, paths
from hvdesk.clock import Clock, SystemClock
from hvdesk.db.errors import known_error
from hvdesk.db.keys import KeyStore
from hvdesk.db.server import ServerSettings, server_settings
from hvdesk.errors import (
    AlreadyRunning,
    DatabaseMissing,
    HvdeskError,
    KeyNeeded,
    ServerSignInRefused,
)
from hvdesk.logging_setup import setup_logging
from hvdesk.resources_path import resource_path
from hvdesk.services.accounts import Accounts
from hvdesk.services.container import Services
from hvdesk.services.identity import SignedInUser
from hvdesk.services.opening import DatabaseOpener, OpenedDatabase
from hvdesk.ui.about import AboutInfo
from hvdesk.ui.board.alert_sound import SoundSink
from hvdesk.ui.dialogs.error_dialog import show_bug, show_error
from hvdesk.ui.dialogs.first_admin_dialog import FirstAdminDialog
from hvdesk.ui.dialogs.unlock_dialog import UnlockDialog
from hvdesk.ui.icons import icon
from hvdesk.ui.main_window import MainWindow
from hvdesk.ui.single_instance import SingleInstance, instance_name
from hvdesk.ui.theme import apply_theme
from hvdesk.ui.window_geometry import show_as_remembered

log = logging.getLogger(__name__)

EXIT_AFTER_FIRST_PAINT_ENV = "HVDESK_EXIT_AFTER_FIRST_PAINT"
ORGANISATION = "hvdesk"


@dataclass
class _Opened:
    opened: OpenedDatabase
    folder: Path
    demo: bool = False
    throwaway: bool = False


class _ThrowawayKeys:
    """Where a throwaway demo keeps its key: in memory, so demos never fill the Windows
    Credential Manager with keys of deleted folders. Deliberately not a `KeyringBackend`
    subclass: those register themselves for keyring's backend discovery."""

    def __init__(self) -> None:
        self._secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self._secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self._secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self._secrets.pop((service, username), None)


def run_gui(
    data_dir: Path | None,
    demo: bool,
    argv: list[str],
    *,
    clock: Clock | None = None,
    keystore: KeyStore | None = None,
    instance: SingleInstance | None = None,
    log_dir: Path | None = None,
    exit_after_first_paint: bool | None = None,
    on_window: Callable[[MainWindow], None] | None = None,
    sound: SoundSink | None = None,
) -> int:
    """Run the desktop app until its window closes; returns the process exit code.

    The keyword arguments exist for tests and benchmarks; `hvdesk` and `hvdesk --demo` pass
    none of them. `exit_after_first_paint` (or HVDESK_EXIT_AFTER_FIRST_PAINT=1) quits as soon
    as the main window has painted once, for timing start-up from outside the process.
    """
    app = _application(argv)
    log_file = setup_logging(log_dir if log_dir is not None else paths.default_log_dir())
    clock = clock if clock is not None else SystemClock()
    if exit_after_first_paint is None:
        exit_after_first_paint = os.environ.get(EXIT_AFTER_FIRST_PAINT_ENV) == "1"
    instance = (
        instance if instance is not None else SingleInstance(instance_name(), _instance_lock_dir())
    )
    opened: _Opened | None = None
    window: MainWindow | None = None
    previous_hook = sys.excepthook
    try:
        if not instance.acquire():
            if not instance.notify_running():
                show_error(
                    AlreadyRunning(
                        "hvdesk is already open for your account, but it is not answering.",
                        "Look for its window on the taskbar. If it has stopped responding, "
                        "close it (or sign out of Windows and back in), then start hvdesk again.",
                    )
                )
            log.info("Another hvdesk is running for this user; asked it to come forward")
            return 0
        try:
            opened = _open(data_dir, demo, clock, keystore)
        except HvdeskError as exc:
            log.warning("Could not open the database: %s", type(exc).__name__)
            show_error(exc)
            return 1
        if opened is None:
            return 0  # the user chose not to create or unlock a database
        about = AboutInfo(
            data_dir=opened.folder,
            log_file=log_file,
            demo=opened.demo,
            throwaway=opened.throwaway,
        )
        services = Services.build(opened.opened.database, clock)
        go_on, administrator = (True, None) if opened.demo else _first_run(opened, services)
        if not go_on:
            return 0  # the set-up was stopped: it opens again at the next start
        if administrator is None and not opened.demo:
            administrator = _first_administrator(services.accounts)
        window = MainWindow(services, about, sound=sound)
        if administrator is not None:
            window.current_user.sign_in(administrator)
        instance.raise_requested.connect(window.bring_to_front)
        sys.excepthook = _excepthook(log_file, window)
        if exit_after_first_paint:
            _quit_after_first_paint(app, window)
        show_as_remembered(window, opened.folder)  # maximised the first time (issue 13)
        if on_window is not None:
            on_window(window)
        return app.exec()
    except Exception as exc:
        known = known_error(exc, opened.opened.database.place) if opened is not None else None
        if known is not None:  # the disk filled or the file was locked while starting
            log.warning("Could not start: %s", type(known).__name__)
            show_error(known, window)
            return 1
        log.exception("hvdesk stopped because of an unexpected error")
        show_bug(log_file, window)
        return 1
    finally:
        sys.excepthook = previous_hook
        _shut_down(window, opened, instance)


def _application(argv: list[str]) -> QApplication:
    existing = QApplication.instance()
    app = cast(QApplication, existing) if existing is not None else QApplication(argv)
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(ORGANISATION)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(APP_NAME)
    app.setWindowIcon(icon("hvdesk"))
    apply_theme(app)  # light throughout, even on a dark system (issue 15)
    app.setStyleSheet(resource_path("style.qss").read_text(encoding="utf-8"))
    return app


def _instance_lock_dir() -> Path:
    """The user's runtime folder (cleared at sign-out), else their local data folder."""
    with warnings.catch_warnings():
        # On Linux without XDG_RUNTIME_DIR, platformdirs warns and falls back to /tmp: fine here.
        warnings.simplefilter("ignore")
        runtime = platformdirs.user_runtime_dir(APP_NAME, appauthor=False)
    for candidate in (
        runtime,
        platformdirs.user_data_dir(APP_NAME, appauthor=False, roaming=False),
    ):
        folder = Path(candidate)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            continue
        if os.access(folder, os.W_OK):
            return folder
    return Path(tempfile.gettempdir()) / APP_NAME


def _open(
    data_dir: Path | None, demo: bool, clock: Clock, keystore: KeyStore | None
) -> _Opened | None:
    """The database to show, or None if the user declined to create or unlock one."""
    if demo:
        return _open_demo(data_dir, clock, keystore)
    folder = data_dir if data_dir is not None else paths.default_data_dir()
    opener = DatabaseOpener(keystore if keystore is not None else KeyStore(), clock)
    server = server_settings()
    if server is not None:  # issue 16: the school's database is on a server
        return _open_server(opener, server, folder)
    try:
        if not folder.exists():  # first run: the data folder is made with the database
            raise DatabaseMissing(f"There is no hvdesk data folder at {folder} yet.")
        return _Opened(opener.open(folder), folder)
    except DatabaseMissing:
        return _offer_new_database(opener, folder)
    except KeyNeeded as exc:
        return _unlock(opener, folder, exc)


def _open_server(opener: DatabaseOpener, server: ServerSettings, folder: Path) -> _Opened | None:
    """Open the server's database; a refused sign-in asks for the password once (it is then
    kept in the credential store), like the recovery key."""
    try:
        return _Opened(opener.open_server(server), folder)
    except ServerSignInRefused as refused:
        password, ok = QInputDialog.getText(
            None,
            "hvdesk: database server password",
            f"{refused.what}\n\nPassword for {server.credential_name} (kept in this PC's "
            "credential store):",
            QLineEdit.EchoMode.Password,
        )
        if not ok:
            return None
        return _Opened(opener.open_server(server, password), folder)


def _open_demo(data_dir: Path | None, clock: Clock, keystore: KeyStore | None) -> _Opened:
    # Imported here: the demo seeder is not needed for a normal start.
    from hvdesk.services.demo import create_demo_database

    throwaway = data_dir is None
    if throwaway:
        folder = Path(tempfile.mkdtemp(prefix="hvdesk-demo-"))
        keys = KeyStore(cast(keyring.backend.KeyringBackend, _ThrowawayKeys()))
    else:
        assert data_dir is not None
        folder = data_dir
        keys = keystore if keystore is not None else KeyStore()
    opened, _summary = create_demo_database(folder, DatabaseOpener(keys, clock), clock)
    log.info("Demo database created (throwaway: %s)", throwaway)
    return _Opened(opened, folder, demo=True, throwaway=throwaway)


def _offer_new_database(opener: DatabaseOpener, folder: Path) -> _Opened | None:
    answer = QMessageBox.question(
        None,
        "hvdesk: set up a new school database",
        f"There is no hvdesk database in:\n{folder}\n\n"
        "Create a new, empty school database there?\n\n"
        "Choose No if the school's records should already be on this PC (for example after "
        "moving to a new PC): then check the data folder, or restore a backup, first.",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.Yes,
    )
    if answer != QMessageBox.StandardButton.Yes:
        log.info("The user chose not to create a database")
        return None
    opened = opener.create(folder)
    assert opened.recovery_key is not None  # the first-run assistant shows it (issue 15)
    return _Opened(opened, folder)


def _first_run(opened: _Opened, services: Services) -> tuple[bool, SignedInUser | None]:
    """The first-run assistant on a database that needs setting up (issue 15)."""
    from hvdesk.ui.first_run import run_first_run

    return run_first_run(services, recovery_key=opened.opened.recovery_key, folder=opened.folder)


def _first_administrator(accounts: Accounts) -> SignedInUser | None:
    """On a school database with no administrator (a new one, or "Later" last time), ask for
    one; they are signed in. None if there is one already, or the office chose "Later"."""
    if not accounts.needs_first_administrator():
        return None
    dialog = FirstAdminDialog(accounts)
    try:
        dialog.exec()
        if dialog.user is None:
            log.info("The first administrator was left for later")
        return dialog.user
    finally:
        dialog.deleteLater()


def _unlock(opener: DatabaseOpener, folder: Path, needed: KeyNeeded) -> _Opened | None:
    dialog = UnlockDialog(
        f"{needed.what} {needed.todo}".strip(),
        attempt=lambda typed: opener.open(folder, recovery_key=typed),
        folder=folder,
    )
    accepted = dialog.exec() == UnlockDialog.DialogCode.Accepted
    if dialog.failure is not None:
        raise dialog.failure
    if not accepted:
        log.info("The user closed the recovery key dialog")
        return None
    return _Opened(cast(OpenedDatabase, dialog.opened), folder)


class _FirstPaint(QObject):
    """Quits once the main window has painted: the start-up benchmark times the process."""

    def __init__(self, app: QApplication, window: MainWindow) -> None:
        super().__init__(window)
        self._app = app
        self._window = window
        self._seen = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if (
            not self._seen
            and event.type() == QEvent.Type.Paint
            and isinstance(watched, QWidget)
            and watched.window() is self._window
        ):
            self._seen = True
            self._app.removeEventFilter(self)
            QTimer.singleShot(0, self._finish)  # after this paint completes
        return False

    def _finish(self) -> None:
        if sys.stdout is not None:  # a gui-script on Windows has no stdout
            print("first-paint", flush=True)
        # Closing the last window ends app.exec(), as when the user closes it. (Calling
        # app.quit() with the window still open left later local-socket notifications
        # undelivered in the test process.)
        self._window.close()
        if not self._app.quitOnLastWindowClosed():
            self._app.quit()


def _quit_after_first_paint(app: QApplication, window: MainWindow) -> None:
    app.installEventFilter(_FirstPaint(app, window))


def _excepthook(
    log_file: Path | None, window: QWidget
) -> Callable[[type[BaseException], BaseException, TracebackType | None], None]:
    """Errors raised inside Qt slots end here rather than vanishing on a console nobody has."""

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if isinstance(exc, HvdeskError):
            log.warning("%s in an event handler", type(exc).__name__)
            show_error(exc, window)
            return
        log.critical("Unexpected error in an event handler", exc_info=(kind, exc, tb))
        show_bug(log_file, window)

    return hook


def _shut_down(window: MainWindow | None, opened: _Opened | None, instance: SingleInstance) -> None:
    if window is not None:
        window.timers.stop_all()
        window.close()
        window.deleteLater()
    if opened is not None:
        opened.opened.database.close()
        if opened.throwaway:
            shutil.rmtree(opened.folder, ignore_errors=True)
    instance.release()
