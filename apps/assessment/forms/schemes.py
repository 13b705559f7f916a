"""Forms of the scheme pages: the list's filter, a new scheme, an item added to it, the targets' upload."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.assessment.models import Metric, PeriodKind, Scheme, SchemeItem
from apps.core.forms import StyledFormMixin


class SchemeFilterForm(StyledFormMixin, forms.Form):
    year = forms.TypedChoiceField(label=_("年度"), coerce=int, required=False, empty_value=None)
    group = forms.ChoiceField(label=_("考核对象"), required=False, choices=[("", _("全部")), *Scheme.Group.choices])

    def __init__(self, *args, years, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("全部")), *[(year, year) for year in years]]


class SchemeForm(StyledFormMixin, forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    group = forms.ChoiceField(label=_("考核对象"), choices=Scheme.Group.choices)
    name = forms.CharField(label=_("方案名称"), max_length=100, help_text=_("如：2026年度县区招商引资考核"))
    unit = forms.ModelChoiceField(label=_("考核单位"), queryset=None, empty_label=None)
    praise_top = forms.IntegerField(label=_("通报表扬前几名"), min_value=0, max_value=20, initial=3)
    admonish_bottom = forms.IntegerField(label=_("约谈后几名"), min_value=0, max_value=20, initial=3)
    snapshot_kinds = forms.MultipleChoiceField(
        label=_("快照周期"), choices=PeriodKind.choices, required=False, widget=forms.CheckboxSelectMultiple,
        initial=["month", "quarter", "half", "year"], help_text=_("每个所选周期结束后冻结数据并排名"),
    )  # fmt: skip
    bulletin_prefix = forms.CharField(label=_("文号前缀"), max_length=20, required=False, help_text=_("如“示招考”"))

    def __init__(self, *args, units, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class ItemForm(StyledFormMixin, forms.Form):
    metric = forms.ModelChoiceField(label=_("指标"), queryset=None)
    method = forms.ChoiceField(label=_("计分方法"), choices=SchemeItem.Method.choices)
    weight = forms.DecimalField(label=_("分值"), max_digits=6, decimal_places=2)
    cap = forms.DecimalField(
        label=_("完成率封顶"), max_digits=4, decimal_places=2, initial=Decimal("1.20"),
        help_text=_("1.20 即完成率超过 120% 不再加分"),
    )  # fmt: skip

    def __init__(self, *args, scheme: Scheme, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        used = scheme.items.values("metric")
        self.fields["metric"].queryset = Metric.objects.filter(is_active=True).exclude(pk__in=used)
