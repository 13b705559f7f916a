"""Forms of the appeal pages: they check the shape of the input; the services check the business rules."""

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.appeals.models import Appeal, Assignment, Category, DispatchRule, TimeLimitPolicy
from apps.appeals.models.appeals import Channel, Satisfaction, Solved, State, Triage
from apps.appeals.models.policies import AppealType, Urgency
from apps.core.forms import StyledFormMixin
from apps.enterprises.models import Enterprise
from apps.org.models import Unit

TEXTAREA = forms.Textarea(attrs={"rows": 3})


ALL = _("全部")


def _with_blank(choices) -> list:
    return [("", ALL), *choices]


def _categories():
    return Category.objects.filter(is_active=True).order_by("code")


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, category: Category) -> str:
        return f"{'　' * (category.level - 1)}{category.code} {category.name}"


class IntakeForm(StyledFormMixin, forms.Form):
    """登记诉求: what the hotline agent types while on the phone."""

    channel = forms.ChoiceField(label=_("来源渠道"), choices=Channel.choices)
    appeal_type = forms.ChoiceField(label=_("诉求类型"), choices=AppealType.choices)
    category = CategoryChoiceField(label=_("诉求分类"), queryset=Category.objects.none())
    urgency = forms.ChoiceField(label=_("紧急程度"), choices=Urgency.choices, initial=Urgency.NORMAL)
    title = forms.CharField(label=_("标题"), max_length=200)
    content = forms.CharField(label=_("诉求内容"), widget=forms.Textarea(attrs={"rows": 5}))
    enterprise = forms.ModelChoiceField(
        label=_("企业"), queryset=Enterprise.objects.none(), required=False, widget=forms.HiddenInput
    )
    citizen_name = forms.CharField(label=_("诉求人姓名"), max_length=50, required=False)
    phone = forms.RegexField(
        label=_("联系电话"),
        regex=r"^[0-9-]{5,20}$",
        required=False,
        error_messages={"invalid": _("请输入正确的电话号码。")},
    )
    id_number = forms.RegexField(
        label=_("证件号码"),
        regex=r"^[0-9]{17}[0-9Xx]$",
        required=False,
        error_messages={"invalid": _("请输入18位居民身份证号码。")},
    )
    area = forms.ModelChoiceField(label=_("发生地区"), queryset=Unit.objects.none(), required=False)
    confidential = forms.BooleanField(label=_("诉求人要求保密"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = _categories()
        self.fields["enterprise"].queryset = Enterprise.objects.active()
        areas = Unit.objects.filter(kind__in=(Unit.Kind.COUNTY, Unit.Kind.ZONE, Unit.Kind.TOWN), is_active=True)
        self.fields["area"].queryset = areas.order_by("path")

    def clean(self):
        data = super().clean()
        if not data.get("enterprise") and not (data.get("citizen_name") or data.get("phone")):
            raise forms.ValidationError(_("请选择企业，或填写诉求人的姓名、联系电话。"))
        if data.get("id_number"):
            data["id_number"] = data["id_number"].upper()
        return data


class AppealFilterForm(StyledFormMixin, forms.Form):
    LIGHTS = [("amber", _("黄灯（临期）")), ("red", _("红灯（超期）"))]

    q = forms.CharField(
        label=_("搜索"), required=False, widget=forms.TextInput(attrs={"placeholder": _("编号、标题、诉求人")})
    )
    state = forms.ChoiceField(label=_("状态"), choices=_with_blank(State.choices), required=False)
    appeal_type = forms.ChoiceField(label=_("类型"), choices=_with_blank(AppealType.choices), required=False)
    channel = forms.ChoiceField(label=_("渠道"), choices=_with_blank(Channel.choices), required=False)
    category = CategoryChoiceField(label=_("分类"), queryset=Category.objects.none(), required=False)
    urgency = forms.ChoiceField(label=_("紧急程度"), choices=_with_blank(Urgency.choices), required=False)
    unit = forms.ModelChoiceField(label=_("承办单位"), queryset=Unit.objects.none(), required=False)
    light = forms.ChoiceField(label=_("预警"), choices=_with_blank(LIGHTS), required=False)
    start = forms.DateField(label=_("登记日期自"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("至"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, units, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = _categories()
        self.fields["unit"].queryset = units

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError(_("开始日期不能晚于结束日期。"))
        return data


class QueryForm(StyledFormMixin, forms.Form):
    """进度查询 by the appellant: the number and the query code read out when the ticket was recorded."""

    number = forms.CharField(label=_("工单编号"), max_length=20)
    code = forms.CharField(label=_("查询码"), max_length=8)


# ---- action forms ---------------------------------------------------------------------------------------


class NoteForm(StyledFormMixin, forms.Form):
    note = forms.CharField(label=_("说明"), widget=TEXTAREA, required=False)


class RequiredNoteForm(StyledFormMixin, forms.Form):
    note = forms.CharField(label=_("说明"), widget=TEXTAREA)


class EmptyForm(forms.Form):
    pass


class RefuseForm(StyledFormMixin, forms.Form):
    triage = forms.ChoiceField(label=_("分流结果"), choices=[c for c in Triage.choices if c[0] != Triage.HANDLE])
    note = forms.CharField(label=_("理由或告知的途径"), widget=TEXTAREA)


class DispatchForm(StyledFormMixin, forms.Form):
    lead_unit = forms.ModelChoiceField(label=_("主办单位"), queryset=Unit.objects.none())
    co_units = forms.ModelMultipleChoiceField(
        label=_("协办单位"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )
    note = forms.CharField(label=_("派单意见"), widget=TEXTAREA, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        units = Unit.objects.filter(is_active=True).exclude(kind=Unit.Kind.CITY).order_by("path")
        self.fields["lead_unit"].queryset = units
        self.fields["co_units"].queryset = units

    def clean(self):
        data = super().clean()
        if data.get("lead_unit") and data.get("lead_unit") in (data.get("co_units") or []):
            raise forms.ValidationError(_("主办单位不能同时是协办单位。"))
        return data


class ArticleSelect(forms.Select):
    """Options carry the article's answer, so picking one pre-fills the answer (appeals/knowledge_pick.js)."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        article = getattr(value, "instance", None)
        if article is not None:
            option["attrs"]["data-answer"] = article.answer
        return option


class AnswerForm(StyledFormMixin, forms.Form):
    article = forms.ModelChoiceField(
        label=_("引用知识条目"), queryset=None, required=False, widget=ArticleSelect(attrs={"data-knowledge-pick": "", "data-search-label": _("搜索知识条目")}),
        help_text=_("选择已发布的知识条目，答复内容将以其答复口径填入"),
    )  # fmt: skip
    answer = forms.CharField(label=_("答复内容"), widget=TEXTAREA, required=False)

    def __init__(self, *args, articles=None, **kwargs) -> None:
        from apps.appeals.models import Article

        super().__init__(*args, **kwargs)
        found = articles if articles is not None else Article.objects.none()
        self.fields["article"].queryset = (
            found.published().select_related("category").order_by("category__code", "title")
        )

    def clean(self) -> dict:
        data = super().clean()
        if not (data.get("answer") or "").strip() and data.get("article") is None:
            self.add_error("answer", _("请填写答复内容或引用知识条目。"))
        return data


class MergeForm(StyledFormMixin, forms.Form):
    master = forms.CharField(label=_("并入工单编号"), max_length=20)

    def __init__(self, *args, appeals, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.appeals = appeals

    def clean_master(self) -> Appeal:
        master = self.appeals.filter(number=self.cleaned_data["master"].strip()).first()
        if master is None:
            raise forms.ValidationError(_("没有找到该编号的工单。"))
        return master


class ReplyForm(StyledFormMixin, forms.Form):
    reply = forms.CharField(label=_("答复内容"), widget=forms.Textarea(attrs={"rows": 4}))
    legal_basis = forms.CharField(label=_("答复依据"), widget=TEXTAREA, help_text=_("引用文件名称和文号"))
    approved_by = forms.CharField(label=_("审核人"), max_length=50, help_text=_("本单位负责人"))


class ReturnRequestForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("退单理由"), widget=TEXTAREA)
    legal_basis = forms.CharField(label=_("职责依据"), widget=TEXTAREA, help_text=_("三定方案、权责清单等"))


DECISIONS = [("approve", _("同意")), ("reject", _("驳回"))]


class ReturnDecisionForm(StyledFormMixin, forms.Form):
    assignment = forms.ModelChoiceField(label=_("退单申请"), queryset=Assignment.objects.none())
    decision = forms.ChoiceField(label=_("审核结果"), choices=DECISIONS, widget=forms.RadioSelect)
    note = forms.CharField(label=_("审核意见"), widget=TEXTAREA, required=False)

    def __init__(self, *args, appeal: Appeal, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        pending = appeal.assignments.filter(state=Assignment.State.RETURN_PENDING).select_related("unit")
        self.fields["assignment"].queryset = pending
        self.fields["assignment"].label_from_instance = lambda a: f"{a.get_role_display()} {a.unit.name}"
        if len(pending) == 1:
            self.fields["assignment"].initial = pending[0].pk


class ExtensionRequestForm(StyledFormMixin, forms.Form):
    days = forms.IntegerField(label=_("延期工作日数"), min_value=1, max_value=60)
    reason = forms.CharField(label=_("延期理由"), widget=TEXTAREA)


class ExtensionDecisionForm(StyledFormMixin, forms.Form):
    decision = forms.ChoiceField(label=_("审批结果"), choices=DECISIONS, widget=forms.RadioSelect)
    note = forms.CharField(label=_("审批意见"), widget=TEXTAREA, required=False)


class PauseForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("暂停理由"), widget=TEXTAREA, help_text=_("如等待诉求人补充材料"))


class FollowUpForm(StyledFormMixin, forms.Form):
    solved = forms.ChoiceField(label=_("解决情况"), choices=Solved.choices, widget=forms.RadioSelect)
    satisfaction = forms.TypedChoiceField(
        label=_("满意度"), choices=Satisfaction.choices, coerce=int, widget=forms.RadioSelect
    )
    unit_at_fault = forms.BooleanField(label=_("未解决或不满意系承办单位原因（转重办）"), required=False)
    note = forms.CharField(label=_("回访记录"), widget=TEXTAREA, required=False)


class CatalogueFilterForm(StyledFormMixin, forms.Form):
    q = forms.CharField(label=_("搜索"), required=False, widget=forms.TextInput(attrs={"placeholder": _("分类或单位")}))
    category = CategoryChoiceField(label=_("分类"), queryset=Category.objects.none(), required=False)
    valid_on = forms.DateField(label=_("有效日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = _categories()


class PolicyFilterForm(StyledFormMixin, forms.Form):
    appeal_type = forms.ChoiceField(label=_("诉求类型"), choices=_with_blank(AppealType.choices), required=False)
    urgency = forms.ChoiceField(label=_("紧急程度"), choices=_with_blank(Urgency.choices), required=False)
    valid_on = forms.DateField(label=_("有效日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


class CallForm(StyledFormMixin, forms.Form):
    """超期回访 and 并单回访: what the appellant says, without closing or redoing the ticket."""

    solved = forms.ChoiceField(label=_("解决情况"), choices=Solved.choices, widget=forms.RadioSelect)
    satisfaction = forms.TypedChoiceField(
        label=_("满意度"), choices=Satisfaction.choices, coerce=int, widget=forms.RadioSelect
    )
    note = forms.CharField(label=_("回访记录"), widget=TEXTAREA, required=False)


class RecheckForm(StyledFormMixin, forms.Form):
    """复查回访: is the problem still solved?"""

    answer = forms.ChoiceField(
        label=_("复查结果"),
        choices=[("still_solved", _("仍已解决")), ("came_back", _("问题反复（转重办）"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("回访记录"), widget=TEXTAREA, required=False)


class WorklistKind(models.TextChoices):
    REPLY = "reply", _("答复后回访")
    EXPIRY = "expiry", _("超期回访")
    MERGED = "merged", _("并单回访")
    RECHECK = "recheck", _("复查回访")


class WorklistFilterForm(StyledFormMixin, forms.Form):
    q = forms.CharField(
        label=_("搜索"), required=False, widget=forms.TextInput(attrs={"placeholder": _("工单编号、标题或诉求人")})
    )
    kind = forms.ChoiceField(label=_("回访类型"), choices=_with_blank(WorklistKind.choices), required=False)
    category = CategoryChoiceField(label=_("分类"), queryset=Category.objects.none(), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = _categories()


DATE = forms.DateInput(attrs={"type": "date"})


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, unit: Unit) -> str:
        return unit.name


class UnitsChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, unit: Unit) -> str:
        return unit.name


class DispatchRuleForm(StyledFormMixin, forms.ModelForm):
    """派单目录 new version: the shape; services/codes.py checks overlaps, towns and the right to publish."""

    category = CategoryChoiceField(label=_("诉求分类"), queryset=Category.objects.none())
    area = UnitChoiceField(label=_("适用地区"), queryset=Unit.objects.none(), required=False, empty_label=_("全市通用"))
    lead_unit = UnitChoiceField(label=_("主办单位"), queryset=Unit.objects.none())
    co_units = UnitsChoiceField(label=_("协办单位"), queryset=Unit.objects.none(), required=False)

    class Meta:
        model = DispatchRule
        fields = ["category", "area", "lead_unit", "co_units", "legal_source", "version", "valid_from", "valid_to"]
        widgets = {"legal_source": TEXTAREA, "valid_from": DATE, "valid_to": DATE}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        units = Unit.objects.active().order_by("path")
        self.fields["category"].queryset = _categories()
        self.fields["area"].queryset = units.filter(kind__in=(Unit.Kind.COUNTY, Unit.Kind.ZONE))
        self.fields["lead_unit"].queryset = units
        self.fields["co_units"].queryset = units


class PolicyForm(StyledFormMixin, forms.ModelForm):
    """办理时限 new version: every limit of one jurisdiction × type × urgency."""

    jurisdiction = UnitChoiceField(
        label=_("适用地区"), queryset=Unit.objects.none(), required=False, empty_label=_("默认规则")
    )

    class Meta:
        model = TimeLimitPolicy
        fields = [
            "jurisdiction", "appeal_type", "urgency", "version", "valid_from", "valid_to", "sign_for_amount",
            "sign_for_unit", "first_contact_amount", "first_contact_unit", "reply_amount", "reply_unit",
            "max_extension_days", "warn_fraction", "urge_days_before", "supervise_days_after", "escalate_days_after",
            "recheck_days", "source",
        ]  # fmt: skip
        widgets = {"source": TEXTAREA, "valid_from": DATE, "valid_to": DATE}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        kinds = (Unit.Kind.CITY, Unit.Kind.COUNTY, Unit.Kind.ZONE)
        self.fields["jurisdiction"].queryset = Unit.objects.active().filter(kind__in=kinds).order_by("path")
