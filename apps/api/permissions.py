"""Who keeps the tokens, and what a request to the API may do.

Tokens are kept by holders of MANAGE_TOKEN (the system administrator) for their unit's subtree; another
unit's token is a 404 like a missing id. A request acts as its user: a token's integration account or a
person logged in to the pages (the browsable docs). Every API view names the operation and the page
permission of its reads and writes; a token must allow the operation and its account hold the permission.
"""

from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

from apps.api.models import IntegrationToken

MANAGE_TOKEN = "api.manage_token"  # noqa: S105 - a permission name, not a secret


def visible_tokens(user):
    """Tokens of the user's unit subtree."""
    return IntegrationToken.objects.visible_to(user).select_related("unit", "created_by", "account")


def get_token_for_user(user, pk: int) -> IntegrationToken:
    """A token of the user's scope (404 otherwise)."""
    token = visible_tokens(user).filter(pk=pk).first()
    if token is None:
        raise Http404
    return token


class OperationAllowed(BasePermission):
    """The token allows the view's operation (read for safe methods, write otherwise) and the user holds the
    permission the same page would require."""

    def has_permission(self, request, view) -> bool:
        if request.method.lower() not in getattr(view, "action_map", {}):
            return True  # the view answers 405 Method Not Allowed
        write = request.method not in SAFE_METHODS
        operation = view.write_operation if write else view.read_operation
        permission = view.write_permission if write else view.read_permission
        if operation is None or permission is None:
            return False
        token = request.auth if isinstance(request.auth, IntegrationToken) else None
        if token is not None and not token.allows(operation):
            self.message = _("该令牌不允许此操作（%(operation)s）。") % {"operation": operation}
            return False
        if not request.user.has_perm(permission):
            self.message = _("您没有执行该操作的权限。")
            return False
        return True
