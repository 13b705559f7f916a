"""Forms of the notice pages: a person's 消息设置, a unit's group robot, the delivery log's filters."""

from urllib.parse import urlsplit

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.audit_forms import DateRangeMixin
from apps.core.forms import StyledFormMixin
from apps.core.models import Delivery, GroupRobot, NoticePreference


class NoticePreferenceForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = NoticePreference
        fields = ["email_mode", "by_robot"]
        widgets = {"email_mode": forms.RadioSelect}
        help_texts = {
            "email_mode": _("站内消息始终开启。选择“每日摘要”时，每天早上收到一封过去一天未读消息的汇总邮件。"),
            "by_robot": _("消息推送到本单位（或上级单位）配置的企业微信、钉钉工作群。"),
        }


class GroupRobotForm(StyledFormMixin, forms.ModelForm):
    webhook_url = forms.URLField(label=_("Webhook 地址"), max_length=500, assume_scheme="https")

    class Meta:
        model = GroupRobot
        fields = ["unit", "kind", "name", "webhook_url", "secret", "is_active"]
        widgets = {"secret": forms.PasswordInput(render_value=True)}

    def __init__(self, *args, unit_choices, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = unit_choices
        self.fields["unit"].label_from_instance = lambda unit: "　" * (unit.depth - 1) + unit.name

    def clean_webhook_url(self) -> str:
        url = self.cleaned_data["webhook_url"].strip()
        parts = urlsplit(url)
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            raise forms.ValidationError(_("Webhook 地址须以 https:// 或 http:// 开头，并包含主机名。"))
        return url

    def clean(self):
        cleaned = super().clean()
        secret = (cleaned.get("secret") or "").strip()
        if secret and cleaned.get("kind") != GroupRobot.Kind.DINGTALK:
            self.add_error("secret", _("只有钉钉机器人需要加签密钥，企业微信机器人请留空。"))
        elif secret and not secret.startswith("SEC"):
            self.add_error("secret", _("钉钉加签密钥以 SEC 开头，请从机器人安全设置中完整复制。"))
        cleaned["secret"] = secret
        return cleaned


class DeliveryFilterForm(DateRangeMixin, StyledFormMixin, forms.Form):
    channel = forms.ChoiceField(label=_("渠道"), required=False, choices=[("", _("全部")), *Delivery.Channel.choices])
    state = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部")), *Delivery.State.choices])
    date_from = forms.DateField(label=_("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    q = forms.CharField(label=_("标题、接收人或发送对象"), required=False, max_length=100)
