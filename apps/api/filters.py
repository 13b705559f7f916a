"""The filters of each list: unit (its subtree), state, a date range and a search, as the pages offer them."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.appeals.models import Appeal
from apps.enterprises.models import Enterprise
from apps.investment.models import Project
from apps.org.models import Unit
from apps.supervision.models import CreditEntry, InvestorCommitment, Problem
from apps.supervision.models.credit import CreditState


class UnitFilter(django_filters.ModelChoiceFilter):
    """Records of the unit or a unit below it (the records stay those of the user's scope)."""

    def __init__(self, *, field_name: str = "unit", **kwargs) -> None:
        super().__init__(field_name=field_name, queryset=Unit.objects.all(), label=_("单位（含下级）"), **kwargs)

    def filter(self, qs, value):
        if value is None:
            return qs
        return qs.filter(**{f"{self.field_name}__path__startswith": value.path})


def _search(*lookups: str):
    def search(qs, name, value):
        value = value.strip()
        if not value:
            return qs
        condition = Q()
        for lookup in lookups:
            condition |= Q(**{f"{lookup}__icontains": value})
        return qs.filter(condition)

    return search


class ProjectFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("搜索（项目名称、编号、企业）"), method=_search("name", "code", "enterprise__name")
    )
    unit = UnitFilter()
    created_after = django_filters.DateFilter(field_name="created_at__date", lookup_expr="gte", label=_("登记日期自"))
    created_before = django_filters.DateFilter(field_name="created_at__date", lookup_expr="lte", label=_("登记日期至"))

    class Meta:
        model = Project
        fields = ("stage", "counted_stage", "status", "channel")


class EnterpriseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索（名称、统一社会信用代码）"), method=_search("name", "uscc"))
    founded_after = django_filters.DateFilter(field_name="founded_on", lookup_expr="gte", label=_("成立日期自"))
    founded_before = django_filters.DateFilter(field_name="founded_on", lookup_expr="lte", label=_("成立日期至"))

    class Meta:
        model = Enterprise
        fields = ("status", "region_code", "industry")


class AppealFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索（编号、标题）"), method=_search("number", "title"))
    unit = UnitFilter()
    created_after = django_filters.DateFilter(field_name="created_at__date", lookup_expr="gte", label=_("登记日期自"))
    created_before = django_filters.DateFilter(field_name="created_at__date", lookup_expr="lte", label=_("登记日期至"))

    class Meta:
        model = Appeal
        fields = ("state", "appeal_type", "channel", "urgency", "category")


class ProblemFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索（编号、问题）"), method=_search("code", "title"))
    unit = UnitFilter()
    due_after = django_filters.DateFilter(field_name="due_on", lookup_expr="gte", label=_("整改时限自"))
    due_before = django_filters.DateFilter(field_name="due_on", lookup_expr="lte", label=_("整改时限至"))

    class Meta:
        model = Problem
        fields = ("status", "source")


class CommitmentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索（承诺内容、企业）"), method=_search("content", "enterprise__name"))
    unit = UnitFilter()
    due_after = django_filters.DateFilter(field_name="due_on", lookup_expr="gte", label=_("兑现时限自"))
    due_before = django_filters.DateFilter(field_name="due_on", lookup_expr="lte", label=_("兑现时限至"))

    class Meta:
        model = InvestorCommitment
        fields = ("status", "kind")


class CreditEntryFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索（企业名称、统一社会信用代码、文书号）"), method="search")
    state = django_filters.ChoiceFilter(label=_("状态"), choices=CreditState.choices, method="in_state")
    decided_after = django_filters.DateFilter(field_name="decided_on", lookup_expr="gte", label=_("认定日期自"))
    decided_before = django_filters.DateFilter(field_name="decided_on", lookup_expr="lte", label=_("认定日期至"))

    class Meta:
        model = CreditEntry
        fields = ("kind", "source")

    def search(self, qs, name, value):
        return qs.search(value)

    def in_state(self, qs, name, value):
        return qs.in_state(value, timezone.localdate())
