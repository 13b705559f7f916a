"""Marks other apps put on an enterprise wherever it is shown (a credit warning, a fast-lane badge …).

Like links.py, each app registers a provider in its AppConfig.ready(); a provider takes the enterprises shown
on one page, the user and the record the page is about (a project, or None for the enterprise's own page and
the registry list) and returns {enterprise id: [Mark]} with a fixed number of queries, so a list stays free of
N+1. ``attach_marks`` sets ``enterprise.marks`` for the template include enterprises/_marks.html. The
registry itself knows nothing of those apps.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Model


@dataclass(frozen=True)
class Mark:
    DANGER = "danger"
    SUCCESS = "success"

    label: str
    detail: str
    level: str
    url: str = ""


Provider = Callable[..., dict[int, list[Mark]]]
_providers: list[Provider] = []


def register(provider: Provider) -> None:
    """Add a source of marks."""
    if provider not in _providers:
        _providers.append(provider)


def marks_for(enterprises: Iterable, user, *, shown_on: Model | None = None, url: str = "") -> dict[int, list[Mark]]:
    """Enterprise id → its marks from every provider, warnings first."""
    shown = [enterprise for enterprise in enterprises if enterprise is not None]
    found: dict[int, list[Mark]] = {}
    if not shown:
        return found
    for provider in _providers:
        for pk, marks in provider(shown, user, shown_on=shown_on, url=url).items():
            found.setdefault(pk, []).extend(marks)
    for marks in found.values():
        marks.sort(key=lambda mark: mark.level != Mark.DANGER)
    return found


def attach_marks(enterprises: Iterable, user, *, shown_on: Model | None = None, url: str = "") -> list:
    """The enterprises as a list, each with ``marks`` set (an empty list when it has none)."""
    shown = [enterprise for enterprise in enterprises if enterprise is not None]
    found = marks_for(shown, user, shown_on=shown_on, url=url)
    for enterprise in shown:
        enterprise.marks = found.get(enterprise.pk, [])
    return shown
