"""Team pages: the list, a team with its members, trips and scorecard, trips, and the year-end scorecard.

Who may do what is described in apps/investment/selectors/teams.py: viewing needs VIEW, keeping
teams, members and trips needs CHANGE, and everything stays inside the user's data scope.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from apps.core.audit import record_access
from apps.core.errors import BusinessRuleError
from apps.core.exports import xlsx_response
from apps.core.forms import add_rule_error
from apps.core.lists import paginate, query_without_page, wants_export
from apps.enterprises.models import Enterprise
from apps.investment import permissions
from apps.investment.forms.teams import (
    LeaveForm,
    MemberForm,
    ScorecardForm,
    TeamFilterForm,
    TeamForm,
    TripFilterForm,
    TripForm,
)
from apps.investment.models import Team, Trip
from apps.investment.selectors.teams import (
    can_edit,
    filter_teams,
    filter_trips,
    get_member_for_user,
    get_team_for_user,
    get_trip_for_user,
    list_teams,
    list_trips,
    scorecards,
    visible_teams,
)
from apps.investment.services import teams as services
from apps.org.models import Unit, User

TEAM_HEADERS = ("小分队", "所属单位", "队长", "现任队员数", "目标区域", "目标行业", "外出招商次数", "状态")
TRIP_HEADERS = ("小分队", "所属单位", "出发日期", "返回日期", "目的地", "拜访企业", "成果", "记录人")
SCORECARD_HEADERS = (
    "名次", "小分队", "所属单位", "队员", "分工", "任职期间", "登记线索", "签约项目", "协议投资（万元）", "到位资金（万元）",
)  # fmt: skip


def _units(user):
    return Unit.objects.visible_to(user).active()


def _people(user):
    """Staff in the user's scope who may lead or join a team (not the three administrators)."""
    return (
        User.objects.visible_to(user)
        .active()
        .exclude(roles__is_administrator=True)
        .select_related("unit")
        .order_by("unit__path", "name")
    )


# ---- teams --------------------------------------------------------------------------------


@login_required
@permission_required(permissions.VIEW, raise_exception=True)
def team_list(request: HttpRequest) -> HttpResponse:
    form = TeamFilterForm(request.GET, units=_units(request.user))
    teams = list_teams(request.user)
    if form.is_valid():
        teams = filter_teams(teams, form.cleaned_data)
    if wants_export(request):
        return _export_teams(request, teams)
    context = {
        "form": form,
        "page": paginate(request, teams),
        "query": query_without_page(request),
        "can_edit": can_edit(request.user),
    }
    return render(request, "investment/team_list.html", context)


def _export_teams(request: HttpRequest, teams) -> HttpResponse:
    rows = list(teams)
    record_access(request.user, by=request.user, what="导出招商小分队", rows=len(rows))
    return xlsx_response(
        _("招商小分队"),
        TEAM_HEADERS,
        (
            (
                t.name,
                t.unit.name,
                t.leader.name,
                t.member_count,
                t.target_regions,
                "、".join(i.name for i in t.target_industries.all()),
                t.trip_count,
                _("在用") if t.is_active else _("已停用"),
            )  # fmt: skip
            for t in rows
        ),
    )


@login_required
def team_detail(request: HttpRequest, pk: int) -> HttpResponse:
    team = get_team_for_user(request.user, pk)
    form = ScorecardForm(request.GET)
    members = team.members.select_related("person__unit").order_by(F("left_on").desc(nulls_first=True), "joined_on")
    context = {
        "team": team,
        "industries": team.target_industries.all(),
        "members": members,
        "trips": team.trips.select_related("recorded_by").prefetch_related("visited")[:10],
        "trip_count": team.trips.count(),
        "form": form,
        "card": scorecards(request.user, [team], form.chosen_year())[0],
        "can_edit": can_edit(request.user),
    }
    return render(request, "investment/team_detail.html", context)


@login_required
@permission_required(permissions.CHANGE, raise_exception=True)
def team_create(request: HttpRequest) -> HttpResponse:
    return _team_form(request, None)


@login_required
def team_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _team_form(request, get_team_for_user(request.user, pk, action=permissions.CHANGE))


def _team_form(request: HttpRequest, team: Team | None) -> HttpResponse:
    initial = {} if team else {"unit": request.user.unit_id, "leader": request.user.pk}
    form = TeamForm(
        request.POST or None, units=_units(request.user), people=_people(request.user), team=team, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = _save_team(request, team, form.cleaned_data)
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, _("已保存小分队“%(name)s”。") % {"name": saved.name})
            return redirect("investment:team_detail", pk=saved.pk)
    return render(request, "investment/team_form.html", {"form": form, "team": team})


def _save_team(request: HttpRequest, team: Team | None, data: dict) -> Team:
    if team is None:
        return services.create_team(by=request.user, **data)
    return services.update_team(team=Team.objects.get(pk=team.pk), by=request.user, **data)


# ---- members ------------------------------------------------------------------------------


@login_required
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    team = get_team_for_user(request.user, pk, action=permissions.CHANGE)
    form = MemberForm(request.POST or None, people=_people(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            member = services.add_member(team=team, by=request.user, **form.cleaned_data)
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, _("%(name)s已加入小分队。") % {"name": member.person.name})
            return redirect("investment:team_detail", pk=team.pk)
    return render(request, "investment/team_member_form.html", {"form": form, "team": team})


@login_required
def member_leave(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_member_for_user(request.user, pk, action=permissions.CHANGE)
    form = LeaveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.remove_member(member=member, left_on=form.cleaned_data["left_on"], by=request.user)
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, _("%(name)s已退出小分队。") % {"name": member.person.name})
            return redirect("investment:team_detail", pk=member.team_id)
    return render(request, "investment/team_member_leave.html", {"form": form, "member": member, "team": member.team})


# ---- trips --------------------------------------------------------------------------------


@login_required
@permission_required(permissions.VIEW, raise_exception=True)
def trip_list(request: HttpRequest) -> HttpResponse:
    form = TripFilterForm(request.GET, teams=visible_teams(request.user))
    trips = list_trips(request.user)
    if form.is_valid():
        trips = filter_trips(trips, form.cleaned_data)
    if wants_export(request):
        return _export_trips(request, trips)
    context = {"form": form, "page": paginate(request, trips), "query": query_without_page(request)}
    return render(request, "investment/trip_list.html", context)


def _export_trips(request: HttpRequest, trips) -> HttpResponse:
    rows = list(trips)
    record_access(request.user, by=request.user, what="导出外出招商", rows=len(rows))
    return xlsx_response(
        _("外出招商"),
        TRIP_HEADERS,
        (
            (
                t.team.name,
                t.team.unit.name,
                t.starts_on,
                t.ends_on,
                t.destination,
                "、".join(e.name for e in t.visited.all()),
                t.results,
                t.recorded_by.name,
            )  # fmt: skip
            for t in rows
        ),
    )


@login_required
def trip_detail(request: HttpRequest, pk: int) -> HttpResponse:
    trip = get_trip_for_user(request.user, pk)
    context = {"trip": trip, "visited": trip.visited.order_by("name"), "can_edit": can_edit(request.user)}
    return render(request, "investment/trip_detail.html", context)


@login_required
def trip_create(request: HttpRequest, pk: int) -> HttpResponse:
    team = get_team_for_user(request.user, pk, action=permissions.CHANGE)
    return _trip_form(request, team, None)


@login_required
def trip_edit(request: HttpRequest, pk: int) -> HttpResponse:
    trip = get_trip_for_user(request.user, pk, action=permissions.CHANGE)
    return _trip_form(request, trip.team, trip)


def _trip_form(request: HttpRequest, team: Team, trip: Trip | None) -> HttpResponse:
    initial = {}
    if trip is not None:
        initial = {name: getattr(trip, name) for name in services.TRIP_FIELDS}
        initial["visited"] = [e.pk for e in trip.visited.all()]
    form = TripForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = _save_trip(request, team, trip, form.cleaned_data)
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, _("已保存外出招商记录（%(place)s）。") % {"place": saved.destination})
            return redirect("investment:trip_detail", pk=saved.pk)
    context = {"form": form, "team": team, "trip": trip, "chosen": form.chosen_enterprises()}
    return render(request, "investment/trip_form.html", context)


def _save_trip(request: HttpRequest, team: Team, trip: Trip | None, data: dict) -> Trip:
    if trip is None:
        return services.record_trip(team=team, by=request.user, **data)
    return services.update_trip(trip=Trip.objects.get(pk=trip.pk), by=request.user, **data)


@login_required
@permission_required(permissions.CHANGE, raise_exception=True)
def trip_visit_pick(request: HttpRequest) -> HttpResponse:
    """The enterprise just picked on the trip form, as one more ticked box (htmx fragment)."""
    pk = request.GET.get("enterprise", "")
    chosen = set(request.GET.getlist("visited"))
    enterprise = Enterprise.objects.active().filter(pk=pk).first() if pk.isdigit() and pk not in chosen else None
    return render(request, "investment/trip_form.html#visit", {"enterprise": enterprise})


# ---- the year-end scorecard ---------------------------------------------------------------


@login_required
@permission_required(permissions.VIEW, raise_exception=True)
def team_scorecard(request: HttpRequest) -> HttpResponse:
    form = ScorecardForm(request.GET, units=_units(request.user))
    year = form.chosen_year()
    teams = visible_teams(request.user).order_by("unit__path", "name", "pk")
    if form.is_valid() and form.cleaned_data.get("unit"):
        teams = teams.filter(unit__path__startswith=form.cleaned_data["unit"].path)
    cards = ranked(scorecards(request.user, teams, year))
    if wants_export(request):
        return _export_scorecards(request, cards, year)
    context = {"form": form, "year": year, "page": paginate(request, cards), "query": query_without_page(request)}
    return render(request, "investment/team_scorecard.html", context)


def ranked(cards: list) -> list:
    """Best first: by contracted investment, then signed projects, funds in place and leads."""
    key = lambda c: (c.figures.contracted, c.figures.signed, c.figures.funds, c.figures.leads)  # noqa: E731
    ordered = sorted(cards, key=key, reverse=True)
    for rank, card in enumerate(ordered, start=1):
        card.rank = rank
    return ordered


def _export_scorecards(request: HttpRequest, cards: list, year: int) -> HttpResponse:
    record_access(request.user, by=request.user, what="导出小分队年度考核", rows=len(cards), year=year)
    return xlsx_response(_("小分队%(year)s年度考核") % {"year": year}, SCORECARD_HEADERS, _scorecard_rows(cards))


def _scorecard_rows(cards: list):
    for card in cards:
        team, figures = card.team, card.figures
        yield (card.rank, team.name, team.unit.name, _("全队合计"), "", "", *_figure_cells(figures))
        for line in card.members:
            member = line.member
            cells = (member.person.name, member.role, _period(member))
            yield ("", team.name, team.unit.name, *cells, *_figure_cells(line.figures))
        if card.others.leads or card.others.signed or card.others.funds:
            yield ("", team.name, team.unit.name, _("非队员登记"), "", "", *_figure_cells(card.others))


def _period(member) -> str:
    joined = f"{member.joined_on:%Y-%m-%d}"
    if member.left_on is None:
        return _("%(joined)s 至今") % {"joined": joined}
    return _("%(joined)s 至 %(left)s") % {"joined": joined, "left": f"{member.left_on:%Y-%m-%d}"}


def _figure_cells(figures) -> tuple:
    return (figures.leads, figures.signed, figures.contracted, figures.funds)
