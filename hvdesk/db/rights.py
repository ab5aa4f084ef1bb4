"""The app's rights on a PostgreSQL server: only what the PCs need (issue 16).

The tables belong to an owner role, which alone runs `hvdesk db upgrade` (DDL). The login role
the PCs use may read and write the school's records, append to the audit trail and use the id
sequences; it may not create or alter anything, change the schema version, or update, delete
or truncate audit entries (the append-only triggers are a second line behind that).
"""

from __future__ import annotations

import re

import sqlalchemy as sa

from hvdesk.errors import HvdeskError

_ROLE = re.compile(r"[a-z_][a-z0-9_]{0,62}")
_AUDIT = "audit_entries"
_VERSION = "alembic_version"


def grant_app_role(engine: sa.Engine, role: str) -> None:
    """Give `role` the app's rights on the current schema, in one transaction."""
    if not _ROLE.fullmatch(role):
        raise HvdeskError(
            f"{role!r} is not a role name hvdesk accepts.",
            "Use lower-case letters, digits and underscores (for example hvdesk_app).",
        )
    if engine.dialect.name != "postgresql":
        raise HvdeskError("Rights are only for a PostgreSQL server.", "")
    who = engine.dialect.identifier_preparer.quote(role)
    statements = [
        "REVOKE CREATE ON SCHEMA public FROM PUBLIC",
        f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {who}",
        f"GRANT USAGE ON SCHEMA public TO {who}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {who}",
        f"REVOKE UPDATE, DELETE, TRUNCATE ON {_AUDIT} FROM {who}",
        f"REVOKE INSERT, UPDATE, DELETE ON {_VERSION} FROM {who}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {who}",
    ]
    with engine.begin() as connection:
        for statement in statements:
            connection.exec_driver_sql(statement)
