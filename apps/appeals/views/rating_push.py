"""好差评推送: the outbox of pushes to the provincial system, for the office keeping the ratings.

Rows go through ``RatingPush.objects.visible_to`` (the keeping office's subtree); the verification role of
that office sees them and may send a failed push again.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from apps.appeals import permissions
from apps.appeals.forms import _with_blank
from apps.appeals.models import RatingPush
from apps.appeals.models.rating_push import PushState
from apps.appeals.services import rating_push
from apps.core.errors import BusinessRuleError
from apps.core.exports import xlsx_response
from apps.core.forms import StyledFormMixin
from apps.core.lists import paginate, query_without_page, wants_export

DATETIME = "%Y-%m-%d %H:%M"


class PushFilterForm(StyledFormMixin, forms.Form):
    state = forms.ChoiceField(label=gettext_lazy("推送状态"), choices=_with_blank(PushState.choices), required=False)
    q = forms.CharField(label=gettext_lazy("办件编号或部门编码"), required=False)


def visible_pushes(user):
    """Pushes of the ratings kept by the user's subtree."""
    return RatingPush.objects.visible_to(user)


def _local(moment) -> str:
    return timezone.localtime(moment).strftime(DATETIME) if moment else ""


@login_required
@permission_required(permissions.VERIFY_RATING, raise_exception=True)
def push_list(request: HttpRequest) -> HttpResponse:
    """The outbox: counts per state, a state filter and a search, pagination and the Excel export."""
    form = PushFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    visible = visible_pushes(request.user)
    counts = dict(visible.order_by().values_list("state").annotate(n=Count("pk")))
    found = visible.select_related("rating")
    if data.get("state"):
        found = found.filter(state=data["state"])
    if text := (data.get("q") or "").strip():
        found = found.filter(Q(payload__project_no__startswith=text) | Q(payload__dept_code=text))
    if wants_export(request):
        return _export(found)
    context = {
        "form": form, "page": paginate(request, found), "query": query_without_page(request), "export": True,
        "counts": [(label, counts.get(value, 0), value) for value, label in PushState.choices],
        "enabled": bool(settings.PROVINCIAL_RATING_URL),
    }  # fmt: skip
    return render(request, "appeals/ratings/push_list.html", context)


def _export(found) -> HttpResponse:
    headers = [_("生成时间"), _("办件编号"), _("部门编码"), _("整改状态"), _("推送状态"), _("尝试次数"), _("最近错误"),
               _("推送时间")]  # fmt: skip
    rows = [
        [_local(p.created_at), p.payload.get("project_no", ""), p.payload.get("dept_code", ""),
         p.rating.get_state_display(), p.get_state_display(), p.attempts, p.last_error, _local(p.pushed_at)]
        for p in found
    ]  # fmt: skip
    return xlsx_response(_("好差评推送"), headers, rows)


@login_required
@permission_required(permissions.VERIFY_RATING, raise_exception=True)
@require_POST
def push_retry(request: HttpRequest, pk: int) -> HttpResponse:
    """重新推送 a failed push (sent by the next run of the scan)."""
    push = get_object_or_404(visible_pushes(request.user), pk=pk)
    try:
        rating_push.retry_push(push=push, by=request.user, now=timezone.now())
    except BusinessRuleError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已重新排队，下次推送时发送。"))
    return redirect("appeals:rating_push_list")
