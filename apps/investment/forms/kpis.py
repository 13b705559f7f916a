"""The KPI pages' filter: a period (year, quarter, month or a range of dates) and a unit of the viewer's subtree."""

from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.core.forms import StyledFormMixin
from apps.investment.selectors.kpis import Period, custom_period, month_period, quarter_period, year_period

#: how many years back the year list goes
YEARS_BACK = 9
#: a custom range longer than this is refused (the monthly table would be unreadable)
MAX_RANGE_DAYS = 366 * 5

PERIOD_KINDS = [("year", _("按年")), ("quarter", _("按季度")), ("month", _("按月")), ("custom", _("自定义"))]


def quarter_choices() -> list[tuple[int, str]]:
    """Called when a form is made, so that the labels are in the reader's language."""
    return [(q, gettext("第%(q)s季度") % {"q": q}) for q in range(1, 5)]


def month_choices() -> list[tuple[int, str]]:
    return [(m, gettext("%(m)s月") % {"m": m}) for m in range(1, 13)]


class UnitChoiceField(forms.ModelChoiceField):
    """Units indented under their parents, as the org tree reads."""

    top_depth = 1

    def label_from_instance(self, obj) -> str:
        return "　" * max(obj.depth - self.top_depth, 0) + obj.name


class KpiFilterForm(StyledFormMixin, forms.Form):
    """Every field may be left out: the current year (and quarter, month) fill what is missing."""

    period = forms.ChoiceField(label=_("统计周期"), choices=PERIOD_KINDS, required=False)
    year = forms.TypedChoiceField(label=_("年份"), coerce=int, required=False, empty_value=None)
    quarter = forms.TypedChoiceField(
        label=_("季度"), choices=quarter_choices, coerce=int, required=False, empty_value=None
    )
    month = forms.TypedChoiceField(label=_("月份"), choices=month_choices, coerce=int, required=False, empty_value=None)
    start = forms.DateField(label=_("开始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("结束日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    unit = UnitChoiceField(label=_("单位"), queryset=None, required=False, empty_label=_("全部"))

    def __init__(self, *args, units, top_depth: int = 1, today: date | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        quarter = (self.today.month - 1) // 3 + 1
        for name, value in (("year", self.today.year), ("quarter", quarter), ("month", self.today.month)):
            self.initial.setdefault(name, value)
        self.fields["year"].choices = [(y, _("%(y)s年") % {"y": y}) for y in self._years()]
        self.fields["unit"].queryset = units
        self.fields["unit"].top_depth = top_depth

    def _years(self) -> list[int]:
        return list(range(self.today.year, self.today.year - YEARS_BACK - 1, -1))

    def clean(self) -> dict:
        data = super().clean()
        if data.get("period") == "custom":
            start, end = data.get("start"), data.get("end")
            if start is None or end is None:
                raise forms.ValidationError(_("自定义统计周期须填写开始日期和结束日期。"))
            if end < start:
                self.add_error("end", _("结束日期不能早于开始日期。"))
            elif (end - start).days > MAX_RANGE_DAYS:
                self.add_error("end", _("自定义统计周期最长 5 年。"))
        return data

    def chosen_period(self) -> Period:
        """The period asked for; the current year when the form is empty or invalid."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        year = data.get("year") or self.today.year
        kind = data.get("period") or "year"
        if kind == "quarter":
            return quarter_period(year, data.get("quarter") or self.initial["quarter"])
        if kind == "month":
            return month_period(year, data.get("month") or self.initial["month"])
        if kind == "custom":
            return custom_period(data["start"], data["end"])
        return year_period(year)

    def chosen_unit(self):
        return self.cleaned_data.get("unit") if self.is_bound and self.is_valid() else None


class KpiDrillForm(KpiFilterForm):
    q = forms.CharField(
        label=_("搜索"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("项目名称、编号或企业")}),
    )
