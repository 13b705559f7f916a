from django import forms
from django.utils.translation import gettext_lazy as _

from apps.api.models import Operation
from apps.core.forms import StyledFormMixin

ALL = _("全部")


class TokenForm(StyledFormMixin, forms.Form):
    """A new token: who uses it, for which unit, what it may do, until when."""

    name = forms.CharField(label=_("对接系统名称"), max_length=100, help_text=_("例如：市数据共享交换平台"))
    unit = forms.ModelChoiceField(label=_("所属单位"), queryset=None, help_text=_("令牌只能读写该单位及下级单位的数据"))
    operations = forms.MultipleChoiceField(
        label=_("允许的操作"), choices=Operation.choices, widget=forms.CheckboxSelectMultiple
    )
    expires_at = forms.DateTimeField(
        label=_("有效期至"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("不填为长期有效；建议设置有效期并定期更换"),
    )

    def __init__(self, *args, units, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class TokenFilterForm(StyledFormMixin, forms.Form):
    STATES = [("", ALL), ("live", _("有效")), ("revoked", _("已吊销")), ("expired", _("已过期"))]

    q = forms.CharField(label=_("搜索"), required=False, widget=forms.TextInput(attrs={"placeholder": _("名称、前缀")}))
    state = forms.ChoiceField(label=_("状态"), choices=STATES, required=False)
    operation = forms.ChoiceField(label=_("操作"), choices=[("", ALL), *Operation.choices], required=False)
