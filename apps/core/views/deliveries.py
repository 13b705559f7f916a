"""投递记录: the delivery log of notices sent by e-mail and group robots, for administrators, within their scope."""

from datetime import datetime, time, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from apps.core.audit import record_access
from apps.core.errors import BusinessRuleError
from apps.core.exports import xlsx_response
from apps.core.lists import paginate, query_without_page, wants_export
from apps.core.models import Delivery
from apps.core.notice_delivery import retry_now
from apps.core.notice_forms import DeliveryFilterForm

VIEW = "core.view_delivery"
RETRY = "core.change_delivery"


def filtered_deliveries(user, form: DeliveryFilterForm):
    """The deliveries the user may see, narrowed by the filter form (when valid)."""
    deliveries = Delivery.objects.visible_to(user).select_related("notice__recipient", "robot")
    if not form.is_valid():
        return deliveries
    data = form.cleaned_data
    if data["channel"]:
        deliveries = deliveries.filter(channel=data["channel"])
    if data["state"]:
        deliveries = deliveries.filter(state=data["state"])
    if data["date_from"]:
        deliveries = deliveries.filter(created_at__gte=_start_of(data["date_from"]))
    if data["date_to"]:
        deliveries = deliveries.filter(created_at__lt=_start_of(data["date_to"] + timedelta(days=1)))
    if data["q"]:
        text = data["q"]
        deliveries = deliveries.filter(
            Q(notice__title__icontains=text) | Q(notice__recipient__name__icontains=text) | Q(target__icontains=text)
        )
    return deliveries


def _start_of(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


@login_required
@permission_required(VIEW, raise_exception=True)
def delivery_list(request: HttpRequest) -> HttpResponse:
    form = DeliveryFilterForm(request.GET)
    deliveries = filtered_deliveries(request.user, form)
    if wants_export(request):
        return _export(request, deliveries)
    context = {"form": form, "page": paginate(request, deliveries), "query": query_without_page(request)}
    return render(request, "core/delivery_list.html", context)


HEADERS = (
    gettext_lazy("消息标题"),
    gettext_lazy("接收人"),
    gettext_lazy("渠道"),
    gettext_lazy("发送对象"),
    gettext_lazy("状态"),
    gettext_lazy("尝试次数"),
    gettext_lazy("创建时间"),
    gettext_lazy("发送时间"),
    gettext_lazy("下次尝试时间"),
    gettext_lazy("最近错误"),
)


def _export(request: HttpRequest, deliveries) -> HttpResponse:
    record_access(request.user, by=request.user, what="导出投递记录", rows=deliveries.count())
    rows = (
        (
            d.notice.title,
            d.notice.recipient.name,
            d.get_channel_display(),
            display_target(d),
            d.get_state_display(),
            d.attempts,
            _local(d.created_at),
            _local(d.sent_at),
            _local(d.next_attempt_at),
            d.last_error,
        )
        for d in deliveries.iterator(chunk_size=2000)
    )
    return xlsx_response(_("投递记录"), [str(header) for header in HEADERS], rows)


def display_target(delivery: Delivery) -> str:
    """The robot's name for a robot delivery (its target is an internal id), else the e-mail address."""
    if delivery.robot_id:
        return delivery.robot.name
    return delivery.target


def _local(moment: datetime | None) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


@login_required
@permission_required(RETRY, raise_exception=True)
@require_POST
def delivery_retry(request: HttpRequest, pk: int) -> HttpResponse:
    delivery = get_object_or_404(Delivery.objects.visible_to(request.user), pk=pk)
    try:
        retry_now(delivery=delivery, by=request.user)
    except BusinessRuleError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已安排立即重试。"))
    return redirect("core:delivery_list")
