"""Incident dialogs: raising an incident by hand, and its review beside the visit's timeline."""
