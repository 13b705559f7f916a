"""企业评议部门 pages for staff: the campaign list and form, a campaign's page (questionnaire, invitations,
progress, results), its transitions, the bulk invitation, the exports, and the comment review queue.

Every campaign comes from permissions.visible_campaigns (404 outside the scope). The organiser
(MANAGE_EVALUATION in the campaign's unit) manages it; others read only their own departments' published
results (permissions.result_departments). Progress is counts only; nothing here names who answered.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.appeals import permissions
from apps.appeals.forms_evaluations import CampaignFilterForm, CampaignForm, CommentFilterForm, InviteForm, ReviewForm
from apps.appeals.models import Campaign, Invitation
from apps.appeals.models.evaluations import CampaignState, CommentStatus
from apps.appeals.services import evaluation_results as results
from apps.appeals.services import evaluations as services
from apps.core.audit import record_access
from apps.core.errors import BusinessRuleError
from apps.core.exports import xlsx_response
from apps.core.forms import add_rule_error
from apps.core.lists import paginate, query_without_page, wants_export
from apps.org.models import Unit

VIEW = permissions.VIEW_CAMPAIGN


def _campaign(request: HttpRequest, pk: int) -> Campaign:
    return permissions.get_campaign_for_user(request.user, pk, visible_campaigns(request.user))


def visible_campaigns(user):
    return permissions.visible_campaigns(user).select_related("unit")


@login_required
@permission_required(VIEW, raise_exception=True)
def campaign_list(request: HttpRequest) -> HttpResponse:
    """评议活动: search, year and state filters, pagination and the Excel export of what is shown."""
    form = CampaignFilterForm(request.GET or None)
    campaigns = visible_campaigns(request.user)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        campaigns = campaigns.search(data["q"])
        if data["year"]:
            campaigns = campaigns.filter(year=data["year"])
        if data["state"]:
            campaigns = campaigns.filter(state=data["state"])
    if wants_export(request):
        rows = [
            [c.title, c.year, c.get_period_display(), c.unit.name, c.opens_on, c.closes_on, c.get_state_display()]
            for c in campaigns
        ]
        headers = [_("活动名称"), _("年度"), _("评议期间"), _("组织单位"), _("开始日期"), _("截止日期"), _("状态")]
        return xlsx_response(_("企业评议活动"), headers, rows)
    context = {
        "form": form, "page": paginate(request, campaigns), "query": query_without_page(request),
        "can_create": permissions.can_organise_evaluations(request.user),
    }  # fmt: skip
    return render(request, "appeals/evaluations/campaign_list.html", context)


def _fields(form: CampaignForm) -> services.CampaignFields:
    data = form.cleaned_data
    return services.CampaignFields(**{**data, "departments": list(data["departments"])})


@login_required
def campaign_create(request: HttpRequest) -> HttpResponse:
    if not permissions.can_organise_evaluations(request.user):
        raise PermissionDenied
    departments = services.evaluable_departments(request.user.unit)
    initial = {"year": timezone.localdate().year, "k_threshold": 5}
    form = CampaignForm(request.POST or None, departments=departments, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.create_campaign(fields=_fields(form), by=request.user)
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, _("已创建评议活动（草稿），请邀请企业后开始评议。"))
            return redirect("appeals:evaluation_detail", pk=campaign.pk)
    return render(request, "appeals/evaluations/campaign_form.html", {"form": form, "campaign": None})


@login_required
def campaign_edit(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    if not permissions.can_manage_campaign(request.user, campaign):
        raise PermissionDenied
    initial = {
        name: getattr(campaign, name)
        for name in ("title", "year", "period", "opens_on", "closes_on", "k_threshold", "allow_comments", "intro")
    }
    initial |= {"departments": list(campaign.departments.all()), "questionnaire": services.questionnaire_text(campaign)}
    departments = services.evaluable_departments(campaign.unit)
    form = CampaignForm(request.POST or None, departments=departments, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_campaign(campaign=campaign, fields=_fields(form), by=request.user)
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, _("已保存评议活动。"))
            return redirect("appeals:evaluation_detail", pk=campaign.pk)
    return render(request, "appeals/evaluations/campaign_form.html", {"form": form, "campaign": campaign})


def invitation_areas(campaign: Campaign):
    """The city, counties and zones offered as the 注册地 filter: those of the organiser's government."""
    base = services.government_of(campaign.unit)
    kinds = (Unit.Kind.CITY, Unit.Kind.COUNTY, Unit.Kind.ZONE)
    return Unit.objects.active().filter(kind__in=kinds, path__startswith=base.path).order_by("path")


def _detail(request: HttpRequest, campaign: Campaign, invite_form: InviteForm | None = None) -> HttpResponse:
    user = request.user
    manages = permissions.can_manage_campaign(user, campaign)
    allowed = permissions.result_departments(user, campaign)
    shown = campaign.shows_results and (allowed is None or allowed)
    context = {
        "campaign": campaign,
        "manages": manages,
        "dimensions": campaign.dimensions.prefetch_related("questions"),
        "departments": campaign.departments.order_by("path"),
        "transitions": [(a, services.TRANSITIONS[a].label) for a in services.allowed_transitions_for(campaign, user)],
        "results": results.department_results(campaign, allowed) if shown else None,
        "insufficient": results.insufficient_label(campaign),
        "can_export": shown and campaign.state == CampaignState.PUBLISHED,
    }
    if manages:
        invitations = (
            Invitation.objects.filter(campaign=campaign).select_related("enterprise").order_by("enterprise__name")
        )
        context |= {
            "events": campaign.events.select_related("actor"),
            "progress": results.progress(campaign),
            "invitations": paginate(request, invitations),
            "pending_comments": campaign.comments.filter(status=CommentStatus.PENDING).count(),
            "can_invite": campaign.state in (CampaignState.DRAFT, CampaignState.OPEN),
            "invite_form": invite_form or InviteForm(areas=invitation_areas(campaign)),
        }
    return render(request, "appeals/evaluations/campaign_detail.html", context)


@login_required
@permission_required(VIEW, raise_exception=True)
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _campaign(request, pk))


@login_required
@require_POST
def campaign_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Open, close or publish; refused moves come back as a message."""
    campaign = _campaign(request, pk)
    if not permissions.can_manage_campaign(request.user, campaign):
        raise PermissionDenied
    if action not in services.TRANSITIONS:
        raise Http404
    try:
        services.change_campaign_state(campaign=campaign, action=action, by=request.user)
    except BusinessRuleError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已%(action)s。") % {"action": services.TRANSITIONS[action].label})
    return redirect("appeals:evaluation_detail", pk=campaign.pk)


@login_required
@require_POST
def campaign_invite(request: HttpRequest, pk: int) -> HttpResponse:
    """Invite every registry enterprise the filters select that is not invited yet."""
    campaign = _campaign(request, pk)
    if not permissions.can_manage_campaign(request.user, campaign):
        raise PermissionDenied
    form = InviteForm(request.POST, areas=invitation_areas(campaign))
    if form.is_valid():
        try:
            added = services.invite_enterprises(campaign=campaign, enterprises=form.enterprises(), by=request.user)
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, _("已邀请 %(count)d 家企业。") % {"count": added})
            return redirect("appeals:evaluation_detail", pk=campaign.pk)
    return _detail(request, campaign, invite_form=form)


@login_required
def invitation_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The invitation letters' list: enterprise, credit code and its one-time code (an audited export)."""
    campaign = _campaign(request, pk)
    if not permissions.can_manage_campaign(request.user, campaign):
        raise PermissionDenied
    link = request.build_absolute_uri(reverse("appeals:evaluation_answer"))
    invitations = Invitation.objects.filter(campaign=campaign).select_related("enterprise").order_by("enterprise__name")
    rows = [[i.enterprise.name, i.enterprise.uscc or "", i.code, f"{link}#{i.code}", i.invited_on] for i in invitations]
    record_access(campaign, by=request.user, what="导出评议邀请（含评议码）", rows=len(rows))
    headers = [_("企业名称"), _("统一社会信用代码"), _("评议码"), _("填写链接"), _("邀请日期")]
    return xlsx_response(_("评议邀请"), headers, rows)


@login_required
@permission_required(VIEW, raise_exception=True)
def results_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The published results the user may read, k rule applied (nothing before publication)."""
    campaign = _campaign(request, pk)
    allowed = permissions.result_departments(request.user, campaign)
    if campaign.state != CampaignState.PUBLISHED or allowed == []:
        raise PermissionDenied
    rows = results.export_rows(campaign, results.department_results(campaign, allowed))
    return xlsx_response(_("企业评议结果"), results.export_headers(), rows)


# ---- the review queue of comments ------------------------------------------------------------------------


@login_required
@permission_required(permissions.REVIEW_EVALUATION_COMMENT, raise_exception=True)
def comment_queue(request: HttpRequest) -> HttpResponse:
    """企业意见审核: comments without any enterprise data, pending first, in random-key order."""
    campaigns = visible_campaigns(request.user).filter(unit__path__startswith=request.user.unit.path)
    form = CommentFilterForm(request.GET or None, campaigns=campaigns)
    comments = permissions.visible_comments(request.user).select_related("campaign", "department", "reviewed_by")
    status = CommentStatus.PENDING
    if form.is_bound and form.is_valid():
        status = form.cleaned_data["status"]
        if form.cleaned_data["campaign"]:
            comments = comments.filter(campaign=form.cleaned_data["campaign"])
    if status:
        comments = comments.filter(status=status)
    comments = comments.order_by("campaign__title", "department__path", "id")
    if wants_export(request):
        headers = [_("评议活动"), _("部门"), _("意见建议"), _("审核状态"), _("审核说明")]
        rows = [[c.campaign.title, c.department.name, c.text, c.get_status_display(), c.review_note] for c in comments]
        return xlsx_response(_("企业评议意见"), headers, rows)
    context = {"form": form, "page": paginate(request, comments), "query": query_without_page(request)}
    context["review_form"] = ReviewForm()
    return render(request, "appeals/evaluations/comment_queue.html", context)


@login_required
@require_POST
def comment_review(request: HttpRequest, pk) -> HttpResponse:
    comment = permissions.visible_comments(request.user).select_related("campaign__unit").filter(pk=pk).first()
    if comment is None:
        raise Http404
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择审核结果。"))
    else:
        try:
            services.review_comment(
                comment=comment, approve=form.cleaned_data["decision"] == "approve",
                note=form.cleaned_data["note"], by=request.user,
            )  # fmt: skip
        except BusinessRuleError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("已审核该意见。"))
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(back)
    return redirect("appeals:evaluation_comments")
