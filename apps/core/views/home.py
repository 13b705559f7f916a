from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from apps.core.pending import pending_for


@login_required
def home(request: HttpRequest) -> HttpResponse:
    if request.user.unit is None and hasattr(request.user, "enterprise_account"):  # a portal user (企业用户)
        return redirect("policies:portal_home")
    return render(request, "core/home.html", {"pending_items": pending_for(request.user)})
