"""Forms of the deduction pages: the list's filter, recording a deduction, revoking one."""

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.assessment.models import Deduction
from apps.core.forms import StyledFormMixin
from apps.investment.forms.projects import MAX_UPLOAD

REVOKED_CHOICES = [("", _("全部")), ("no", _("有效")), ("yes", _("已撤销"))]


class DeductionFilterForm(StyledFormMixin, forms.Form):
    scheme = forms.ModelChoiceField(label=_("考核方案"), queryset=None, required=False, empty_label=_("全部"))
    unit = forms.ModelChoiceField(label=_("单位"), queryset=None, required=False, empty_label=_("全部"))
    kind = forms.ChoiceField(label=_("扣分事项"), required=False, choices=[("", _("全部")), *Deduction.Kind.choices])
    revoked = forms.ChoiceField(label=_("状态"), required=False, choices=REVOKED_CHOICES)

    def __init__(self, *args, schemes, units, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scheme"].queryset = schemes
        self.fields["unit"].queryset = units


class DeductionForm(StyledFormMixin, forms.Form):
    unit = forms.ModelChoiceField(label=_("单位"), queryset=None)
    kind = forms.ChoiceField(label=_("扣分事项"), choices=Deduction.Kind.choices)
    points = forms.DecimalField(label=_("扣分"), max_digits=6, decimal_places=2)
    happened_on = forms.DateField(label=_("认定日期"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("扣分理由"), widget=forms.Textarea(attrs={"rows": 3}))
    #: the project's code (项目编号); the view finds it among the unit's projects
    project = forms.CharField(
        label=_("涉及项目编号"), max_length=20, required=False, help_text=_("项目的过错才填写，如“签约超期未开工”")
    )
    evidence = forms.FileField(label=_("佐证材料"), required=False)

    def __init__(self, *args, units, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units

    def clean_evidence(self):
        upload = self.cleaned_data["evidence"]
        if upload and upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("文件不能超过 20 MB。"))
        return upload


class RevokeForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("撤销理由"), max_length=200)
