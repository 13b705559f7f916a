"""Joint review pages (联评联审): the list, a review with its opinions, the printable summary, opening, answering.

Who may do what: apps/landing/selectors/reviews.py (can_open_review, can_answer); the rules: services/reviews.py.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.audit import record_access
from apps.core.errors import BusinessRuleError
from apps.core.exports import xlsx_response
from apps.core.forms import add_rule_error
from apps.core.lists import paginate, query_without_page, wants_export
from apps.investment.permissions import get_project_for_user
from apps.landing import permissions
from apps.landing.forms.reviews import OpenReviewForm, OpinionForm, ReviewFilterForm
from apps.landing.models import JointReview
from apps.landing.selectors import reviews as selectors
from apps.landing.services import reviews as services

EXPORT_HEADERS = [
    _("项目编号"), _("项目名称"), _("责任单位"), _("审查事项"), _("发起日期"), _("反馈截止日期"),
    _("状态"), _("征求部门"), _("已反馈"), _("逾期部门"), _("综合意见"),
]  # fmt: skip


# ---- the list ------------------------------------------------------------------------------------


@login_required
@permission_required(permissions.VIEW_REVIEW, raise_exception=True)
def review_list(request: HttpRequest) -> HttpResponse:
    """Reviews the user sees; a department's handler starts from those still waiting for its answer."""
    answers = selectors.answers_for(request.user)
    data = request.GET if request.GET or not answers else {"status": "awaiting"}
    form = ReviewFilterForm(data, departments=selectors.filter_departments(request.user), answers=answers)
    reviews = selectors.list_reviews(request.user)
    if form.is_valid():
        reviews = selectors.filter_reviews(reviews, form.cleaned_data, user=request.user)
    if wants_export(request):
        return _export(request, reviews)
    context = {
        "form": form,
        "page": paginate(request, reviews),
        "query": query_without_page(request),
        "answers": answers,
        "today": timezone.localdate(),
    }
    return render(request, "landing/review_list.html", context)


def _export(request: HttpRequest, reviews) -> HttpResponse:
    record_access(request.user, by=request.user, what="导出联评联审", rows=reviews.count())
    rows = (
        (
            r.project.code,
            r.project.name,
            r.project.unit.name,
            r.subject,
            r.opened_on,
            r.due_on,
            r.get_status_display(),
            r.asked,
            r.answered,
            r.late_count,
            r.get_conclusion_display(),
        )  # fmt: skip
        for r in reviews
    )
    return xlsx_response(_("联评联审"), EXPORT_HEADERS, rows)


# ---- one review ----------------------------------------------------------------------------------


def _get_review(request: HttpRequest, pk: int, *, permission: str = permissions.VIEW_REVIEW) -> JointReview:
    reviews = permissions.visible_reviews(request.user).select_related(
        "project__unit", "project__enterprise", "opened_by"
    )
    return permissions.get_for_user(reviews, request.user, pk, permission=permission)


def _detail_context(request: HttpRequest, review: JointReview, bound: OpinionForm | None = None) -> dict:
    opinions = selectors.review_opinions(review)
    forms = []
    for opinion in opinions:
        if not selectors.can_answer(request.user, opinion):
            continue
        if bound is not None and bound.opinion.pk == opinion.pk:
            forms.append(bound)
        else:
            forms.append(OpinionForm(opinion=opinion))
    return {
        "review": review,
        "project": review.project,
        "opinions": opinions,
        "changes": selectors.review_changes(review),
        "deadline": selectors.deadline_of(review),
        "answer_forms": forms,
    }


@login_required
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    review = _get_review(request, pk)
    return render(request, "landing/review_detail.html", _detail_context(request, review))


@login_required
def review_summary(request: HttpRequest, pk: int) -> HttpResponse:
    """《联评联审意见汇总表》, laid out for printing."""
    review = _get_review(request, pk)
    context = {
        "review": review,
        "project": review.project,
        "opinions": selectors.review_opinions(review),
        "changes": selectors.review_changes(review),
        "printed_on": timezone.localdate(),
    }
    return render(request, "landing/review_summary.html", context)


@login_required
@require_POST
def opinion_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """A department answers (or changes its answer) from the review's page."""
    opinions = permissions.visible_opinions(request.user).select_related("review", "department")
    opinion = permissions.get_for_user(opinions, request.user, pk, permission=permissions.GIVE_OPINION)
    permissions.require(selectors.can_answer(request.user, opinion))
    form = OpinionForm(request.POST, opinion=opinion)
    if form.is_valid():
        try:
            services.give_opinion(opinion=opinion, by=request.user, **_answer(form.cleaned_data))
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, _("已反馈%(unit)s的审查意见。") % {"unit": opinion.department.name})
            return redirect("landing:review_detail", pk=opinion.review_id)
    review = _get_review(request, opinion.review_id)
    return render(request, "landing/review_detail.html", _detail_context(request, review, form), status=200)


def _answer(data: dict) -> dict:
    names = ("verdict", "conditions", "reason", "legal_basis", "change_reason")
    return {name: data.get(name, "") for name in names}


# ---- opening -------------------------------------------------------------------------------------


@login_required
def review_open(request: HttpRequest, pk: int) -> HttpResponse:
    """The project's owning side asks departments for their opinions before signing."""
    project = get_project_for_user(request.user, pk, action=permissions.OPEN_REVIEW)
    permissions.require(selectors.can_open_review(request.user, project))
    refusal = _refusal(project)
    if refusal:
        messages.error(request, refusal)
        return redirect("landing:project_landing", pk=project.pk)
    form = OpenReviewForm(request.POST or None, groups=selectors.department_groups(project))
    if request.method == "POST" and form.is_valid():
        try:
            review = services.open_review(project=project, by=request.user, **form.cleaned_data)
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(
                request, _("已发起联评联审，已通知 %(count)s 个部门反馈意见。") % {"count": review.opinions.count()}
            )
            return redirect("landing:review_detail", pk=review.pk)
    context = {"project": project, "form": form, "due": _due_preview(request, form)}
    if request.htmx and request.htmx.target == "review-due":
        return render(request, "landing/review_form.html#due", context)
    return render(request, "landing/review_form.html", context)


def _refusal(project) -> str:
    if not selectors.is_reviewable(project):
        return _("联评联审在签约前进行：只能对处于“洽谈”阶段、正在推进的项目发起。")
    if JointReview.objects.open().filter(project=project).exists():
        return _("该项目已有正在进行的联评联审，请待其结束后再发起。")
    return ""


def _due_preview(request: HttpRequest, form: OpenReviewForm) -> dict:
    """The deadline the chosen time limit gives, as the page shows it before opening."""
    raw = (request.POST or request.GET).get("time_limit_days") or form.fields["time_limit_days"].initial
    try:
        days = int(raw)
        return {"days": days, "on": services.due_date(timezone.localdate(), days)}
    except (TypeError, ValueError):
        return {"error": _("请输入审查期限。")}
    except BusinessRuleError as error:
        return {"error": error.message}
