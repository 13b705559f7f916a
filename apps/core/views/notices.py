"""The in-app inbox (站内消息): a person's notices, newest first; opening one marks it read."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from apps.core import notices
from apps.core.lists import paginate, query_without_page
from apps.core.models import Notice


@login_required
def notice_list(request: HttpRequest) -> HttpResponse:
    mine = Notice.objects.filter(recipient=request.user)
    if request.GET.get("unread"):
        mine = mine.filter(read_at=None)
    context = {
        "page": paginate(request, mine),
        "query": query_without_page(request),
        "unread_only": bool(request.GET.get("unread")),
        "unread": notices.unread_count(request.user),
    }
    return render(request, "core/notice_list.html", context)


@login_required
@require_POST
def notice_read(request: HttpRequest) -> HttpResponse:
    """Mark one notice (``notice``) or all of them read, then go to the notice's page or back to the inbox."""
    notice = None
    if request.POST.get("notice", "").isdigit():
        notice = Notice.objects.filter(recipient=request.user, pk=int(request.POST["notice"])).first()
        notices.mark_read(user=request.user, notice_ids=[notice.pk] if notice else [])
    else:
        notices.mark_read(user=request.user)
    target = notice.url if notice is not None else ""
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = ""
    return redirect(target or "core:notice_list")
