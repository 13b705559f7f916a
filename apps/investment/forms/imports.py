from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.forms import StyledFormMixin
from apps.core.models import LedgerImport


class LedgerUploadForm(StyledFormMixin, forms.Form):
    file = forms.FileField(label=_("项目台账 Excel 文件（.xlsx）"))

    MAX_BYTES = 10 * 1024 * 1024

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("请上传 .xlsx 格式的 Excel 文件。"))
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("文件不能超过 10 MB；更大的台账请分批导入。"))
        return upload


class ImportFilterForm(StyledFormMixin, forms.Form):
    q = forms.CharField(
        label=_("搜索"), required=False, max_length=100, widget=forms.TextInput(attrs={"placeholder": _("文件名")})
    )
    status = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部")), *LedgerImport.Status.choices])
