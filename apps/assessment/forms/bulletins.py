"""Forms of the bulletin pages: the list's filter, issuing (or revising) a bulletin, uploading a template."""

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.assessment.models import Bulletin, BulletinKind
from apps.core.forms import StyledFormMixin


class BulletinFilterForm(StyledFormMixin, forms.Form):
    q = forms.CharField(label=_("搜索"), required=False, widget=forms.TextInput(attrs={"placeholder": _("文号或标题")}))
    scheme = forms.ModelChoiceField(label=_("考核方案"), queryset=None, required=False, empty_label=_("全部"))
    kind = forms.ChoiceField(label=_("通报类别"), required=False, choices=[("", _("全部")), *BulletinKind.choices])
    status = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部")), *Bulletin.Status.choices])

    def __init__(self, *args, schemes, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scheme"].queryset = schemes


class BulletinForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label=_("标题"), max_length=200)
    recipients = forms.CharField(label=_("主送单位"), max_length=200)
    issued_on = forms.DateField(label=_("印发日期"), widget=forms.DateInput(attrs={"type": "date"}))
    summary = forms.CharField(
        label=_("综述"), widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("系统按排名拟好了初稿，可以修改；每行一段。"),
    )  # fmt: skip
    requirements = forms.CharField(
        label=_("下一步工作要求"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("可不填；每行一段。"),
    )  # fmt: skip
    revision_reason = forms.CharField(
        label=_("修订理由"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("新版本将替代已印发的版本，理由印在新版本的标题下。"),
    )  # fmt: skip

    def __init__(self, *args, revising: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if revising:
            self.fields["revision_reason"].required = True
        else:
            del self.fields["revision_reason"]


class TemplateUploadForm(StyledFormMixin, forms.Form):
    file = forms.FileField(
        label=_("Word 模板（.docx）"),
        help_text=_("上传前系统会用示例数据试生成一次，字段名或标签有误的模板不会被采用。"),
    )
