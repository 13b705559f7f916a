from datetime import date
from decimal import Decimal

from django import forms
from django.core.validators import MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.forms import StyledFormMixin
from apps.enterprises.forms import industry_choices
from apps.enterprises.models import Enterprise, Industry
from apps.investment.models import (
    Channel,
    ClaimConflict,
    FundRecord,
    Introducer,
    NegotiationRound,
    Project,
    ProjectDocument,
    Stage,
    Team,
)

AMOUNT = {"max_digits": 14, "decimal_places": 2, "required": False, "validators": [MinValueValidator(Decimal(0))]}
MAX_UPLOAD = 20 * 1024 * 1024


class IndustryField(forms.TypedChoiceField):
    """A GB/T 4754 division picked from a list grouped by section."""

    def __init__(self, **kwargs) -> None:
        super().__init__(label=_("所属行业"), required=False, coerce=int, empty_value=None, **kwargs)

    def clean(self, value):
        pk = super().clean(value)
        return Industry.objects.filter(pk=pk).first() if pk else None


class LeadForm(StyledFormMixin, forms.Form):
    """A lead in under a minute, from a phone: the enterprise, what they plan, how we learned of it."""

    enterprise = forms.ModelChoiceField(
        label=_("投资企业"), queryset=Enterprise.objects.active(), required=False, widget=forms.HiddenInput
    )
    new_enterprise = forms.CharField(
        label=_("或登记新企业"),
        max_length=200,
        required=False,
        help_text=_("企业库中没有时填写全称；系统会先查重"),
    )
    name = forms.CharField(label=_("项目名称"), max_length=200)
    unit = forms.ModelChoiceField(label=_("责任单位"), queryset=None)
    channel = forms.ChoiceField(label=_("线索来源"), choices=Channel.choices)
    industry = IndustryField()
    planned_investment = forms.DecimalField(label=_("计划投资（万元）"), **AMOUNT)
    description = forms.CharField(label=_("项目内容与诉求"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    introducer = forms.ModelChoiceField(label=_("引荐人"), queryset=Introducer.objects.none(), required=False)
    team = forms.ModelChoiceField(label=_("招商小分队"), queryset=Team.objects.none(), required=False)

    def __init__(self, *args, units, introducers, teams, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["industry"].choices = industry_choices()
        self.fields["introducer"].queryset = introducers
        self.fields["team"].queryset = teams

    def clean(self):
        data = super().clean()
        if not data.get("enterprise") and not (data.get("new_enterprise") or "").strip():
            raise forms.ValidationError(_("请在企业库中选择投资企业，或填写新企业的全称。"))
        return data


class ProjectForm(StyledFormMixin, forms.ModelForm):
    industry = IndustryField()

    class Meta:
        model = Project
        fields = [
            "name", "industry", "channel", "kind", "description", "introducer", "team", "event",
            "planned_investment", "contracted_investment", "counted_before", "fixed_asset_investment",
            "investor_out_of_province", "investor_foreign", "expected_tax", "expected_jobs", "energy_use", "land_area",
        ]  # fmt: skip
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, introducers, teams, events, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["industry"].choices = industry_choices()
        self.initial["industry"] = self.instance.industry_id
        self.fields["introducer"].queryset = introducers
        self.fields["team"].queryset = teams
        self.fields["event"].queryset = events
        for name in ("planned_investment", "contracted_investment", "counted_before", "fixed_asset_investment"):
            self.fields[name].validators.append(MinValueValidator(Decimal(0)))


class MoveForm(StyledFormMixin, forms.Form):
    happened_on = forms.DateField(label=_("发生日期"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("initial", {"happened_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class DecisionForm(StyledFormMixin, forms.Form):
    opinion = forms.CharField(label=_("意见"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class DocumentForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("材料类别"), choices=ProjectDocument.Kind.choices)
    title = forms.CharField(label=_("标题"), max_length=200, required=False)
    file = forms.FileField(label=_("文件"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("文件不能超过 20 MB。"))
        return upload


class NegotiationForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = NegotiationRound
        fields = [
            "held_on", "place", "our_participants", "our_leaders", "their_participants", "content",
            "open_questions", "next_step", "next_on",
        ]  # fmt: skip
        widgets = {
            "held_on": forms.DateInput(attrs={"type": "date"}),
            "next_on": forms.DateInput(attrs={"type": "date"}),
            "content": forms.Textarea(attrs={"rows": 4}),
            "open_questions": forms.Textarea(attrs={"rows": 2}),
        }


class FundForm(StyledFormMixin, forms.ModelForm):
    month = forms.DateField(
        label=_("月份"),
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        input_formats=["%Y-%m", "%Y-%m-%d"],
    )

    class Meta:
        model = FundRecord
        fields = ["month", "amount", "out_of_province", "foreign", "fixed_asset", "note"]

    def clean_month(self) -> date:
        return self.cleaned_data["month"].replace(day=1)


class ConflictDecisionForm(StyledFormMixin, forms.Form):
    decision = forms.ChoiceField(label=_("协调结果"), choices=ClaimConflict.Decision.choices, widget=forms.RadioSelect)
    holder_share = forms.IntegerField(
        label=_("首报单位分成（%）"), min_value=1, max_value=99, required=False, help_text=_("联合招商时填写")
    )
    note = forms.CharField(label=_("协调意见"), widget=forms.Textarea(attrs={"rows": 3}))


class ProjectFilterForm(StyledFormMixin, forms.Form):
    q = forms.CharField(
        label=_("搜索"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("项目名称、编号或企业")}),
    )
    unit = forms.ModelChoiceField(label=_("单位"), queryset=None, required=False, empty_label=_("全部"))
    stage = forms.ChoiceField(label=_("阶段"), required=False, choices=[("", _("全部")), *Stage.choices])
    status = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部")), *Project.Status.choices])
    channel = forms.ChoiceField(label=_("线索来源"), required=False, choices=[("", _("全部")), *Channel.choices])
    industry = forms.ModelChoiceField(
        label=_("行业门类"),
        queryset=Industry.objects.filter(level=Industry.Level.SECTION),
        required=False,
        empty_label=_("全部"),
    )
    band = forms.ChoiceField(
        label=_("投资规模"),
        required=False,
        choices=[
            ("", _("全部")),
            ("lt1", _("1亿元以下")),
            ("1to10", _("1亿—10亿元")),
            ("10to50", _("10亿—50亿元")),
            ("ge50", _("50亿元以上")),
        ],
    )
    team = forms.ModelChoiceField(
        label=_("小分队"), queryset=Team.objects.none(), required=False, empty_label=_("全部")
    )
    major = forms.BooleanField(label=_("重大项目"), required=False)
    overdue = forms.BooleanField(label=_("超时线索"), required=False)

    def __init__(self, *args, units, teams, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["team"].queryset = teams
