from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.forms import StyledFormMixin
from apps.enterprises.models import Industry
from apps.investment.models import PipelineSettings, ProjectDocument, ScreeningRule
from apps.investment.services.rules import gate_field_choices
from apps.org.models import Unit


class SettingsForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = PipelineSettings
        fields = ["respond_days", "assess_days", "claim_days", "major_threshold", "coordinating_unit"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["coordinating_unit"].queryset = Unit.objects.filter(is_active=True).order_by("path")
        for name in ("respond_days", "assess_days", "claim_days"):
            self.fields[name].min_value = 1
            self.fields[name].widget.attrs["min"] = 1


class GateForm(StyledFormMixin, forms.Form):
    required_fields = forms.MultipleChoiceField(
        label=_("必填项"), choices=(), required=False, widget=forms.CheckboxSelectMultiple
    )
    required_documents = forms.MultipleChoiceField(
        label=_("必备材料"), choices=ProjectDocument.Kind.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    needs_approval = forms.BooleanField(
        label=_("须上级确认后计入统计"), required=False, help_text=_("区县报送该阶段后，由市级（或上级区域）确认")
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["required_fields"].choices = gate_field_choices()


class ScreeningRuleForm(StyledFormMixin, forms.ModelForm):
    industries = forms.ModelMultipleChoiceField(
        label=_("适用行业"),
        queryset=Industry.objects.filter(level=Industry.Level.DIVISION).order_by("code"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("按住 Ctrl 可多选；与关键词任一相符即适用"),
    )

    class Meta:
        model = ScreeningRule
        fields = ["name", "kind", "action", "industries", "keywords", "threshold", "basis", "is_active"]
