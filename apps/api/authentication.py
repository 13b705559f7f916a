"""``Authorization: Bearer <token>`` (or ``Token <token>``): the request acts as the token's integration account."""

from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from apps.api import services

KEYWORDS = (b"bearer", b"token")


class IntegrationTokenAuthentication(BaseAuthentication):
    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() not in KEYWORDS:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("认证头格式应为：Authorization: Bearer <令牌>。"))
        try:
            plaintext = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("令牌无效。")) from None
        return self._check(services.find_token(plaintext))

    @staticmethod
    def _check(token):
        if token is None:
            raise exceptions.AuthenticationFailed(_("令牌无效。"))
        if token.revoked_at is not None:
            raise exceptions.AuthenticationFailed(_("令牌已吊销。"))
        if token.is_expired:
            raise exceptions.AuthenticationFailed(_("令牌已过期。"))
        if not token.account.is_active:
            raise exceptions.AuthenticationFailed(_("接口账号已停用。"))
        services.mark_used(token)
        return token.account, token

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="api"'
