"""Pending items (待办) on the home page: each app registers a provider in AppConfig.ready().

A provider takes the user and returns the items that wait for them; it must apply the same
permissions and data scope as the pages it links to.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class PendingItem:
    title: str
    url: str
    count: int = 1
    due: date | None = None
    level: str = "info"  # info / warning / danger, as Bootstrap colours


Provider = Callable[[object], Iterable[PendingItem]]
_providers: list[Provider] = []


def register(provider: Provider) -> None:
    """Add a source of pending items."""
    if provider not in _providers:
        _providers.append(provider)


def pending_for(user) -> list[PendingItem]:
    """All pending items for the user, most urgent first."""
    items = [item for provider in _providers for item in provider(user)]
    urgency = {"danger": 0, "warning": 1, "info": 2}
    return sorted(items, key=lambda i: (urgency.get(i.level, 3), i.due or date.max, i.title))
