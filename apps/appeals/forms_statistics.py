"""Forms of the statistics pages: the month and grouping of the ranking, the hot-spot window, a new scheme."""

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.appeals.models import KpiScheme
from apps.appeals.models.statistics import Indicator
from apps.core.forms import StyledFormMixin
from apps.org.models import Unit

MONTH_INPUT = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")


class MonthField(forms.DateField):
    """A month written as 2026-10 (what <input type=month> sends), kept as its first day."""

    input_formats = ["%Y-%m"]
    widget = MONTH_INPUT

    def to_python(self, value) -> date | None:
        day = super().to_python(value)
        return day.replace(day=1) if day else None


class Grouping:
    UNIT = "unit"
    AREA = "area"
    CHOICES = [(UNIT, _("按承办单位")), (AREA, _("按区县汇总"))]


class StatisticsForm(StyledFormMixin, forms.Form):
    month = MonthField(label=_("月份"), required=False)
    grouping = forms.ChoiceField(label=_("统计方式"), choices=Grouping.CHOICES, required=False)


class HotSpotForm(StyledFormMixin, forms.Form):
    start = MonthField(label=_("起始月份"), required=False)
    end = MonthField(label=_("截止月份"), required=False)
    area = forms.ModelChoiceField(label=_("发生地区"), queryset=Unit.objects.none(), required=False)

    def __init__(self, *args, areas=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if areas is not None:
            self.fields["area"].queryset = areas

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if start > end:
                raise forms.ValidationError(_("起始月份不能晚于截止月份。"))
            if (end.year - start.year) * 12 + end.month - start.month >= 36:
                raise forms.ValidationError(_("一次最多分析36个月。"))
        return data


class SchemeForm(StyledFormMixin, forms.ModelForm):
    """A new version of the scheme: its parameters and one weight per indicator."""

    class Meta:
        model = KpiScheme
        fields = ["name", "valid_from", "satisfied_min_level", "partly_solved_weight", "note"]
        widgets = {"valid_from": forms.DateInput(attrs={"type": "date"}), "note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for indicator in Indicator:
            self.fields[f"weight_{indicator.value}"] = forms.DecimalField(
                label=_("%(indicator)s权重") % {"indicator": indicator.label},
                min_value=0,
                max_value=100,
                max_digits=5,
                decimal_places=2,
                initial=0,
            )

    def weights(self) -> dict[str, object]:
        return {indicator.value: self.cleaned_data[f"weight_{indicator.value}"] for indicator in Indicator}

    def clean(self) -> dict:
        data = super().clean()
        if not self.errors and not any(self.weights().values()):
            raise forms.ValidationError(_("至少为一项指标设置大于0的权重。"))
        return data
