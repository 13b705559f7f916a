"""Indicator-system pages: the versions, one version's tree with its draft marks (and its Excel export),
a version's name and notes, publication, copies, the tree's import, and one indicator's form.

Everyone holding VIEW_METHODOLOGY reads every version (city-wide reference data); MANAGE_METHODOLOGY
changes drafts: 403 for the others. The rules live in services/methodologies.py and services/tree_excel.py.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.bizenv import permissions
from apps.bizenv.forms import IndicatorForm, MethodologyFilterForm, MethodologyForm, PublishForm
from apps.bizenv.models import Indicator, Methodology
from apps.bizenv.services import methodologies as services
from apps.bizenv.services.tree_excel import export_rows, import_tree, tree_order
from apps.core.audit import record_access
from apps.core.errors import BusinessRuleError
from apps.core.exports import xlsx_response
from apps.core.forms import add_rule_error
from apps.core.import_views import import_page
from apps.core.lists import paginate, query_without_page, wants_export

VIEW, MANAGE = permissions.VIEW_METHODOLOGY, permissions.MANAGE_METHODOLOGY


def _methodology(request: HttpRequest, pk: int, *, permission: str = VIEW) -> Methodology:
    queryset = permissions.visible_methodologies(request.user)
    return permissions.get_for_user(queryset, request.user, pk, permission=permission)


def _indicator(request: HttpRequest, pk: int) -> Indicator:
    queryset = permissions.visible_indicators(request.user).select_related("methodology", "parent")
    return permissions.get_for_user(queryset, request.user, pk, permission=MANAGE)


# ---- versions -------------------------------------------------------------------------------


@login_required
@permission_required(VIEW, raise_exception=True)
def methodology_list(request: HttpRequest) -> HttpResponse:
    form = MethodologyFilterForm(request.GET)
    versions = permissions.visible_methodologies(request.user).select_related("based_on")
    if form.is_valid():
        if form.cleaned_data["q"]:
            words = form.cleaned_data["q"].strip()
            versions = versions.filter(Q(code__icontains=words) | Q(name__icontains=words))
        if form.cleaned_data["status"]:
            versions = versions.filter(status=form.cleaned_data["status"])
    versions = versions.annotate(
        indicator_count=Count("indicators"), draft_count=Count("indicators", filter=Q(indicators__is_draft=True))
    ).order_by("-code")
    context = {
        "form": form,
        "page": paginate(request, versions),
        "query": query_without_page(request),
        "can_manage": permissions.can_manage(request.user),
    }
    return render(request, "bizenv/methodology_list.html", context)


@login_required
@permission_required(MANAGE, raise_exception=True)
def methodology_create(request: HttpRequest) -> HttpResponse:
    form = MethodologyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            methodology = services.create_methodology(by=request.user, **form.cleaned_data)
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, _("已建立评价方法版本“%(code)s”。") % {"code": methodology.code})
            return redirect("bizenv:methodology_detail", pk=methodology.pk)
    return render(request, "bizenv/methodology_form.html", {"form": form, "title": _("新建评价方法版本")})


@login_required
def methodology_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The version's tree with its draft marks; ?export=xlsx gives the same tree as the import reads it."""
    methodology = _methodology(request, pk)
    if wants_export(request):
        headers, rows = export_rows(methodology)
        record_access(methodology, by=request.user, what="导出评价指标", rows=len(rows))
        return xlsx_response(_("评价指标%(code)s") % {"code": methodology.code}, headers, rows)
    indicators = methodology.indicators.select_related("lead_unit").prefetch_related("co_units")
    tree = tree_order(list(indicators))
    context = {
        "methodology": methodology,
        "tree": tree,
        "parent_ids": {indicator.parent_id for indicator in tree if indicator.parent_id},
        "draft_count": sum(1 for indicator in tree if indicator.is_draft),
        "can_edit": permissions.can_manage(request.user) and not methodology.is_published,
        "can_manage": permissions.can_manage(request.user),
    }
    return render(request, "bizenv/methodology_detail.html", context)


@login_required
def methodology_edit(request: HttpRequest, pk: int) -> HttpResponse:
    methodology = _methodology(request, pk, permission=MANAGE)
    initial = {"name": methodology.name, "notes": methodology.notes}
    form = MethodologyForm(request.POST or None, with_code=False, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_methodology(methodology=methodology, by=request.user, **form.cleaned_data)
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, _("已保存。"))
            return redirect("bizenv:methodology_detail", pk=methodology.pk)
    context = {"form": form, "methodology": methodology, "title": _("修改版本信息")}
    return render(request, "bizenv/methodology_form.html", context)


@login_required
@require_POST
def methodology_delete(request: HttpRequest, pk: int) -> HttpResponse:
    methodology = _methodology(request, pk, permission=MANAGE)
    try:
        services.delete_methodology(methodology=methodology, by=request.user)
    except BusinessRuleError as error:
        messages.error(request, error.message)
        return redirect("bizenv:methodology_detail", pk=methodology.pk)
    messages.success(request, _("已删除草稿版本“%(code)s”。") % {"code": methodology.code})
    return redirect("bizenv:methodology_list")


@login_required
def methodology_publish(request: HttpRequest, pk: int) -> HttpResponse:
    methodology = _methodology(request, pk, permission=MANAGE)
    drafts = methodology.indicators.filter(is_draft=True).count()
    form = PublishForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.publish_methodology(methodology=methodology, by=request.user, **form.cleaned_data)
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, _("已发布评价方法版本“%(code)s”，该版本已冻结。") % {"code": methodology.code})
            return redirect("bizenv:methodology_detail", pk=methodology.pk)
    context = {"methodology": methodology, "form": form, "drafts": drafts}
    return render(request, "bizenv/methodology_publish.html", context)


@login_required
def methodology_copy(request: HttpRequest, pk: int) -> HttpResponse:
    source = _methodology(request, pk, permission=MANAGE)
    form = MethodologyForm(request.POST or None, initial={"name": _("%(name)s（副本）") % {"name": source.name}})
    if request.method == "POST" and form.is_valid():
        try:
            copy = services.copy_methodology(source=source, by=request.user, **form.cleaned_data)
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, _("已复制为新的草稿版本“%(code)s”。") % {"code": copy.code})
            return redirect("bizenv:methodology_detail", pk=copy.pk)
    context = {"form": form, "methodology": source, "title": _("复制为新版本")}
    return render(request, "bizenv/methodology_form.html", context)


@login_required
def tree_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload the tree: every row checked first; one error and nothing is written."""
    methodology = _methodology(request, pk, permission=MANAGE)

    def done(report) -> HttpResponse:
        messages.success(
            request,
            _("已导入 %(rows)s 行：新增 %(created)s 项，更新 %(updated)s 项。")
            % {"rows": report.rows, "created": report.created, "updated": report.updated},
        )
        return redirect("bizenv:methodology_detail", pk=methodology.pk)

    return import_page(
        request,
        template="bizenv/tree_import.html",
        context={"methodology": methodology},
        run=lambda content: import_tree(methodology=methodology, content=content, by=request.user),
        done=done,
        label=_("指标表（.xlsx）"),
    )


# ---- indicators -----------------------------------------------------------------------------


@login_required
def indicator_create(request: HttpRequest, pk: int) -> HttpResponse:
    """A new indicator in the version, under ?parent= (a first-level one without it)."""
    methodology = _methodology(request, pk, permission=MANAGE)
    parent = None
    if request.GET.get("parent", "").isdigit():
        parent = methodology.indicators.filter(pk=int(request.GET["parent"])).first()
    initial = {"code": f"{parent.code}." if parent else "", "weight": 1, "alert_threshold": 70, "is_national": True}
    form = IndicatorForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        co_units = fields.pop("co_units")
        try:
            indicator = services.create_indicator(
                methodology=methodology, parent=parent, by=request.user, co_units=co_units, **fields
            )
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, _("已添加指标“%(name)s”。") % {"name": indicator.name})
            return redirect("bizenv:methodology_detail", pk=methodology.pk)
    context = {"form": form, "methodology": methodology, "parent": parent, "indicator": None}
    return render(request, "bizenv/indicator_form.html", context)


@login_required
def indicator_edit(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = _indicator(request, pk)
    form = IndicatorForm(request.POST or None, indicator=indicator)
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        try:
            services.update_indicator(indicator=indicator, by=request.user, **fields)
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, _("已保存指标“%(name)s”。") % {"name": indicator.name})
            return redirect("bizenv:methodology_detail", pk=indicator.methodology_id)
    context = {"form": form, "methodology": indicator.methodology, "parent": indicator.parent, "indicator": indicator}
    return render(request, "bizenv/indicator_form.html", context)


@login_required
@require_POST
def indicator_delete(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = _indicator(request, pk)
    try:
        services.delete_indicator(indicator=indicator, by=request.user)
    except BusinessRuleError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已删除指标“%(name)s”。") % {"name": indicator.name})
    return redirect("bizenv:methodology_detail", pk=indicator.methodology_id)
