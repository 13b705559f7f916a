from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.errors import BusinessRuleError


class StyledFormMixin:
    """Gives every widget its Bootstrap class, so templates render fields without per-field markup."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.DateInput) and widget.input_type == "date":
                widget.format = "%Y-%m-%d"  # what <input type="date"> takes, whatever the locale writes
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
                continue
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


def add_rule_error(form: forms.Form, error: BusinessRuleError) -> None:
    """Show a service's refusal on the form, beside its field when the form has that field."""
    form.add_error(error.field if error.field in form.fields else None, error.message)


class ExcelUploadForm(StyledFormMixin, forms.Form):
    """The file of an Excel import: an .xlsx of at most 5 MB (what the sheet says is the import's business)."""

    MAX_BYTES = 5 * 1024 * 1024

    file = forms.FileField(label=_("Excel 文件（.xlsx）"), help_text=_("请使用下载的模板，不超过 5 MB"))

    def __init__(self, *args, label: str | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if label:
            self.fields["file"].label = label

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("请上传 .xlsx 格式的 Excel 文件。"))
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("文件不能超过 5 MB。"))
        return upload
