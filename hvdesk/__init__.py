"""hvdesk: the school safeguarding office's desk for staff home visits."""

__version__ = "0.1.0"
APP_NAME = "hvdesk"
