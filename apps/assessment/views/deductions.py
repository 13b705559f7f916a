"""Deduction pages: the ledger of deductions (filters, export), recording one on a scheme, revoking one.

Everyone who reads the rankings sees the deductions in their scope (permissions.visible_deductions: the
unit deducted, the unit running the scheme); only the scheme's unit records and revokes them.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.assessment import permissions
from apps.assessment.forms.deductions import DeductionFilterForm, DeductionForm, RevokeForm
from apps.assessment.models import Deduction, Target
from apps.assessment.services import schemes as services
from apps.core.audit import record_access
from apps.core.errors import BusinessRuleError
from apps.core.exports import xlsx_response
from apps.core.forms import add_rule_error
from apps.core.lists import paginate, query_without_page, wants_export
from apps.investment.permissions import visible_projects
from apps.org.models import Unit

EXPORT_HEADERS = (
    "考核方案", "单位", "扣分事项", "扣分", "认定日期", "扣分理由", "涉及项目编号", "涉及项目", "登记人", "登记时间",
    "状态", "撤销理由", "撤销时间",
)  # fmt: skip


def _points(value) -> str:
    """Points as the offices write them: 3, 1.5."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _filtered(deductions, data: dict):
    if data["scheme"]:
        deductions = deductions.filter(scheme=data["scheme"])
    if data["unit"]:
        deductions = deductions.filter(unit=data["unit"])
    if data["kind"]:
        deductions = deductions.filter(kind=data["kind"])
    if data["revoked"]:
        deductions = deductions.filter(revoked_at__isnull=data["revoked"] == "no")
    return deductions


@login_required
@permission_required(permissions.VIEW, raise_exception=True)
def deduction_list(request: HttpRequest) -> HttpResponse:
    visible = permissions.visible_deductions(request.user)
    form = DeductionFilterForm(
        request.GET,
        schemes=permissions.visible_schemes(request.user).order_by("-year", "group"),
        units=Unit.objects.filter(pk__in=visible.values("unit")).order_by("path"),
    )
    deductions = visible.select_related("scheme__unit", "unit", "project", "recorded_by").order_by(
        "-happened_on", "-id"
    )
    if form.is_valid():
        deductions = _filtered(deductions, form.cleaned_data)
    if wants_export(request):
        return _export(request, deductions)
    page = paginate(request, deductions)
    may_revoke = request.user.has_perm(permissions.RECORD_DEDUCTION)
    for deduction in page.object_list:
        deduction.can_revoke = (
            may_revoke and deduction.revoked_at is None and permissions.runs(request.user, deduction.scheme)
        )
    context = {"form": form, "page": page, "query": query_without_page(request), "revoke_form": RevokeForm()}
    return render(request, "assessment/deduction_list.html", context)


def _export(request: HttpRequest, deductions) -> HttpResponse:
    rows = list(deductions)
    record_access(request.user, by=request.user, what="导出考核扣分", rows=len(rows))
    return xlsx_response(_("考核扣分"), [_(h) for h in EXPORT_HEADERS], (_row(d) for d in rows))


def _row(d: Deduction) -> tuple:
    revoked_at = timezone.localtime(d.revoked_at).replace(tzinfo=None) if d.revoked_at else None
    return (
        d.scheme.name, d.unit.name, d.get_kind_display(), d.points, d.happened_on, d.reason,
        d.project.code if d.project else "", d.project.name if d.project else "", d.recorded_by.name,
        timezone.localtime(d.recorded_at).replace(tzinfo=None), _("已撤销") if d.revoked_at else _("有效"),
        d.revoked_reason, revoked_at,
    )  # fmt: skip


@login_required
def deduction_create(request: HttpRequest, pk: int) -> HttpResponse:
    scheme = permissions.get_for_user(
        permissions.visible_schemes(request.user).select_related("unit"),
        request.user,
        pk,
        permission=permissions.RECORD_DEDUCTION,
    )
    permissions.require(permissions.runs(request.user, scheme))
    units = Unit.objects.filter(pk__in=Target.objects.filter(item__scheme=scheme).values("unit")).order_by("path")
    form = DeductionForm(
        request.POST or None, request.FILES or None, units=units, initial={"happened_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        code = data.pop("project").strip()
        project = visible_projects(request.user).filter(code=code).select_related("unit").first() if code else None
        if code and project is None:
            form.add_error("project", _("找不到编号为“%(code)s”的项目。") % {"code": code})
        else:
            try:
                deduction = services.record_deduction(scheme=scheme, project=project, by=request.user, **data)
            except BusinessRuleError as error:
                add_rule_error(form, error)
            else:
                messages.success(
                    request,
                    _("已登记%(unit)s扣 %(points)s 分（%(kind)s）。")
                    % {
                        "unit": deduction.unit.name,
                        "points": _points(deduction.points),
                        "kind": deduction.get_kind_display(),
                    },
                )
                return redirect(f"{reverse('assessment:deduction_list')}?scheme={scheme.pk}")
    return render(request, "assessment/deduction_form.html", {"scheme": scheme, "form": form})


@login_required
@require_POST
def deduction_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Take a deduction back with the reason; snapshots already taken keep it."""
    deduction = permissions.get_for_user(
        permissions.visible_deductions(request.user).select_related("scheme__unit", "unit"),
        request.user,
        pk,
        permission=permissions.RECORD_DEDUCTION,
    )
    permissions.require(permissions.runs(request.user, deduction.scheme))
    form = RevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写撤销理由。"))
    else:
        try:
            services.revoke_deduction(deduction=deduction, reason=form.cleaned_data["reason"], by=request.user)
        except BusinessRuleError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("已撤销%(unit)s的扣分（%(kind)s %(points)s 分）。")
                % {
                    "unit": deduction.unit.name,
                    "kind": deduction.get_kind_display(),
                    "points": _points(deduction.points),
                },
            )
    return redirect(f"{reverse('assessment:deduction_list')}?scheme={deduction.scheme_id}")
