"""The credit lists' forms: they check the shape of what is entered; services/credit.py checks the rules."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.errors import BusinessRuleError
from apps.core.forms import StyledFormMixin
from apps.supervision.models import CreditEffectRule, CreditEntry, CreditKind, CreditState
from apps.supervision.services.problems import check_evidence_file


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"})


class CreditEntryForm(StyledFormMixin, forms.ModelForm):
    uscc = forms.CharField(
        label=_("统一社会信用代码"), max_length=30, error_messages={"required": _("请填写统一社会信用代码。")},
        help_text=_("按代码在企业库中查找企业；企业须已在企业名录中登记"),
    )  # fmt: skip

    class Meta:
        model = CreditEntry
        fields = ["kind", "source", "reason", "legal_basis", "document_number", "decided_on", "effective_from",
                  "expires_on"]  # fmt: skip
        widgets = {
            "reason": forms.Textarea(attrs={"rows": 3}),
            "decided_on": _date_input(),
            "effective_from": _date_input(),
            "expires_on": _date_input(),
        }
        help_texts = {"effective_from": _("不填则自认定日期起生效")}
        error_messages = {
            "kind": {"required": _("请选择红名单或黑名单。")},
            "source": {"required": _("请选择名单来源。")},
            "reason": {"required": _("请填写列入原因。")},
            "legal_basis": {"required": _("请填写认定依据。")},
            "document_number": {"required": _("请填写认定文书号。")},
            "decided_on": {"required": _("请填写认定日期。"), "invalid": _("请输入正确的日期。")},
            "effective_from": {"invalid": _("请输入正确的日期。")},
            "expires_on": {"invalid": _("请输入正确的日期。")},
        }

    field_order = ["uscc"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["effective_from"].required = False
        if self.instance.pk and not self.is_bound:
            self.initial["uscc"] = self.instance.enterprise.uscc

    def clean(self):
        data = super().clean()
        decided, effective, expires = data.get("decided_on"), data.get("effective_from"), data.get("expires_on")
        if decided and decided > timezone.localdate():
            self.add_error("decided_on", _("认定日期不能晚于今天。"))
        if decided and effective and effective < decided:
            self.add_error("effective_from", _("生效日期不能早于认定日期。"))
        if expires and (effective or decided) and expires < (effective or decided):
            self.add_error("expires_on", _("有效期至不能早于生效日期。"))
        return data

    def _post_clean(self) -> None:
        """The service finds the enterprise, validates and saves the entry."""


class RepairForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("修复理由"), widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请填写修复理由。")},
        help_text=_("如：已全部履行法律文书确定的义务、已完成信用修复培训并作出信用承诺"),
    )  # fmt: skip
    evidence = forms.FileField(
        label=_("修复佐证材料"), help_text=_("PDF、OFD、Word、Excel、JPG、PNG 或 ZIP，不超过 20 MB"),
        error_messages={"required": _("请上传修复佐证材料。")},
    )  # fmt: skip

    def clean_evidence(self):
        upload = self.cleaned_data["evidence"]
        try:
            check_evidence_file(upload)
        except BusinessRuleError as error:
            raise forms.ValidationError(error.message) from error
        return upload


class DecisionForm(StyledFormMixin, forms.Form):
    note = forms.CharField(
        label=_("审核意见"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("驳回时必填"),
    )  # fmt: skip


class EffectRuleForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = CreditEffectRule
        fields = ["effect", "basis"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        allowed = CreditEffectRule.ALLOWED[(self.instance.kind, self.instance.place)]
        self.fields["effect"].choices = [(value, label) for value, label in self.fields["effect"].choices
                                         if value in allowed]  # fmt: skip

    def _post_clean(self) -> None:
        """The service checks and saves the rule."""


def _all(choices) -> list:
    return [("", _("全部")), *choices]


class CreditFilterForm(StyledFormMixin, forms.Form):
    q = forms.CharField(
        label=_("搜索"), required=False, max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("企业名称、信用代码或文书号")}),
    )  # fmt: skip
    kind = forms.ChoiceField(label=_("名单"), required=False, choices=_all(CreditKind.choices))
    source = forms.ChoiceField(label=_("来源"), required=False, choices=_all(CreditEntry.Source.choices))
    state = forms.ChoiceField(label=_("状态"), required=False, choices=_all(CreditState.choices))
    expiring = forms.BooleanField(label=_("30日内到期"), required=False)
    decided_from = forms.DateField(label=_("认定日期自"), required=False, widget=_date_input())
    decided_to = forms.DateField(label=_("认定日期至"), required=False, widget=_date_input())

    def clean(self):
        data = super().clean()
        if data.get("decided_from") and data.get("decided_to") and data["decided_from"] > data["decided_to"]:
            raise forms.ValidationError(_("认定日期的起始日期不能晚于截止日期。"))
        return data
