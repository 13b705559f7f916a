"""Forms of the target page: the time-progress plan (plan kind and cumulative figures) and a manual figure."""

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.assessment.models import Target
from apps.core.forms import StyledFormMixin
from apps.investment.forms.projects import MAX_UPLOAD

MAX_PLAN_POINTS = 36  # 旬 of a year: the finest plan


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"})


class PlanForm(StyledFormMixin, forms.Form):
    plan = forms.ChoiceField(label=_("序时进度"), choices=Target.Plan.choices)


class PlanPointForm(StyledFormMixin, forms.Form):
    # the rows stand in a table under one heading: each input still names itself to a screen reader
    ends_on = forms.DateField(
        label=_("期末日期"), required=False, widget=forms.DateInput(attrs={"type": "date", "aria-label": _("期末日期")})
    )
    value = forms.DecimalField(
        label=_("累计计划"), max_digits=16, decimal_places=2, required=False,
        widget=forms.NumberInput(attrs={"aria-label": _("累计计划"), "step": "0.01"}),
    )  # fmt: skip

    def clean(self):
        data = super().clean()
        if (data.get("ends_on") is None) != (data.get("value") is None) and not self.errors:
            raise forms.ValidationError(_("期末日期和累计计划须同时填写。"))
        return data


class BasePlanPointFormSet(forms.BaseFormSet):
    default_error_messages = {
        "too_many_forms": _("序时计划最多 %(num)d 期（按旬计划每年 36 期）。"),
    }


PlanPointFormSet = forms.formset_factory(
    PlanPointForm, formset=BasePlanPointFormSet, extra=0, max_num=MAX_PLAN_POINTS, absolute_max=MAX_PLAN_POINTS,
    validate_max=True,
)  # fmt: skip


def plan_points(formset) -> list:
    """The filled rows of a valid plan formset as (期末, 累计计划) pairs."""
    return [
        (form.cleaned_data["ends_on"], form.cleaned_data["value"])
        for form in formset
        if form.cleaned_data.get("ends_on") is not None
    ]


class ManualValueForm(StyledFormMixin, forms.Form):
    as_of = forms.DateField(label=_("截至日期"), widget=_date_input())
    value = forms.DecimalField(label=_("累计完成"), max_digits=16, decimal_places=2)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)
    # the service says "请上传佐证材料。" when it is missing
    evidence = forms.FileField(label=_("佐证材料"), required=False, help_text=_("台账、文件或照片，不超过 20 MB"))

    def clean_evidence(self):
        upload = self.cleaned_data["evidence"]
        if upload and upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("文件不能超过 20 MB。"))
        return upload
