"""Contacts at an enterprise: recorded by a unit and visible to its subtree; phones masked."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.audit import record_access
from apps.core.errors import BusinessRuleError
from apps.core.forms import add_rule_error
from apps.enterprises import permissions, services
from apps.enterprises.forms import ContactForm
from apps.enterprises.permissions import get_contact_for_user, get_enterprise_for_user


@login_required
def contact_create(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = get_enterprise_for_user(request.user, pk)
    if not request.user.has_perm("enterprises.add_contact"):
        raise PermissionDenied
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_contact(contact=None, enterprise=enterprise, by=request.user, **form.cleaned_data)
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, _("已添加联系人“%(name)s”。") % {"name": form.cleaned_data["name"]})
            return redirect("enterprises:detail", pk=enterprise.pk)
    return render(request, "enterprises/contact_form.html", {"form": form, "enterprise": enterprise, "contact": None})


@login_required
def contact_edit(request: HttpRequest, pk: int) -> HttpResponse:
    contact = get_contact_for_user(request.user, pk, action=permissions.CHANGE_CONTACTS)
    form = ContactForm(request.POST or None, instance=contact)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_contact(contact=contact, enterprise=contact.enterprise, by=request.user, **form.cleaned_data)
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, _("已保存。"))
            return redirect("enterprises:detail", pk=contact.enterprise_id)
    context = {"form": form, "enterprise": contact.enterprise, "contact": contact}
    return render(request, "enterprises/contact_form.html", context)


@login_required
@require_POST
def contact_delete(request: HttpRequest, pk: int) -> HttpResponse:
    contact = get_contact_for_user(request.user, pk, action="enterprises.delete_contact")
    services.delete_contact(contact=contact, by=request.user)
    messages.success(request, _("已删除联系人“%(name)s”。") % {"name": contact.name})
    return redirect("enterprises:detail", pk=contact.enterprise_id)


@login_required
@require_POST
def contact_reveal_phone(request: HttpRequest, pk: int) -> HttpResponse:
    contact = get_contact_for_user(request.user, pk, action=permissions.REVEAL_PERSONAL_DATA)
    record_access(contact, by=request.user, what="查看完整联系电话")
    return render(request, "enterprises/enterprise_detail.html#contact-phone", {"contact": contact, "revealed": True})
