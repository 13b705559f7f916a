"""Forms of the rating pages (好差评): they check the shape of the input; services/ratings.py the rules."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.appeals.forms import ALL, DECISIONS, TEXTAREA, _with_blank
from apps.appeals.models import IndicatorSet
from apps.appeals.models.appeals import Satisfaction
from apps.appeals.models.ratings import (
    Finding,
    IndicatorGroup,
    RatingChannel,
    RatingKind,
    RectificationState,
)
from apps.core.forms import StyledFormMixin
from apps.org.models import Unit

LEVELS = [(value, label) for value, label in Satisfaction.choices]
YES_NO = [("", ALL), ("yes", _("是")), ("no", _("否"))]


def content_choices(groups=tuple(IndicatorGroup.values), day=None) -> list:
    """The sub-indicators of the current content sets, grouped by channel group and by the levels that show them."""
    day = day or timezone.localdate()
    choices = []
    for group in groups:
        content = IndicatorSet.objects.current(group, day)
        if content is None:
            continue
        tiers: dict[tuple, list[str]] = {}
        for level in (5, 4, 3, 2, 1):
            tiers.setdefault(tuple(content.options_for(level)), []).append(Satisfaction(level).label)
        for options, levels in tiers.items():
            heading = f"{IndicatorGroup(group).label}·{'、'.join(str(label) for label in levels)}"
            choices.append((heading, [(option, option) for option in options]))
    return choices


class RatingForm(StyledFormMixin, forms.Form):
    """登记评价: a rating received at the window or by phone, of a service or of a ticket's handling."""

    kind = forms.ChoiceField(label=_("评价对象"), choices=RatingKind.choices, widget=forms.RadioSelect)
    appeal_number = forms.CharField(label=_("工单编号"), max_length=20, required=False, help_text=_("一事一评时填写"))
    unit = forms.ModelChoiceField(
        label=_("被评价单位"), queryset=Unit.objects.none(), required=False, help_text=_("一次一评时选择")
    )
    service_name = forms.CharField(label=_("服务事项"), max_length=200, required=False)
    staff_name = forms.CharField(label=_("工作人员"), max_length=50, required=False)
    channel = forms.ChoiceField(label=_("评价渠道"), choices=RatingChannel.choices)
    level = forms.TypedChoiceField(label=_("评价等级"), choices=LEVELS, coerce=int, widget=forms.RadioSelect)
    selected = forms.MultipleChoiceField(
        label=_("评价内容"), required=False, widget=forms.CheckboxSelectMultiple, help_text=_("按评价等级和渠道勾选")
    )
    comment = forms.CharField(label=_("评价意见"), widget=TEXTAREA, required=False)
    rater_name = forms.CharField(label=_("评价人"), max_length=50, required=False)
    rater_phone = forms.RegexField(
        label=_("评价人电话"),
        regex=r"^[0-9-]{5,20}$",
        required=False,
        error_messages={"invalid": _("请输入正确的电话号码。")},
    )
    rater_enterprise = forms.CharField(label=_("评价人所在企业"), max_length=200, required=False)

    def __init__(self, *args, appeals, units, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.appeals = appeals
        self.fields["unit"].queryset = units
        self.fields["selected"].choices = content_choices()

    def clean(self):
        data = super().clean()
        data["appeal"] = None
        if data.get("kind") == RatingKind.TICKET:
            number = (data.get("appeal_number") or "").strip()
            data["appeal"] = self.appeals.filter(number=number).first() if number else None
            if data["appeal"] is None:
                self.add_error("appeal_number", _("没有找到该编号的工单。"))
        elif data.get("kind") == RatingKind.SERVICE:
            if not data.get("unit"):
                self.add_error("unit", _("请选择被评价单位。"))
            if not (data.get("service_name") or "").strip():
                self.add_error("service_name", _("请填写服务事项。"))
        return data


class PublicRatingForm(StyledFormMixin, forms.Form):
    """The appellant rates the handling of a ticket on the portal, reached with its number and query code."""

    number = forms.CharField(widget=forms.HiddenInput)
    code = forms.CharField(widget=forms.HiddenInput)
    level = forms.TypedChoiceField(label=_("评价等级"), choices=LEVELS, coerce=int, widget=forms.RadioSelect)
    selected = forms.MultipleChoiceField(label=_("评价内容"), required=False, widget=forms.CheckboxSelectMultiple)
    comment = forms.CharField(label=_("评价意见"), widget=TEXTAREA, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["selected"].choices = content_choices((IndicatorGroup.ONLINE,))


class RatingFilterForm(StyledFormMixin, forms.Form):
    q = forms.CharField(
        label=_("搜索"), required=False, widget=forms.TextInput(attrs={"placeholder": _("事项、工作人员、工单编号")})
    )
    level = forms.TypedChoiceField(
        label=_("等级"), choices=_with_blank(LEVELS), coerce=int, required=False, empty_value=None
    )
    bad = forms.BooleanField(label=_("只看差评"), required=False)
    kind = forms.ChoiceField(label=_("评价对象"), choices=_with_blank(RatingKind.choices), required=False)
    unit = forms.ModelChoiceField(label=_("被评价单位"), queryset=Unit.objects.none(), required=False)
    channel = forms.ChoiceField(label=_("渠道"), choices=_with_blank(RatingChannel.choices), required=False)
    state = forms.ChoiceField(label=_("整改状态"), choices=_with_blank(RectificationState.choices), required=False)
    defaulted = forms.ChoiceField(label=_("默认好评"), choices=YES_NO, required=False)
    excluded = forms.ChoiceField(label=_("申诉剔除"), choices=YES_NO, required=False)
    start = forms.DateField(label=_("评价日期自"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("至"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, units, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError(_("开始日期不能晚于结束日期。"))
        return data


class BadRatingFilterForm(StyledFormMixin, forms.Form):
    LIGHTS = [("amber", _("黄灯（临期）")), ("red", _("红灯（超期）"))]
    OPEN = [c for c in RectificationState.choices if c[0] not in ("none", "closed")]

    state = forms.ChoiceField(label=_("整改状态"), choices=_with_blank(OPEN), required=False)
    unit = forms.ModelChoiceField(label=_("被评价单位"), queryset=Unit.objects.none(), required=False)
    light = forms.ChoiceField(label=_("预警"), choices=_with_blank(LIGHTS), required=False)

    def __init__(self, *args, units, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class SummaryFilterForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("评价对象"), choices=_with_blank(RatingKind.choices), required=False)
    channel = forms.ChoiceField(label=_("渠道"), choices=_with_blank(RatingChannel.choices), required=False)
    start = forms.DateField(label=_("评价日期自"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("至"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


# ---- action forms ---------------------------------------------------------------------------------------


class VerifyForm(StyledFormMixin, forms.Form):
    finding = forms.ChoiceField(label=_("核实结论"), choices=Finding.choices, widget=forms.RadioSelect)
    note = forms.CharField(label=_("回访核实情况"), widget=TEXTAREA)


class RectifyForm(StyledFormMixin, forms.Form):
    measures = forms.CharField(label=_("整改措施"), widget=forms.Textarea(attrs={"rows": 4}))
    evidence = forms.FileField(label=_("整改佐证材料"), required=False, help_text=_("不超过 10 MB"))

    def clean_evidence(self):
        upload = self.cleaned_data.get("evidence")
        if upload and upload.size > 10 * 1024 * 1024:
            raise forms.ValidationError(_("文件不能超过 10 MB。"))
        return upload


class FeedbackForm(StyledFormMixin, forms.Form):
    note = forms.CharField(label=_("反馈情况"), widget=TEXTAREA, help_text=_("向评价人反馈核实、整改结果"))
    invite_second = forms.BooleanField(label=_("邀请评价人二次评价"), required=False, initial=True)


class RatingAppealForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("申诉理由"), widget=TEXTAREA, help_text=_("误评、恶意差评的事实和理由"))
    evidence = forms.FileField(label=_("申诉证据"), required=False, help_text=_("不超过 10 MB"))

    def clean_evidence(self):
        upload = self.cleaned_data.get("evidence")
        if upload and upload.size > 10 * 1024 * 1024:
            raise forms.ValidationError(_("文件不能超过 10 MB。"))
        return upload


class AppealDecisionForm(StyledFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("复核结果"), choices=[("approve", _("申诉成立，剔除该评价")), DECISIONS[1]], widget=forms.RadioSelect
    )
    note = forms.CharField(label=_("复核意见"), widget=TEXTAREA)
