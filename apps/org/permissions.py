"""Who may see which units and people: the core data scope applied to the org app."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from apps.org.models import Role, Unit, User


def visible_units(user) -> "Unit.objects":
    """Units in the user's subtree."""
    return Unit.objects.visible_to(user)


def visible_people(user):
    """People of the user's unit subtree (not the integration tokens' accounts: their tokens keep them)."""
    return User.objects.visible_to(user).filter(is_integration=False).select_related("unit")


def get_unit_for_user(user, pk: int, *, action: str = "org.view_unit") -> Unit:
    """The unit if it is in the user's scope (404 otherwise) and the user holds ``action`` (403)."""
    unit = visible_units(user).filter(pk=pk).first()
    if unit is None:
        raise Http404
    if not user.has_perm(action):
        raise PermissionDenied
    return unit


def get_person_for_user(user, pk: int, *, action: str = "org.view_user") -> User:
    """The person if they are in the user's scope (404 otherwise) and the user holds ``action`` (403)."""
    person = visible_people(user).filter(pk=pk).first()
    if person is None:
        raise Http404
    if not user.has_perm(action):
        raise PermissionDenied
    return person


def get_role_for_user(user, pk: int, *, action: str = "org.view_role") -> Role:
    """Roles are shared by the whole city; only the permission matters."""
    if not user.has_perm(action):
        raise PermissionDenied
    role = Role.objects.filter(pk=pk).first()
    if role is None:
        raise Http404
    return role
