"""The cockpit page (and its 大屏 mode) and the region maps' upload page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.cockpit import permissions, services
from apps.cockpit.cache import kept_panels
from apps.cockpit.forms import RegionMapUploadForm
from apps.cockpit.models import RegionMap
from apps.cockpit.panels.appeals import appeals_panel
from apps.cockpit.panels.bizenv import bizenv_panel
from apps.cockpit.panels.investment import investment_panel
from apps.cockpit.panels.maps import map_payload, region_map_for
from apps.cockpit.panels.pipeline import pipeline_panel
from apps.core.errors import BusinessRuleError
from apps.core.forms import add_rule_error
from apps.core.lists import paginate

#: the years the cockpit can show, back from this one
YEARS_BACK = 5
#: the 大屏 reloads itself this often (seconds)
SCREEN_REFRESH = 300


def _year(request: HttpRequest, today) -> int:
    """The year asked for (?year=), the current one when missing or out of range."""
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return today.year
    return year if today.year - YEARS_BACK <= year <= today.year else today.year


def _panels(user, year: int, today) -> dict:
    shown = permissions.panels_for(user)
    investment = investment_panel(user, year) if "investment" in shown else None
    appeals = appeals_panel(user, today) if "appeals" in shown else None
    region_map = region_map_for(user.unit) if investment or appeals else None
    return {
        "investment": investment,
        "pipeline": pipeline_panel(user, today, lights="lights" in shown) if "pipeline" in shown else None,
        "appeals": appeals,
        "bizenv": bizenv_panel(user) if "bizenv" in shown else None,
        "region_map": map_payload(region_map, investment, appeals) if region_map is not None else None,
    }


def _context(request: HttpRequest) -> dict:
    user, today = request.user, timezone.localdate()
    year = _year(request, today)
    panels, computed_at = kept_panels(user, year, today, lambda: _panels(user, year, today))
    return panels | {
        "year": year,
        "years": list(range(today.year, today.year - YEARS_BACK - 1, -1)),
        "computed_at": computed_at,
        "refresh": SCREEN_REFRESH,
    }


@login_required
@permission_required(permissions.VIEW_COCKPIT, raise_exception=True)
def cockpit(request: HttpRequest) -> HttpResponse:
    template = "cockpit/screen.html" if request.GET.get("screen") == "1" else "cockpit/cockpit.html"
    return render(request, template, _context(request))


@login_required
@permission_required(permissions.VIEW_COCKPIT, raise_exception=True)
def screen(request: HttpRequest) -> HttpResponse:
    return render(request, "cockpit/screen.html", _context(request))


@login_required
@permission_required(permissions.MANAGE_MAP, raise_exception=True)
def map_list(request: HttpRequest) -> HttpResponse:
    form = RegionMapUploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.upload_region_map(
                unit=data["unit"], name=data["name"], raw=data["file"].read(services.MAX_BYTES + 1),
                name_property=data["name_property"], activate=data["activate"], by=request.user,
            )  # fmt: skip
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, _("区划地图已上传。"))
            return redirect("cockpit:map_list")
    maps = RegionMap.objects.visible_to(request.user).select_related("unit", "uploaded_by").defer("geojson")
    context = {"form": form, "page": paginate(request, maps)}
    return render(request, "cockpit/map_list.html", context, status=400 if form.errors else 200)


@login_required
@permission_required(permissions.MANAGE_MAP, raise_exception=True)
@require_POST
def map_activate(request: HttpRequest, pk: int) -> HttpResponse:
    region_map = get_object_or_404(RegionMap.objects.visible_to(request.user), pk=pk)
    services.activate_region_map(region_map=region_map, by=request.user)
    messages.success(request, _("已启用区划地图“%(name)s”。") % {"name": region_map.name})
    return redirect("cockpit:map_list")
