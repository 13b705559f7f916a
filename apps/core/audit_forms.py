"""Filter forms of the audit log and the login log."""

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.audit_selectors import ACTION_LABELS, audited_content_types, content_type_label
from apps.core.forms import StyledFormMixin

RESULT_SUCCESS = "success"
RESULT_FAILURE = "failure"
RESULT_LOCKED = "locked"
RESULT_LOCKED_NOW = "locked_now"
RESULTS = [
    (RESULT_SUCCESS, _("登录成功")),
    (RESULT_FAILURE, _("登录失败")),
    (RESULT_LOCKED, _("触发锁定")),
    (RESULT_LOCKED_NOW, _("当前锁定")),
]
WITHIN_24_HOURS = "24h"
WITHIN_7_DAYS = "7d"
PERIODS = [("", _("不限")), (WITHIN_24_HOURS, _("最近 24 小时")), (WITHIN_7_DAYS, _("最近 7 天"))]


class DateRangeMixin:
    """A from/to date pair; the range must not run backwards."""

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("date_from"), cleaned.get("date_to")
        if first and last and first > last:
            raise forms.ValidationError(_("起始日期不能晚于截止日期。"))
        return cleaned


def _date_field(label) -> forms.DateField:
    return forms.DateField(label=label, required=False, widget=forms.DateInput(attrs={"type": "date"}))


class LogEntryFilterForm(DateRangeMixin, StyledFormMixin, forms.Form):
    date_from = _date_field(_("起始日期"))
    date_to = _date_field(_("截止日期"))
    operator = forms.CharField(label=_("操作人（姓名或账号）"), required=False, max_length=50)
    object_type = forms.TypedChoiceField(label=_("对象类型"), required=False, coerce=int, empty_value=None)
    action = forms.TypedChoiceField(
        label=_("动作"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("全部")), *((value, label) for value, label in ACTION_LABELS.items())],
    )
    q = forms.CharField(label=_("对象名称"), required=False, max_length=100)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        types = [(ct.pk, content_type_label(ct)) for ct in audited_content_types()]
        self.fields["object_type"].choices = [("", _("全部类型")), *types]


class LoginRecordFilterForm(DateRangeMixin, StyledFormMixin, forms.Form):
    result = forms.ChoiceField(label=_("结果"), required=False, choices=RESULTS)
    username = forms.CharField(label=_("账号"), required=False, max_length=150)
    ip = forms.CharField(
        label=_("IP 地址"),
        required=False,
        max_length=45,
        widget=forms.TextInput(attrs={"placeholder": _("可只填开头，如 10.1.")}),
    )
    within = forms.ChoiceField(label=_("时间范围"), required=False, choices=PERIODS)
    date_from = _date_field(_("起始日期"))
    date_to = _date_field(_("截止日期"))

    def clean_result(self) -> str:
        return self.cleaned_data["result"] or RESULT_SUCCESS
