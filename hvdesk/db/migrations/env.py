"""Alembic environment: always run by hvdesk on a connection it already opened.

No fileConfig (it would reset the application's logging) and no URL (the key never goes into
a ConfigParser). Batch mode so SQLite can alter tables.
"""

from alembic import context

from hvdesk.db.models import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("hvdesk migrations run through hvdesk (hvdesk db upgrade), not alembic")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
    compare_type=True,
    transactional_ddl=True,
)
with context.begin_transaction():
    context.run_migrations()
