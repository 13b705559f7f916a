"""Display names for audit records in templates."""

from auditlog.models import LogEntry
from django import template

from apps.core.audit_selectors import ACTION_LABELS, content_type_label

register = template.Library()

ACTION_COLOURS = {
    LogEntry.Action.CREATE: "success",
    LogEntry.Action.UPDATE: "primary",
    LogEntry.Action.DELETE: "danger",
    LogEntry.Action.ACCESS: "secondary",
}


@register.filter
def action_label(action: int) -> str:
    """新增 / 修改 / 删除 / 访问 for an auditlog action number."""
    return ACTION_LABELS.get(action, str(action))


@register.filter
def action_colour(action: int) -> str:
    """The Bootstrap colour of an action's badge."""
    return ACTION_COLOURS.get(action, "light")


@register.filter
def type_label(content_type) -> str:
    """The object type's name (the model's verbose name)."""
    return content_type_label(content_type)
