"""Forms of the knowledge base (知识库): an article, the list's filters, the counts' period and a move's note."""

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.appeals.models import Article, Category
from apps.appeals.models.knowledge import ArticleState
from apps.core.forms import StyledFormMixin
from apps.org.models import Unit

DATE = forms.DateInput(attrs={"type": "date"})


class ArticleForm(StyledFormMixin, forms.ModelForm):
    note = forms.CharField(label=_("修订说明"), required=False, max_length=500)

    class Meta:
        model = Article
        fields = ["title", "category", "questions", "answer", "legal_basis", "keywords", "review_on"]
        widgets = {
            "questions": forms.Textarea(attrs={"rows": 3}),
            "answer": forms.Textarea(attrs={"rows": 6}),
            "legal_basis": forms.Textarea(attrs={"rows": 2}),
            "review_on": DATE,
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.filter(is_active=True).order_by("code")


class ArticleFilterForm(StyledFormMixin, forms.Form):
    q = forms.CharField(
        label=_("搜索"), required=False, widget=forms.TextInput(attrs={"placeholder": _("标题、问题、答复、关键词")})
    )
    category = forms.ModelChoiceField(label=_("诉求分类"), queryset=Category.objects.none(), required=False)
    owner = forms.ModelChoiceField(label=_("责任部门"), queryset=Unit.objects.none(), required=False)
    state = forms.ChoiceField(label=_("状态"), choices=[("", "---------"), *ArticleState.choices], required=False)
    overdue = forms.BooleanField(label=_("只看复核逾期"), required=False)

    def __init__(self, *args, categories, owners, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories
        self.fields["owner"].queryset = owners


class PeriodForm(StyledFormMixin, forms.Form):
    start = forms.DateField(label=_("统计日期自"), widget=DATE)
    end = forms.DateField(label=_("至"), widget=DATE)

    def clean(self) -> dict:
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError(_("开始日期不能晚于结束日期。"))
        return data


class MoveForm(StyledFormMixin, forms.Form):
    note = forms.CharField(label=_("说明"), required=False, max_length=500)
