"""Printable documents built with reportlab from service read-models. No Qt here."""
