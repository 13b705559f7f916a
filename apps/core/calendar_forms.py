"""Forms of the working-day calendar pages; an imported Excel row is checked by CalendarDayForm too."""

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.forms import StyledFormMixin

MAX_IMPORT_BYTES = 2 * 1024 * 1024
WORKDAY_CHOICES = [("0", _("否（放假休息）")), ("1", _("是（上班）"))]


def _is_one(value: str) -> bool:
    return value == "1"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class CalendarDayForm(StyledFormMixin, forms.Form):
    date = forms.DateField(label=_("日期"), widget=DateInput())
    is_workday = forms.TypedChoiceField(
        label=_("是否工作日"),
        choices=WORKDAY_CHOICES,
        coerce=_is_one,
        error_messages={"invalid_choice": _("只能填“是”或“否”。")},
    )
    note = forms.CharField(label=_("说明"), max_length=100, required=False, help_text=_("如：国庆节、国庆节调休上班"))


class CalendarYearForm(StyledFormMixin, forms.Form):
    year = forms.IntegerField(label=_("年份"), min_value=2000, max_value=2100)
    source = forms.CharField(
        label=_("依据"), max_length=200, help_text=_("如：国务院办公厅关于2027年部分节假日安排的通知")
    )


class CalendarDayFilterForm(StyledFormMixin, forms.Form):
    year = forms.IntegerField(label=_("年份"), min_value=2000, max_value=2100, required=False)


class AddWorkingDaysForm(StyledFormMixin, forms.Form):
    start = forms.DateField(label=_("起算日期"), widget=DateInput())
    days = forms.IntegerField(label=_("工作日数"), min_value=-3650, max_value=3650, help_text=_("负数表示向前推算。"))


class WorkingDaysBetweenForm(StyledFormMixin, forms.Form):
    start = forms.DateField(label=_("起算日期"), widget=DateInput())
    end = forms.DateField(label=_("截止日期"), widget=DateInput())


class CalendarImportForm(StyledFormMixin, forms.Form):
    file = forms.FileField(
        label=_("Excel 文件"),
        help_text=_(".xlsx 格式，第一行为表头：日期、是否工作日（是/否）、说明。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("请上传 .xlsx 格式的 Excel 文件。"))
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("文件不能超过 2 MB。"))
        return upload
