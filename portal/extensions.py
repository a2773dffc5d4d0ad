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
    audience: str  # "staff", "resident", or "public" (a page anyone may read, linked from the footer)
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


@dataclass(frozen=True)
class CaseOpener:
    """A kind of case another app can open in one step (an issue raised at a surgery, a problem
    found on an estate inspection). opener(**fields) returns the new Case; see open_case_for."""

    key: str  # "enquiry", "repair", "communal_repair", "complaint"
    label: str
    opener: Callable = field(compare=False)
    order: int = 50


_case_openers: dict[str, CaseOpener] = {}


def register_case_opener(item: CaseOpener) -> None:
    _case_openers[item.key] = item


def case_openers() -> list[CaseOpener]:
    return sorted(_case_openers.values(), key=lambda i: i.order)


def open_case_for(key: str, **fields):
    """Open a case of the registered kind. Fields every opener accepts: officer (who raised it),
    summary, details, channel, and resident, home, block or estate where known."""
    return _case_openers[key].opener(**fields)


@dataclass(frozen=True)
class ChangeMade:
    """One published "you said, we did" item, from whichever app recorded it."""

    made_on: object  # date
    you_said: str
    we_did: str
    source: str  # "Complaints", "Scrutiny review", "Consultation"...
    url: str = ""


_change_sources: list[Callable] = []


def register_change_source(provider: Callable) -> None:
    """provider() returns the published ChangeMade items that app holds."""
    if provider not in _change_sources:
        _change_sources.append(provider)


def changes_made() -> list[ChangeMade]:
    items = [item for provider in _change_sources for item in provider()]
    return sorted(items, key=lambda i: i.made_on, reverse=True)


@dataclass(frozen=True)
class HomeSection:
    """A block another app adds to the resident's home page ("Your panels and meetings",
    "Your next surgery"). The template is included with `section` (this context) and `resident`."""

    template: str
    context: dict = field(default_factory=dict, compare=False)
    order: int = 50


_home_sections: list[Callable] = []


def register_resident_home_section(provider: Callable) -> None:
    """provider(resident) returns a HomeSection, or None when it has nothing to show. Each
    provider must use a fixed number of queries, so the home page does not grow with data."""
    if provider not in _home_sections:
        _home_sections.append(provider)


def resident_home_sections(resident) -> list[HomeSection]:
    sections = [provider(resident) for provider in _home_sections]
    return sorted((s for s in sections if s is not None), key=lambda s: s.order)


@dataclass(frozen=True)
class MeasureResult:
    """A live performance figure over a period: `met` of `total` (call-backs kept of those due)."""

    met: int
    total: int

    @property
    def percent(self):
        """Percent to one decimal place, rounded half up (the regulator's rounding); None if empty."""
        from decimal import ROUND_HALF_UP, Decimal

        if not self.total:
            return None
        return (Decimal(self.met) * 100 / Decimal(self.total)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class LiveMeasure:
    """A figure the portal computes from its own records. compute(start, end) takes two dates
    (inclusive, Europe/London) and returns a MeasureResult, aggregated in the database. The charter
    app defines and registers these; scrutiny reviews cite them as evidence without importing it."""

    key: str
    label: str
    compute: Callable = field(compare=False)
    description: str = ""
    higher_is_better: bool = True


_live_measures: dict[str, LiveMeasure] = {}


def register_live_measure(measure: LiveMeasure) -> None:
    _live_measures[measure.key] = measure


def live_measures() -> list[LiveMeasure]:
    return list(_live_measures.values())


def live_measure(key: str) -> LiveMeasure | None:
    return _live_measures.get(key)
