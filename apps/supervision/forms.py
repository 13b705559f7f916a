"""The ledger's forms: they check the shape of what is entered; the services check the business rules."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.errors import BusinessRuleError
from apps.core.forms import StyledFormMixin
from apps.supervision.models import InvestorCommitment, Problem
from apps.supervision.services import deadlines
from apps.supervision.services.problems import EVIDENCE_MAX_BYTES, check_evidence_file


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"})


class ProblemForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Problem
        fields = [
            "title",
            "description",
            "source",
            "kind",
            "source_reference",
            "unit",
            "co_units",
            "measures",
            "due_on",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "measures": forms.Textarea(attrs={"rows": 4}),
            "due_on": _date_input(),
            "co_units": forms.SelectMultiple(attrs={"size": 6}),
        }
        help_texts = {
            "kind": _("来源为自查表时必填"),
            "co_units": _("按住 Ctrl 可多选"),
            "measures": _("明确任务书：逐条写明整改措施"),
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
            raise forms.ValidationError(_("整改时限不能早于今天。"))
        return due_on

    def _post_clean(self) -> None:
        """The service validates and saves the problem; the model's own validation would reject an unsaved
        supervising unit."""


class MilestoneForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label=_("节点任务"), max_length=200)
    due_on = forms.DateField(label=_("完成时限"), widget=_date_input())


class EvidenceForm(StyledFormMixin, forms.Form):
    file = forms.FileField(label=_("佐证材料"), help_text=_("PDF、OFD、Word、Excel、JPG、PNG 或 ZIP，不超过 20 MB"))
    description = forms.CharField(label=_("说明"), max_length=200, help_text=_("如：整改前后对比照片、制度文件"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > EVIDENCE_MAX_BYTES:
            raise forms.ValidationError(_("佐证材料不能超过 20 MB。"))
        try:
            check_evidence_file(upload)
        except BusinessRuleError as error:
            raise forms.ValidationError(error.message) from error
        return upload


class ReportForm(StyledFormMixin, forms.Form):
    report = forms.CharField(label=_("整改完成情况"), widget=forms.Textarea(attrs={"rows": 5}))


class ReturnForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("退回原因"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("请填写退回原因。")},
    )


class SignOffForm(StyledFormMixin, forms.Form):
    note = forms.CharField(label=_("核验意见"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class StartForm(StyledFormMixin, forms.Form):
    pass


RAG_CHOICES = [("", _("全部")), *((key, label) for key, label in deadlines.LABELS.items())]


class ProblemFilterForm(StyledFormMixin, forms.Form):
    q = forms.CharField(
        label=_("搜索"), required=False, max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("编号、问题或措施")}),
    )  # fmt: skip
    status = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部")), *Problem.Status.choices])
    source = forms.ChoiceField(label=_("来源"), required=False, choices=[("", _("全部")), *Problem.Source.choices])
    unit = forms.ModelChoiceField(label=_("责任单位"), queryset=None, required=False, empty_label=_("全部"))
    light = forms.ChoiceField(label=_("红黄绿灯"), required=False, choices=RAG_CHOICES)
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


# ---- commitments to investors -----------------------------------------------------------------


class CommitmentForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = InvestorCommitment
        fields = ["project", "enterprise", "kind", "content", "unit", "legal_basis", "committed_on", "due_on"]
        widgets = {
            "content": forms.Textarea(attrs={"rows": 3}),
            "committed_on": _date_input(),
            "due_on": _date_input(),
        }
        help_texts = {"project": _("招商项目与投资企业至少选一项")}
        error_messages = {
            "kind": {"required": _("请选择承诺类别。")},
            "content": {"required": _("请填写承诺内容。")},
            "unit": {"required": _("请选择承诺单位。")},
            "legal_basis": {"required": _("请填写承诺依据（如合同条款）。")},
            "committed_on": {"required": _("请填写承诺日期。"), "invalid": _("请输入正确的日期。")},
            "due_on": {"required": _("请填写兑现时限。"), "invalid": _("请输入正确的日期。")},
        }

    def __init__(self, *args, units, projects, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["project"].queryset = projects

    def clean(self):
        data = super().clean()
        if not data.get("project") and not data.get("enterprise"):
            self.add_error("project", _("请选择承诺所涉的招商项目或投资企业（至少一项）。"))
        if data.get("committed_on") and data.get("due_on") and data["due_on"] < data["committed_on"]:
            self.add_error("due_on", _("兑现时限不能早于承诺日期。"))
        return data

    def _post_clean(self) -> None:
        """The service validates and saves the commitment (the supervising unit is not on the form)."""


class FulfilForm(StyledFormMixin, forms.Form):
    fulfilled_on = forms.DateField(
        label=_("兑现日期"), widget=_date_input(), error_messages={"required": _("请填写兑现日期。")}
    )
    note = forms.CharField(
        label=_("兑现情况"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请填写兑现情况。")},
    )
    evidence = forms.FileField(
        label=_("兑现佐证材料"), help_text=_("PDF、OFD、Word、Excel、JPG、PNG 或 ZIP，不超过 20 MB"),
        error_messages={"required": _("请上传兑现佐证材料。")},
    )  # fmt: skip

    def clean_fulfilled_on(self):
        day = self.cleaned_data["fulfilled_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("兑现日期不能晚于今天。"))
        return day

    def clean_evidence(self):
        upload = self.cleaned_data["evidence"]
        try:
            check_evidence_file(upload)
        except BusinessRuleError as error:
            raise forms.ValidationError(error.message) from error
        return upload


class CancelForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("取消原因"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请填写取消原因。")},
    )


class CommitmentFilterForm(StyledFormMixin, forms.Form):
    q = forms.CharField(
        label=_("搜索"), required=False, max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("承诺内容、依据、项目或企业")}),
    )  # fmt: skip
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部")), *InvestorCommitment.Status.choices]
    )
    kind = forms.ChoiceField(
        label=_("类别"), required=False, choices=[("", _("全部")), *InvestorCommitment.Kind.choices]
    )
    unit = forms.ModelChoiceField(label=_("承诺单位"), queryset=None, required=False, empty_label=_("全部"))

    def __init__(self, *args, units, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
