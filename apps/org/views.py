from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.audit import record_access
from apps.core.errors import BusinessRuleError
from apps.core.exports import xlsx_response
from apps.core.forms import add_rule_error
from apps.core.lists import paginate, query_without_page, wants_export
from apps.org import services
from apps.org.forms import (
    NewPersonForm,
    OwnPasswordForm,
    PasswordResetForm,
    PersonFilterForm,
    PersonForm,
    RoleAssignForm,
    RoleForm,
    UnitFilterForm,
    UnitForm,
)
from apps.org.models import Role, Unit, User
from apps.org.permissions import (
    get_person_for_user,
    get_role_for_user,
    get_unit_for_user,
    visible_people,
    visible_units,
)
from apps.org.selectors import locked_usernames


class LoginView(auth_views.LoginView):
    template_name = "org/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs) -> dict:
        return super().get_context_data(
            failure_limit=settings.AXES_FAILURE_LIMIT,
            lockout_minutes=int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
            **kwargs,
        )


# ---- units -------------------------------------------------------------------------------


@login_required
@permission_required("org.view_unit", raise_exception=True)
def unit_list(request: HttpRequest) -> HttpResponse:
    form = UnitFilterForm(request.GET)
    units = visible_units(request.user).annotate(people_count=Count("people"))
    if form.is_valid():
        units = units.search(form.cleaned_data["q"])
        if form.cleaned_data["kind"]:
            units = units.filter(kind=form.cleaned_data["kind"])
        if form.cleaned_data["status"]:
            units = units.filter(is_active=form.cleaned_data["status"] == "active")
    if wants_export(request):
        return _export_units(request, units)
    return render(
        request,
        "org/unit_list.html",
        {"form": form, "page": paginate(request, units, per_page=50), "query": query_without_page(request)},
    )


def _export_units(request: HttpRequest, units) -> HttpResponse:
    record_access(request.user, by=request.user, what="导出单位名册", rows=units.count())
    rows = (
        (
            "　" * (u.depth - 1) + u.name,
            u.short_name,
            u.get_kind_display(),
            u.code,
            u.phone,
            u.address,
            u.people_count,
            _("在用") if u.is_active else _("已停用"),
        )
        for u in units
    )
    headers = [_("名称"), _("简称"), _("类型"), _("代码"), _("办公电话"), _("地址"), _("人数"), _("状态")]
    return xlsx_response(_("单位名册"), headers, rows)


@login_required
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_unit_for_user(request.user, pk)
    children = Unit.objects.get_children(unit).annotate(people_count=Count("people"))
    context = {
        "unit": unit,
        "ancestors": Unit.objects.get_ancestors(unit).visible_to(request.user),
        "sub_areas": [c for c in children if c.kind != Unit.Kind.DEPARTMENT],
        "departments": [c for c in children if c.kind == Unit.Kind.DEPARTMENT],
        "people": unit.people.prefetch_related("roles").order_by("id")
        if request.user.has_perm("org.view_user")
        else None,
    }
    return render(request, "org/unit_detail.html", context)


@login_required
@permission_required("org.manage_unit", raise_exception=True)
def unit_create(request: HttpRequest) -> HttpResponse:
    parents = visible_units(request.user).exclude(kind=Unit.Kind.TOWN)
    initial_parent = parents.filter(pk=request.GET.get("parent") or 0).first()
    form = UnitForm(request.POST or None, parent_choices=parents, initial={"parent": initial_parent})
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "parent"}
        try:
            unit = services.create_unit(parent=form.cleaned_data["parent"], by=request.user, **data)
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, _("已新增单位“%(name)s”。") % {"name": unit.name})
            return redirect("org:unit_detail", pk=unit.pk)
    return render(request, "org/unit_form.html", {"form": form, "unit": None})


@login_required
def unit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_unit_for_user(request.user, pk, action="org.manage_unit")
    parents = visible_units(request.user).exclude(path__startswith=unit.path)
    form = UnitForm(
        request.POST or None, instance=unit, parent_choices=parents, initial={"parent": Unit.objects.get_parent(unit)}
    )
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "parent"}
        try:
            services.update_unit(
                unit=Unit.objects.get(pk=unit.pk), parent=form.cleaned_data["parent"], by=request.user, **data
            )
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, _("已保存。"))
            return redirect("org:unit_detail", pk=unit.pk)
    return render(request, "org/unit_form.html", {"form": form, "unit": unit})


# ---- people ------------------------------------------------------------------------------


@login_required
@permission_required("org.view_user", raise_exception=True)
def person_list(request: HttpRequest) -> HttpResponse:
    units = visible_units(request.user)
    form = PersonFilterForm(request.GET, unit_choices=units)
    people = visible_people(request.user).prefetch_related(Prefetch("roles", queryset=Role.objects.order_by("id")))
    if form.is_valid():
        people = people.search(form.cleaned_data["q"])
        if form.cleaned_data["unit"]:
            people = people.filter(unit__path__startswith=form.cleaned_data["unit"].path)
        if form.cleaned_data["role"]:
            people = people.filter(roles=form.cleaned_data["role"])
        people = _filter_status(people, form.cleaned_data["status"])
    if wants_export(request):
        return _export_people(request, people)
    return render(
        request,
        "org/person_list.html",
        {"form": form, "page": paginate(request, people), "query": query_without_page(request)},
    )


def _filter_status(people, status: str):
    if status in {"active", "inactive"}:
        return people.filter(is_active=status == "active")
    if status == "locked":
        return people.filter(username__in=locked_usernames())
    if status == "no_role":
        return people.filter(roles=None)
    return people


def _export_people(request: HttpRequest, people) -> HttpResponse:
    record_access(request.user, by=request.user, what="导出人员名册", rows=people.count())
    rows = (
        (
            p.name,
            p.username,
            p.unit.name if p.unit else "",
            p.title,
            p.masked_phone,
            p.email,
            "、".join(r.name for r in p.roles.all()),
            _("启用") if p.is_active else _("已停用"),
        )
        for p in people
    )
    headers = [_("姓名"), _("账号"), _("所属单位"), _("职务"), _("手机号码"), _("电子邮箱"), _("角色"), _("状态")]
    return xlsx_response(_("人员名册"), headers, rows)


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_person_for_user(request.user, pk)
    return render(request, "org/person_detail.html", {"person": person, "roles": person.roles.order_by("id")})


@login_required
@require_POST
def person_reveal_phone(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_person_for_user(request.user, pk, action="org.view_personal_data")
    record_access(person, by=request.user, what="查看完整手机号码")
    return render(request, "org/person_detail.html#phone", {"person": person, "revealed": True})


@login_required
@permission_required("org.manage_user", raise_exception=True)
def person_create(request: HttpRequest) -> HttpResponse:
    units = visible_units(request.user).active()
    initial_unit = units.filter(pk=request.GET.get("unit") or 0).first()
    form = NewPersonForm(request.POST or None, unit_choices=units, initial={"unit": initial_unit})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            person = services.create_person(by=request.user, **data)
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, _("已为 %(name)s 开通账号，请通知其首次登录后修改密码。") % {"name": person.name})
            return redirect("org:person_detail", pk=person.pk)
    return render(request, "org/person_form.html", {"form": form, "person": None})


@login_required
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_person_for_user(request.user, pk, action="org.manage_user")
    form = PersonForm(request.POST or None, instance=person, unit_choices=visible_units(request.user).active())
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "username"}
        try:
            services.update_person(person=User.objects.get(pk=person.pk), by=request.user, **data)
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, _("已保存。"))
            return redirect("org:person_detail", pk=person.pk)
    return render(request, "org/person_form.html", {"form": form, "person": person})


@login_required
def person_reset_password(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_person_for_user(request.user, pk, action="org.manage_user")
    form = PasswordResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.reset_password(person=person, password=form.cleaned_data["password"], by=request.user)
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, _("已重置密码，%(name)s 下次登录时须修改。") % {"name": person.name})
            return redirect("org:person_detail", pk=person.pk)
    return render(request, "org/person_password.html", {"form": form, "person": person})


@login_required
@require_POST
def person_set_active(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_person_for_user(request.user, pk, action="org.manage_user")
    active = request.POST.get("active") == "1"
    try:
        services.set_person_active(person=person, active=active, by=request.user)
    except BusinessRuleError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("账号已启用。") if active else _("账号已停用，其登录会话已结束。"))
    return redirect("org:person_detail", pk=person.pk)


@login_required
@require_POST
def person_unlock(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_person_for_user(request.user, pk, action="org.unlock_user")
    cleared = services.unlock_person(person=person, by=request.user)
    if cleared:
        messages.success(request, _("已解除 %(name)s 的登录锁定。") % {"name": person.name})
    else:
        messages.info(request, _("%(name)s 当前没有被锁定。") % {"name": person.name})
    return redirect("org:person_detail", pk=person.pk)


@login_required
def person_roles(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_person_for_user(request.user, pk, action="org.assign_role")
    form = RoleAssignForm(request.POST or None, initial={"roles": person.roles.all()})
    if request.method == "POST" and form.is_valid():
        try:
            services.assign_roles(person=person, roles=form.cleaned_data["roles"], by=request.user)
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, _("已更新 %(name)s 的角色。") % {"name": person.name})
            return redirect("org:person_detail", pk=person.pk)
    return render(request, "org/person_roles.html", {"form": form, "person": person})


@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    form = OwnPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_own_password(
                user=request.user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password1"],
            )
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, _("密码已修改。"))
            return redirect("core:home")
    return render(request, "org/password_change.html", {"form": form})


# ---- roles -------------------------------------------------------------------------------


@login_required
@permission_required("org.view_role", raise_exception=True)
def role_list(request: HttpRequest) -> HttpResponse:
    roles = Role.objects.annotate(
        people_count=Count("people", distinct=True), permission_count=Count("permissions", distinct=True)
    )
    return render(request, "org/role_list.html", {"roles": roles})


@login_required
def role_detail(request: HttpRequest, pk: int) -> HttpResponse:
    role = get_role_for_user(request.user, pk)
    permissions = role.permissions.select_related("content_type").order_by("content_type__app_label", "codename")
    return render(
        request, "org/role_detail.html", {"role": role, "permissions": permissions, "people_count": role.people.count()}
    )


@login_required
def role_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    if not request.user.has_perm("org.manage_role"):
        raise PermissionDenied
    role = get_role_for_user(request.user, pk, action="org.manage_role") if pk else None
    form = RoleForm(request.POST or None, instance=role, permission_choices=services.assignable_permissions())
    if request.method == "POST" and form.is_valid():
        try:
            role = services.save_role(role=role, by=request.user, **form.cleaned_data)
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, _("已保存角色“%(name)s”。") % {"name": role.name})
            return redirect("org:role_detail", pk=role.pk)
    return render(request, "org/role_form.html", {"form": form, "role": role})


@login_required
@require_POST
def role_delete(request: HttpRequest, pk: int) -> HttpResponse:
    role = get_role_for_user(request.user, pk, action="org.manage_role")
    try:
        services.delete_role(role=role, by=request.user)
    except BusinessRuleError as error:
        messages.error(request, error.message)
        return redirect("org:role_detail", pk=role.pk)
    messages.success(request, _("已删除角色“%(name)s”。") % {"name": role.name})
    return redirect("org:role_list")
