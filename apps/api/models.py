"""Integration tokens (接口令牌): how another department's system reaches the REST API.

A token acts through its own integration account, a User of the token's unit who cannot log in with a
password, so the data scope (``visible_to``) and the services' permission checks apply to it as to a person;
its operations restrict it further. Only the SHA-256 of the secret is stored; the prefix finds the row.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.scope import ScopedQuerySet


class Operation(models.TextChoices):
    PROJECTS_READ = "projects:read", _("读取招商项目")
    PROJECTS_WRITE = "projects:write", _("登记和修改招商项目")
    ENTERPRISES_READ = "enterprises:read", _("读取企业库")
    ENTERPRISES_WRITE = "enterprises:write", _("登记和修改企业")
    APPEALS_READ = "appeals:read", _("读取诉求工单")
    APPEALS_WRITE = "appeals:write", _("登记诉求工单")
    LEDGERS_READ = "ledgers:read", _("读取督查台账（问题整改、政府承诺、信用红黑名单）")


class IntegrationTokenQuerySet(ScopedQuerySet):
    scope_owner = "unit"

    def live(self) -> "IntegrationTokenQuerySet":
        """Tokens neither revoked nor expired."""
        return self.filter(revoked_at=None).filter(models.Q(expires_at=None) | models.Q(expires_at__gt=timezone.now()))


class IntegrationToken(models.Model):
    name = models.CharField(_("对接系统名称"), max_length=100)
    unit = models.ForeignKey("org.Unit", verbose_name=_("所属单位"), on_delete=models.PROTECT, related_name="+")
    operations = models.JSONField(_("允许的操作"), default=list)
    prefix = models.CharField(_("令牌前缀"), max_length=12, unique=True)  # serves the lookup of every request
    secret_hash = models.CharField(max_length=64, editable=False)
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("接口账号"), on_delete=models.PROTECT, related_name="integration_token"
    )
    expires_at = models.DateTimeField(_("有效期至"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("吊销人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    last_used_at = models.DateTimeField(_("最近使用时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    objects = IntegrationTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")
        ordering = ["-created_at", "-id"]
        permissions = [("manage_token", _("管理接口令牌"))]

    def __str__(self) -> str:
        return f"{self.name}（{self.prefix}）"

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None and not self.is_expired

    def allows(self, operation: str) -> bool:
        return operation in self.operations

    def operation_labels(self) -> list[str]:
        return [Operation(code).label for code in self.operations if code in Operation.values]
