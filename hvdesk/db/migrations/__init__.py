"""Alembic migrations, shipped inside the package and run by hvdesk itself."""
