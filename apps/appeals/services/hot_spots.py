"""未诉先办: where and when appeals gather — by first-level category and month, by area, and the categories
that grew most against the period of the same length before.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Count
from django.db.models.functions import Substr, TruncMonth
from django.utils import timezone

from apps.appeals.models import Category
from apps.appeals.services.statistics import day_start, next_month

TOP = 10


@dataclass
class Growth:
    category: Category
    count: int
    before: int

    @property
    def change(self) -> float | None:
        """The change against the period before, in per cent; None when nothing came before."""
        return round((self.count - self.before) * 100 / self.before, 1) if self.before else None


@dataclass
class HotSpots:
    months: list[date]
    #: first-level category → counts per month (in the order of ``months``) and the total
    by_category: list[tuple[Category, list[int], int]]
    by_area: list[tuple[str, int]]
    growth: list[Growth]
    total: int


def months_between(start: date, end: date) -> list[date]:
    months, month = [], start
    while month <= end:
        months.append(month)
        month = next_month(month)
    return months


def _window(appeals, start: date, end: date):
    return appeals.filter(created_at__gte=day_start(start), created_at__lt=day_start(next_month(end)))


def hot_spots(appeals, start: date, end: date) -> HotSpots:
    """The analysis of ``appeals`` (already scoped) recorded from month ``start`` to month ``end``."""
    months = months_between(start, end)
    window = _window(appeals, start, end).order_by()
    cells = (
        window.annotate(month=TruncMonth("created_at", tzinfo=timezone.get_current_timezone()))
        .annotate(top=Substr("category__code", 1, 2))
        .values("month", "top")
        .annotate(n=Count("pk"))
    )
    grid: dict[str, dict[date, int]] = defaultdict(dict)
    for cell in cells:
        month = cell["month"].date() if hasattr(cell["month"], "date") else cell["month"]
        grid[cell["top"]][month] = cell["n"]
    tops = {c.code: c for c in Category.objects.filter(code__in=grid, level=1)}
    by_category = []
    for code, counts in grid.items():
        if code in tops:
            row = [counts.get(month, 0) for month in months]
            by_category.append((tops[code], row, sum(row)))
    by_category.sort(key=lambda item: (-item[2], item[0].code))
    areas = window.values("area__name").annotate(n=Count("pk")).order_by("-n", "area__name")
    by_area = [(row["area__name"] or "", row["n"]) for row in areas]
    return HotSpots(months, by_category, by_area, _growth(appeals, start, end, len(months)), sum(n for _, n in by_area))


def shift(month: date, months: int) -> date:
    index = month.year * 12 + month.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def _growth(appeals, start: date, end: date, length: int) -> list[Growth]:
    """The categories with most appeals in the window, with their count in the window before."""
    now = _window(appeals, start, end).order_by().values("category").annotate(n=Count("pk")).order_by("-n")[:TOP]
    now = {row["category"]: row["n"] for row in now}
    before_window = _window(appeals, shift(start, length), shift(end, length)).filter(category__in=now)
    before = dict(before_window.order_by().values("category").annotate(n=Count("pk")).values_list("category", "n"))
    categories = Category.objects.in_bulk(now)
    rows = [Growth(categories[pk], n, before.get(pk, 0)) for pk, n in now.items()]
    return sorted(rows, key=lambda row: (-row.count, row.category.code))
