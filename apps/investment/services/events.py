"""招商活动/节会: expos, promotion meetings and signing ceremonies where projects are signed.

Projects are linked to the event they were signed at on the project's own record (Project.event);
the event's figures and landing rates are reads (apps/investment/selectors/events.py).
"""

from datetime import date

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext as _

from apps.core.audit import records_actor
from apps.core.errors import BusinessRuleError
from apps.investment.models import Event
from apps.investment.services.teams import clean_record, require_in_scope

#: the fields a person edits on an event
EVENT_FIELDS = ("name", "kind", "unit", "starts_on", "ends_on", "place", "description")


def _check_event(event: Event, by: AbstractBaseUser) -> None:
    event.name = event.name.strip()
    event.place = event.place.strip()
    event.description = event.description.strip()
    if event.starts_on and event.ends_on and event.ends_on < event.starts_on:
        raise BusinessRuleError(_("结束日期不能早于开始日期。"), field="ends_on")
    clean_record(event)
    require_in_scope(event.unit, by)


@records_actor
@transaction.atomic
def create_event(
    *,
    name: str,
    kind: str,
    unit,
    starts_on: date,
    ends_on: date,
    place: str,
    description: str = "",
    by: AbstractBaseUser,
) -> Event:
    """Register an event held (or to be held) by a unit of the user's subtree."""
    event = Event(
        name=name, kind=kind, unit=unit, starts_on=starts_on, ends_on=ends_on, place=place, description=description
    )
    _check_event(event, by)
    event.save()
    return event


@records_actor
@transaction.atomic
def update_event(*, event: Event, by: AbstractBaseUser, **details) -> Event:
    """Correct an event's name, kind, host, dates, place or description."""
    for name, value in details.items():
        if name not in EVENT_FIELDS:
            raise TypeError(name)
        setattr(event, name, value)
    _check_event(event, by)
    event.save()
    return event
