"""Result pages of a round: the ranking, one county's indicators with their gaps and trend, the flags per
lead unit, the robustness check, and the methodology page generated from the tree.

What each user sees is decided by apps/bizenv/permissions.py (visible_results, visible_scores): the
organiser and leaders always, a county its own once published (everyone's when the round is city-wide).
"""

import base64

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.bizenv import permissions
from apps.bizenv.methods import LABELS
from apps.bizenv.models import Indicator, Result, Round
from apps.bizenv.round_forms import TrendForm
from apps.bizenv.services import rectification, results, rounds
from apps.bizenv.views.rounds import round_for
from apps.core import charts
from apps.core.audit import record_access
from apps.core.errors import BusinessRuleError
from apps.core.exports import xlsx_response
from apps.core.lists import wants_export
from apps.org.models import Unit
from apps.supervision import permissions as supervision_permissions


def _first_level_scores(round_: Round, visible) -> tuple[list, dict]:
    first = [i for i in rounds.indicators_of(round_.methodology) if i.level == 1]
    scores = permissions.visible_scores(visible, round_).filter(indicator__level=1)
    by_unit: dict[int, dict[int, object]] = {}
    for score in scores:
        by_unit.setdefault(score.unit_id, {})[score.indicator_id] = score
    return first, by_unit


@login_required
@permission_required(permissions.VIEW_ROUND, raise_exception=True)
def result_list(request: HttpRequest, pk: int) -> HttpResponse:
    """The counties ranked by overall score, with every first-level score (exportable)."""
    round_ = round_for(request, pk)
    found = permissions.visible_results(request.user, round_).select_related("unit").order_by("rank", "unit__path")
    rows = list(found)
    first, by_unit = _first_level_scores(round_, request.user)
    if wants_export(request):
        headers = [_("名次"), _("区县"), _("总分"), _("名次变化"), *(f"{i.code} {i.name}" for i in first)]
        data = [
            [
                row.rank,
                row.unit.name,
                row.score,
                row.get_movement_display(),
                *(getattr(by_unit.get(row.unit_id, {}).get(i.pk), "score", None) for i in first),
            ]
            for row in rows
        ]
        record_access(round_, by=request.user, what="导出营商环境评价结果", rows=len(data))
        return xlsx_response(_("%(name)s结果") % {"name": round_.name}, headers, data)
    table = [(row, [by_unit.get(row.unit_id, {}).get(i.pk) for i in first]) for row in rows]
    context = {"round": round_, "rows": table, "first": first, "preview": not round_.is_published}
    return render(request, "bizenv/result_list.html", context)


def _trend_png(unit: Unit, points: list[results.TrendPoint], title: str) -> str:
    labels = [point.round.period for point in points]
    values = [None if point.score is None else float(point.score) for point in points]
    figure = charts.trend_figure(labels, {unit.name: values}, title=title, y_label=_("得分"))
    axes = figure.axes[0]
    for position, point in enumerate(points):
        if point.is_break:
            axes.axvline(position - 0.5, color="#c0392b", linestyle="--", linewidth=1)
            axes.annotate(
                _("方法版本变更"), (position - 0.5, 0.98), xycoords=("data", "axes fraction"), ha="center", va="top"
            )
    axes.set_ylim(0, 105)
    return base64.b64encode(charts.figure_png(figure)).decode()


@login_required
@permission_required(permissions.VIEW_ROUND, raise_exception=True)
def result_unit(request: HttpRequest, pk: int) -> HttpResponse:
    """One county: overall score and rank, every indicator's score, rank, gaps and flag, and the trend."""
    found = Result.objects.filter(pk=pk).select_related("round__methodology", "unit").first()
    if found is None or not permissions.visible_results(request.user, found.round).filter(pk=pk).exists():
        raise Http404
    result, round_ = found, found.round
    gaps = results.gaps(round_, result.unit)
    evaluated = permissions.visible_rounds(request.user).filter(results__unit=result.unit).select_related("methodology")
    visible = [r for r in evaluated if permissions.visible_results(request.user, r).filter(unit=result.unit).exists()]
    indicators = [gap.indicator for gap in gaps]
    trend_form = TrendForm(request.GET, indicators=indicators)
    code = trend_form.cleaned_data["indicator"] if trend_form.is_valid() else ""
    points = results.trend(result.unit, visible, indicator_code=code)
    title = _("%(unit)s 得分趋势") % {"unit": result.unit.name}
    context = {
        "round": round_,
        "result": result,
        "gaps": gaps,
        "points": points,
        "trend_form": trend_form,
        "trend_png": _trend_png(result.unit, points, title) if len(points) > 1 else "",
        "preview": not round_.is_published,
    }
    return render(request, "bizenv/result_unit.html", context)


@login_required
@permission_required(permissions.VIEW_ROUND, raise_exception=True)
def flag_list(request: HttpRequest, pk: int) -> HttpResponse:
    """The indicators under their alert threshold, per lead unit, with the counties behind each."""
    round_ = round_for(request, pk)
    scores = permissions.visible_scores(request.user, round_).filter(flagged=True)
    scores = list(scores.select_related("unit", "indicator__lead_unit").order_by("indicator__code", "score"))
    if wants_export(request):
        headers = [_("牵头单位"), _("指标代码"), _("指标名称"), _("区县"), _("得分"), _("预警阈值"), _("名次")]
        data = [
            [str(s.indicator.lead_unit or ""), s.indicator.code, s.indicator.name, s.unit.name, s.score]
            + [s.indicator.alert_threshold, s.rank]
            for s in scores
        ]
        record_access(round_, by=request.user, what="导出营商环境预警清单", rows=len(data))
        return xlsx_response(_("%(name)s预警清单") % {"name": round_.name}, headers, data)
    opened = rectification.opened(round_, supervision_permissions.visible_problems(request.user))
    problems = {s.indicator_id: opened.get(rectification.reference(round_, s.indicator)) for s in scores}
    context = {
        "round": round_,
        "groups": results.flags_by_lead_unit(scores),
        "preview": not round_.is_published,
        "problems": problems,
        "can_rectify": round_.is_published and supervision_permissions.can_manage(request.user),
    }
    return render(request, "bizenv/flag_list.html", context)


@login_required
@require_POST
def flag_rectify(request: HttpRequest, pk: int, indicator_pk: int) -> HttpResponse:
    """Open the flagged indicator's rectification problem on the supervision ledger, against its lead unit."""
    round_ = round_for(request, pk)
    permissions.require(supervision_permissions.can_manage(request.user))
    indicator = get_object_or_404(Indicator.objects.select_related("lead_unit"), pk=indicator_pk)
    if indicator.methodology_id != round_.methodology_id:
        raise Http404
    try:
        problem = rectification.open_rectification(round_=round_, indicator=indicator, by=request.user)
    except BusinessRuleError as error:
        messages.error(request, error.message)
        return redirect("bizenv:flag_list", pk=round_.pk)
    messages.success(request, _("已登记整改问题 %(code)s，交牵头单位整改。") % {"code": problem.code})
    return redirect("supervision:problem_detail", pk=problem.pk)


@login_required
@permission_required(permissions.VIEW_ROUND, raise_exception=True)
def robustness(request: HttpRequest, pk: int) -> HttpResponse:
    """Does the ranking hold under equal weights or a geometric mean? (needs sight of every county)"""
    round_ = round_for(request, pk)
    if not (permissions.sees_all(request.user) or round_.disclosure == Round.Disclosure.CITY_WIDE):
        raise PermissionDenied
    if not round_.results.exists():
        return render(request, "bizenv/robustness.html", {"round": round_, "report": None})
    report = results.robustness(round_)
    units = {unit.pk: unit for unit in Unit.objects.filter(pk__in=[row.unit for row in report.rows])}
    rows = [(units[row.unit], row) for row in report.rows]
    return render(request, "bizenv/robustness.html", {"round": round_, "report": report, "rows": rows})


def _parameters(indicator) -> list[tuple[str, object]]:
    return [(str(LABELS[key]), value) for key, value in indicator.parameters.items() if key in LABELS]


@login_required
@permission_required(permissions.VIEW_METHODOLOGY, raise_exception=True)
def methodology_handbook(request: HttpRequest, pk: int) -> HttpResponse:
    """The methodology written out from the tree: what is measured, how it is scored, who answers for it."""
    methodology = get_object_or_404(permissions.visible_methodologies(request.user), pk=pk)
    indicators = list(methodology.indicators.select_related("lead_unit").prefetch_related("co_units").order_by("code"))
    siblings: dict[int | None, list] = {}
    for indicator in indicators:
        siblings.setdefault(indicator.parent_id, []).append(indicator)
    shares = {}
    for group in siblings.values():
        total = sum(i.weight for i in group) or len(group)
        for indicator in group:
            shares[indicator.pk] = (indicator.weight if total else 1) * 100 / total
    leaves = {i.pk for i in rounds.leaves(indicators)}
    rows = [
        (indicator, shares[indicator.pk], indicator.pk in leaves, _parameters(indicator)) for indicator in indicators
    ]
    context = {"methodology": methodology, "rows": rows, "draft_count": sum(i.is_draft for i in indicators)}
    return render(request, "bizenv/methodology_handbook.html", context)
