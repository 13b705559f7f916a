"""Sample records for the URL walker: each app says how to make one of its records inside a unit.

An app registers makers in ``apps/<app>/tests/samples*.py`` modules::

    @sample(Project)
    def make_project(unit, marker):
        return ProjectFactory(unit=unit, name=marker)

The marker must appear in the record's text wherever a page would show it (name, title…),
so that the walker can tell whether a page shows a record it should not. Records that belong
to no unit (roles, code lists) are registered with ``shared=True``: they are made once and
every user may see them.
"""

import importlib
import pkgutil
from collections.abc import Callable
from datetime import date, timedelta

from auditlog.models import LogEntry
from django.apps import apps
from django.db import models

from apps.core.models import CalendarDay, CalendarYear, Delivery, GroupRobot, Notice

Maker = Callable[[models.Model, str], models.Model]
makers: dict[type[models.Model], Maker] = {}
#: models whose records belong to no unit (roles, code lists): every user may see them
shared_models: set[type[models.Model]] = set()


def sample(model: type[models.Model], *, shared: bool = False) -> Callable[[Maker], Maker]:
    def register(maker: Maker) -> Maker:
        makers[model] = maker
        if shared:
            shared_models.add(model)
        return maker

    return register


def discover() -> dict[type[models.Model], Maker]:
    """Import every installed app's tests/samples*.py modules so their makers register."""
    for config in apps.get_app_configs():
        try:
            tests = importlib.import_module(f"{config.name}.tests")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.tests":
                raise
            continue
        for module in pkgutil.iter_modules(tests.__path__):
            if module.name.startswith("samples"):
                importlib.import_module(f"{config.name}.tests.{module.name}")
    return makers


@sample(LogEntry, shared=True)
def make_log_entry_sample(unit, marker: str) -> LogEntry:
    """An audit entry about the unit (audit records are read city-wide, by the audit administrator)."""
    return LogEntry.objects.log_create(
        unit, force_log=True, action=LogEntry.Action.ACCESS, changes={}, object_repr=marker
    )


@sample(CalendarDay, shared=True)
def make_calendar_day_sample(unit, marker: str) -> CalendarDay:
    """A calendar override (the working-day calendar is the same for the whole city)."""
    day = date(2090, 1, 1) + timedelta(days=CalendarDay.objects.count())
    return CalendarDay.objects.create(date=day, is_workday=False, note=marker)


@sample(CalendarYear, shared=True)
def make_calendar_year_sample(unit, marker: str) -> CalendarYear:
    """A declared calendar year (city-wide, like the overrides)."""
    return CalendarYear.objects.create(year=2090 + CalendarYear.objects.count(), source=marker)


@sample(Notice)
def make_notice_sample(unit, marker: str) -> Notice:
    """A notice to someone of the unit: nobody else's inbox may show it."""
    from apps.org.models import User

    person = User.objects.create(username=f"notice-{unit.code}-{Notice.objects.count()}", unit=unit, name="收件人")
    return Notice.objects.create(recipient=person, key=marker, title=marker)


@sample(GroupRobot)
def make_group_robot_sample(unit, marker: str) -> GroupRobot:
    """A unit's WeCom robot: only administrators of that unit's tree may see or change it."""
    return GroupRobot.objects.create(unit=unit, kind="wecom", name=marker, webhook_url="https://qyapi.example.cn/x")


@sample(Delivery)
def make_delivery_sample(unit, marker: str) -> Delivery:
    """A failed e-mail delivery of a notice to someone of the unit (the log shows the notice's title)."""
    notice = make_notice_sample(unit, marker)
    return Delivery.objects.create(notice=notice, channel="email", target="someone@example.cn", state="failed")
