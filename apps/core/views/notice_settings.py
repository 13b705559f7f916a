"""消息设置 (a person's own delivery preferences) and 群机器人 (a unit's WeCom / DingTalk robots, administrators)."""

from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core import notice_services
from apps.core.errors import BusinessRuleError
from apps.core.forms import add_rule_error
from apps.core.lists import paginate, query_without_page
from apps.core.models import GroupRobot, NoticePreference
from apps.core.notice_delivery import nearest_robot, robots_by_path
from apps.core.notice_forms import GroupRobotForm, NoticePreferenceForm

MANAGE_ROBOT = "core.manage_robot"


@login_required
def notice_settings(request: HttpRequest) -> HttpResponse:
    preference = NoticePreference.objects.filter(user=request.user).first() or NoticePreference(user=request.user)
    form = NoticePreferenceForm(request.POST or None, instance=preference)
    if request.method == "POST" and form.is_valid():
        try:
            notice_services.save_preference(user=request.user, by=request.user, **form.cleaned_data)
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, _("已保存消息设置。"))
            return redirect("core:notice_settings")
    unit_path = getattr(request.user.unit, "path", None)
    context = {"form": form, "robot": nearest_robot(unit_path, robots_by_path()), "email": request.user.email}
    return render(request, "core/notice_settings.html", context)


def _units(user):
    """The units whose robots the administrator keeps: their own unit's subtree."""
    return GroupRobot._meta.get_field("unit").related_model.objects.visible_to(user).order_by("path")


def _robot_for_user(user, pk: int) -> GroupRobot:
    return get_object_or_404(GroupRobot.objects.visible_to(user), pk=pk)


@login_required
@permission_required(MANAGE_ROBOT, raise_exception=True)
def robot_list(request: HttpRequest) -> HttpResponse:
    robots = GroupRobot.objects.visible_to(request.user).select_related("unit")
    text = request.GET.get("q", "").strip()
    if text:
        robots = robots.filter(Q(name__icontains=text) | Q(unit__name__icontains=text))
    page = paginate(request, robots)
    for robot in page.object_list:
        robot.host = urlsplit(robot.webhook_url).hostname
    context = {"page": page, "query": query_without_page(request), "q": text}
    return render(request, "core/robot_list.html", context)


@login_required
@permission_required(MANAGE_ROBOT, raise_exception=True)
def robot_create(request: HttpRequest) -> HttpResponse:
    return _robot_form(request, GroupRobot(), _("已添加群机器人。"))


@login_required
@permission_required(MANAGE_ROBOT, raise_exception=True)
def robot_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _robot_form(request, _robot_for_user(request.user, pk), _("已保存群机器人。"))


def _robot_form(request: HttpRequest, robot: GroupRobot, done: str) -> HttpResponse:
    form = GroupRobotForm(request.POST or None, instance=robot, unit_choices=_units(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            notice_services.save_robot(robot=form.instance, by=request.user)
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, done)
            return redirect("core:robot_list")
    return render(request, "core/robot_form.html", {"form": form, "robot": robot if robot.pk else None})


@login_required
@permission_required(MANAGE_ROBOT, raise_exception=True)
@require_POST
def robot_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    robot = _robot_for_user(request.user, pk)
    notice_services.deactivate_robot(robot=robot, by=request.user)
    messages.warning(request, _("已停用群机器人“%(name)s”。") % {"name": robot.name})
    return redirect("core:robot_list")
