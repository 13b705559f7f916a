"""What other apps link to an enterprise (projects, appeals, credit status …), for its page.

Each app registers a provider in its AppConfig.ready(); a provider takes the enterprise and the
user and returns the linked records that user may see, applying its own app's data scope. The
registry itself knows nothing of those apps.
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class LinkedRecord:
    label: str
    url: str
    detail: str = ""


@dataclass(frozen=True)
class LinkSection:
    title: str
    records: list[LinkedRecord] = field(default_factory=list)
    #: how many there are in all, when ``records`` shows only the first few
    total: int = 0
    more_url: str = ""


Provider = Callable[[object, object], LinkSection | None]
_providers: list[Provider] = []


def register(provider: Provider) -> None:
    """Add a source of linked records."""
    if provider not in _providers:
        _providers.append(provider)


def links_for(enterprise, user) -> list[LinkSection]:
    """The sections other apps show on the enterprise's page for this user, in registration order."""
    sections = (provider(enterprise, user) for provider in _providers)
    return [section for section in sections if section is not None]
