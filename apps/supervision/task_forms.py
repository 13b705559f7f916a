"""Forms of supervision tasks and typical cases: they check the shape; services/tasks.py and services/cases.py
check the business rules."""

from datetime import date

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.errors import BusinessRuleError
from apps.core.forms import StyledFormMixin
from apps.supervision.models import CaseSource, SupervisionTask, TypicalCase
from apps.supervision.services import deadlines
from apps.supervision.services.cases import KIND_LABELS
from apps.supervision.services.problems import check_evidence_file

FILE_HELP = _("PDF、OFD、Word、Excel、JPG、PNG 或 ZIP，不超过 20 MB")


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"})


def _checked_file(upload):
    if upload:
        try:
            check_evidence_file(upload)
        except BusinessRuleError as error:
            raise forms.ValidationError(error.message) from error
    return upload


class TaskForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = SupervisionTask
        fields = [
            "title", "content", "source", "document_title", "document_number", "document_date", "document_file",
            "leader", "unit", "co_units", "due_on", "cycle",
        ]  # fmt: skip
        widgets = {
            "content": forms.Textarea(attrs={"rows": 4}),
            "document_date": _date_input(),
            "due_on": _date_input(),
            "co_units": forms.SelectMultiple(attrs={"size": 6}),
        }
        help_texts = {
            "leader": _("来源为领导批示时必填"),
            "co_units": _("按住 Ctrl 可多选"),
            "cycle": _("旬报：每月上旬、中旬、下旬各报一次；月报：每月一次；一次性：办结时报告"),
            "document_file": FILE_HELP,
        }
        error_messages = {
            "title": {"required": _("请填写督办事项。")},
            "content": {"required": _("请填写督办内容。")},
            "source": {"required": _("请选择事项来源。")},
            "document_title": {"required": _("请填写来源文件（如会议纪要、批示件）。")},
            "document_date": {"required": _("请填写文件日期。"), "invalid": _("请输入正确的日期。")},
            "unit": {"required": _("请选择责任单位。")},
            "due_on": {"required": _("请填写办结时限。"), "invalid": _("请输入正确的日期。")},
            "cycle": {"required": _("请选择报告周期。")},
        }

    def __init__(self, *args, units, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["co_units"].queryset = units
        self.fields["co_units"].required = False

    def clean_due_on(self):
        due_on = self.cleaned_data["due_on"]
        changed = self.instance.pk is None or due_on != self.instance.due_on
        if changed and due_on < timezone.localdate():
            raise forms.ValidationError(_("办结时限不能早于今天。"))
        return due_on

    def clean_document_date(self):
        day = self.cleaned_data["document_date"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("文件日期不能晚于今天。"))
        return day

    def clean_document_file(self):
        upload = self.cleaned_data.get("document_file")
        # on the edit form, no new upload gives the stored file: the service then keeps it
        return _checked_file(upload) if isinstance(upload, UploadedFile) else None

    def _post_clean(self) -> None:
        """The service validates and saves the task (the supervising unit is not on the form)."""


class ReportForm(StyledFormMixin, forms.Form):
    period_start = forms.TypedChoiceField(
        label=_("报告期"), coerce=date.fromisoformat,
        error_messages={"required": _("请选择报告期。"), "invalid_choice": _("请选择报告期。")},
    )  # fmt: skip
    percent = forms.IntegerField(
        label=_("完成进度（%）"), min_value=0, max_value=100,
        error_messages={"required": _("请填写完成进度。"), "min_value": _("完成进度应在 0 到 100 之间。"),
                        "max_value": _("完成进度应在 0 到 100 之间。"), "invalid": _("请填写 0 到 100 的整数。")},
    )  # fmt: skip
    text = forms.CharField(
        label=_("进展情况"),
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("请填写进展情况。")},
    )
    attachment = forms.FileField(label=_("附件"), required=False, help_text=FILE_HELP)

    def __init__(self, *args, periods, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["period_start"].choices = [(p.start.isoformat(), p.label) for p in periods]

    def clean_attachment(self):
        return _checked_file(self.cleaned_data.get("attachment"))


class RequestCloseForm(StyledFormMixin, forms.Form):
    report = forms.CharField(
        label=_("办理情况"),
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("请填写办理情况。")},
    )


class ReturnForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("退回原因"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("请填写退回原因。")},
    )


class CloseForm(StyledFormMixin, forms.Form):
    note = forms.CharField(label=_("审核意见"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class TaskFilterForm(StyledFormMixin, forms.Form):
    q = forms.CharField(
        label=_("搜索"), required=False, max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("编号、事项、文件或领导")}),
    )  # fmt: skip
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部")), *SupervisionTask.Status.choices]
    )
    source = forms.ChoiceField(
        label=_("来源"), required=False, choices=[("", _("全部")), *SupervisionTask.Source.choices]
    )
    unit = forms.ModelChoiceField(label=_("责任单位"), queryset=None, required=False, empty_label=_("全部"))
    cycle = forms.ChoiceField(
        label=_("报告周期"), required=False, choices=[("", _("全部")), *SupervisionTask.Cycle.choices]
    )
    light = forms.ChoiceField(label=_("时限"), required=False, choices=[("", _("全部")), *deadlines.LABELS.items()])
    leader = forms.CharField(label=_("批示领导"), required=False, max_length=50)
    due_from = forms.DateField(label=_("时限自"), required=False, widget=_date_input())
    due_to = forms.DateField(label=_("时限至"), required=False, widget=_date_input())

    def __init__(self, *args, units, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units

    def clean(self):
        data = super().clean()
        if data.get("due_from") and data.get("due_to") and data["due_from"] > data["due_to"]:
            raise forms.ValidationError(_("时限的起始日期不能晚于截止日期。"))
        return data


class MonthForm(StyledFormMixin, forms.Form):
    month = forms.CharField(
        label=_("月份"), required=False, widget=forms.DateInput(attrs={"type": "month"}),
        error_messages={"invalid": _("请选择月份。")},
    )  # fmt: skip

    def clean_month(self):
        value = self.cleaned_data.get("month") or ""
        if not value:
            today = timezone.localdate()
            return today.year, today.month
        try:
            year, month = (int(part) for part in value.split("-"))
            if not 2000 <= year <= 2100 or not 1 <= month <= 12:
                raise ValueError
        except ValueError:
            raise forms.ValidationError(_("请选择正确的月份（如 2026-03）。")) from None
        return year, month


# ---- typical cases ----------------------------------------------------------------------------


class CaseForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = TypicalCase
        fields = ["title", "kind", "unit", "summary", "body"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 3}), "body": forms.Textarea(attrs={"rows": 10})}
        error_messages = {
            "title": {"required": _("请填写标题。")},
            "kind": {"required": _("请选择案例类型（正面典型或反面典型）。")},
            "unit": {"required": _("请选择涉及单位。")},
            "summary": {"required": _("请填写摘要。")},
            "body": {"required": _("请填写正文。")},
        }

    def __init__(self, *args, units, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units

    def _post_clean(self) -> None:
        """The service validates and saves the case."""


class SourceForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("来源类型"), choices=[(kind, KIND_LABELS[kind]) for kind in CaseSource.KINDS],
        error_messages={"required": _("请选择来源类型。")},
    )  # fmt: skip
    reference = forms.CharField(
        label=_("编号"), max_length=40, help_text=_("整改问题、工单、项目填编号；政府承诺填台账中的序号"),
        error_messages={"required": _("请填写来源记录的编号。")},
    )  # fmt: skip


class PublishForm(StyledFormMixin, forms.Form):
    note = forms.CharField(label=_("审核意见"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class WithdrawForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("撤回原因"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请填写撤回原因。")},
    )


class RedraftForm(StyledFormMixin, forms.Form):
    pass


class CaseFilterForm(StyledFormMixin, forms.Form):
    q = forms.CharField(
        label=_("搜索"), required=False, max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("标题、摘要或正文")}),
    )  # fmt: skip
    kind = forms.ChoiceField(label=_("类型"), required=False, choices=[("", _("全部")), *TypicalCase.Kind.choices])
    status = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部")), *TypicalCase.Status.choices])
    unit = forms.ModelChoiceField(label=_("涉及单位"), queryset=None, required=False, empty_label=_("全部"))

    def __init__(self, *args, units, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
