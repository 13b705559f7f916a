"""Writes of the notice settings: a person's preferences and the units' group robots (audited by django-auditlog)."""

from django.db import transaction
from django.utils.translation import gettext as _

from apps.core.audit import records_actor
from apps.core.errors import BusinessRuleError
from apps.core.models import GroupRobot, NoticePreference
from apps.core.notice_delivery import nearest_robot, robots_by_path


@records_actor
@transaction.atomic
def save_preference(*, user, email_mode: str, by_robot: bool, by) -> NoticePreference:
    """Set how ``user`` receives notices; e-mail needs an address on the person's record."""
    if email_mode != NoticePreference.EmailMode.OFF and not user.email:
        raise BusinessRuleError(
            _("您的账号没有登记电子邮箱，无法接收邮件；请联系系统管理员在人员信息中补充邮箱。"), field="email_mode"
        )
    if by_robot and nearest_robot(getattr(user.unit, "path", None), robots_by_path()) is None:
        raise BusinessRuleError(
            _("您所在单位及上级单位都没有启用的群机器人，暂时无法推送到工作群；请联系管理员配置。"), field="by_robot"
        )
    preference, _created = NoticePreference.objects.get_or_create(user=user)
    preference.email_mode, preference.by_robot = email_mode, by_robot
    preference.full_clean()
    preference.save()
    return preference


@records_actor
@transaction.atomic
def save_robot(*, robot: GroupRobot, by) -> GroupRobot:
    """Create or change a unit's group robot; a unit has at most one active robot."""
    others = GroupRobot.objects.filter(unit=robot.unit, is_active=True).exclude(pk=robot.pk)
    if robot.is_active and others.exists():
        raise BusinessRuleError(_("该单位已有启用中的群机器人，请先停用原机器人。"), field="unit")
    robot.full_clean()
    robot.save()
    return robot


@records_actor
@transaction.atomic
def deactivate_robot(*, robot: GroupRobot, by) -> GroupRobot:
    """Stop sending to the robot; its deliveries not yet sent fail with the reason."""
    robot.is_active = False
    robot.save(update_fields=["is_active"])
    return robot
