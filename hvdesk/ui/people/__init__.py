"""Dialogs for pupils, their families and staff, and the MIS import."""
