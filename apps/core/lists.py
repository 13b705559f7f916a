"""List-page conventions every app reuses: filter form, pagination, Excel export of what is shown."""

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.http import HttpRequest
from django.utils.functional import cached_property


class CappedPaginator(Paginator):
    """Counts at most ``count_limit`` + 1 rows: on millions of records an exact COUNT(*) costs more than the
    page itself, and nobody pages past the ten-thousandth row (they narrow the filters)."""

    def __init__(self, *args, count_limit: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.count_limit = count_limit

    @cached_property
    def _counted(self) -> int:
        return self.object_list[: self.count_limit + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self._counted, self.count_limit)

    @cached_property
    def capped(self) -> bool:
        return self._counted > self.count_limit


def paginate(request: HttpRequest, queryset, per_page: int | None = None, count_limit: int | None = None) -> Page:
    """The requested page of a list; an out-of-range or malformed page number gives the last / first.
    With ``count_limit`` the total is counted only that far (the page says "more than …")."""
    size = per_page or settings.LIST_PAGE_SIZE
    if count_limit is None:
        return Paginator(queryset, size).get_page(request.GET.get("page"))
    return CappedPaginator(queryset, size, count_limit=count_limit).get_page(request.GET.get("page"))


def wants_export(request: HttpRequest) -> bool:
    """True when the list was asked for as an Excel file (?export=xlsx)."""
    return request.GET.get("export") == "xlsx"


def query_without_page(request: HttpRequest) -> str:
    """The current filter query string without the page number, for pagination links."""
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("export", None)
    return params.urlencode()
