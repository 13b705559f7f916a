"""Delivery of notices beyond the inbox: each person's preferences, the units' group robots, the delivery log."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.scope import ScopedQuerySet


class NoticePreference(models.Model):
    """How a person wants notices besides the inbox (always on). No row means the inbox only."""

    class EmailMode(models.TextChoices):
        OFF = "off", _("不发邮件")
        EACH = "each", _("每条消息一封邮件")
        DIGEST = "digest", _("每日摘要邮件")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("人员"), on_delete=models.CASCADE, related_name="notice_preference"
    )
    email_mode = models.CharField(_("邮件"), max_length=10, choices=EmailMode.choices, default=EmailMode.OFF)
    by_robot = models.BooleanField(_("推送到本单位工作群（群机器人）"), default=False)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("消息设置")
        verbose_name_plural = _("消息设置")

    def __str__(self) -> str:
        return str(self.user)


class GroupRobotQuerySet(ScopedQuerySet):
    scope_owner = "unit"


class GroupRobot(models.Model):
    """A WeCom or DingTalk group robot (群机器人) of a unit: notices to its people who opted in go to the group."""

    class Kind(models.TextChoices):
        WECOM = "wecom", _("企业微信")
        DINGTALK = "dingtalk", _("钉钉")

    unit = models.ForeignKey("org.Unit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("名称"), max_length=100, help_text=_("如：东城区招商工作群"))
    webhook_url = models.URLField(_("Webhook 地址"), max_length=500)
    secret = models.CharField(
        _("加签密钥"), max_length=200, blank=True, help_text=_("钉钉机器人安全设置选择“加签”时填写，以 SEC 开头")
    )
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = GroupRobotQuerySet.as_manager()

    class Meta:
        verbose_name = _("群机器人")
        verbose_name_plural = _("群机器人")
        ordering = ["unit__path", "name"]
        permissions = [("manage_robot", _("维护群机器人"))]
        constraints = [
            models.UniqueConstraint(
                fields=["unit"],
                condition=Q(is_active=True),
                name="one_active_robot_per_unit",
                violation_error_message=_("该单位已有启用中的群机器人，请先停用原机器人。"),
            )
        ]

    def __str__(self) -> str:
        return self.name


class DeliveryQuerySet(ScopedQuerySet):
    scope_owner = "notice__recipient__unit"

    def due(self, now) -> "DeliveryQuerySet":
        """Waiting or failed deliveries whose next attempt has come."""
        states = [Delivery.State.PENDING, Delivery.State.FAILED]
        return self.filter(state__in=states, next_attempt_at__lte=now)


class Delivery(models.Model):
    """One sending of one notice on one channel to one target; the unique constraint means never twice."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("邮件")
        WECOM = "wecom", _("企业微信")
        DINGTALK = "dingtalk", _("钉钉")
        DIGEST = "digest", _("每日摘要")

    class State(models.TextChoices):
        PENDING = "pending", _("待发送")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("失败")
        ABANDONED = "abandoned", _("放弃")

    notice = models.ForeignKey(
        "core.Notice", verbose_name=_("消息"), on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    target = models.CharField(_("发送对象"), max_length=254)
    robot = models.ForeignKey(
        GroupRobot, verbose_name=_("群机器人"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试时间"), null=True, blank=True)
    last_error = models.TextField(_("最近错误"), blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = _("投递记录")
        verbose_name_plural = _("投递记录")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["notice", "channel", "target"], name="one_delivery_per_channel_target")
        ]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="delivery_due")]  # the sender's queue

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.target}"

    @property
    def can_retry(self) -> bool:
        return self.state in {self.State.FAILED, self.State.ABANDONED}
