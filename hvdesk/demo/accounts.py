"""The demo school's published sign-in: kept apart from the seeder so the window can show it
without importing the database layer."""

from __future__ import annotations

from hvdesk.domain.people import Role

# Every demo account signs in with this password (shown on the demo's sign-in dialog).
DEMO_PASSWORD = "demo-password"  # noqa: S105  (published on purpose: demo data only)
# Accounts the sign-in dialog suggests for trying the demo, one per kind of user.
DEMO_EXAMPLE_ACCOUNTS: tuple[tuple[str, Role], ...] = (
    ("s.whitfield", Role.DSL),
    ("k.lewis", Role.RECEPTION),
    ("p.stanton", Role.ADMINISTRATOR),
)
