"""A credential store for benchmark child processes: it holds the one demo key it is given.

Selected with PYTHON_KEYRING_BACKEND=benchmarks.bench_keyring.BenchKeyring so the timed app
start finds its key the way it does on a school PC, without touching the real store.
"""

from __future__ import annotations

import os

import keyring.backend


class BenchKeyring(keyring.backend.KeyringBackend):
    """Answers every lookup with $HVDESK_BENCH_KEY (a hex key); stores nothing."""

    priority = 1  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        return os.environ.get("HVDESK_BENCH_KEY")

    def set_password(self, service: str, username: str, password: str) -> None:
        os.environ["HVDESK_BENCH_KEY"] = password

    def delete_password(self, service: str, username: str) -> None:
        os.environ.pop("HVDESK_BENCH_KEY", None)
