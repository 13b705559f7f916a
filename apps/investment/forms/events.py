from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.forms import StyledFormMixin
from apps.investment.forms.teams import year_choices
from apps.investment.models import Event


class EventForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("活动名称"), max_length=200, help_text=_("如：2026中国（示范市）投资贸易洽谈会"))
    kind = forms.ChoiceField(label=_("类别"), choices=Event.Kind.choices)
    unit = forms.ModelChoiceField(label=_("主办单位"), queryset=None)
    starts_on = forms.DateField(label=_("开始日期"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("结束日期"), widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.CharField(label=_("地点"), max_length=100)
    description = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, units, event: Event | None = None, **kwargs) -> None:
        if event is not None:
            kwargs.setdefault("initial", {name: getattr(event, name) for name in self.base_fields if name != "unit"})
            kwargs["initial"]["unit"] = event.unit_id
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units

    def clean(self):
        data = super().clean()
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("结束日期不能早于开始日期。"))
        return data


class EventFilterForm(StyledFormMixin, forms.Form):
    q = forms.CharField(
        label=_("搜索"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("活动名称或地点")}),
    )
    kind = forms.ChoiceField(label=_("类别"), required=False, choices=[("", _("全部")), *Event.Kind.choices])
    unit = forms.ModelChoiceField(label=_("主办单位"), queryset=None, required=False, empty_label=_("全部"))
    year = forms.TypedChoiceField(label=_("年度"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, units, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["year"].choices = year_choices(blank=True)
