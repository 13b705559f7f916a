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
