"""Forms of the ranking pages: the snapshot list's filter, taking a snapshot, explaining a correction."""

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.assessment.models import PeriodKind
from apps.core.forms import StyledFormMixin


class SnapshotFilterForm(StyledFormMixin, forms.Form):
    scheme = forms.ModelChoiceField(label=_("考核方案"), queryset=None, required=False, empty_label=_("全部"))
    kind = forms.ChoiceField(label=_("周期"), required=False, choices=[("", _("全部")), *PeriodKind.choices])

    def __init__(self, *args, schemes, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scheme"].queryset = schemes


class TakeSnapshotForm(StyledFormMixin, forms.Form):
    period = forms.ChoiceField(label=_("考核周期"))

    def __init__(self, *args, periods, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.periods = {f"{p.kind}:{p.ends_on.isoformat()}": p for p in periods}
        self.fields["period"].choices = [(key, p.label) for key, p in self.periods.items()]

    def chosen(self):
        return self.periods[self.cleaned_data["period"]]


class CorrectionForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("更正理由"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("如：某项目补录签约确认，经核实予以更正"),
    )  # fmt: skip


class StandingForm(StyledFormMixin, forms.Form):
    item = forms.TypedChoiceField(label=_("图表指标"), coerce=int, required=False)

    def __init__(self, *args, items, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = [(item.pk, item.metric.name) for item in items]
