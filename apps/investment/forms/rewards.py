"""Forms of the introducer registry and the reward pages: they check shape, the services check the rules."""

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.validators import MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.forms import StyledFormMixin
from apps.enterprises.models import Enterprise
from apps.investment.models import Introducer, RewardClaim, RewardRule

BAND_SEPARATORS = re.compile(r"[\s,，、:：;；]+")
BAND_UNITS = ("万元", "万", "‰")
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
AMOUNT = {"max_digits": 14, "decimal_places": 2, "validators": [MinValueValidator(Decimal(0))]}


class IntroducerForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("类别"), choices=Introducer.Kind.choices)
    name = forms.CharField(label=_("姓名或名称"), max_length=200, required=False)
    enterprise = forms.ModelChoiceField(
        label=_("对应企业"), queryset=Enterprise.objects.active(), required=False, widget=forms.HiddenInput
    )
    phone = forms.CharField(
        label=_("联系电话"), max_length=24, required=False, help_text=_("手机号，或带区号的固定电话，如 0551-62345678")
    )
    id_number = forms.CharField(
        label=_("身份证号"), max_length=20, required=False, help_text=_("个人引荐人填写；申报奖励前必须登记")
    )
    note = forms.CharField(label=_("备注"), max_length=200, required=False)
    registered_on = forms.DateField(label=_("备案日期"), widget=DATE_INPUT)

    def __init__(self, *args, masked: Introducer | None = None, **kwargs) -> None:
        """``masked``: an introducer being edited by someone who may not see its personal data in full."""
        kwargs.setdefault("initial", {"registered_on": timezone.localdate(), "kind": Introducer.Kind.PERSON})
        super().__init__(*args, **kwargs)
        self.masked = masked
        if masked is not None:
            for name, shown in (("phone", masked.masked_phone), ("id_number", masked.masked_id_number)):
                if shown:
                    self.fields[name].help_text = _("已登记 %(value)s；留空则保持不变") % {"value": shown}

    def clean(self):
        data = super().clean()
        if not (data.get("name") or "").strip() and not data.get("enterprise"):
            self.add_error("name", _("请填写引荐人姓名或名称（企业引荐人也可从企业库中选择）。"))
        return data

    def changes(self) -> dict:
        """The fields to save: a masked phone or ID number left blank keeps its registered value."""
        data = dict(self.cleaned_data)
        if self.masked is not None:
            for name in ("phone", "id_number"):
                if not data[name].strip():
                    data.pop(name)
        return data

    @classmethod
    def initial_for(cls, introducer: Introducer, *, personal: bool) -> dict:
        """The form's values; the phone and ID number only for someone who may see them in full."""
        return {
            "kind": introducer.kind,
            "name": introducer.name,
            "enterprise": introducer.enterprise,
            "phone": introducer.phone if personal else "",
            "id_number": introducer.id_number if personal else "",
            "note": introducer.note,
            "registered_on": introducer.registered_on,
        }


class IntroducerFilterForm(StyledFormMixin, forms.Form):
    q = forms.CharField(
        label=_("搜索"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("姓名、名称或完整的电话、身份证号")}),
    )
    kind = forms.ChoiceField(label=_("类别"), required=False, choices=[("", _("全部")), *Introducer.Kind.choices])
    unit = forms.ModelChoiceField(label=_("备案单位"), queryset=None, required=False, empty_label=_("全部"))

    def __init__(self, *args, units, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


# ---- reward rules --------------------------------------------------------------------------


def parse_bands(text: str) -> list[dict]:
    """Bands typed one a line ("0 3", "10000 2") as [{"from": 0, "per_mille": 3}, …]; shape only."""
    bands = []
    for n, line in enumerate((text or "").splitlines(), start=1):
        for unit in BAND_UNITS:
            line = line.replace(unit, " ")
        values = [value for value in BAND_SEPARATORS.split(line.strip()) if value]
        if not values:
            continue
        try:
            low, rate = (Decimal(value) for value in values) if len(values) == 2 else (None, None)
        except InvalidOperation:
            low = rate = None
        if low is None or not (low.is_finite() and rate.is_finite()):
            raise forms.ValidationError(
                _("第 %(n)s 行应为“起点（万元） 比例（‰）”两个数，如“10000 2”。"), params={"n": n}, code="shape"
            )
        bands.append({"from": low, "per_mille": rate})
    if not bands:
        raise forms.ValidationError(_("请至少填写一档，如“0 3”表示从 0 万元起按 3‰ 计。"), code="empty")
    return bands


def bands_text(bands: list[dict]) -> str:
    """The stored bands as the editor shows them, one a line."""
    return "\n".join(f"{band['from']} {band['per_mille']}" for band in bands)


class BandsField(forms.CharField):
    widget = forms.Textarea(attrs={"rows": 4, "class": "font-monospace"})

    def clean(self, value):
        return parse_bands(super().clean(value))


class RewardRuleForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100)
    bands = BandsField(
        label=_("分档比例"),
        help_text=_(
            "每行一档：起点（万元）和比例（‰），从低到高。超过起点的部分按该档比例计，"
            "如“0 3 / 10000 2 / 50000 1.5”表示 1 亿元以内 3‰，1 亿—5 亿元 2‰，5 亿元以上 1.5‰。"
        ),
    )
    cap = forms.DecimalField(
        label=_("单个项目上限（万元）"), required=False, max_digits=12, decimal_places=2, help_text=_("不设上限时留空")
    )
    claim_within_days = forms.IntegerField(label=_("申报期限（投产后天数）"), min_value=1, max_value=3650, initial=365)
    valid_from = forms.DateField(label=_("生效日期"), widget=DATE_INPUT)
    valid_to = forms.DateField(label=_("失效日期"), required=False, widget=DATE_INPUT, help_text=_("长期有效时留空"))

    @classmethod
    def initial_for(cls, rule: RewardRule) -> dict:
        return {
            "name": rule.name,
            "bands": bands_text(rule.bands),
            "cap": rule.cap,
            "claim_within_days": rule.claim_within_days,
            "valid_from": rule.valid_from,
            "valid_to": rule.valid_to,
        }


class RewardTryForm(StyledFormMixin, forms.Form):
    """试算: a saved rule, or the bands being edited, on an investment amount."""

    rule = forms.ModelChoiceField(label=_("奖励办法"), queryset=RewardRule.objects.all(), required=False)
    bands = forms.CharField(required=False, widget=forms.HiddenInput)
    cap = forms.DecimalField(required=False, max_digits=12, decimal_places=2, widget=forms.HiddenInput)
    amount = forms.DecimalField(label=_("实际固定资产投资（万元）"), **AMOUNT)

    def clean(self):
        data = super().clean()
        if data.get("rule") is None and self.data.get("bands") is not None:
            try:
                data["parsed_bands"] = parse_bands(data.get("bands", ""))
            except forms.ValidationError as error:
                self.add_error(None, error)
        elif data.get("rule") is None:
            self.add_error("rule", _("请选择奖励办法。"))
        return data


# ---- reward claims -------------------------------------------------------------------------


class ShareForm(StyledFormMixin, forms.Form):
    introducer = forms.ModelChoiceField(label=_("引荐人"), queryset=Introducer.objects.none(), required=False)
    share = forms.IntegerField(label=_("分成比例（%）"), min_value=1, max_value=100, required=False)

    def __init__(self, *args, introducers, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["introducer"].queryset = introducers

    def clean(self):
        data = super().clean()
        if data.get("introducer") and data.get("share") is None and "share" not in self.errors:
            self.add_error("share", _("请填写分成比例。"))
        if data.get("share") is not None and not data.get("introducer"):
            self.add_error("introducer", _("请选择引荐人。"))
        return data


ShareFormSet = forms.formset_factory(ShareForm, extra=2, max_num=10, absolute_max=10)


def shares_of(formset) -> list[tuple[Introducer, int]]:
    """The filled rows of a valid share formset."""
    return [
        (form.cleaned_data["introducer"], form.cleaned_data["share"])
        for form in formset
        if form.cleaned_data.get("introducer")
    ]


class ClaimNoteForm(StyledFormMixin, forms.Form):
    note = forms.CharField(
        label=_("说明"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("如引荐经过、分成依据、投资核定文件"),
    )


class ReasonForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("理由"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class PaymentForm(StyledFormMixin, forms.Form):
    paid_on = forms.DateField(label=_("兑付日期"), widget=DATE_INPUT)
    voucher = forms.CharField(label=_("兑付凭证号"), max_length=50, required=False)

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("initial", {"paid_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class RewardClaimFilterForm(StyledFormMixin, forms.Form):
    q = forms.CharField(
        label=_("搜索"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("项目名称、编号或引荐人")}),
    )
    status = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部")), *RewardClaim.Status.choices])
    unit = forms.ModelChoiceField(label=_("区县"), queryset=None, required=False, empty_label=_("全部"))
    year = forms.TypedChoiceField(label=_("申报年度"), required=False, coerce=int, empty_value=None)
    waiting = forms.BooleanField(label=_("待我确认"), required=False)

    def __init__(self, *args, units, years, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["year"].choices = [("", _("全部")), *((year, f"{year}") for year in years)]
