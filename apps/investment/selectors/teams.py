"""Reads behind the team pages: who sees which team and trip, and the year-end scorecard (年度考核).

Scope and rights. Teams follow their unit's data scope (Team.objects.visible_to); a trip or a
membership follows its team. Viewing needs permissions.VIEW. Editing (a team, its members, its
trips) needs permissions.CHANGE — the right of the people who run a unit's pipeline (招商专员,
区县管理员), not permissions.MANAGE, which only the coordinating bureau's officers hold: a county
keeps its own teams — and the team's unit must lie in the user's subtree, which the scope ensures.

The scorecard of a team for year Y counts the team's projects (Project.team) that are
not excluded from statistics (不纳入招商统计) and that the reader may see:

- 登记线索 leads: projects registered (created_at) in Y;
- 签约项目 signed: projects whose signing is confirmed (counted_stage at least 签约) with signed_on in Y;
- 协议投资 contracted: the counted investment of those signed projects (不重复统计: for an expansion or an
  upgrade only the increment over what was counted before, Project.counted_investment);
- 到位资金 funds: FundRecord amounts of the months of Y, whatever year the project was signed in.

A member's figures are the team's projects the member registered (Project.created_by). A member is
listed on year Y's card when their membership overlaps Y (joined on or before 31 December, not left
before 1 January); membership dates decide who is listed, not which projects count — a lead a member
brought in stays theirs when its signing or funds come after they left. Projects of the team
registered by someone who is not listed (a 全民招商 lead handed to the team, a former member) are
shown as one "other" line, so that the members' lines and that line add up to the team's figures.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Case, Count, DecimalField, F, Q, QuerySet, Sum, Value, When
from django.http import Http404

from apps.investment import permissions
from apps.investment.models import FundRecord, Project, Stage, Team, TeamMember, Trip

ZERO = Decimal(0)
#: 协议投资 that counts (不重复统计), as SQL: the same rule as Project.counted_investment
COUNTED_AMOUNT = Case(
    When(contracted_investment__gt=F("counted_before"), then=F("contracted_investment") - F("counted_before")),
    default=Value(ZERO),
    output_field=DecimalField(max_digits=14, decimal_places=2),
)
SIGNED_OR_LATER = [s.value for s in Stage if s.rank >= Stage.SIGNED.rank]


# ---- scope ---------------------------------------------------------------------------------


def visible_teams(user) -> QuerySet:
    """Teams of the user's unit subtree."""
    return Team.objects.visible_to(user).select_related("unit", "leader")


def can_edit(user) -> bool:
    """The right to keep teams, members, trips and events (within the user's scope)."""
    return user.has_perm(permissions.CHANGE)


def _require(user, action: str) -> None:
    if not user.has_perm(action):
        raise PermissionDenied


def get_team_for_user(user, pk: int, *, action: str = permissions.VIEW) -> Team:
    """A team in the user's scope (404 otherwise) that the user may act on (403)."""
    team = visible_teams(user).filter(pk=pk).first()
    if team is None:
        raise Http404
    _require(user, action)
    return team


def visible_trips(user) -> QuerySet:
    """Trips of the teams in the user's scope."""
    return Trip.objects.filter(team__in=Team.objects.visible_to(user)).select_related("team__unit", "recorded_by")


def get_trip_for_user(user, pk: int, *, action: str = permissions.VIEW) -> Trip:
    """A trip of a team in the user's scope (404 otherwise) that the user may act on (403)."""
    trip = visible_trips(user).filter(pk=pk).first()
    if trip is None:
        raise Http404
    _require(user, action)
    return trip


def get_member_for_user(user, pk: int, *, action: str = permissions.VIEW) -> TeamMember:
    """A membership of a team in the user's scope (404 otherwise) that the user may act on (403)."""
    member = (
        TeamMember.objects.filter(team__in=Team.objects.visible_to(user))
        .select_related("team__unit", "person")
        .filter(pk=pk)
        .first()
    )
    if member is None:
        raise Http404
    _require(user, action)
    return member


# ---- lists ---------------------------------------------------------------------------------


def list_teams(user) -> QuerySet:
    """The user's teams with their current member and trip counts, for the list."""
    current = Count("members", filter=Q(members__left_on=None), distinct=True)
    return (
        visible_teams(user)
        .prefetch_related("target_industries")
        .annotate(member_count=current, trip_count=Count("trips", distinct=True))
        .order_by("unit__path", "name", "pk")
    )


def filter_teams(teams: QuerySet, data: dict) -> QuerySet:
    """Apply the team list's filters (the keys of TeamFilterForm)."""
    if data.get("q"):
        text = data["q"].strip()
        teams = teams.filter(Q(name__icontains=text) | Q(target_regions__icontains=text))
    if data.get("unit"):
        teams = teams.filter(unit__path__startswith=data["unit"].path)
    if data.get("active") in ("1", "0"):
        teams = teams.filter(is_active=data["active"] == "1")
    return teams


def list_trips(user) -> QuerySet:
    """The user's trips, latest first, with the enterprises visited."""
    return visible_trips(user).prefetch_related("visited").order_by("-starts_on", "-id")


def filter_trips(trips: QuerySet, data: dict) -> QuerySet:
    """Apply the trip list's filters (the keys of TripFilterForm)."""
    if data.get("q"):
        text = data["q"].strip()
        trips = trips.filter(
            Q(destination__icontains=text) | Q(results__icontains=text) | Q(team__name__icontains=text)
        )
    if data.get("team"):
        trips = trips.filter(team=data["team"])
    if data.get("year"):
        trips = trips.filter(starts_on__year=data["year"])
    return trips


# ---- scorecard -----------------------------------------------------------------------------


@dataclass
class Figures:
    leads: int = 0
    signed: int = 0
    contracted: Decimal = ZERO
    funds: Decimal = ZERO

    def add(self, other: "Figures") -> None:
        self.leads += other.leads
        self.signed += other.signed
        self.contracted += other.contracted
        self.funds += other.funds


@dataclass
class MemberLine:
    member: TeamMember
    figures: Figures


@dataclass
class Scorecard:
    team: Team
    year: int
    #: place on the year's ranking, set by whoever ranks the cards
    rank: int = 0
    figures: Figures = field(default_factory=Figures)
    members: list[MemberLine] = field(default_factory=list)
    #: the team's projects registered by someone not listed as a member that year
    others: Figures = field(default_factory=Figures)


def scorecards(user, teams, year: int) -> list[Scorecard]:
    """Year ``year``'s scorecard of each team, members included, in three queries whatever the count."""
    teams = list(teams)
    by_registrar = _figures_by_registrar(user, [t.pk for t in teams], year)
    listed = _members_of_year([t.pk for t in teams], year)
    cards = []
    for team in teams:
        card = Scorecard(team=team, year=year)
        registrars = by_registrar.get(team.pk, {})
        for member in listed.get(team.pk, []):
            card.members.append(MemberLine(member, registrars.get(member.person_id, Figures())))
        members = {member.person_id for member in listed.get(team.pk, [])}
        for person_pk, figures in registrars.items():
            card.figures.add(figures)
            if person_pk not in members:
                card.others.add(figures)
        cards.append(card)
    return cards


def _counted_projects(user, team_pks: list[int]) -> QuerySet:
    """The teams' projects that count: in the reader's scope, not excluded from statistics."""
    visible = permissions.visible_projects(user).values("pk")
    return Project.objects.filter(team__in=team_pks, excluded_from_statistics=False, pk__in=visible)


def _figures_by_registrar(user, team_pks: list[int], year: int) -> dict[int, dict[int, Figures]]:
    """{team: {registrar: figures}} for the year, from one grouped query on projects and one on funds."""
    projects = _counted_projects(user, team_pks)
    signed = Q(counted_stage__in=SIGNED_OR_LATER, signed_on__year=year)
    rows = (
        projects.values("team", "created_by")
        .annotate(
            leads=Count("pk", filter=Q(created_at__year=year)),
            signed=Count("pk", filter=signed),
            contracted=Sum(COUNTED_AMOUNT, filter=signed),
        )
        .order_by()
    )
    result: dict[int, dict[int, Figures]] = {}
    for row in rows:
        figures = Figures(row["leads"], row["signed"], row["contracted"] or ZERO)
        result.setdefault(row["team"], {})[row["created_by"]] = figures
    funds = (
        FundRecord.objects.filter(project__in=projects, month__year=year)
        .values("project__team", "project__created_by")
        .annotate(amount=Sum("amount"))
        .order_by()
    )
    for row in funds:
        registrars = result.setdefault(row["project__team"], {})
        registrars.setdefault(row["project__created_by"], Figures()).funds = row["amount"] or ZERO
    return result


def _members_of_year(team_pks: list[int], year: int) -> dict[int, list[TeamMember]]:
    """{team: memberships overlapping the year}, one per person (their latest period), by joining date."""
    overlapping = (
        TeamMember.objects.filter(team__in=team_pks, joined_on__lte=date(year, 12, 31))
        .filter(Q(left_on=None) | Q(left_on__gte=date(year, 1, 1)))
        .select_related("person")
        .order_by("team", "joined_on", "pk")
    )
    latest: dict[tuple[int, int], TeamMember] = {}
    for member in overlapping:
        latest[(member.team_id, member.person_id)] = member
    result: dict[int, list[TeamMember]] = {}
    for member in sorted(latest.values(), key=lambda m: (m.joined_on, m.pk)):
        result.setdefault(member.team_id, []).append(member)
    return result
