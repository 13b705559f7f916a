"""Forms of the progress pages: monthly reports and photos, milestones, the ledger and chart filters, batch starts."""

from datetime import date
from decimal import Decimal

from django import forms
from django.core.validators import MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.forms import StyledFormMixin
from apps.landing.models import BatchStart, MilestoneKind
from apps.landing.services.progress import MAX_PHOTO_BYTES, PHOTO_FORMATS

MONTH_WIDGET = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
DATE_WIDGET = {"type": "date"}


class MonthField(forms.DateField):
    """A month typed as 2026-10 (``<input type="month">``), kept as its first day."""

    widget = MONTH_WIDGET

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("input_formats", ["%Y-%m", "%Y-%m-%d"])
        super().__init__(**kwargs)

    def clean(self, value):
        day = super().clean(value)
        return day.replace(day=1) if day else day


class ProgressReportForm(StyledFormMixin, forms.Form):
    month = MonthField(label=_("月份"))
    invested_in_month = forms.DecimalField(
        label=_("当月完成投资（万元）"), max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )
    description = forms.CharField(
        label=_("形象进度"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("本月完成的主要工程量、设备安装等"),
    )
    confirm_over = forms.BooleanField(
        label=_("确认超出协议投资"),
        required=False,
        help_text=_("累计完成投资超过协议投资 20% 以上时须勾选确认"),
    )


class PhotoForm(StyledFormMixin, forms.Form):
    image = forms.ImageField(label=_("照片"), help_text=_("JPEG 或 PNG，不超过 10 MB"))
    caption = forms.CharField(label=_("说明"), max_length=100, required=False)

    def clean_image(self):
        upload = self.cleaned_data["image"]
        if upload.size > MAX_PHOTO_BYTES:
            raise forms.ValidationError(_("照片不能超过 10 MB。"))
        image = getattr(upload, "image", None)
        if image is not None and image.format not in PHOTO_FORMATS:
            raise forms.ValidationError(_("请上传 JPEG 或 PNG 格式的照片。"))
        return upload


class LedgerFilterForm(StyledFormMixin, forms.Form):
    month = MonthField(label=_("月份"), required=False)
    unit = forms.ModelChoiceField(label=_("单位"), queryset=None, required=False, empty_label=_("全部"))
    reported = forms.ChoiceField(
        label=_("填报情况"),
        required=False,
        choices=[("", _("全部")), ("yes", _("已填报")), ("no", _("未填报"))],
    )

    def __init__(self, *args, units, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class GanttFilterForm(StyledFormMixin, forms.Form):
    unit = forms.ModelChoiceField(label=_("单位"), queryset=None, required=False, empty_label=_("全部"))
    year = forms.IntegerField(label=_("年度"), required=False, min_value=2000, max_value=2100)
    major = forms.BooleanField(label=_("仅重大项目"), required=False)

    def __init__(self, *args, units, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class MilestonePlanForm(StyledFormMixin, forms.Form):
    """One planned date per milestone; an empty date takes the milestone off the plan."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for kind in MilestoneKind:
            self.fields[kind.value] = forms.DateField(
                label=kind.label, required=False, widget=forms.DateInput(attrs=DATE_WIDGET)
            )

    def planned(self) -> dict[str, date | None]:
        return {kind.value: self.cleaned_data.get(kind.value) for kind in MilestoneKind}


class MilestoneReachForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("节点"), choices=MilestoneKind.choices)
    happened_on = forms.DateField(label=_("实际日期"), widget=forms.DateInput(attrs=DATE_WIDGET))

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("initial", {"happened_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class BatchForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = BatchStart
        fields = ["name", "unit", "held_on", "venue", "note"]
        widgets = {"held_on": forms.DateInput(attrs=DATE_WIDGET), "note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, units, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class BatchProjectsForm(StyledFormMixin, forms.Form):
    projects = forms.ModelMultipleChoiceField(
        label=_("加入开工项目"), queryset=None, widget=forms.SelectMultiple(attrs={"size": 8})
    )

    def __init__(self, *args, projects, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["projects"].queryset = projects
        self.fields["projects"].label_from_instance = lambda p: f"{p.name}（{p.unit.short_name or p.unit.name}）"


class BatchFilterForm(StyledFormMixin, forms.Form):
    q = forms.CharField(
        label=_("搜索"), required=False, max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("活动名称或会场")}),
    )  # fmt: skip
    year = forms.IntegerField(label=_("年度"), required=False, min_value=2000, max_value=2100)
