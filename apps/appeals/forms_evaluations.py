"""Forms of the 企业评议部门 pages: they check the input's shape; services/evaluations.py checks the rules."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.appeals.models import Campaign, Question
from apps.appeals.models.evaluations import CampaignState, CommentStatus, Period, Score
from apps.appeals.services.evaluations import CODE_LENGTH, PRESET_QUESTIONNAIRE
from apps.core.forms import StyledFormMixin
from apps.enterprises.models import Enterprise, Industry, Tag
from apps.org.models import Unit

ALL = _("全部")
#: 规模 by registered capital (万元): (code, label, lower bound, upper bound)
SIZES = (
    ("micro", _("注册资本 100 万元以下"), None, Decimal(100)),
    ("small", _("100 万至 1000 万元"), Decimal(100), Decimal(1000)),
    ("medium", _("1000 万至 1 亿元"), Decimal(1000), Decimal(10000)),
    ("large", _("1 亿元以上"), Decimal(10000), None),
)


class CampaignFilterForm(StyledFormMixin, forms.Form):
    q = forms.CharField(label=_("搜索"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"placeholder": _("活动名称")}))  # fmt: skip
    year = forms.IntegerField(label=_("年度"), required=False, min_value=2000, max_value=2100)
    state = forms.ChoiceField(label=_("状态"), required=False, choices=[("", ALL), *CampaignState.choices])


class DepartmentsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, unit: Unit) -> str:
        return unit.display_name


class CampaignForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label=_("活动名称"), max_length=200)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    period = forms.ChoiceField(label=_("评议期间"), choices=Period.choices)
    opens_on = forms.DateField(label=_("开始日期"), widget=forms.DateInput(attrs={"type": "date"}))
    closes_on = forms.DateField(label=_("截止日期"), widget=forms.DateInput(attrs={"type": "date"}))
    departments = DepartmentsField(
        label=_("被评议部门"), queryset=Unit.objects.none(), widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("请至少选择一个被评议部门。")},
    )  # fmt: skip
    k_threshold = forms.IntegerField(
        label=_("公布门槛（份）"), min_value=2, max_value=100, initial=5,
        help_text=_("某部门收到的答卷少于该数时，只显示“样本不足”，不公布其得分和意见。"),
    )  # fmt: skip
    allow_comments = forms.BooleanField(
        label=_("允许企业填写意见建议（经审核后随结果公布）"), required=False, initial=True
    )
    intro = forms.CharField(label=_("致企业的说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    questionnaire = forms.CharField(
        label=_("评议题目"), initial=PRESET_QUESTIONNAIRE, widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("每行一题，写作“维度：题目”；默认按全国工商联营商环境调查的五个维度设置，可修改。"),
    )  # fmt: skip

    def __init__(self, *args, departments=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["departments"].queryset = departments if departments is not None else Unit.objects.none()

    def clean(self):
        data = super().clean()
        if data.get("opens_on") and data.get("closes_on") and data["closes_on"] < data["opens_on"]:
            self.add_error("closes_on", _("截止日期不能早于开始日期。"))
        return data


class InviteForm(StyledFormMixin, forms.Form):
    """Bulk invitation by filters over the registry (every filter left empty means all)."""

    county = forms.ModelChoiceField(label=_("注册地"), queryset=Unit.objects.none(), required=False, empty_label=ALL)
    industry = forms.ModelChoiceField(
        label=_("行业门类"), queryset=Industry.objects.filter(level=Industry.Level.SECTION), required=False,
        empty_label=ALL,
    )  # fmt: skip
    size = forms.ChoiceField(
        label=_("规模"), required=False, choices=[("", ALL), *((code, label) for code, label, _low, _high in SIZES)]
    )
    tag = forms.ModelChoiceField(label=_("标签"), queryset=Tag.objects.all(), required=False, empty_label=ALL)

    def __init__(self, *args, areas=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = areas if areas is not None else Unit.objects.none()

    def enterprises(self):
        """The active registry enterprises the filters select."""
        data = self.cleaned_data
        enterprises = Enterprise.objects.active()
        if data.get("county"):
            enterprises = enterprises.filter(region_code__startswith=data["county"].code)
        if data.get("industry"):
            enterprises = enterprises.in_industry(data["industry"])
        if data.get("tag"):
            enterprises = enterprises.with_tag(data["tag"])
        for code, _label, low, high in SIZES:
            if data.get("size") == code:
                if low is not None:
                    enterprises = enterprises.filter(registered_capital__gte=low)
                if high is not None:
                    enterprises = enterprises.filter(registered_capital__lt=high)
        return enterprises.order_by("pk")


class CommentFilterForm(StyledFormMixin, forms.Form):
    campaign = forms.ModelChoiceField(
        label=_("评议活动"), queryset=Campaign.objects.none(), required=False, empty_label=ALL
    )
    status = forms.ChoiceField(
        label=_("审核状态"), required=False, initial=CommentStatus.PENDING,
        choices=[("", ALL), *CommentStatus.choices],
    )  # fmt: skip

    def __init__(self, *args, campaigns=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = campaigns if campaigns is not None else Campaign.objects.none()


class ReviewForm(StyledFormMixin, forms.Form):
    decision = forms.ChoiceField(label=_("审核结果"), choices=[("approve", _("通过")), ("reject", _("不予通过"))])
    note = forms.CharField(label=_("说明"), required=False, max_length=200)


class CodeForm(StyledFormMixin, forms.Form):
    code = forms.CharField(
        label=_("评议码"), max_length=20, min_length=CODE_LENGTH,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
        error_messages={"min_length": _("评议码为 %(limit_value)d 位字母和数字。")},
    )  # fmt: skip


SCORE_CHOICES = [("", _("—")), *((str(value), f"{value} {label}") for value, label in Score.choices)]


class AnswerForm(StyledFormMixin, forms.Form):
    """The questionnaire: a score per department and question (blank: not rated) and a comment per department."""

    code = forms.CharField(widget=forms.HiddenInput, max_length=20)

    def __init__(self, *args, campaign: Campaign, departments, questions: list[Question], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.blocks = []
        for department in departments:
            names = []
            for question in questions:
                name = f"s_{department.pk}_{question.pk}"
                self.fields[name] = forms.TypedChoiceField(
                    label=question.text, choices=SCORE_CHOICES, coerce=int, empty_value=None, required=False
                )
                names.append((question, name))
            comment = None
            if campaign.allow_comments:
                comment = f"c_{department.pk}"
                self.fields[comment] = forms.CharField(
                    label=_("对该部门的意见建议（选填，经审核后匿名公布，请勿填写企业名称等可识别信息）"),
                    required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2}),
                )  # fmt: skip
            self.blocks.append((department, names, comment))

    def bound_blocks(self) -> list:
        """[(department, [(question, bound field)], comment bound field or None)] for the template."""
        return [
            (department, [(question, self[name]) for question, name in names], self[comment] if comment else None)
            for department, names, comment in self.blocks
        ]

    def scores(self) -> dict[tuple[int, int], int]:
        found = {}
        for department, names, _comment in self.blocks:
            for question, name in names:
                if self.cleaned_data.get(name) is not None:
                    found[(department.pk, question.pk)] = self.cleaned_data[name]
        return found

    def comments(self) -> dict[int, str]:
        return {d.pk: self.cleaned_data.get(c) or "" for d, _names, c in self.blocks if c}
