"""Who sees and does what in the assessment.

A scheme is run by its unit (the 考核单位, e.g. the city's investment bureau): people there see every
assessed unit's targets, figures and rankings. An assessed unit sees its own targets and figures, and
the rankings and bulletins of the schemes it is assessed in: a bulletin is sent to every unit it ranks.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.http import Http404

from apps.assessment.models import Admonition, Bulletin, Deduction, ManualValue, Scheme, Snapshot, Target

VIEW = "assessment.view_snapshot"
VIEW_TARGET = "assessment.view_target"
VIEW_BULLETIN = "assessment.view_bulletin"
MANAGE_SCHEME = "assessment.manage_scheme"
TAKE_SNAPSHOT = "assessment.take_snapshot"
ENTER_VALUE = "assessment.enter_manual_value"
RECORD_DEDUCTION = "assessment.record_deduction"
RECORD_ADMONITION = "assessment.record_admonition"
ISSUE_BULLETIN = "assessment.issue_bulletin"
MANAGE_TEMPLATE = "assessment.manage_bulletin_template"


def _live(user) -> bool:
    return user.is_authenticated and user.is_active and getattr(user, "unit", None) is not None


def visible_schemes(user):
    """Schemes the user's unit runs (or runs above it) or is assessed in."""
    if not _live(user):
        return Scheme.objects.none()
    path = user.unit.path
    assessed = Target.objects.filter(item__scheme=OuterRef("pk"), unit__path__startswith=path)
    return Scheme.objects.filter(Q(unit__path__startswith=path) | Exists(assessed))


def runs(user, scheme: Scheme) -> bool:
    """The user works in the scheme's unit (or above it): the one who keeps its targets and rankings."""
    return _live(user) and scheme.unit.path.startswith(user.unit.path)


def visible_targets(user):
    return Target.objects.visible_to(user)


def visible_manual_values(user):
    return ManualValue.objects.visible_to(user)


def visible_deductions(user):
    return Deduction.objects.visible_to(user)


def visible_snapshots(user):
    return Snapshot.objects.visible_to(user).distinct()


def visible_admonitions(user):
    return Admonition.objects.visible_to(user)


def visible_bulletins(user):
    return Bulletin.objects.visible_to(user).distinct()


def get_for_user(queryset, user, pk: int, *, permission: str):
    """A record of the scoped queryset (404 otherwise) that the user holds the permission for (403)."""
    record = queryset.filter(pk=pk).first()
    if record is None:
        raise Http404
    if not user.has_perm(permission):
        raise PermissionDenied
    return record


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied
