"""Forms of the chain maps: they check shape; services/maps.py checks the rules (parent, codes, names)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.chains.models import Chain, Link
from apps.chains.services.maps import descendant_ids, split_terms
from apps.core.forms import StyledFormMixin

TERMS_HELP = _("多个之间用顿号、逗号或空格分隔。")


class ChainFilterForm(StyledFormMixin, forms.Form):
    ACTIVE_CHOICES = [("", _("全部")), ("1", _("启用")), ("0", _("停用"))]

    q = forms.CharField(
        label=_("搜索"), required=False, widget=forms.TextInput(attrs={"placeholder": _("产业链或环节名称")})
    )
    active = forms.ChoiceField(label=_("状态"), required=False, choices=ACTIVE_CHOICES)


class ChainForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Chain
        fields = ["name", "description", "weak_below", "is_active", "order"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        error_messages = {
            "name": {"required": _("请填写产业链名称。")},
            "weak_below": {"required": _("请填写薄弱环节阈值。"), "invalid": _("请输入整数。")},
        }

    def _post_clean(self) -> None:
        """The service validates and saves the chain."""


class TermsField(forms.CharField):
    """Terms typed as one text ("电芯、锂离子电池 BMS"), cleaned into a list."""

    def prepare_value(self, value):
        return "、".join(value) if isinstance(value, list | tuple) else value

    def to_python(self, value) -> list[str]:
        return split_terms(super().to_python(value))


class LinkForm(StyledFormMixin, forms.ModelForm):
    industry_codes = TermsField(
        label=_("行业代码"),
        required=False,
        help_text=_("国民经济行业分类门类字母或两位大类代码，如 C、36。") + TERMS_HELP,
    )
    keywords = TermsField(
        label=_("关键词"), required=False, help_text=_("经营范围中会出现的词，如 电芯、锂离子电池。") + TERMS_HELP
    )

    class Meta:
        model = Link
        fields = ["name", "segment", "parent", "description", "industry_codes", "keywords", "weak_below", "order"]
        error_messages = {
            "name": {"required": _("请填写环节名称。")},
            "segment": {"required": _("请选择环节所处位置。")},
            "weak_below": {"invalid": _("请输入整数。")},
        }

    def __init__(self, *args, chain: Chain, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        parents = Link.objects.filter(chain=chain).order_by("segment", "order", "id")
        if self.instance.pk:
            parents = parents.exclude(pk__in={self.instance.pk} | descendant_ids(self.instance))
        self.fields["parent"].queryset = parents
        self.fields["parent"].label_from_instance = lambda link: f"{link.get_segment_display()} · {link.name}"
        self.fields["parent"].empty_label = _("（无，作为一级环节）")

    def _post_clean(self) -> None:
        """The service validates and saves the link."""
