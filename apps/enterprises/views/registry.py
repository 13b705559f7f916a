"""The registry's pages: the searchable list, an enterprise's page, registration and editing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.audit import record_access
from apps.core.errors import BusinessRuleError
from apps.core.exports import xlsx_response
from apps.core.forms import add_rule_error
from apps.core.lists import paginate, query_without_page, wants_export
from apps.enterprises import permissions, services
from apps.enterprises.forms import LEGAL_FORM_CHOICES, EnterpriseFilterForm, EnterpriseForm, NameForm, RegisterForm
from apps.enterprises.links import links_for
from apps.enterprises.marks import attach_marks, marks_for
from apps.enterprises.matching.compare import Verdict
from apps.enterprises.models import Enterprise, EnterpriseName, Merge
from apps.enterprises.permissions import get_enterprise_for_user, visible_contacts
from apps.enterprises.selectors import MIN_SEARCH_LENGTH, find_matches, search_enterprises
from apps.supervision.task_selectors import commitments_on_page

SEARCH_LIMIT = 50
EXPORT_HEADERS = (
    "企业名称", "统一社会信用代码", "简称", "曾用名", "组织形式", "注册地", "住所", "注册资本（万元）", "成立日期",
    "所属行业", "标签", "集团关系", "上级企业", "状态",
)  # fmt: skip


# ---- list and search -----------------------------------------------------------------------


@login_required
@permission_required(permissions.VIEW, raise_exception=True)
def enterprise_list(request: HttpRequest) -> HttpResponse:
    form = EnterpriseFilterForm(request.GET)
    enterprises, matches = _filtered(form)
    if wants_export(request):
        return _export(request, enterprises)
    page = paginate(request, enterprises) if matches is None else None
    if page is not None:
        page.object_list = attach_marks(page.object_list, request.user)
    else:
        attach_marks([match.enterprise for match in matches], request.user)
    context = {
        "form": form,
        "page": page,
        "matches": matches,
        "query": query_without_page(request),
        "min_search_length": MIN_SEARCH_LENGTH,
    }
    if request.htmx and request.htmx.target == "enterprise-results":
        return render(request, "enterprises/enterprise_list.html#results", context)
    return render(request, "enterprises/enterprise_list.html", context)


def _filtered(form: EnterpriseFilterForm):
    """The filtered enterprises, and the ranked matches when a search text was typed."""
    enterprises = Enterprise.objects.select_related("industry", "parent").prefetch_related("tags").order_by("-id")
    if not form.is_valid():
        return enterprises.active(), None
    data = form.cleaned_data
    enterprises = _by_status(enterprises, data["status"])
    if data["tag"]:
        enterprises = enterprises.with_tag(data["tag"])
    if data["industry"]:
        enterprises = enterprises.in_industry(data["industry"])
    if data["group_role"]:
        enterprises = enterprises.filter(group_role=data["group_role"])
    if data["uscc"]:
        enterprises = enterprises.filter(uscc__isnull=data["uscc"] == "without")
    if not data["q"].strip():
        return enterprises, None
    found = search_enterprises(data["q"], limit=SEARCH_LIMIT)
    allowed = set(enterprises.filter(pk__in=[m.enterprise.pk for m in found]).values_list("pk", flat=True))
    matches = [m for m in found if m.enterprise.pk in allowed]
    return enterprises.filter(pk__in=allowed), matches


def _by_status(enterprises, status: str):
    if status == "merged":
        return enterprises.filter(status=Enterprise.Status.MERGED)
    if status == "all":
        return enterprises
    return enterprises.active()


def _export(request: HttpRequest, enterprises) -> HttpResponse:
    rows = list(enterprises.prefetch_related("names"))
    record_access(request.user, by=request.user, what="导出企业名录", rows=len(rows))
    return xlsx_response(_("企业名录"), EXPORT_HEADERS, (_export_row(e) for e in rows))


def _export_row(enterprise: Enterprise) -> tuple:
    names = {kind: [] for kind in EnterpriseName.Kind.values}
    for alias in enterprise.names.all():
        names[alias.kind].append(alias.name)
    return (
        enterprise.name,
        enterprise.uscc or "",
        "、".join(names[EnterpriseName.Kind.SHORT]),
        "、".join(names[EnterpriseName.Kind.FORMER]),
        enterprise.legal_form,
        enterprise.region_name,
        enterprise.address,
        enterprise.registered_capital,
        enterprise.founded_on,
        str(enterprise.industry) if enterprise.industry else "",
        "、".join(tag.name for tag in enterprise.tags.all()),
        enterprise.get_group_role_display(),
        enterprise.parent.name if enterprise.parent else "",
        enterprise.get_status_display(),
    )


@login_required
@permission_required(permissions.VIEW, raise_exception=True)
def enterprise_lookup(request: HttpRequest) -> HttpResponse:
    """Type-ahead results for pickers (the parent enterprise on the form)."""
    matches = search_enterprises(request.GET.get("q", ""), limit=10)
    return render(request, "enterprises/_lookup.html", {"matches": matches, "target": request.GET.get("target", "")})


# ---- one enterprise ------------------------------------------------------------------------


@login_required
def enterprise_detail(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = get_enterprise_for_user(request.user, pk)
    context = {
        "enterprise": enterprise,
        "names": enterprise.names.order_by("kind", "id"),
        "tags": enterprise.tags.all(),
        "ancestors": _ancestors(enterprise),
        "children": enterprise.children.active().order_by("group_role", "name"),
        "contacts": visible_contacts(request.user).filter(enterprise=enterprise).order_by("id")
        if request.user.has_perm(permissions.VIEW_CONTACTS)
        else None,
        "links": links_for(enterprise, request.user),
        "marks": marks_for([enterprise], request.user).get(enterprise.pk, []),
        "commitments": commitments_on_page(request.user, enterprise=enterprise),
        "merges": Merge.objects.filter(survivor=enterprise)
        .select_related("merged", "merged_by")
        .order_by("-merged_at"),
        "name_form": NameForm(),
    }
    return render(request, "enterprises/enterprise_detail.html", context)


def _ancestors(enterprise: Enterprise) -> list[Enterprise]:
    chain, seen, parent = [], {enterprise.pk}, enterprise.parent
    while parent is not None and parent.pk not in seen:
        chain.insert(0, parent)
        seen.add(parent.pk)
        parent = parent.parent
    return chain


@login_required
@permission_required(permissions.ADD, raise_exception=True)
def enterprise_create(request: HttpRequest) -> HttpResponse:
    form = RegisterForm(request.POST or None, initial={"group_role": Enterprise.GroupRole.INDEPENDENT})
    matches = []
    if request.method == "POST" and form.is_valid():
        matches = find_matches(form.cleaned_data["name"], uscc=form.cleaned_data["uscc"])
        if any(m.verdict == Verdict.SAME for m in matches) and not form.cleaned_data["confirm_distinct"]:
            form.add_error(
                "confirm_distinct", _("企业库中已有可能是同一家的企业，请先核对；确认不是同一家后勾选此项。")
            )
        else:
            try:
                enterprise = services.register_enterprise(data=form.to_data(), by=request.user)
            except BusinessRuleError as error:
                add_rule_error(form, error)
            else:
                _suggest_confirmed(enterprise, matches)
                messages.success(request, _("已登记企业“%(name)s”。") % {"name": enterprise.name})
                return redirect("enterprises:detail", pk=enterprise.pk)
    return render(request, "enterprises/enterprise_form.html", _form_context(form, None, matches))


def _suggest_confirmed(enterprise: Enterprise, matches) -> None:
    """A registration the person confirmed despite likely duplicates stays in the review queue."""
    for match in matches:
        if match.verdict == Verdict.SAME:
            services.suggest_duplicate(
                first=enterprise,
                second=match.enterprise,
                verdict=match.verdict.value,
                score=match.score,
                reasons=[{"code": r.code, "detail": r.detail} for r in match.comparison.reasons],
                source="register",
            )


@login_required
@permission_required(permissions.VIEW, raise_exception=True)
def enterprise_check(request: HttpRequest) -> HttpResponse:
    """While a name or USCC is typed: the registered enterprises it may be (htmx fragment)."""
    name, uscc = request.GET.get("name", "").strip(), request.GET.get("uscc", "").strip()
    exclude = [int(request.GET["exclude"])] if request.GET.get("exclude", "").isdigit() else []
    matches = find_matches(name, uscc=uscc, exclude=exclude) if len(name) >= MIN_SEARCH_LENGTH or uscc else []
    return render(request, "enterprises/_matches.html", {"matches": matches, "checked": bool(name or uscc)})


@login_required
def enterprise_edit(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = get_enterprise_for_user(request.user, pk, action=permissions.CHANGE)
    if enterprise.status != Enterprise.Status.ACTIVE:
        messages.error(request, _("该企业已被合并，请修改合并后的记录。"))
        return redirect("enterprises:detail", pk=enterprise.pk)
    form = EnterpriseForm(request.POST or None, initial=EnterpriseForm.initial_for(enterprise), enterprise=enterprise)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_enterprise(enterprise=enterprise, data=form.to_data(), by=request.user)
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, _("已保存。"))
            return redirect("enterprises:detail", pk=enterprise.pk)
    return render(request, "enterprises/enterprise_form.html", _form_context(form, enterprise, []))


def _form_context(form: EnterpriseForm, enterprise: Enterprise | None, matches) -> dict:
    chosen = form["parent"].value()
    parent = chosen if isinstance(chosen, Enterprise) else None
    if parent is None and str(chosen or "").isdigit():
        parent = Enterprise.objects.active().filter(pk=chosen).first()
    return {
        "form": form,
        "enterprise": enterprise,
        "matches": matches,
        "parent": parent,
        "legal_forms": LEGAL_FORM_CHOICES,
    }


@login_required
@require_POST
def name_add(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = get_enterprise_for_user(request.user, pk, action=permissions.CHANGE)
    form = NameForm(request.POST)
    if form.is_valid():
        try:
            services.add_enterprise_name(enterprise=enterprise, by=request.user, **form.cleaned_data)
        except BusinessRuleError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("已添加名称“%(name)s”。") % {"name": form.cleaned_data["name"]})
    else:
        messages.error(request, _("请填写名称并选择类别。"))
    return redirect("enterprises:detail", pk=enterprise.pk)


@login_required
@require_POST
def name_remove(request: HttpRequest, pk: int) -> HttpResponse:
    alias = EnterpriseName.objects.select_related("enterprise").filter(pk=pk).first()
    enterprise = get_enterprise_for_user(request.user, alias.enterprise_id if alias else 0, action=permissions.CHANGE)
    try:
        services.remove_enterprise_name(name=alias, by=request.user)
    except BusinessRuleError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已删除名称“%(name)s”。") % {"name": alias.name})
    return redirect("enterprises:detail", pk=enterprise.pk)
