"""Reads about people that several pages share."""

from axes.models import AccessAttempt
from django.conf import settings
from django.utils import timezone


def locked_usernames() -> list[str]:
    """Accounts locked out now (django-axes: too many failures within the cool-off period)."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    return list(
        AccessAttempt.objects.filter(failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gte=since)
        .values_list("username", flat=True)
        .distinct()
    )


AREA_KINDS = ("city", "county", "zone", "town")


def area_of(unit):
    """The government area a unit belongs to: itself when it is one, else its nearest area ancestor.

    A county's departments belong to the county; the city's departments (市投资促进局) to the city.
    """
    from apps.org.models import Unit

    if unit.kind in AREA_KINDS:
        return unit
    prefixes = [unit.path[:n] for n in range(Unit.steplen, len(unit.path), Unit.steplen)]
    return Unit.objects.filter(path__in=prefixes, kind__in=AREA_KINDS).order_by("-depth").first()


def is_above(upper, lower) -> bool:
    """True when area ``upper`` strictly contains area ``lower`` (the city is above its counties)."""
    return upper is not None and lower is not None and lower.path.startswith(upper.path) and upper.pk != lower.pk
