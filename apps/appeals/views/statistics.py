"""诉求考核统计: the monthly ranking of handling units (from the month's snapshot once kept, live before),
its Excel export and snapshot; the scheme versions; the hot-spot analysis (未诉先办).

Everyone who reads tickets sees the units of their own subtree; keeping a snapshot and adding a scheme
version need manage_statistics (the hotline office).
"""

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.appeals import permissions
from apps.appeals.forms_statistics import Grouping, HotSpotForm, SchemeForm, StatisticsForm
from apps.appeals.models import KpiScheme, MonthlySnapshot
from apps.appeals.models.statistics import Indicator
from apps.appeals.services import hot_spots as hot_spot_service
from apps.appeals.services import statistics
from apps.core.errors import BusinessRuleError
from apps.core.exports import xlsx_response
from apps.core.forms import add_rule_error
from apps.core.lists import paginate, wants_export
from apps.org.models import Unit

VIEW = "appeals.view_appeal"
MANAGE = "appeals.manage_statistics"
#: red and black lists (红黑榜): this many units at each end of the ranking
BOARD_SIZE = 5


def _last_month() -> date:
    return statistics.previous_month(timezone.localdate())


def _cleaned(form) -> dict:
    return form.cleaned_data if form.is_bound and form.is_valid() else {}


def month_figures(month: date) -> tuple[statistics.Figures, KpiScheme, MonthlySnapshot | None]:
    """The kept snapshot of the month, or the figures counted now with the scheme in force then."""
    snapshot = MonthlySnapshot.objects.select_related("scheme", "computed_by").filter(month=month).first()
    if snapshot is not None:
        return statistics.snapshot_figures(snapshot), snapshot.scheme, snapshot
    scheme = statistics.scheme_for(month)
    return statistics.count_figures(month, statistics.next_month(month), scheme), scheme, None


def _rows(user, figures: statistics.Figures, grouping: str, weights) -> list[statistics.Row]:
    visible = permissions.statistics_units(user)
    if grouping == Grouping.AREA:
        areas = list(visible.filter(kind__in=(Unit.Kind.COUNTY, Unit.Kind.ZONE)).order_by("path"))
        return statistics.ranking(statistics.summed(figures, areas), areas, weights)
    units = list(visible.filter(pk__in=figures).order_by("path"))
    return statistics.ranking(figures, units, weights)


@login_required
@permission_required(VIEW, raise_exception=True)
def statistics_page(request: HttpRequest) -> HttpResponse:
    form = StatisticsForm(request.GET or None)
    data = _cleaned(form)
    month, grouping = data.get("month") or _last_month(), data.get("grouping") or Grouping.UNIT
    try:
        figures, scheme, snapshot = month_figures(month)
    except BusinessRuleError as error:
        messages.error(request, str(error))
        figures, scheme, snapshot = {}, None, None
    weights = statistics.weights_of(scheme) if scheme else {}
    rows = _rows(request.user, figures, grouping, weights)
    if wants_export(request):
        return _export(month, rows)
    scored = [row for row in rows if row.rank is not None]
    context = {
        "form": form, "month": month, "month_label": statistics.chinese_month(month), "scheme": scheme,
        "snapshot": snapshot, "rows": rows,
        "columns": [(label, weights.get(key, 0)) for key, label in Indicator.choices],
        "red_board": scored[:BOARD_SIZE] if len(scored) >= 2 * BOARD_SIZE else [],
        "black_board": scored[-BOARD_SIZE:][::-1] if len(scored) >= 2 * BOARD_SIZE else [],
        "month_end": statistics.next_month(month) - timedelta(days=1),
        "can_manage": request.user.has_perm(MANAGE), "export": True, "query": request.GET.urlencode(),
        "finished": statistics.next_month(month) <= timezone.localdate(),
    }  # fmt: skip
    return render(request, "appeals/statistics/ranking.html", context)


def _export(month: date, rows: list[statistics.Row]) -> HttpResponse:
    headers = [_("排名"), _("单位"), _("综合得分")]
    for _key, label in Indicator.choices:
        headers += [_("%(name)s分子") % {"name": label}, _("%(name)s分母") % {"name": label}, f"{label}（%）"]
    lines = []
    for row in rows:
        line = [row.rank or "", row.unit.name, row.score if row.score is not None else ""]
        for cell in row.cells:
            line += [cell.numerator, cell.denominator, cell.rate if cell.rate is not None else ""]
        lines.append(line)
    return xlsx_response(_("诉求考核统计%(month)s") % {"month": f"{month:%Y%m}"}, headers, lines)


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_POST
def statistics_snapshot(request: HttpRequest) -> HttpResponse:
    form = StatisticsForm(request.POST)
    month = _cleaned(form).get("month")
    if month is None:
        messages.error(request, _("请选择月份。"))
        return redirect("appeals:statistics")
    try:
        snapshot = statistics.take_snapshot(month, by=request.user)
    except BusinessRuleError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("已按“%(scheme)s”生成%(month)s的月度快照。")
            % {"scheme": snapshot.scheme.name, "month": statistics.chinese_month(month)},
        )
    return redirect(f"{reverse('appeals:statistics')}?month={month:%Y-%m}")


@login_required
@permission_required(VIEW, raise_exception=True)
def scheme_list(request: HttpRequest) -> HttpResponse:
    schemes = KpiScheme.objects.prefetch_related("weights")
    context = {"page": paginate(request, schemes), "can_manage": request.user.has_perm(MANAGE)}
    return render(request, "appeals/statistics/scheme_list.html", context)


@login_required
@permission_required(MANAGE, raise_exception=True)
def scheme_create(request: HttpRequest) -> HttpResponse:
    current = KpiScheme.objects.order_by("-valid_from").prefetch_related("weights").first()
    initial = {}
    if current is not None:
        initial = {name: getattr(current, name) for name in ("satisfied_min_level", "partly_solved_weight")}
        initial |= {f"weight_{w.indicator}": w.weight for w in current.weights.all()}
    form = SchemeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in SchemeForm.Meta.fields}
        try:
            scheme = statistics.add_scheme(fields, form.weights())
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, _("已新增考核口径“%(name)s”。") % {"name": scheme.name})
            return redirect("appeals:scheme_list")
    return render(request, "appeals/statistics/scheme_form.html", {"form": form})


@login_required
@permission_required(VIEW, raise_exception=True)
def hot_spot_page(request: HttpRequest) -> HttpResponse:
    areas = Unit.objects.visible_to(request.user).filter(kind__in=(Unit.Kind.COUNTY, Unit.Kind.ZONE, Unit.Kind.TOWN))
    form = HotSpotForm(request.GET or None, areas=areas.order_by("path"))
    data = _cleaned(form)
    end = data.get("end") or statistics.month_start(timezone.localdate())
    start = data.get("start") or hot_spot_service.shift(end, 11)
    appeals = permissions.visible_appeals(request.user)
    if data.get("area"):
        appeals = appeals.filter(area__path__startswith=data["area"].path)
    analysis = hot_spot_service.hot_spots(appeals, start, end)
    peak = max((max(counts, default=0) for _c, counts, _t in analysis.by_category), default=0)
    context = {"form": form, "analysis": analysis, "peak": peak, "start": start, "end": end}
    return render(request, "appeals/statistics/hot_spots.html", context)
