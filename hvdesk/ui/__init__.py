"""PySide6 windows, pages, dialogs and item models; they talk to services only."""
