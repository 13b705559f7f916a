from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.forms import StyledFormMixin
from apps.landing.models import ProjectProblem
from apps.landing.services.problems import DEFAULT_TIME_LIMIT


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"})


class DeadlineFields(forms.Form):
    """A deadline as working days from today, or a date."""

    time_limit_days = forms.IntegerField(
        label=_("办理时限（工作日）"), min_value=1, max_value=120, required=False, initial=DEFAULT_TIME_LIMIT
    )
    due_on = forms.DateField(
        label=_("或指定办结日期"), required=False, widget=_date_input(), help_text=_("填写后以此日期为准")
    )

    def deadline(self) -> dict:
        """The service's keywords for the deadline."""
        data = self.cleaned_data
        if data.get("due_on"):
            return {"due_on": data["due_on"]}
        return {"time_limit_days": data.get("time_limit_days") or DEFAULT_TIME_LIMIT}


class ProblemForm(StyledFormMixin, DeadlineFields):
    title = forms.CharField(label=_("问题"), max_length=200, help_text=_("一句话说明，如：项目用地指标尚未落实"))
    description = forms.CharField(label=_("具体情况"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    category = forms.ChoiceField(label=_("类别"), choices=ProjectProblem.Category.choices)
    source = forms.ChoiceField(label=_("提出方"), choices=ProjectProblem.Source.choices)
    department = forms.ModelChoiceField(label=_("责任部门"), queryset=None)
    field_order = ["title", "description", "category", "source", "department", "time_limit_days", "due_on"]

    def __init__(self, *args, departments, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments


class AnswerForm(StyledFormMixin, forms.Form):
    answer = forms.CharField(label=_("答复意见"), widget=forms.Textarea(attrs={"rows": 5}))


class CloseForm(StyledFormMixin, forms.Form):
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ReopenForm(StyledFormMixin, DeadlineFields):
    reason = forms.CharField(label=_("退回原因"), widget=forms.Textarea(attrs={"rows": 3}))
    field_order = ["reason", "time_limit_days", "due_on"]


class ReassignForm(StyledFormMixin, DeadlineFields):
    department = forms.ModelChoiceField(label=_("改派至"), queryset=None)
    reason = forms.CharField(label=_("改派原因"), widget=forms.Textarea(attrs={"rows": 3}))
    field_order = ["department", "reason", "time_limit_days", "due_on"]

    def __init__(self, *args, departments, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments


class ProblemFilterForm(StyledFormMixin, forms.Form):
    q = forms.CharField(
        label=_("搜索"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("问题、编号或项目")}),
    )
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部")), *ProjectProblem.Status.choices]
    )
    department = forms.ModelChoiceField(label=_("责任部门"), queryset=None, required=False, empty_label=_("全部"))
    category = forms.ChoiceField(
        label=_("类别"), required=False, choices=[("", _("全部")), *ProjectProblem.Category.choices]
    )
    source = forms.ChoiceField(
        label=_("提出方"), required=False, choices=[("", _("全部")), *ProjectProblem.Source.choices]
    )
    unit = forms.ModelChoiceField(label=_("项目单位"), queryset=None, required=False, empty_label=_("全部"))
    overdue = forms.BooleanField(label=_("逾期未答复"), required=False)
    escalated = forms.BooleanField(label=_("已升级包抓领导"), required=False)
    mine = forms.BooleanField(label=_("我提出的"), required=False)

    def __init__(self, *args, departments, units, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments
        self.fields["unit"].queryset = units
