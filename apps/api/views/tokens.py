"""The token pages of the system administrator: the list with its filters, a new token (shown once), revoking."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.api import permissions, services
from apps.api.forms import TokenFilterForm, TokenForm
from apps.core.errors import BusinessRuleError
from apps.core.forms import add_rule_error
from apps.core.lists import paginate, query_without_page
from apps.org.models import Unit


def _filtered(tokens, data: dict):
    if data.get("q"):
        tokens = tokens.filter(Q(name__icontains=data["q"]) | Q(prefix__icontains=data["q"]))
    now = timezone.now()
    if data.get("state") == "live":
        tokens = tokens.live()
    elif data.get("state") == "revoked":
        tokens = tokens.exclude(revoked_at=None)
    elif data.get("state") == "expired":
        tokens = tokens.filter(revoked_at=None, expires_at__lte=now)
    if data.get("operation"):
        # JSON containment is not on SQLite; the operation's code is a quoted string inside the list's text
        tokens = tokens.filter(operations__icontains=f'"{data["operation"]}"')
    return tokens


@login_required
@permission_required(permissions.MANAGE_TOKEN, raise_exception=True)
def token_list(request: HttpRequest) -> HttpResponse:
    form = TokenFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    page = paginate(request, _filtered(permissions.visible_tokens(request.user), data))
    return render(request, "api/token_list.html", {"form": form, "page": page, "query": query_without_page(request)})


@login_required
@permission_required(permissions.MANAGE_TOKEN, raise_exception=True)
def token_create(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None, units=Unit.objects.visible_to(request.user).active())
    if request.method == "POST" and form.is_valid():
        try:
            issued = services.create_token(**form.cleaned_data, by=request.user)
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            # the secret is shown in this very response, never again: there is nothing to redirect to
            return render(request, "api/token_created.html", {"token": issued.token, "plaintext": issued.plaintext})
    return render(request, "api/token_form.html", {"form": form})


@login_required
@require_POST
@permission_required(permissions.MANAGE_TOKEN, raise_exception=True)
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = permissions.get_token_for_user(request.user, pk)
    try:
        services.revoke_token(token=token, by=request.user)
    except BusinessRuleError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已吊销令牌“%(name)s”。") % {"name": token.name})
    return redirect("api:token_list")
