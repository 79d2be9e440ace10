"""Navigation tabs: the CRM's own and those registered by installed modules."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask


@dataclass(frozen=True)
class Tab:
    """One entry of the top navigation bar."""

    key: str
    label: str
    endpoint: str
    group: str = 'Other'
    admin_only: bool = False


def register_tab(app: Flask, tab: Tab) -> None:
    """Add ``tab`` to the navigation bar, replacing any tab with the same key."""
    tabs: dict[str, Tab] = app.extensions.setdefault('hostcrm_tabs', {})
    tabs[tab.key] = tab


def registered_tabs(app: Flask) -> list[Tab]:
    """The tabs in registration order."""
    return list(app.extensions.get('hostcrm_tabs', {}).values())
