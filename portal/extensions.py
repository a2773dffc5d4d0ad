"""Where the domain apps plug into the shared core without the core importing them.

An app registers, in its AppConfig.ready(), the menu items it adds, the links it offers from a
generic case (to the repair's own page, "raise a complaint from this case"), and the sections it
adds to a resident's subject access export. The core asks here and renders what it is given.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import reverse


@dataclass(frozen=True)
class MenuItem:
    audience: str  # "staff" or "resident"
    label: str
    url_name: str
    order: int = 50
    visible: Callable = field(default=lambda user: True, compare=False)

    @property
    def url(self):
        return reverse(self.url_name)


@dataclass(frozen=True)
class CaseLink:
    label: str
    url: str


_menu: list[MenuItem] = []
_case_links: list[Callable] = []
_subject_access: dict[str, Callable] = {}


def register_menu_item(item: MenuItem) -> None:
    if item not in _menu:
        _menu.append(item)
        _menu.sort(key=lambda i: i.order)


def menu_items(*, audience: str, user) -> list[MenuItem]:
    return [item for item in _menu if item.audience == audience and item.visible(user)]


def register_case_links(provider: Callable) -> None:
    """provider(case, audience) returns the CaseLinks that app offers for that case."""
    if provider not in _case_links:
        _case_links.append(provider)


def case_links(case, *, audience: str) -> list[CaseLink]:
    return [link for provider in _case_links for link in provider(case, audience)]


def register_subject_access(section: str, exporter: Callable) -> None:
    """exporter(resident) returns a list of dicts: everything that app holds about the resident."""
    _subject_access[section] = exporter


def subject_access_sections() -> dict[str, Callable]:
    return dict(_subject_access)
