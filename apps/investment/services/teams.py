"""招商小分队: standing teams, their fixed members over time, and their trips (外出招商).

A membership is a dated period (joined_on … left_on); a person holds at most one current
membership of a team (the database's partial unique constraint) and a new period may not start
before the previous one ended. Dates are facts already happened, so none lies in the future.
"""

from collections.abc import Iterable
from datetime import date

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import records_actor
from apps.core.errors import BusinessRuleError
from apps.enterprises.models import Enterprise
from apps.investment.models import Team, TeamMember, Trip

#: the fields a person edits on a team (members and trips have their own services)
TEAM_FIELDS = ("name", "unit", "leader", "target_regions", "is_active")
TRIP_FIELDS = ("starts_on", "ends_on", "destination", "results")


def clean_record(obj: models.Model, exclude: tuple[str, ...] = ()) -> None:
    """Run the model's validation and turn the first problem into a BusinessRuleError on its field."""
    try:
        obj.full_clean(exclude=list(exclude), validate_unique=False)
    except ValidationError as exc:
        name, messages = next(iter(exc.message_dict.items()))
        label = obj._meta.get_field(name).verbose_name if name != "__all__" else ""
        raise BusinessRuleError(f"{label}：{' '.join(messages)}" if label else " ".join(messages), field=name) from exc


def require_in_scope(unit, by: AbstractBaseUser, *, field: str = "unit") -> None:
    """Teams and events are kept by the unit's own subtree: a county cannot set one up for another."""
    own = getattr(by, "unit", None)
    if own is None or not unit.path.startswith(own.path):
        raise BusinessRuleError(_("只能为本单位或下级单位登记。"), field=field)


def _require_not_future(day: date, field: str, label: str) -> None:
    if day > timezone.localdate():
        raise BusinessRuleError(_("%(label)s不能晚于今天。") % {"label": label}, field=field)


def _require_staff(person, field: str) -> None:
    if not person.is_active or person.unit_id is None:
        raise BusinessRuleError(_("“%(name)s”不是在用的工作人员账号。") % {"name": person.name}, field=field)


# ---- teams ---------------------------------------------------------------------------------


def _check_team(team: Team, by: AbstractBaseUser) -> None:
    team.name = team.name.strip()
    team.target_regions = team.target_regions.strip()
    clean_record(team)
    require_in_scope(team.unit, by)
    _require_staff(team.leader, "leader")
    same_name = Team.objects.filter(unit=team.unit, name=team.name, is_active=True).exclude(pk=team.pk)
    if team.is_active and same_name.exists():
        raise BusinessRuleError(
            _("%(unit)s已有名为“%(name)s”的在用小分队。") % {"unit": team.unit.name, "name": team.name}, field="name"
        )


@records_actor
@transaction.atomic
def create_team(
    *,
    name: str,
    unit,
    leader: AbstractBaseUser,
    target_regions: str = "",
    target_industries: Iterable = (),
    by: AbstractBaseUser,
) -> Team:
    """Set up a standing team of a unit, with its leader and what it is to go after."""
    team = Team(name=name, unit=unit, leader=leader, target_regions=target_regions)
    _check_team(team, by)
    team.save()
    team.target_industries.set(list(target_industries))
    return team


@records_actor
@transaction.atomic
def update_team(*, team: Team, target_industries: Iterable | None = None, by: AbstractBaseUser, **details) -> Team:
    """Change a team's name, unit, leader, targets, or stand it down (is_active=False)."""
    for name, value in details.items():
        if name not in TEAM_FIELDS:
            raise TypeError(name)
        setattr(team, name, value)
    _check_team(team, by)
    team.save()
    if target_industries is not None:
        team.target_industries.set(list(target_industries))
    return team


# ---- members -------------------------------------------------------------------------------


@records_actor
@transaction.atomic
def add_member(
    *, team: Team, person: AbstractBaseUser, joined_on: date, role: str = "", by: AbstractBaseUser
) -> TeamMember:
    """A person joins the team from ``joined_on``; not twice at once, not before their last period ended."""
    if not team.is_active:
        raise BusinessRuleError(_("该小分队已停用，不能再添加队员。"))
    _require_staff(person, "person")
    _require_not_future(joined_on, "joined_on", _("加入日期"))
    periods = TeamMember.objects.filter(team=team, person=person)
    if periods.filter(left_on=None).exists():
        raise BusinessRuleError(_("%(name)s已是该小分队的现任队员。") % {"name": person.name}, field="person")
    last = periods.order_by("-left_on").first()
    if last is not None and joined_on <= last.left_on:
        raise BusinessRuleError(
            _("加入日期须晚于其上次退出日期（%(date)s）。") % {"date": f"{last.left_on:%Y-%m-%d}"}, field="joined_on"
        )
    member = TeamMember(team=team, person=person, joined_on=joined_on, role=role.strip())
    clean_record(member)
    try:
        with transaction.atomic():
            member.save()
    except IntegrityError as exc:  # another request added the same person a moment ago
        raise BusinessRuleError(_("%(name)s已是该小分队的现任队员。") % {"name": person.name}, field="person") from exc
    return member


@records_actor
@transaction.atomic
def remove_member(*, member: TeamMember, left_on: date, by: AbstractBaseUser) -> TeamMember:
    """A member leaves the team on ``left_on``; their period and the projects they brought in stay on record."""
    member = TeamMember.objects.select_for_update().select_related("person").get(pk=member.pk)
    if member.left_on is not None:
        raise BusinessRuleError(_("该队员已于%(date)s退出。") % {"date": f"{member.left_on:%Y-%m-%d}"})
    if left_on < member.joined_on:
        raise BusinessRuleError(
            _("退出日期不能早于加入日期（%(date)s）。") % {"date": f"{member.joined_on:%Y-%m-%d}"}, field="left_on"
        )
    _require_not_future(left_on, "left_on", _("退出日期"))
    member.left_on = left_on
    member.save(update_fields=["left_on"])
    return member


# ---- trips ---------------------------------------------------------------------------------


def _check_trip(trip: Trip, visited: list[Enterprise]) -> None:
    trip.destination = trip.destination.strip()
    trip.results = trip.results.strip()
    if trip.starts_on and trip.ends_on and trip.ends_on < trip.starts_on:
        raise BusinessRuleError(_("返回日期不能早于出发日期。"), field="ends_on")
    _require_not_future(trip.starts_on, "starts_on", _("出发日期"))
    clean_record(trip)
    for enterprise in visited:
        if enterprise.status != Enterprise.Status.ACTIVE:
            raise BusinessRuleError(
                _("“%(name)s”已被合并，请选择合并后的企业。") % {"name": enterprise.name}, field="visited"
            )


@records_actor
@transaction.atomic
def record_trip(
    *,
    team: Team,
    starts_on: date,
    ends_on: date,
    destination: str,
    visited: Iterable[Enterprise] = (),
    results: str = "",
    by: AbstractBaseUser,
) -> Trip:
    """Record a team's trip (外出招商): where, when, the enterprises it visited and what came of it."""
    if not team.is_active:
        raise BusinessRuleError(_("该小分队已停用，不能再登记外出招商。"))
    visited = list(visited)
    trip = Trip(
        team=team, starts_on=starts_on, ends_on=ends_on, destination=destination, results=results, recorded_by=by
    )
    _check_trip(trip, visited)
    trip.save()
    trip.visited.set(visited)
    return trip


@records_actor
@transaction.atomic
def update_trip(*, trip: Trip, visited: Iterable[Enterprise] | None = None, by: AbstractBaseUser, **details) -> Trip:
    """Correct a trip's dates, destination, results or the enterprises visited."""
    for name, value in details.items():
        if name not in TRIP_FIELDS:
            raise TypeError(name)
        setattr(trip, name, value)
    chosen = list(visited) if visited is not None else []
    _check_trip(trip, chosen)
    trip.save()
    if visited is not None:
        trip.visited.set(chosen)
    return trip
