import re
from datetime import date
from decimal import Decimal

from django import forms
from django.core.validators import MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.errors import BusinessRuleError
from apps.core.forms import StyledFormMixin
from apps.enterprises.models import Contact, DuplicateSuggestion, Enterprise, EnterpriseName, Industry, Tag
from apps.enterprises.services import EnterpriseData
from apps.enterprises.uscc import clean_uscc

NAME_SEPARATORS = re.compile(r"[、,，;；/\n]+")
LEGAL_FORM_CHOICES = (
    "有限责任公司", "股份有限公司", "有限公司", "集团有限公司", "合伙企业(有限合伙)", "合伙企业(普通合伙)",
    "个人独资企业", "农民专业合作社", "分公司", "外商投资企业", "全民所有制企业", "集体所有制企业",
)  # fmt: skip


def split_names(text: str) -> list[str]:
    """简称甲、简称乙 / one per line → a list without blanks."""
    return [part.strip() for part in NAME_SEPARATORS.split(text or "") if part.strip()]


def industry_choices() -> list:
    """Divisions grouped under their sections, as GB/T 4754 prints them."""
    groups: dict[Industry, list] = {}
    for node in Industry.objects.select_related("parent").order_by("code"):
        if node.level == Industry.Level.SECTION:
            groups.setdefault(node, [])
        elif node.parent is not None:
            groups.setdefault(node.parent, []).append((node.pk, str(node)))
    return [("", "—"), *((str(section), options) for section, options in groups.items())]


class EnterpriseForm(StyledFormMixin, forms.Form):
    """Registration and editing of an enterprise; import rows are checked by the same form."""

    name = forms.CharField(
        label=_("企业名称"), max_length=200, help_text=_("营业执照上的全称，如：示范市东城区华兴电子有限公司")
    )
    uscc = forms.CharField(
        label=_("统一社会信用代码"), max_length=30, required=False, help_text=_("18 位，可留空（尚未取得时）")
    )
    short_names = forms.CharField(
        label=_("简称"), required=False, widget=forms.Textarea(attrs={"rows": 2}), help_text=_("多个用顿号或换行分隔")
    )
    former_names = forms.CharField(
        label=_("曾用名"), required=False, widget=forms.Textarea(attrs={"rows": 2}), help_text=_("多个用顿号或换行分隔")
    )
    legal_form = forms.CharField(label=_("组织形式"), max_length=30, required=False)
    region_name = forms.CharField(label=_("注册地"), max_length=60, required=False, help_text=_("如：示范市东城区"))
    region_code = forms.RegexField(
        label=_("注册地行政区划代码"),
        regex=r"^\d{6}(\d{3})?$",
        required=False,
        error_messages={"invalid": _("行政区划代码为 6 位（区县）或 9 位（乡镇街道）数字。")},
    )
    address = forms.CharField(label=_("住所"), max_length=200, required=False)
    registered_capital = forms.DecimalField(
        label=_("注册资本（万元）"),
        required=False,
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    founded_on = forms.DateField(label=_("成立日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    industry = forms.TypedChoiceField(label=_("所属行业"), required=False, coerce=int, empty_value=None)
    business_scope = forms.CharField(
        label=_("经营范围"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("营业执照上的经营范围，产业链环节定位会用到其中的关键词"),
    )
    tags = forms.ModelMultipleChoiceField(
        label=_("标签"), queryset=Tag.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    group_role = forms.ChoiceField(label=_("集团关系"), choices=Enterprise.GroupRole.choices)
    parent = forms.ModelChoiceField(
        label=_("上级企业"), queryset=Enterprise.objects.active(), required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args, enterprise: Enterprise | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.enterprise = enterprise
        self.fields["industry"].choices = industry_choices()
        self.fields["legal_form"].widget.attrs["list"] = "legal-forms"
        if enterprise is not None:
            self.fields["parent"].queryset = Enterprise.objects.active().exclude(pk=enterprise.pk)

    def clean_uscc(self) -> str:
        try:
            return clean_uscc(self.cleaned_data["uscc"])
        except BusinessRuleError as error:
            raise forms.ValidationError(error.message) from error

    def clean_founded_on(self) -> date | None:
        founded = self.cleaned_data["founded_on"]
        if founded and founded > timezone.localdate():
            raise forms.ValidationError(_("成立日期不能晚于今天。"))
        return founded

    def clean_industry(self) -> Industry | None:
        pk = self.cleaned_data["industry"]
        return Industry.objects.filter(pk=pk).first() if pk else None

    def to_data(self) -> EnterpriseData:
        data = dict(self.cleaned_data)
        return EnterpriseData(
            name=data["name"],
            uscc=data["uscc"],
            legal_form=data["legal_form"],
            region_code=data["region_code"],
            region_name=data["region_name"],
            address=data["address"],
            registered_capital=data["registered_capital"],
            founded_on=data["founded_on"],
            industry=data["industry"],
            business_scope=data["business_scope"],
            parent=data["parent"],
            group_role=data["group_role"],
            tags=list(data["tags"]),
            short_names=split_names(data["short_names"]),
            former_names=split_names(data["former_names"]),
        )

    @classmethod
    def initial_for(cls, enterprise: Enterprise) -> dict:
        names = {kind: [] for kind in EnterpriseName.Kind.values}
        for alias in enterprise.names.order_by("id"):
            names[alias.kind].append(alias.name)
        initial = {field: getattr(enterprise, field) for field in ("name", "uscc", "legal_form", "region_code")}
        initial.update(
            region_name=enterprise.region_name,
            address=enterprise.address,
            registered_capital=enterprise.registered_capital,
            founded_on=enterprise.founded_on,
            industry=enterprise.industry_id,
            business_scope=enterprise.business_scope,
            tags=list(enterprise.tags.all()),
            group_role=enterprise.group_role,
            parent=enterprise.parent,
            short_names="、".join(names[EnterpriseName.Kind.SHORT]),
            former_names="、".join(names[EnterpriseName.Kind.FORMER]),
        )
        return initial


class RegisterForm(EnterpriseForm):
    confirm_distinct = forms.BooleanField(label=_("我已核对上面列出的企业，确认要登记的是另一家企业"), required=False)


class EnterpriseFilterForm(StyledFormMixin, forms.Form):
    q = forms.CharField(
        label=_("搜索"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("名称、简称、拼音首字母或信用代码"), "autocomplete": "off"}),
    )
    tag = forms.ModelChoiceField(label=_("标签"), queryset=Tag.objects.all(), required=False, empty_label=_("全部"))
    industry = forms.ModelChoiceField(
        label=_("行业门类"),
        queryset=Industry.objects.filter(level=Industry.Level.SECTION),
        required=False,
        empty_label=_("全部"),
    )
    group_role = forms.ChoiceField(
        label=_("集团关系"), required=False, choices=[("", _("全部")), *Enterprise.GroupRole.choices]
    )
    uscc = forms.ChoiceField(
        label=_("信用代码"), required=False, choices=[("", _("全部")), ("with", _("已填写")), ("without", _("未填写"))]
    )
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("有效")), ("merged", _("已合并")), ("all", _("全部"))]
    )


class NameForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("名称"), max_length=200)
    kind = forms.ChoiceField(
        label=_("类别"),
        choices=[(k, label) for k, label in EnterpriseName.Kind.choices if k != EnterpriseName.Kind.FULL],
    )


class ContactForm(StyledFormMixin, forms.ModelForm):
    phone = forms.RegexField(
        label=_("电话"),
        regex=r"^[0-9+\-() ]{5,20}$",
        required=False,
        error_messages={"invalid": _("电话号码只能包含数字、空格和 + - ( )，5 至 20 位。")},
    )

    class Meta:
        model = Contact
        fields = ["name", "title", "phone", "email", "note"]


class TagForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Tag
        fields = ["name", "description"]


class DuplicateFilterForm(StyledFormMixin, forms.Form):
    verdict = forms.ChoiceField(
        label=_("判断"), required=False, choices=[("", _("全部")), *DuplicateSuggestion.Verdict.choices]
    )
    status = forms.ChoiceField(
        label=_("状态"),
        required=False,
        choices=[("open", _("待处理")), ("", _("全部")), *DuplicateSuggestion.Status.choices[1:]],
    )
    q = forms.CharField(label=_("企业名称"), required=False, max_length=100)


class MergeForm(forms.Form):
    survivor = forms.TypedChoiceField(label=_("保留哪一条记录"), coerce=int, widget=forms.RadioSelect)

    def __init__(self, *args, suggestion: DuplicateSuggestion, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["survivor"].choices = [(e.pk, e.name) for e in (suggestion.first, suggestion.second)]


class ImportForm(StyledFormMixin, forms.Form):
    file = forms.FileField(label=_("Excel 文件（.xlsx）"))

    MAX_BYTES = 10 * 1024 * 1024

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("请上传 .xlsx 格式的 Excel 文件。"))
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("文件不能超过 10 MB；更大的名录请分批导入。"))
        return upload
