"""List-page conventions every app reuses: filter form, pagination, Excel export of what is shown."""

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.http import HttpRequest


def paginate(request: HttpRequest, queryset, per_page: int | None = None) -> Page:
    """The requested page of a list; an out-of-range or malformed page number gives the last / first."""
    paginator = Paginator(queryset, per_page or settings.LIST_PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))


def wants_export(request: HttpRequest) -> bool:
    """True when the list was asked for as an Excel file (?export=xlsx)."""
    return request.GET.get("export") == "xlsx"


def query_without_page(request: HttpRequest) -> str:
    """The current filter query string without the page number, for pagination links."""
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("export", None)
    return params.urlencode()
