"""Forms of the time-limit commitment pages: they check shape; services/cases.py checks the rules."""

from datetime import date, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.bizenv.models import ClockStop, Commitment
from apps.bizenv.services.cases import ChainStep, StepInput, StopInput
from apps.core.forms import StyledFormMixin
from apps.org.models import Unit

DATE = {"widget": forms.DateInput(attrs={"type": "date"})}


def default_period(today: date | None = None) -> tuple[date, date]:
    """The last twelve months up to today."""
    today = today or timezone.localdate()
    return today.replace(year=today.year - 1) + timedelta(days=1), today


class PeriodForm(StyledFormMixin, forms.Form):
    """办结日期 from / to; both default to the last twelve months."""

    starts_on = forms.DateField(label=_("办结日期起"), required=False, **DATE)
    ends_on = forms.DateField(label=_("办结日期止"), required=False, **DATE)

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            raise forms.ValidationError(_("截止日期不能早于起始日期。"))
        return data

    def period(self) -> tuple[date, date]:
        default_starts, default_ends = default_period()
        data = self.cleaned_data if self.is_valid() else {}
        return data.get("starts_on") or default_starts, data.get("ends_on") or default_ends


class CommitmentFilterForm(PeriodForm):
    q = forms.CharField(label=_("事项名称"), required=False, max_length=50)
    field_order = ["q", "starts_on", "ends_on"]


class CommitmentDetailFilterForm(PeriodForm):
    unit = forms.ModelChoiceField(label=_("地区"), queryset=Unit.objects.none(), required=False, empty_label=_("全部"))

    def __init__(self, *args, units=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if units is not None else Unit.objects.none()


class CaseFilterForm(PeriodForm):
    STATUS_CHOICES = [
        ("", _("全部")),
        ("in_progress", _("在办")),
        ("completed", _("已办结")),
        ("late", _("超时办结")),
        ("unexplained", _("超时未说明")),
    ]

    q = forms.CharField(label=_("编号、申请人或信用代码"), required=False, max_length=50)
    commitment = forms.ModelChoiceField(
        label=_("承诺事项"), queryset=Commitment.objects.all(), required=False, empty_label=_("全部")
    )
    unit = forms.ModelChoiceField(label=_("地区"), queryset=Unit.objects.none(), required=False, empty_label=_("全部"))
    status = forms.ChoiceField(label=_("状态"), choices=STATUS_CHOICES, required=False)
    field_order = ["q", "commitment", "unit", "status", "starts_on", "ends_on"]

    def __init__(self, *args, units=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if units is not None else Unit.objects.none()
        self.fields["starts_on"].help_text = self.fields["ends_on"].help_text = ""


class CommitmentForm(StyledFormMixin, forms.Form):
    code = forms.SlugField(label=_("事项代码"), max_length=20, help_text=_("字母、数字或连字符，如“kaiban”"))
    name = forms.CharField(label=_("事项名称"), max_length=100)
    limit_days = forms.IntegerField(label=_("承诺时限（工作日）"), min_value=0, max_value=999)
    unit = forms.ModelChoiceField(label=_("牵头部门"), queryset=Unit.objects.none(), required=False)
    indicator_code = forms.CharField(label=_("对应评价指标代码"), max_length=30, required=False)
    legal_basis = forms.CharField(label=_("依据"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    description = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)
    order = forms.IntegerField(label=_("排序"), min_value=0, initial=0)

    def __init__(self, *args, departments=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = departments if departments is not None else Unit.objects.none()


class ChainStepForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("环节名称"), max_length=100, required=False)
    department = forms.ModelChoiceField(label=_("责任部门"), queryset=Unit.objects.none(), required=False)
    limit_days = forms.IntegerField(label=_("环节时限（工作日）"), min_value=0, max_value=999, required=False)

    def __init__(self, *args, departments=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments if departments is not None else Unit.objects.none()

    def clean(self):
        data = super().clean()
        if data.get("name") and data.get("limit_days") is None:
            self.add_error("limit_days", _("请填写环节时限。"))
        return data

    def step(self) -> ChainStep | None:
        data = self.cleaned_data
        return ChainStep(data["name"].strip(), data["limit_days"], data["department"]) if data.get("name") else None


ChainFormSet = forms.formset_factory(ChainStepForm, extra=2)


class CaseForm(StyledFormMixin, forms.Form):
    unit = forms.ModelChoiceField(label=_("办理地区"), queryset=Unit.objects.none())
    number = forms.CharField(label=_("办件编号"), max_length=40)
    applicant_name = forms.CharField(label=_("申请人"), max_length=200)
    applicant_uscc = forms.CharField(label=_("统一社会信用代码"), max_length=18, required=False)
    received_on = forms.DateField(label=_("受理日期"), **DATE)
    completed_on = forms.DateField(label=_("办结日期"), required=False, help_text=_("在办的不填"), **DATE)

    def __init__(self, *args, units=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if units is not None else Unit.objects.none()

    def clean(self):
        data = super().clean()
        received, completed = data.get("received_on"), data.get("completed_on")
        if received and completed and completed < received:
            self.add_error("completed_on", _("办结日期不能早于受理日期。"))
        return data


class CaseStepForm(StyledFormMixin, forms.Form):
    """One step of the case's chain: its name and limit come from the chain, the dates from the form."""

    started_on = forms.DateField(label=_("开始日期"), required=False, **DATE)
    ended_on = forms.DateField(label=_("完成日期"), required=False, **DATE)

    def clean(self):
        data = super().clean()
        started, ended = data.get("started_on"), data.get("ended_on")
        if ended and not started:
            self.add_error("started_on", _("有完成日期时请填写开始日期。"))
        elif started and ended and ended < started:
            self.add_error("ended_on", _("完成日期不能早于开始日期。"))
        return data


CaseStepFormSet = forms.formset_factory(CaseStepForm, extra=0)


class ClockStopForm(StyledFormMixin, forms.Form):
    reason = forms.ChoiceField(label=_("暂停原因"), choices=[("", "—"), *ClockStop.Reason.choices], required=False)
    starts_on = forms.DateField(label=_("暂停日期"), required=False, **DATE)
    ends_on = forms.DateField(label=_("恢复日期"), required=False, **DATE)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def clean(self):
        data = super().clean()
        filled = [data.get(name) for name in ("reason", "starts_on", "ends_on")]
        if any(filled) and not all(filled):
            raise forms.ValidationError(_("暂停计时须填写原因、暂停日期和恢复日期。"))
        if all(filled) and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("恢复日期不能早于暂停日期。"))
        return data

    def stop(self) -> StopInput | None:
        data = self.cleaned_data
        if not data.get("reason") or data.get("DELETE"):
            return None
        return StopInput(data["reason"], data["starts_on"], data["ends_on"], data.get("note", ""))


ClockStopFormSet = forms.formset_factory(ClockStopForm, extra=2, can_delete=True)


def step_inputs(chain, formset) -> list[StepInput]:
    """The steps of a case from its chain (name, limit, department) and the dates in the formset."""
    return [
        StepInput(
            step.name,
            step.limit_days,
            step.department,
            form.cleaned_data.get("started_on"),
            form.cleaned_data.get("ended_on"),
        )  # fmt: skip
        for step, form in zip(chain, formset.forms, strict=True)
    ]


class ExplanationForm(StyledFormMixin, forms.Form):
    explanation = forms.CharField(
        label=_("超时情况说明"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=2000,
        help_text=_("依《优化营商环境条例》第三十六条向社会公开，请写明超时原因和改进措施。"),
    )
