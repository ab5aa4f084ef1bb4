"""Data protection: subject access requests and the retention review, one tab each.

Both are for the safeguarding leads (the administrator also answers subject access requests);
each tab asks its service, which refuses anyone else, and says so on the tab.
"""

from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QWidget

from hvdesk.services.container import Services
from hvdesk.ui.current_user import CurrentUser
from hvdesk.ui.data_protection.retention_tab import RetentionTab
from hvdesk.ui.data_protection.subject_access_tab import SubjectAccessTab
from hvdesk.ui.pages.base import Page


class DataProtectionPage(Page):
    """A page of two tabs: "Subject access" and "Retention"."""

    title = "Data protection"
    icon_name = "data-protection"

    def __init__(
        self,
        services: Services,
        current_user: CurrentUser,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent=parent)
        self.summary_label.setText(
            "Requests for a person's records, and records past their retention date."
        )
        self.subject_access_tab = SubjectAccessTab(services.subject_access, current_user)
        self.retention_tab = RetentionTab(services.retention, current_user)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.subject_access_tab, "&Subject access")
        self.tabs.addTab(self.retention_tab, "R&etention")
        self.layout_.addWidget(self.tabs, 1)

    def refresh(self) -> None:
        """Read both tabs again (the page was shown; either may be out of date)."""
        self.subject_access_tab.refresh()
        self.retention_tab.refresh()
