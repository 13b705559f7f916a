"""Forms of the evaluation-round pages: they check shape; services/rounds.py checks the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.bizenv.models import Entry, Indicator, Methodology, Reference, Round
from apps.bizenv.services.rounds import RoundFields
from apps.core.forms import StyledFormMixin
from apps.org.models import Unit

EVALUATED_KINDS = (Unit.Kind.COUNTY, Unit.Kind.ZONE)


class RoundFilterForm(StyledFormMixin, forms.Form):
    q = forms.CharField(label=_("轮次名称"), required=False, max_length=50)
    year = forms.IntegerField(label=_("年度"), required=False, min_value=2000, max_value=2100)
    status = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部")), *Round.Status.choices])


class RoundForm(StyledFormMixin, forms.Form):
    methodology = forms.ModelChoiceField(label=_("评价方法版本"), queryset=Methodology.objects.none())
    name = forms.CharField(label=_("轮次名称"), max_length=100, help_text=_("如“2025年度营商环境评价”"))
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(
        label=_("季度"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("年度评价")), *((q, _("第%(q)s季度") % {"q": q}) for q in range(1, 5))],
    )
    units = forms.ModelMultipleChoiceField(
        label=_("参评区县"), queryset=Unit.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    opens_on = forms.DateField(label=_("填报开始"), widget=forms.DateInput(attrs={"type": "date"}))
    closes_on = forms.DateField(label=_("填报截止"), widget=forms.DateInput(attrs={"type": "date"}))
    aggregation = forms.ChoiceField(label=_("汇总方法"), choices=Round.Aggregation.choices)
    threshold = forms.DecimalField(
        label=_("数据完整度阈值"),
        min_value=0,
        max_value=1,
        decimal_places=4,
        initial="0.6667",
        help_text=_("0 至 1；有数据的下级指标权重占比低于此值时该项不计分，而不是按 0 分计"),
    )
    disclosure = forms.ChoiceField(label=_("结果公开范围"), choices=Round.Disclosure.choices)

    def __init__(self, *args, round_: Round | None = None, **kwargs) -> None:
        if round_ is not None and "initial" not in kwargs:
            kwargs["initial"] = {name: getattr(round_, name) for name in RoundFields.__dataclass_fields__}
            kwargs["initial"].update(methodology=round_.methodology, units=list(round_.units.all()))
        super().__init__(*args, **kwargs)
        self.fields["methodology"].queryset = Methodology.objects.filter(status=Methodology.Status.PUBLISHED)
        self.fields["units"].queryset = Unit.objects.active().filter(kind__in=EVALUATED_KINDS)
        if round_ is not None:
            del self.fields["methodology"]

    def round_fields(self) -> RoundFields:
        return RoundFields(**{name: self.cleaned_data[name] for name in RoundFields.__dataclass_fields__})


class DisclosureForm(StyledFormMixin, forms.Form):
    disclosure = forms.ChoiceField(
        label=_("结果公开范围"),
        choices=Round.Disclosure.choices,
        widget=forms.Select(attrs={"class": "form-select-sm w-auto"}),
    )


class EntryFilterForm(StyledFormMixin, forms.Form):
    q = forms.CharField(label=_("指标代码或名称"), required=False, max_length=50)
    status = forms.ChoiceField(
        label=_("进度"),
        required=False,
        choices=[("", _("全部")), ("missing", _("有未填报")), ("waiting", _("有待审核")), ("returned", _("有退回"))],
    )
    mine = forms.BooleanField(label=_("只看本单位牵头的指标"), required=False)


class EntrySheetForm(StyledFormMixin, forms.Form):
    """One indicator's raw values, a field per county (and its note)."""

    def __init__(self, *args, indicator: Indicator, units: list[Unit], entries: dict[int, Entry], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.units = units
        hint = indicator.unit_of_measure or ""
        if indicator.method == Indicator.Method.YES_NO:
            hint = _("填“是”或“否”")
        for unit in units:
            entry = entries.get(unit.pk)
            self.fields[f"value_{unit.pk}"] = forms.CharField(
                label=unit.name, required=False, max_length=40, initial=entry.value if entry else "", help_text=hint
            )
            self.fields[f"note_{unit.pk}"] = forms.CharField(
                label=_("说明"), required=False, max_length=200, initial=entry.note if entry else ""
            )

    def rows(self) -> list[tuple[Unit, forms.BoundField, forms.BoundField]]:
        return [(unit, self[f"value_{unit.pk}"], self[f"note_{unit.pk}"]) for unit in self.units]

    def changed_values(self) -> list[tuple[Unit, str, str]]:
        """(county, value, note) for the rows the user filled or changed."""
        changed = set(self.changed_data)
        return [
            (unit, self.cleaned_data[f"value_{unit.pk}"], self.cleaned_data[f"note_{unit.pk}"])
            for unit in self.units
            if {f"value_{unit.pk}", f"note_{unit.pk}"} & changed and self.cleaned_data[f"value_{unit.pk}"].strip()
        ]


class ReviewForm(StyledFormMixin, forms.Form):
    comment = forms.CharField(label=_("退回理由"), required=False, max_length=200)


class ReferenceForm(StyledFormMixin, forms.Form):
    """The province's and city's averages, two fields per leaf indicator."""

    source = forms.CharField(label=_("参考值来源"), required=False, max_length=100)

    def __init__(self, *args, indicators: list[Indicator], references: dict[tuple[int, str], str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.indicators = indicators
        for indicator in indicators:
            for level, label in Reference.Level.choices:
                self.fields[f"{level}_{indicator.pk}"] = forms.CharField(
                    label=label, required=False, max_length=40, initial=references.get((indicator.pk, level), "")
                )

    def rows(self) -> list[tuple[Indicator, forms.BoundField, forms.BoundField]]:
        return [
            (
                indicator,
                self[f"{Reference.Level.PROVINCE}_{indicator.pk}"],
                self[f"{Reference.Level.CITY}_{indicator.pk}"],
            )
            for indicator in self.indicators
        ]

    def values(self) -> dict[tuple[int, str], str]:
        """The changed references by (indicator id, level); "" removes one."""
        values = {}
        for name in self.changed_data:
            if name == "source":
                continue
            level, pk = name.rsplit("_", 1)
            values[(int(pk), level)] = self.cleaned_data[name]
        return values


class TrendForm(StyledFormMixin, forms.Form):
    indicator = forms.ChoiceField(label=_("指标"), required=False)

    def __init__(self, *args, indicators: list[Indicator], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("总分"))] + [(i.code, f"{i.code} {i.name}") for i in indicators]
        self.fields["indicator"].choices = choices
