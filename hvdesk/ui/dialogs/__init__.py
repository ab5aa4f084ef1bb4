"""Dialogs: the recovery key, unlocking a database, and errors the office can act on."""
