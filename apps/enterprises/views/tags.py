"""The tag code list (世界500强, 专精特新 …), kept by the system administrator."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.errors import BusinessRuleError
from apps.core.forms import add_rule_error
from apps.enterprises import permissions, services
from apps.enterprises.forms import TagForm
from apps.enterprises.models import Enterprise, Tag
from apps.enterprises.permissions import get_tag_for_user


@login_required
@permission_required(permissions.MANAGE_TAGS, raise_exception=True)
def tag_list(request: HttpRequest) -> HttpResponse:
    carried = Count("enterprises", filter=Q(enterprises__status=Enterprise.Status.ACTIVE))
    return render(request, "enterprises/tag_list.html", {"tags": Tag.objects.annotate(carried=carried)})


@login_required
@permission_required(permissions.MANAGE_TAGS, raise_exception=True)
def tag_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    tag = get_tag_for_user(request.user, pk) if pk else None
    form = TagForm(request.POST or None, instance=tag)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_tag(tag=tag and Tag.objects.get(pk=tag.pk), by=request.user, **form.cleaned_data)
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, _("已保存标签“%(name)s”。") % {"name": saved.name})
            return redirect("enterprises:tag_list")
    return render(request, "enterprises/tag_form.html", {"form": form, "tag": tag})


@login_required
@require_POST
def tag_delete(request: HttpRequest, pk: int) -> HttpResponse:
    tag = get_tag_for_user(request.user, pk)
    try:
        services.delete_tag(tag=tag, by=request.user)
    except BusinessRuleError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已删除标签“%(name)s”。") % {"name": tag.name})
    return redirect("enterprises:tag_list")
