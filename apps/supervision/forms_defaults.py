"""Forms of the government-defaults pages: they check the shape of the input; services/defaults.py the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.forms import StyledFormMixin
from apps.enterprises.models import Enterprise
from apps.supervision.models import GovernmentDefault, Problem

ALL = _("全部")


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"})


def _blank(choices) -> list:
    return [("", ALL), *choices]


class DefaultForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label=_("事项"), max_length=200, help_text=_("如：拖欠某公司厂房代建款"))
    enterprise_code = forms.CharField(label=_("涉及企业统一社会信用代码"), max_length=18)
    kind = forms.ChoiceField(label=_("违约失信类型"), choices=GovernmentDefault.Kind.choices)
    found_by = forms.ChoiceField(label=_("发现渠道"), choices=GovernmentDefault.FoundBy.choices)
    found_on = forms.DateField(label=_("发现日期"), widget=_date_input())
    amount_owed = forms.DecimalField(
        label=_("涉及金额（万元）"), max_digits=14, decimal_places=2, required=False, help_text=_("不涉及金额的留空")
    )
    unit = forms.ModelChoiceField(label=_("责任单位（违约失信的单位）"), queryset=None)
    commitment = forms.ModelChoiceField(label=_("所涉政府承诺"), queryset=None, required=False)
    description = forms.CharField(label=_("具体情况"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    measures = forms.CharField(label=_("整改（清偿）措施"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    due_on = forms.DateField(label=_("整改时限"), widget=_date_input())

    def __init__(self, *args, units, commitments, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["commitment"].queryset = commitments

    def clean_enterprise_code(self) -> Enterprise:
        code = self.cleaned_data["enterprise_code"].strip().upper()
        enterprise = Enterprise.objects.filter(uscc=code).first()
        if enterprise is None:
            raise forms.ValidationError(_("企业库中没有统一社会信用代码为 %(code)s 的企业。") % {"code": code})
        return enterprise

    def clean(self) -> dict:
        data = super().clean()
        if data.get("found_on") and data.get("due_on") and data["due_on"] < data["found_on"]:
            self.add_error("due_on", _("整改时限不能早于发现日期。"))
        return data


class ClearanceForm(StyledFormMixin, forms.Form):
    cleared_on = forms.DateField(label=_("清偿日期"), widget=_date_input())
    amount = forms.DecimalField(label=_("清偿金额（万元）"), max_digits=14, decimal_places=2, min_value=0, initial=0)
    note = forms.CharField(label=_("清偿情况"), widget=forms.Textarea(attrs={"rows": 2}))


class DefaultFilterForm(StyledFormMixin, forms.Form):
    q = forms.CharField(
        label=_("搜索"), required=False, widget=forms.TextInput(attrs={"placeholder": _("事项、企业名称、信用代码")})
    )
    kind = forms.ChoiceField(label=_("类型"), choices=_blank(GovernmentDefault.Kind.choices), required=False)
    found_by = forms.ChoiceField(label=_("发现渠道"), choices=_blank(GovernmentDefault.FoundBy.choices), required=False)
    status = forms.ChoiceField(label=_("状态"), choices=_blank(Problem.Status.choices), required=False)
    unit = forms.ModelChoiceField(label=_("责任单位"), queryset=None, required=False)

    def __init__(self, *args, units, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
