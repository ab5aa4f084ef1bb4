"""A durable credential store for child processes that are killed on purpose (kill_loops.py).

Selected with PYTHON_KEYRING_BACKEND=benchmarks.file_keyring.FileKeyring and
HVDESK_KEYRING_FILE=<path>. Each change is written to a temporary file, synced and renamed, as a
real credential store commits its own writes: a kill leaves the store before or after a change.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import keyring.backend
import keyring.errors


class FileKeyring(keyring.backend.KeyringBackend):
    """Secrets in one JSON file named by $HVDESK_KEYRING_FILE."""

    priority = 1  # type: ignore[assignment]

    @staticmethod
    def _path() -> Path:
        return Path(os.environ["HVDESK_KEYRING_FILE"])

    def _read(self) -> dict[str, str]:
        try:
            return dict(json.loads(self._path().read_text()))
        except FileNotFoundError:
            return {}

    def _write(self, secrets: dict[str, str]) -> None:
        path = self._path()
        part = path.with_name(path.name + ".part")
        with part.open("w") as handle:
            json.dump(secrets, handle)
            handle.flush()
            os.fsync(handle.fileno())
        part.replace(path)

    def get_password(self, service: str, username: str) -> str | None:
        return self._read().get(f"{service}/{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        secrets = self._read()
        secrets[f"{service}/{username}"] = password
        self._write(secrets)

    def delete_password(self, service: str, username: str) -> None:
        secrets = self._read()
        if secrets.pop(f"{service}/{username}", None) is None:
            raise keyring.errors.PasswordDeleteError("no such entry")
        self._write(secrets)
