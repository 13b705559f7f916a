"""Issuing and revoking integration tokens, and recognising one on a request."""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.models import Permission
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.api.models import IntegrationToken, Operation
from apps.core.audit import records_actor
from apps.core.errors import BusinessRuleError
from apps.org.models import Unit, User

#: what the integration account may do for each operation (the services and scopes check these as for a person)
OPERATION_PERMISSIONS = {
    Operation.PROJECTS_READ: ("investment.view_project",),
    Operation.PROJECTS_WRITE: ("investment.view_project", "investment.add_project", "investment.change_project"),
    Operation.ENTERPRISES_READ: ("enterprises.view_enterprise", "enterprises.view_contact"),
    Operation.ENTERPRISES_WRITE: (
        "enterprises.view_enterprise",
        "enterprises.add_enterprise",
        "enterprises.change_enterprise",
    ),
    Operation.APPEALS_READ: ("appeals.view_appeal",),
    Operation.APPEALS_WRITE: ("appeals.view_appeal", "appeals.record_appeal"),
    Operation.LEDGERS_READ: ("supervision.view_problem", "supervision.view_creditentry"),
}
TOKEN_PREFIX = "ys"  # noqa: S105 - the public marker in front of every token
#: last_used_at is written at most this often, so that a busy integration does not write on every request
LAST_USED_PRECISION = timedelta(minutes=1)


@dataclass(frozen=True)
class IssuedToken:
    token: IntegrationToken
    #: the whole token, shown once: only its hash is kept
    plaintext: str


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _permissions(operations: list[str]) -> list[Permission]:
    names = {name for operation in operations for name in OPERATION_PERMISSIONS[Operation(operation)]}
    condition = Q(pk__in=[])
    for name in names:
        app_label, codename = name.split(".")
        condition |= Q(content_type__app_label=app_label, codename=codename)
    return list(Permission.objects.filter(condition))


def _check(*, name: str, unit: Unit, operations: list[str], expires_at: datetime | None, by: User) -> str:
    name = (name or "").strip()
    if not name:
        raise BusinessRuleError(_("请填写对接系统名称。"), field="name")
    if not Unit.objects.visible_to(by).filter(pk=unit.pk).exists():
        raise BusinessRuleError(_("只能为本单位及下级单位创建接口令牌。"), field="unit")
    if not operations or set(operations) - set(Operation.values):
        raise BusinessRuleError(_("请至少选择一项允许的操作。"), field="operations")
    if expires_at is not None and expires_at <= timezone.now():
        raise BusinessRuleError(_("有效期必须晚于现在。"), field="expires_at")
    return name


@records_actor
@transaction.atomic
def create_token(*, name: str, unit: Unit, operations: list[str], expires_at: datetime | None, by: User) -> IssuedToken:
    """A new token with its own integration account (no password login) holding the operations' permissions."""
    name = _check(name=name, unit=unit, operations=operations, expires_at=expires_at, by=by)
    prefix, secret = secrets.token_hex(4), secrets.token_urlsafe(32)
    account = User(username=f"api-{prefix}", name=(_("接口账号：%(name)s") % {"name": name})[:50], unit=unit)
    account.must_change_password = False
    account.is_integration = True
    account.set_unusable_password()
    account.save()
    account.user_permissions.set(_permissions(operations))
    ordered = [code for code in Operation.values if code in operations]
    token = IntegrationToken.objects.create(
        name=name,
        unit=unit,
        operations=ordered,
        prefix=prefix,
        secret_hash=_hash(secret),
        account=account,
        expires_at=expires_at,
        created_by=by,
    )
    return IssuedToken(token=token, plaintext=f"{TOKEN_PREFIX}_{prefix}_{secret}")


@records_actor
@transaction.atomic
def revoke_token(*, token: IntegrationToken, by: User) -> IntegrationToken:
    """Stop a token at once; its account is disabled too, so nothing it started can go on acting."""
    token = IntegrationToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        raise BusinessRuleError(_("该令牌已吊销。"))
    token.revoked_at, token.revoked_by = timezone.now(), by
    token.save(update_fields=["revoked_at", "revoked_by"])
    account = token.account
    account.is_active = False
    account.save(update_fields=["is_active"])
    return token


def find_token(plaintext: str) -> IntegrationToken | None:
    """The token whose secret this is (revoked and expired ones too: the caller says why it is refused)."""
    marker, _sep, rest = plaintext.partition("_")
    prefix, _sep, secret = rest.partition("_")
    if marker != TOKEN_PREFIX or not prefix or not secret:
        return None
    token = IntegrationToken.objects.select_related("account__unit").filter(prefix=prefix).first()
    if token is None or not hmac.compare_digest(token.secret_hash, _hash(secret)):
        return None
    return token


def mark_used(token: IntegrationToken) -> None:
    """Remember when the token was last used (not audited: it is a fact about the token, not a change)."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        IntegrationToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
