"""Forms of the indicator-system pages: they check shape; the services check the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.bizenv.methods import ALL_KEYS, LABELS, PARAMETERS
from apps.bizenv.models import Indicator, Methodology
from apps.core.forms import StyledFormMixin
from apps.org.models import Unit


class MethodologyFilterForm(StyledFormMixin, forms.Form):
    q = forms.CharField(label=_("版本号或名称"), required=False, max_length=50)
    status = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部")), *Methodology.Status.choices])


class MethodologyForm(StyledFormMixin, forms.Form):
    code = forms.CharField(label=_("版本号"), max_length=20, help_text=_("如“2026”"))
    name = forms.CharField(label=_("版本名称"), max_length=100)
    notes = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, with_code: bool = True, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not with_code:
            del self.fields["code"]


class PublishForm(StyledFormMixin, forms.Form):
    confirm_drafts = forms.BooleanField(
        label=_("我已核对全部草案指标，发布即确认它们"),
        required=False,
        help_text=_("发布后该版本及其指标不能再修改；如需调整，请复制为新版本。"),
    )


class IndicatorForm(StyledFormMixin, forms.Form):
    """One indicator; the method's parameters in their own number fields."""

    code = forms.CharField(label=_("指标代码"), max_length=30, help_text=_("下级代码以上级代码开头，如“01.02”"))
    name = forms.CharField(label=_("指标名称"), max_length=100)
    unit_of_measure = forms.CharField(label=_("计量单位"), max_length=30, required=False)
    direction = forms.ChoiceField(label=_("指标方向"), choices=Indicator.Direction.choices)
    kind = forms.ChoiceField(label=_("指标类型"), choices=Indicator.Kind.choices)
    method = forms.ChoiceField(label=_("计分方法"), choices=Indicator.Method.choices)
    best = forms.DecimalField(label=LABELS["best"], required=False)
    worst = forms.DecimalField(label=LABELS["worst"], required=False)
    satisfactory = forms.DecimalField(label=LABELS["satisfactory"], required=False)
    unacceptable = forms.DecimalField(label=LABELS["unacceptable"], required=False)
    standard = forms.DecimalField(label=LABELS["standard"], required=False)
    step = forms.DecimalField(label=LABELS["step"], required=False)
    weight = forms.DecimalField(label=_("权重"), max_digits=7, decimal_places=3, initial=1)
    lead_unit = forms.ModelChoiceField(label=_("牵头单位"), queryset=Unit.objects.none(), required=False)
    co_units = forms.ModelMultipleChoiceField(
        label=_("配合单位"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    data_source = forms.ChoiceField(label=_("数据来源"), choices=Indicator.Source.choices)
    alert_threshold = forms.DecimalField(label=_("预警阈值"), max_digits=5, decimal_places=2, initial=70)
    excellence_threshold = forms.DecimalField(label=_("优秀阈值"), max_digits=5, decimal_places=2, required=False)
    pillar = forms.ChoiceField(
        label=_("B-READY支柱"), choices=[("", _("（不标注）")), *Indicator.Pillar.choices], required=False
    )
    is_national = forms.BooleanField(label=_("国家指标（非本地自设）"), required=False, initial=True)
    is_draft = forms.BooleanField(label=_("草案，待管理员核对"), required=False)
    order = forms.IntegerField(label=_("排序"), min_value=0, initial=0)
    description = forms.CharField(label=_("指标说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, indicator: Indicator | None = None, **kwargs) -> None:
        self.indicator = indicator
        if indicator is not None and "initial" not in kwargs:
            kwargs["initial"] = initial_for(indicator)
        super().__init__(*args, **kwargs)
        units = Unit.objects.filter(is_active=True).order_by("path")
        self.fields["lead_unit"].queryset = units
        self.fields["co_units"].queryset = units

    def service_fields(self) -> dict:
        """The cleaned data as the service takes it: the method's parameters gathered, the others' dropped."""
        data = dict(self.cleaned_data)
        values = {key: data.pop(key) for key in ALL_KEYS}
        kept = {k: v for k, v in (self.indicator.parameters if self.indicator else {}).items() if k not in ALL_KEYS}
        wanted = PARAMETERS[data["method"]]
        data["parameters"] = {**kept, **{k: values[k] for k in wanted if values[k] is not None}}
        return data


def initial_for(indicator: Indicator) -> dict:
    initial = {name: getattr(indicator, name) for name in IndicatorForm.base_fields if hasattr(indicator, name)}
    initial["co_units"] = list(indicator.co_units.all())
    initial.update({key: indicator.parameters.get(key) for key in ALL_KEYS})
    return initial
