"""Forms of the policy registry and the review (回头看): they check shape; services/registry.py checks the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.forms import StyledFormMixin
from apps.org.models import Unit
from apps.policies.models import BenefitKind, Policy, PolicyItem, PolicyState


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"})


def issuing_units(user):
    """The units the user may issue documents for: every active unit for the city level, else their subtree."""
    units = Unit.objects.active().order_by("path")
    if user.unit.is_city_level:
        return units
    return units.filter(path__startswith=user.unit.path)


def responsible_units():
    """Any active unit may be an item's responsible department."""
    return Unit.objects.active().order_by("path")


class PolicyForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Policy
        fields = [
            "title", "document_number", "kind", "parent", "issuing_unit", "issued_on", "effective_from",
            "expires_on", "summary", "full_text", "attachment",
        ]  # fmt: skip
        widgets = {
            "issued_on": _date_input(),
            "effective_from": _date_input(),
            "expires_on": _date_input(),
            "summary": forms.Textarea(attrs={"rows": 3}),
            "full_text": forms.Textarea(attrs={"rows": 8}),
        }
        error_messages = {
            "title": {"required": _("请填写政策名称。")},
            "document_number": {"required": _("请填写文号。")},
            "issuing_unit": {"required": _("请选择发文单位。")},
            "issued_on": {"required": _("请填写发文日期。"), "invalid": _("请输入正确的日期。")},
            "effective_from": {"required": _("请填写施行日期。"), "invalid": _("请输入正确的日期。")},
            "expires_on": {"invalid": _("请输入正确的日期。")},
        }

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["issuing_unit"].queryset = issuing_units(user)
        mains = Policy.objects.filter(kind=Policy.Kind.MAIN).order_by("-issued_on", "-id")
        if self.instance.pk:
            mains = mains.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = mains

    def _post_clean(self) -> None:
        """The service validates and saves the document."""


class ItemForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = PolicyItem
        fields = [
            "number", "title", "benefit_kind", "benefit", "fixed_amount", "cap_amount", "beneficiaries",
            "conditions", "materials", "department", "auto_grant", "review_days", "legal_days", "payment_days",
            "position",
        ]  # fmt: skip
        widgets = {
            "benefit": forms.Textarea(attrs={"rows": 3}),
            "conditions": forms.Textarea(attrs={"rows": 3}),
            "materials": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {"materials": _("每行一项，如“申请表”“营业执照复印件”。")}
        error_messages = {
            "number": {"required": _("请填写条款序号。")},
            "title": {"required": _("请填写条款名称。")},
            "benefit_kind": {"required": _("请选择支持方式。")},
            "benefit": {"required": _("请填写支持内容。")},
            "beneficiaries": {"required": _("请填写支持对象。")},
            "conditions": {"required": _("请填写申报条件。")},
            "department": {"required": _("请选择责任部门。")},
            "fixed_amount": {"invalid": _("请输入金额（万元）。")},
            "cap_amount": {"invalid": _("请输入金额（万元）。")},
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = responsible_units()

    def _post_clean(self) -> None:
        """The service validates and saves the item."""


class RepealForm(StyledFormMixin, forms.Form):
    repealed_on = forms.DateField(
        label=_("废止日期"), widget=_date_input(),
        error_messages={"required": _("请填写废止日期。"), "invalid": _("请输入正确的日期。")},
    )  # fmt: skip
    repeal_note = forms.CharField(
        label=_("废止说明"), max_length=200, error_messages={"required": _("请填写废止说明（如依据的文件）。")}
    )


class PolicyFilterForm(StyledFormMixin, forms.Form):
    q = forms.CharField(
        label=_("搜索"), required=False, max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("政策名称、文号或条款名称")}),
    )  # fmt: skip
    state = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部")), *PolicyState.choices])
    issuing_unit = forms.ModelChoiceField(label=_("发文单位"), queryset=None, required=False, empty_label=_("全部"))
    benefit_kind = forms.ChoiceField(
        label=_("支持方式"), required=False, choices=[("", _("全部")), *BenefitKind.choices]
    )
    auto_grant = forms.ChoiceField(
        label=_("免申即享"), required=False, choices=[("", _("全部")), ("yes", _("含免申即享条款")), ("no", _("不含"))]
    )

    def __init__(self, *args, units, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["issuing_unit"].queryset = units


class ReviewYearForm(StyledFormMixin, forms.Form):
    year = forms.IntegerField(label=_("申报年度"), required=False, min_value=2000, max_value=2100)


class ReviewFilterForm(ReviewYearForm):
    issuing_unit = forms.ModelChoiceField(label=_("发文单位"), queryset=None, required=False, empty_label=_("全部"))
    state = forms.ChoiceField(label=_("政策状态"), required=False, choices=[("", _("全部")), *PolicyState.choices])

    def __init__(self, *args, units, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["issuing_unit"].queryset = units
