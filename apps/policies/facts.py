"""What the platform knows of an enterprise that an eligibility rule may read (apps/policies/rules.py FIELDS).

``facts_for`` reads one enterprise (a few queries); ``facts_for_many`` reads a chunk of enterprises with a fixed
number of queries whatever its size; ``registry_rows`` runs the same queries over whole tables (the batch matcher:
no lists of ids to send) and hands back the rows, from which apps/policies/batch.py builds its columns without a
Facts object per enterprise. All read through ``_rows`` so one enterprise, a chunk and the registry can never
disagree (a test compares the batch's table with the one built from Facts). A missing figure is
None (unknown), never zero: a condition on an unknown fact does not hold.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Sum

from apps.enterprises.models import AnnualFigures, Enterprise, Industry
from apps.investment.models import FundRecord, Project
from apps.supervision.models import CreditEntry, CreditKind


@dataclass(frozen=True)
class Facts:
    enterprise_id: int
    as_of: date
    #: the enterprise's industry code and its ancestors' ("C", "39", "391", "3911"); empty when unclassified
    industry_codes: frozenset[str]
    #: the codes with their names, for explanations ({"3911": "计算机整机制造", …})
    industry_names: tuple[tuple[str, str], ...]
    region_code: str
    tags: frozenset[str]
    scale: str | None
    registered_capital: Decimal | None
    founded_on: date | None
    revenue: Decimal | None
    tax: Decimal | None
    rd_expense: Decimal | None
    employees: int | None
    contracted_investment: Decimal | None
    funds_in_place: Decimal | None
    black_listed: bool
    red_listed: bool

    @property
    def founded_years(self) -> int | None:
        return years_since(self.founded_on, self.as_of)


def years_since(founded_on: date | None, as_of: date) -> int | None:
    """Whole years from the founding date to the evaluation day."""
    if founded_on is None:
        return None
    years = as_of.year - founded_on.year
    if (as_of.month, as_of.day) < (founded_on.month, founded_on.day):
        years -= 1
    return max(years, 0)


class IndustryPaths:
    """Industry id → its code path (node and ancestors), read once per call (the classification is small)."""

    def __init__(self) -> None:
        rows = Industry.objects.values_list("id", "code", "name", "parent_id")
        self._nodes = {pk: (code, name, parent) for pk, code, name, parent in rows}
        self._paths: dict[int, tuple[tuple[str, str], ...]] = {}

    def path(self, industry_id: int | None) -> tuple[tuple[str, str], ...]:
        if industry_id is None or industry_id not in self._nodes:
            return ()
        if industry_id not in self._paths:
            chain, current = [], industry_id
            while current is not None and current in self._nodes:
                code, name, parent = self._nodes[current]
                chain.append((code, name))
                current = parent
            self._paths[industry_id] = tuple(reversed(chain))
        return self._paths[industry_id]


def facts_for(enterprise: Enterprise, as_of: date) -> Facts:
    """The facts of one enterprise on the day."""
    return facts_for_many([enterprise.pk], as_of, industries=_OneIndustry(enterprise.industry_id))[enterprise.pk]


class _OneIndustry(IndustryPaths):
    """The path of one industry without reading the whole classification."""

    def __init__(self, industry_id: int | None) -> None:
        self._nodes, self._paths = {}, {}
        current = industry_id
        for _depth in range(4):
            if current is None:
                break
            row = Industry.objects.filter(pk=current).values_list("code", "name", "parent_id").first()
            if row is None:
                break
            self._nodes[current] = row
            current = row[2]


def facts_for_many(
    enterprise_ids: Iterable[int], as_of: date, *, industries: IndustryPaths | None = None
) -> dict[int, Facts]:
    """The facts of the enterprises on the day (enterprise id → Facts), in a fixed number of queries."""
    ids = list(enterprise_ids)
    if not ids:
        return {}
    return _read(ids, as_of, industries if industries is not None else IndustryPaths())


def _among(queryset, field: str, ids: list[int] | None):
    return queryset if ids is None else queryset.filter(**{f"{field}__in": ids})


@dataclass
class RegistryRows:
    """The rows the facts are made of, one query per table: the batch builds its columns from these directly."""

    #: (id, industry_id, region_code, registered_capital, founded_on) in id order
    base: list[tuple]
    tags: dict[int, set[str]]
    figures: dict[int, dict]
    scales: dict[int, str]
    contracted: dict[int, Decimal]
    funds: dict[int, Decimal]
    listed: dict[int, set[str]]


def registry_rows(as_of: date) -> RegistryRows:
    """The rows of every active enterprise (no id lists to send)."""
    return _rows(None, as_of)


def _rows(ids: list[int] | None, as_of: date) -> RegistryRows:
    registry = Enterprise.objects.active() if ids is None else Enterprise.objects
    base = _among(registry, "pk", ids).order_by("pk")
    tags = defaultdict(set)
    for pk, name in _among(Enterprise.tags.through.objects, "enterprise_id", ids).values_list(
        "enterprise_id", "tag__name"
    ):
        tags[pk].add(name)
    contracted = dict(
        _among(Project.objects, "enterprise_id", ids)
        .exclude(status=Project.Status.DROPPED)
        .values_list("enterprise_id")
        .annotate(total=Sum("contracted_investment"))
        .values_list("enterprise_id", "total")
    )
    funds = dict(
        _among(FundRecord.objects, "project__enterprise_id", ids)
        .exclude(project__status=Project.Status.DROPPED)
        .values_list("project__enterprise_id")
        .annotate(total=Sum("amount"))
        .values_list("project__enterprise_id", "total")
    )
    listed = defaultdict(set)
    for pk, kind in _among(CreditEntry.objects.in_force(as_of), "enterprise_id", ids).values_list(
        "enterprise_id", "kind"
    ):
        listed[pk].add(kind)
    return RegistryRows(
        base=list(base.values_list("id", "industry_id", "region_code", "registered_capital", "founded_on")),
        tags=tags,
        figures=_figures(ids, as_of.year - 1),
        scales=_latest_scales(ids, as_of.year),
        contracted=contracted,
        funds=funds,
        listed=listed,
    )


def _read(ids: list[int] | None, as_of: date, industries: IndustryPaths) -> dict[int, Facts]:
    rows = _rows(ids, as_of)
    return {
        pk: _assemble(
            pk,
            as_of,
            industries.path(industry_id),
            region,
            rows.tags[pk],
            rows.scales.get(pk),
            capital,
            founded,
            rows.figures.get(pk, {}),
            rows.contracted.get(pk),
            rows.funds.get(pk),
            rows.listed[pk],
        )  # fmt: skip
        for pk, industry_id, region, capital, founded in rows.base
    }


def _figures(ids: list[int] | None, year: int) -> dict[int, dict]:
    rows = _among(AnnualFigures.objects.filter(year=year), "enterprise_id", ids).values(
        "enterprise_id", "revenue", "tax", "rd_expense", "employees"
    )
    return {row.pop("enterprise_id"): row for row in rows}


def _latest_scales(ids: list[int] | None, up_to_year: int) -> dict[int, str]:
    """The scale of the latest year (not after ``up_to_year``) that has one."""
    rows = (
        _among(AnnualFigures.objects.filter(year__lte=up_to_year), "enterprise_id", ids)
        .exclude(scale="")
        .order_by("enterprise_id", "year")
        .values_list("enterprise_id", "scale")
    )
    return dict(rows)  # later years overwrite earlier ones


def _assemble(pk, as_of, industry_path, region, tags, scale, capital, founded, figures, contracted, funds, listed):
    return Facts(
        enterprise_id=pk,
        as_of=as_of,
        industry_codes=frozenset(code for code, _name in industry_path),
        industry_names=industry_path,
        region_code=region or "",
        tags=frozenset(tags),
        scale=scale,
        registered_capital=capital,
        founded_on=founded,
        revenue=figures.get("revenue"),
        tax=figures.get("tax"),
        rd_expense=figures.get("rd_expense"),
        employees=figures.get("employees"),
        contracted_investment=contracted,
        funds_in_place=funds,
        black_listed=CreditKind.BLACK in listed,
        red_listed=CreditKind.RED in listed,
    )
