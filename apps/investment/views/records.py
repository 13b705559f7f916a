"""What is recorded on a project: evidence documents, rounds of talks, monthly funds in place."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.errors import BusinessRuleError
from apps.core.forms import add_rule_error
from apps.investment import permissions
from apps.investment.forms.projects import DocumentForm, FundForm, NegotiationForm
from apps.investment.models import ProjectDocument
from apps.investment.permissions import get_project_for_user
from apps.investment.services import projects as services


@login_required
@require_POST
def document_add(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_project_for_user(request.user, pk, action=permissions.CHANGE)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        services.add_document(
            project=project, kind=data["kind"], upload=data["file"], title=data["title"], by=request.user
        )
        messages.success(request, _("已上传材料。"))
    else:
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
    return redirect("investment:project_detail", pk=project.pk)


@login_required
def document_download(request: HttpRequest, pk: int) -> FileResponse:
    document = (
        ProjectDocument.objects.filter(pk=pk, project__in=permissions.visible_projects(request.user))
        .select_related("project")
        .first()
    )
    if document is None or not request.user.has_perm(permissions.VIEW):
        raise Http404
    name = document.file.name.rsplit("/", 1)[-1]
    return FileResponse(document.file.open("rb"), as_attachment=True, filename=name)


@login_required
def negotiation_create(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_project_for_user(request.user, pk, action=permissions.CHANGE)
    form = NegotiationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_negotiation(project=project, by=request.user, **form.cleaned_data)
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, _("已记录洽谈。"))
            return redirect("investment:negotiation_list", pk=project.pk)
    return render(request, "investment/negotiation_form.html", {"form": form, "project": project})


@login_required
def negotiation_list(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_project_for_user(request.user, pk)
    context = {
        "project": project,
        "negotiations": project.negotiations.select_related("recorded_by"),
        "owns": request.user.has_perm(permissions.CHANGE) and permissions.owns(request.user, project),
    }
    return render(request, "investment/negotiation_list.html", context)


@login_required
def fund_list(request: HttpRequest, pk: int) -> HttpResponse:
    """The project's monthly funds in place, and the form to enter a month (owning unit only)."""
    project = get_project_for_user(request.user, pk)
    can_enter = request.user.has_perm(permissions.CHANGE) and permissions.owns(request.user, project)
    form = FundForm(request.POST or None) if can_enter else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            services.record_funds(project=project, by=request.user, **form.cleaned_data)
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(
                request, _("已保存 %(month)s 的到位资金。") % {"month": f"{form.cleaned_data['month']:%Y年%m月}"}
            )
            return redirect("investment:fund_list", pk=project.pk)
    context = {"project": project, "form": form, "funds": project.funds.select_related("entered_by")}
    return render(request, "investment/fund_list.html", context)
