"""Reads of the audit trail (django-auditlog) and of login records (django-axes) for the audit pages.

Audit and login records belong to the unit of the person they are about: a log entry to its
actor's unit, a login record to the unit of the account it names. The city (root unit) sees
every record, including those of no person (system changes, unknown usernames); anyone else
sees only their subtree's, so the one data-scope rule holds here too.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from auditlog.models import LogEntry
from auditlog.registry import auditlog
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    LogEntry.Action.CREATE: _("新增"),
    LogEntry.Action.UPDATE: _("修改"),
    LogEntry.Action.DELETE: _("删除"),
    LogEntry.Action.ACCESS: _("访问"),
}
DETAIL_LABELS = {"what": _("访问内容"), "rows": _("行数"), "query": _("筛选条件")}
EMPTY = "—"


@dataclass(frozen=True)
class ChangeRow:
    field: str
    before: str
    after: str


def _scope_unit(user):
    """The unit whose subtree the user may audit, or None when they may audit nothing."""
    if not (user.is_authenticated and user.is_active):
        return None
    return getattr(user, "unit", None)


def visible_log_entries(user) -> models.QuerySet:
    """Log entries the user may read, newest first, with actor and object type loaded."""
    unit = _scope_unit(user)
    if unit is None:
        return LogEntry.objects.none()
    entries = LogEntry.objects.select_related("actor", "content_type").order_by("-timestamp", "-pk")
    if unit.is_root():
        return entries
    return entries.filter(actor__unit__path__startswith=unit.path)


def _visible_logins(queryset: models.QuerySet, user) -> models.QuerySet:
    unit = _scope_unit(user)
    if unit is None:
        return queryset.none()
    queryset = queryset.order_by("-attempt_time", "-pk")
    if unit.is_root():
        return queryset
    accounts = get_user_model().objects.filter(unit__path__startswith=unit.path).values("username")
    return queryset.filter(username__in=accounts)


def visible_access_logs(user) -> models.QuerySet:
    """Successful logins (with logout time) the user may read, newest first."""
    return _visible_logins(AccessLog.objects.all(), user)


def visible_failure_logs(user) -> models.QuerySet:
    """Failed login attempts the user may read, newest first."""
    return _visible_logins(AccessFailureLog.objects.all(), user)


def lockout_start() -> datetime:
    """Failures after this moment still count towards a lockout (the cool-off period)."""
    return timezone.now() - settings.AXES_COOLOFF_TIME


def locked_out_usernames() -> models.QuerySet:
    """Accounts locked out now: too many failures within the cool-off period (usable as a subquery)."""
    return (
        AccessAttempt.objects.filter(
            failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gte=lockout_start()
        )
        .order_by()
        .values("username")
        .distinct()
    )


def locked_out_now(failures: models.QuerySet) -> models.QuerySet:
    """The failed attempts that locked an account which is still locked."""
    return failures.filter(locked_out=True, attempt_time__gte=lockout_start(), username__in=locked_out_usernames())


def recent(queryset: models.QuerySet, field: str, period: timedelta) -> models.QuerySet:
    """Records whose ``field`` falls within the last ``period``."""
    return queryset.filter(**{f"{field}__gte": timezone.now() - period})


def day_start(day: date) -> datetime:
    """Midnight at the start of ``day`` in the site's time zone (index-friendly date filters)."""
    return timezone.make_aware(datetime.combine(day, time.min))


def between_days(queryset: models.QuerySet, field: str, first: date | None, last: date | None) -> models.QuerySet:
    """Records whose ``field`` falls on ``first`` … ``last`` inclusive (either may be open)."""
    if first:
        queryset = queryset.filter(**{f"{field}__gte": day_start(first)})
    if last:
        queryset = queryset.filter(**{f"{field}__lt": day_start(last + timedelta(days=1))})
    return queryset


def audited_content_types() -> list[ContentType]:
    """Object types that have log entries or are registered with auditlog, by name."""
    registered = ContentType.objects.get_for_models(*auditlog.get_models()).values()
    ids = {ct.pk for ct in registered}
    logged = ContentType.objects.filter(models.Q(pk__in=ids) | models.Q(pk__in=LogEntry.objects.values("content_type")))
    return sorted(logged, key=lambda ct: str(content_type_label(ct)))


def content_type_label(content_type: ContentType) -> str:
    """A content type's name as people know it (the model's verbose name)."""
    model = content_type.model_class()
    return model._meta.verbose_name if model else f"{content_type.app_label}.{content_type.model}"


def names_by_username(usernames) -> dict[str, str]:
    """The person's name for each username (a list, or a ``values("username")`` subquery) that has an account."""
    if not isinstance(usernames, models.QuerySet):
        usernames = set(usernames)
    people = get_user_model().objects.filter(username__in=usernames)
    return dict(people.values_list("username", "name"))


def change_rows(entry: LogEntry, *, resolve: bool = True) -> list[ChangeRow]:
    """Before and after for each changed field; ``resolve`` shows related objects and choices by name."""
    model = entry.content_type.model_class()
    display = entry.changes_display_dict if resolve and model else {}
    rows = []
    for name, values in entry.changes_dict.items():
        field = _model_field(model, name)
        if field is not None and field.auto_created and not field.concrete:
            continue  # a reverse relation auditlog lists on creation ("org.User.None"): no data
        label = getattr(field, "verbose_name", name)
        if isinstance(values, dict):
            rows.append(_m2m_row(label, values))
        else:
            rows.append(ChangeRow(str(label), *_pair(display.get(label, values))))
    return rows


def _model_field(model, name: str):
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _pair(values) -> tuple[str, str]:
    if isinstance(values, list | tuple) and len(values) == 2:
        return _shown(values[0]), _shown(values[1])
    return EMPTY, _shown(values)


def _m2m_row(label, values: dict) -> ChangeRow:
    objects = "、".join(str(obj) for obj in values.get("objects", []))
    if values.get("operation") == "delete":
        return ChangeRow(str(label), objects, EMPTY)
    return ChangeRow(str(label), EMPTY, objects)


def _shown(value: object) -> str:
    return EMPTY if value in (None, "", "None") else str(value)


def detail_rows(entry: LogEntry) -> list[tuple[str, str]]:
    """The extra facts an access entry carries (what was read or exported, how many rows)."""
    data = entry.additional_data if isinstance(entry.additional_data, dict) else {}
    return [(str(DETAIL_LABELS.get(key, key)), str(value)) for key, value in data.items()]


def change_summary(entry: LogEntry) -> str:
    """One line for a spreadsheet cell: the changes, or the access details."""
    if entry.action == LogEntry.Action.ACCESS:
        return "；".join(f"{label}：{value}" for label, value in detail_rows(entry))
    return "；".join(f"{row.field}：{row.before} → {row.after}" for row in change_rows(entry, resolve=False))
