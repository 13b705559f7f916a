"""The main menu: each app registers its entries in AppConfig.ready().

An entry is shown only to users holding its permission, so a domain not built yet is simply
absent, and a user never sees a link that would answer 403.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    permission: str | None = None
    #: a further test of the user where a permission is not enough (e.g. "works in the coordinating unit")
    allowed: Callable[[object], bool] | None = None

    def shown_to(self, user) -> bool:
        if self.permission is not None and not user.has_perm(self.permission):
            return False
        return self.allowed is None or self.allowed(user)


@dataclass
class NavSection:
    key: str
    label: str
    order: int
    items: list[NavItem] = field(default_factory=list)


_sections: dict[str, NavSection] = {}


def register(section: str, section_label: str, order: int, items: list[NavItem]) -> None:
    """Add menu items under a section (created on first use)."""
    entry = _sections.setdefault(section, NavSection(section, section_label, order))
    entry.items.extend(item for item in items if item not in entry.items)


def menu_for(user) -> list[dict]:
    """The sections and items the user may open, in menu order."""
    if not user.is_authenticated:
        return []
    menu = []
    for section in sorted(_sections.values(), key=lambda s: s.order):
        items = [
            {"label": item.label, "url": reverse(item.url_name), "url_name": item.url_name}
            for item in section.items
            if item.shown_to(user)
        ]
        if items:
            menu.append({"label": section.label, "items": items})
    return menu
