"""Who sees and keeps the business-environment evaluation.

The indicator system is city-wide reference data: everyone holding the read permission sees every
version (there is no unit scope to apply). Only the business-environment bureau's keepers
(MANAGE_METHODOLOGY) change a draft version, publish it or copy it into a new one.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from apps.bizenv.models import Indicator, Methodology

VIEW_METHODOLOGY = "bizenv.view_methodology"
MANAGE_METHODOLOGY = "bizenv.manage_methodology"


def visible_methodologies(user):
    """Every version for a live user (shared data: no unit scope); pages still check VIEW_METHODOLOGY (403)."""
    if not (user.is_authenticated and user.is_active):
        return Methodology.objects.none()
    return Methodology.objects.all()


def visible_indicators(user):
    return Indicator.objects.filter(methodology__in=visible_methodologies(user))


def can_manage(user) -> bool:
    return user.is_authenticated and user.is_active and user.has_perm(MANAGE_METHODOLOGY)


def get_for_user(queryset, user, pk: int, *, permission: str = VIEW_METHODOLOGY):
    """A record of the visible queryset (404 otherwise) that the user holds the permission for (403)."""
    record = queryset.filter(pk=pk).first()
    if record is None:
        raise Http404
    if not user.has_perm(permission):
        raise PermissionDenied
    return record


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied
