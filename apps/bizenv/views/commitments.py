"""Time-limit commitment pages: the commitments with their statistics, one commitment (chain, statistics by
county and by step, the late cases and their explanations), the public list of committed times, the case
ledger, a case's form, its article-36 explanation, and the Excel import.

Holders of VIEW_CASE read the commitments (city-wide) and the cases in their scope (permissions.py);
RECORD_CASE records and corrects cases, MANAGE_COMMITMENT keeps the commitments: 403 for the others, 404 for
a case out of scope. The rules live in services/cases.py, the figures in services/commitments.py.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from apps.bizenv import permissions
from apps.bizenv.forms_commitments import (
    CaseFilterForm,
    CaseForm,
    CaseStepFormSet,
    ChainFormSet,
    ClockStopFormSet,
    CommitmentDetailFilterForm,
    CommitmentFilterForm,
    CommitmentForm,
    ExplanationForm,
    step_inputs,
)
from apps.bizenv.models import Case, Commitment
from apps.bizenv.services import cases as services
from apps.bizenv.services.case_excel import import_cases, import_rows, ledger_rows
from apps.bizenv.services.commitments import Stats, late_in_progress, stats_by, step_stats, total
from apps.core.audit import record_access
from apps.core.errors import BusinessRuleError
from apps.core.exports import xlsx_response
from apps.core.forms import add_rule_error
from apps.core.import_views import import_page
from apps.core.lists import paginate, query_without_page, wants_export
from apps.core.workdays import chinese_date
from apps.org.models import Unit

VIEW, RECORD, MANAGE = permissions.VIEW_CASE, permissions.RECORD_CASE, permissions.MANAGE_COMMITMENT
STATS_HEADERS = tuple(
    gettext_lazy(label) for label in ("件数", "按时办结率（%）", "平均用时", "中位数", "P90", "超时件数")
)


def _commitment(request: HttpRequest, pk: int, *, permission: str = VIEW) -> Commitment:
    queryset = permissions.visible_commitments(request.user).prefetch_related("steps__department")
    return permissions.get_for_user(queryset, request.user, pk, permission=permission)


def _case(request: HttpRequest, pk: int, *, permission: str = VIEW) -> Case:
    queryset = permissions.visible_cases(request.user).select_related("commitment", "unit", "explained_by")
    case = permissions.get_for_user(queryset, request.user, pk, permission=VIEW)
    if permission != VIEW:
        permissions.require(permissions.can_record(request.user, case))
    return case


def _stats_row(stats: Stats) -> list[object]:
    return [stats.cases, stats.on_time_share, stats.mean, stats.median, stats.p90, stats.late]


def _period_label(starts_on, ends_on) -> str:
    return _("%(start)s至%(end)s") % {"start": chinese_date(starts_on), "end": chinese_date(ends_on)}


# ---- commitments ------------------------------------------------------------------------------------


@login_required
@permission_required(VIEW, raise_exception=True)
def commitment_list(request: HttpRequest) -> HttpResponse:
    """Every commitment with the statistics of the user's visible cases completed in the period."""
    form = CommitmentFilterForm(request.GET)
    starts_on, ends_on = form.period()
    commitments = permissions.visible_commitments(request.user).prefetch_related("steps")
    if form.is_valid() and form.cleaned_data["q"]:
        commitments = commitments.filter(name__icontains=form.cleaned_data["q"].strip())
    cases = permissions.visible_cases(request.user)
    stats = stats_by(cases.completed_between(starts_on, ends_on), "commitment_id")
    running = dict(cases.in_progress().order_by().values_list("commitment_id").annotate(n=Count("pk")))
    rows = [(c, stats.get(c.pk, Stats()), running.get(c.pk, 0)) for c in commitments]
    if wants_export(request):
        headers = [_("承诺事项"), _("承诺时限（工作日）"), *map(str, STATS_HEADERS), _("在办件数")]
        data = [[c.name, c.limit_days, *_stats_row(s), n] for c, s, n in rows]
        return xlsx_response(
            _("承诺时限统计%(period)s") % {"period": f"{starts_on:%Y%m%d}-{ends_on:%Y%m%d}"}, headers, data
        )
    context = {
        "form": form, "rows": rows, "period": _period_label(starts_on, ends_on), "query": query_without_page(request),
        "can_manage": permissions.can_manage_commitments(request.user), "export": True,
    }  # fmt: skip
    return render(request, "bizenv/commitment_list.html", context)


@login_required
def commitment_public(request: HttpRequest) -> HttpResponse:
    """承诺时限公示: every active commitment's published time and chain, and the explained late cases
    (art. 36), without the applicants' names."""
    commitments = Commitment.objects.filter(is_active=True).select_related("unit").prefetch_related("steps__department")
    explained = (
        Case.objects.exclude(explanation="").select_related("commitment", "unit").order_by("-completed_on", "-pk")
    )
    context = {"commitments": commitments, "page": paginate(request, explained), "query": query_without_page(request)}
    return render(request, "bizenv/commitment_public.html", context)


@login_required
@permission_required(MANAGE, raise_exception=True)
def commitment_create(request: HttpRequest) -> HttpResponse:
    return _commitment_form(request, None)


@login_required
def commitment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _commitment_form(request, _commitment(request, pk, permission=MANAGE))


def _commitment_form(request: HttpRequest, commitment: Commitment | None) -> HttpResponse:
    initial, chain = {"is_active": True, "order": 0}, []
    if commitment is not None:
        initial = {name: getattr(commitment, name) for name in ("code", *services.COMMITMENT_FIELDS)}
        chain = [
            {"name": s.name, "department": s.department, "limit_days": s.limit_days} for s in commitment.steps.all()
        ]
    departments = permissions.commitment_departments(request.user)
    form = CommitmentForm(request.POST or None, initial=initial, departments=departments)
    steps = ChainFormSet(request.POST or None, initial=chain, prefix="steps", form_kwargs={"departments": departments})
    if request.method == "POST" and form.is_valid() and steps.is_valid():
        chain_steps = [step for step in (f.step() for f in steps.forms) if step is not None]
        try:
            saved = services.save_commitment(
                commitment=commitment, steps=chain_steps, by=request.user, **form.cleaned_data
            )
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, _("已保存承诺事项“%(name)s”。") % {"name": saved.name})
            return redirect("bizenv:commitment_detail", pk=saved.pk)
    context = {"form": form, "steps": steps, "commitment": commitment}
    return render(request, "bizenv/commitment_form.html", context)


@login_required
def commitment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The chain, statistics by county and by step, the late cases; ?export=xlsx gives the county figures."""
    commitment = _commitment(request, pk)
    visible = permissions.visible_cases(request.user).filter(commitment=commitment)
    units = Unit.objects.filter(pk__in=visible.order_by().values("unit_id").distinct()).order_by("path")
    form = CommitmentDetailFilterForm(request.GET, units=units)
    starts_on, ends_on = form.period()
    if form.is_valid() and form.cleaned_data["unit"]:
        visible = visible.filter(unit=form.cleaned_data["unit"])
    period_cases = visible.completed_between(starts_on, ends_on)
    by_unit = stats_by(period_cases, "unit_id")
    names = Unit.objects.in_bulk(list(by_unit))
    county_rows = sorted(((names[pk], stats) for pk, stats in by_unit.items()), key=lambda row: row[0].path)
    if wants_export(request):
        record_access(commitment, by=request.user, what="导出承诺时限统计", rows=len(county_rows))
        data = [[unit.name, *_stats_row(stats)] for unit, stats in county_rows]
        data.append([_("合计"), *_stats_row(total(by_unit))])
        return xlsx_response(
            _("%(name)s办理时间统计") % {"name": commitment.name}, [_("地区"), *map(str, STATS_HEADERS)], data
        )
    late = period_cases.late().select_related("unit").order_by("-working_days", "-completed_on")
    context = {
        "commitment": commitment, "form": form, "period": _period_label(starts_on, ends_on),
        "county_rows": county_rows, "overall": total(by_unit), "step_rows": _step_rows(commitment, period_cases),
        "page": paginate(request, late), "running_late": late_in_progress(visible, limit=50),
        "unexplained": period_cases.late().filter(explanation="").count(), "query": query_without_page(request),
        "can_manage": permissions.can_manage_commitments(request.user), "export": True,
        "can_record": bool(permissions.case_units(request.user).exists()),
    }  # fmt: skip
    return render(request, "bizenv/commitment_detail.html", context)


def _step_rows(commitment: Commitment, cases) -> list[tuple[str, int | None, Stats]]:
    """The chain's steps in order with their statistics, then steps the cases have beyond the chain."""
    stats = step_stats(cases)
    rows = [(step.name, step.limit_days, stats.pop(step.name, Stats())) for step in commitment.steps.all()]
    return rows + [(name, None, extra) for name, extra in sorted(stats.items())]


@login_required
@require_POST
def commitment_sync(request: HttpRequest, pk: int) -> HttpResponse:
    """Make or refresh the cases of the landing procedure checklists."""
    commitment = _commitment(request, pk, permission=MANAGE)
    try:
        created, updated, skipped = services.sync_checklist_cases(commitment=commitment, by=request.user)
    except BusinessRuleError as error:
        messages.error(request, error.message)
    else:
        text = _("已从手续清单新增 %(created)s 件、更新 %(updated)s 件。") % {"created": created, "updated": updated}
        if skipped:
            text += _("%(n)s 份手续清单的日期不完整或有误，未生成办件。") % {"n": skipped}
        messages.success(request, text)
    return redirect("bizenv:commitment_detail", pk=commitment.pk)


# ---- cases ------------------------------------------------------------------------------------------


def _filtered_cases(request: HttpRequest, form: CaseFilterForm):
    cases = permissions.visible_cases(request.user).select_related("commitment", "unit")
    if not form.is_valid():
        return cases
    data = form.cleaned_data
    cases = cases.search(data["q"].strip())
    if data["commitment"]:
        cases = cases.filter(commitment=data["commitment"])
    if data["unit"]:
        cases = cases.filter(unit__path__startswith=data["unit"].path)
    status = data["status"]
    if status == "in_progress":
        cases = cases.in_progress()
    elif status in ("completed", "late", "unexplained"):
        cases = cases.completed()
        if status != "completed":
            cases = cases.late()
        if status == "unexplained":
            cases = cases.filter(explanation="")
    if data["starts_on"]:
        cases = cases.filter(completed_on__gte=data["starts_on"])
    if data["ends_on"]:
        cases = cases.filter(completed_on__lte=data["ends_on"])
    return cases


@login_required
@permission_required(VIEW, raise_exception=True)
def case_list(request: HttpRequest) -> HttpResponse:
    units = Unit.objects.filter(kind__in=permissions.CASE_UNIT_KINDS)
    if not permissions.can_manage_commitments(request.user):
        units = units.filter(path__startswith=request.user.unit.path) if request.user.unit else units.none()
    form = CaseFilterForm(request.GET, units=units.order_by("path"))
    cases = _filtered_cases(request, form).order_by("-received_on", "-pk")
    if wants_export(request):
        headers, rows = ledger_rows(cases)
        record_access(request.user, by=request.user, what="导出承诺时限办件台账", rows=cases.count())
        return xlsx_response(_("承诺时限办件台账"), headers, rows)
    context = {
        "form": form, "page": paginate(request, cases), "query": query_without_page(request), "export": True,
        "commitments": Commitment.objects.filter(is_active=True),
        "can_record": permissions.case_units(request.user).exists(),
    }  # fmt: skip
    return render(request, "bizenv/case_list.html", context)


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    case_steps = list(case.steps.select_related("department"))
    context = {
        "case": case, "steps": case_steps, "stops": list(case.stops.all()),
        "late_now": services.is_late_now(case), "can_record": permissions.can_record(request.user, case),
        "can_delete": permissions.can_manage_commitments(request.user), "today": timezone.localdate(),
    }  # fmt: skip
    return render(request, "bizenv/case_detail.html", context)


@login_required
def case_create(request: HttpRequest, pk: int) -> HttpResponse:
    """A new case of the commitment, with its chain's steps to date."""
    commitment = _commitment(request, pk, permission=RECORD)
    chain = list(commitment.steps.all())
    return _case_form(request, commitment, None, chain)


@login_required
def case_edit(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk, permission=RECORD)
    chain = list(case.steps.select_related("department"))
    return _case_form(request, case.commitment, case, chain)


def _case_form(request: HttpRequest, commitment: Commitment, case: Case | None, chain: list) -> HttpResponse:
    units = permissions.case_units(request.user).order_by("path")
    if case is not None:
        units = (units | Unit.objects.filter(pk=case.unit_id)).distinct()
    initial, step_initial, stop_initial = _case_initial(case, chain)
    data = request.POST or None
    form = CaseForm(data, units=units, initial=initial)
    # every step row is filled in or left blank on purpose: none is an optional extra form
    steps = CaseStepFormSet(data, initial=step_initial, prefix="steps", form_kwargs={"empty_permitted": False})
    stops = ClockStopFormSet(data, initial=stop_initial, prefix="stops")
    if request.method == "POST" and form.is_valid() and steps.is_valid() and stops.is_valid():
        fields = {**form.cleaned_data, "steps": step_inputs(chain, steps)}
        fields["stops"] = [stop for stop in (f.stop() for f in stops.forms) if stop is not None]
        try:
            if case is None:
                case = services.record_case(commitment=commitment, by=request.user, **fields)
            else:
                services.update_case(case=case, by=request.user, **fields)
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, _("已保存办件“%(number)s”。") % {"number": case.number})
            return redirect("bizenv:case_detail", pk=case.pk)
    rows = list(zip(chain, steps.forms, strict=True))
    context = {"form": form, "steps": steps, "step_rows": rows, "stops": stops, "commitment": commitment, "case": case}
    return render(request, "bizenv/case_form.html", context)


def _case_initial(case: Case | None, chain: list) -> tuple[dict, list[dict], list[dict]]:
    if case is None:
        return {}, [{} for _step in chain], []
    fields = ("unit", "number", "applicant_name", "applicant_uscc", "received_on", "completed_on")
    steps = [{"started_on": step.started_on, "ended_on": step.ended_on} for step in chain]
    stops = [
        {"reason": s.reason, "starts_on": s.starts_on, "ends_on": s.ends_on, "note": s.note} for s in case.stops.all()
    ]
    return {name: getattr(case, name) for name in fields}, steps, stops


@login_required
def case_explain(request: HttpRequest, pk: int) -> HttpResponse:
    """The article-36 public explanation of a late case."""
    case = _case(request, pk, permission=RECORD)
    form = ExplanationForm(request.POST or None, initial={"explanation": case.explanation})
    if request.method == "POST" and form.is_valid():
        try:
            services.explain_delay(case=case, by=request.user, **form.cleaned_data)
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, _("已保存超时情况说明。"))
            return redirect("bizenv:case_detail", pk=case.pk)
    return render(request, "bizenv/case_explain.html", {"form": form, "case": case})


@login_required
@require_POST
def case_delete(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    permissions.require(permissions.can_manage_commitments(request.user))
    services.delete_case(case=case, by=request.user)
    messages.success(request, _("已删除办件“%(number)s”。") % {"number": case.number})
    return redirect("bizenv:case_list")


@login_required
def case_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload a commitment's cases: every row checked first; one error and nothing is written.
    ?export=xlsx gives the template with the user's cases of the commitment."""
    commitment = _commitment(request, pk, permission=RECORD)
    permissions.require(permissions.case_units(request.user).exists())
    if wants_export(request):
        headers, rows = import_rows(commitment, permissions.visible_cases(request.user))
        return xlsx_response(_("%(name)s办件导入模板") % {"name": commitment.name}, headers, rows)

    def done(report) -> HttpResponse:
        messages.success(
            request,
            _("已导入 %(rows)s 行：新增 %(created)s 件，更新 %(updated)s 件。")
            % {"rows": report.rows, "created": report.created, "updated": report.updated},
        )
        return redirect("bizenv:commitment_detail", pk=commitment.pk)

    return import_page(
        request,
        template="bizenv/case_import.html",
        context={"commitment": commitment},
        run=lambda content: import_cases(commitment=commitment, content=content, by=request.user),
        done=done,
        label=_("办件表（.xlsx）"),
    )
