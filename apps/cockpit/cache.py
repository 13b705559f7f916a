"""The cockpit's figures are kept for a few minutes (settings.COCKPIT_CACHE_SECONDS; 0 turns it off).

Leaders and the meeting-room screen open the same page again and again while the figures change by the day, and
one computation reads every domain. What a viewer sees depends on their unit (the data scope), their permissions
(which panels), the year, the day and the language the charts were labelled in — all of them are in the key, so
two viewers share figures only when they would see the same ones.
"""

import hashlib
from collections.abc import Callable
from datetime import date, datetime

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import get_language


def _key(user, year: int, today: date) -> str:
    permissions = ",".join(sorted(user.get_all_permissions()))
    viewer = f"{user.unit.path}|{permissions}|{year}|{today.isoformat()}|{get_language()}"
    return "cockpit:" + hashlib.sha256(viewer.encode()).hexdigest()


def kept_panels(user, year: int, today: date, build: Callable[[], dict]) -> tuple[dict, datetime]:
    """The panels ``build`` makes for the viewer and when they were computed: from the cache while fresh."""
    seconds = settings.COCKPIT_CACHE_SECONDS
    if seconds <= 0:
        return build(), timezone.now()
    key = _key(user, year, today)
    kept = cache.get(key)
    if kept is None:
        kept = (build(), timezone.now())
        cache.set(key, kept, seconds)
    return kept
