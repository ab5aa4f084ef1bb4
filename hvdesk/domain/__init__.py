"""Pure rules of home visits: no Qt, no database, no I/O (checked by import-linter)."""
