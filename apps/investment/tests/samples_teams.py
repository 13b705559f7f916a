"""URL-walker samples for teams, memberships, trips and events.

Teams and events belong to a unit; a membership and a trip are reached through their team, so
their samples sit on a team of the unit (and carry the marker in what their pages show).
"""

import itertools
from datetime import timedelta

from django.utils import timezone

from apps.core.tests.samples import sample
from apps.investment.models import Event, Team, TeamMember, Trip
from apps.org.models import Unit, User

_serial = itertools.count(1)


def _person(unit: Unit) -> User:
    return User.objects.create(username=f"teamsample{next(_serial)}", unit=unit, name="样本队长")


def _team(unit: Unit, name: str) -> Team:
    return Team.objects.create(name=name, unit=unit, leader=_person(unit), target_regions=name)


@sample(Team)
def make_team_sample(unit: Unit, marker: str) -> Team:
    return _team(unit, marker)


@sample(TeamMember)
def make_member_sample(unit: Unit, marker: str) -> TeamMember:
    """A current member whose role (分工) is the marker."""
    team = _team(unit, f"{marker}所在小分队")
    return TeamMember.objects.create(
        team=team, person=_person(unit), role=marker, joined_on=timezone.localdate() - timedelta(days=30)
    )


@sample(Trip)
def make_trip_sample(unit: Unit, marker: str) -> Trip:
    team = _team(unit, f"{marker}出行小分队")
    today = timezone.localdate()
    return Trip.objects.create(
        team=team,
        starts_on=today - timedelta(days=10),
        ends_on=today - timedelta(days=8),
        destination=marker,
        results=marker,
        recorded_by=team.leader,
    )


@sample(Event)
def make_event_sample(unit: Unit, marker: str) -> Event:
    today = timezone.localdate()
    return Event.objects.create(
        name=marker, kind=Event.Kind.PROMOTION, unit=unit, starts_on=today, ends_on=today, place=marker
    )
