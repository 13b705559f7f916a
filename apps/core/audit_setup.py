"""Menu entries and pending items of the audit administrator (安全审计)."""

from datetime import timedelta
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.core import navigation, pending
from apps.core.audit_forms import RESULT_FAILURE, RESULT_LOCKED_NOW, WITHIN_24_HOURS
from apps.core.audit_selectors import locked_out_now, recent, visible_failure_logs
from apps.core.navigation import NavItem
from apps.core.pending import PendingItem


def register() -> None:
    """Add the 安全审计 menu section and the login-record pending items."""
    navigation.register(
        "audit",
        _("安全审计"),
        95,
        [
            NavItem(_("审计日志"), "core:audit_log_list", "auditlog.view_logentry"),
            NavItem(_("登录日志"), "core:audit_login_list", "axes.view_accesslog"),
        ],
    )
    pending.register(login_items)


def login_items(user) -> list[PendingItem]:
    """Failed logins of the last 24 hours and accounts locked out now, for holders of the login log."""
    if not (user.has_perm("axes.view_accesslog") and user.has_perm("axes.view_accessfailurelog")):
        return []
    failures = visible_failure_logs(user)
    items = []
    locked = locked_out_now(failures).order_by().values("username").distinct().count()
    if locked:
        items.append(
            PendingItem(gettext("当前被锁定的账号"), _login_url(result=RESULT_LOCKED_NOW), locked, level="danger")
        )
    failed = recent(failures, "attempt_time", timedelta(hours=24)).count()
    if failed:
        url = _login_url(result=RESULT_FAILURE, within=WITHIN_24_HOURS)
        items.append(PendingItem(gettext("最近 24 小时登录失败"), url, failed, level="warning"))
    return items


def _login_url(**params: str) -> str:
    return f"{reverse('core:audit_login_list')}?{urlencode(params)}"
