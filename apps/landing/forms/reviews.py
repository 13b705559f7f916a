"""Forms of the reviews pages: they check the shape; the rules are the services' (apps/landing/services/reviews.py)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.forms import StyledFormMixin
from apps.landing.models import JointReview, ReviewOpinion, Verdict
from apps.landing.selectors.reviews import DepartmentGroup
from apps.landing.services.reviews import MAX_DAYS, MIN_DAYS
from apps.org.models import Unit

DEFAULT_DAYS = 5


class OpenReviewForm(StyledFormMixin, forms.Form):
    subject = forms.CharField(label=_("审查事项"), max_length=200, initial=_("项目联评联审"))
    note = forms.CharField(
        label=_("送审说明"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("项目概况、用地、能耗、环保等需各部门重点审查的内容。"),
    )
    departments = forms.TypedMultipleChoiceField(
        label=_("审查部门"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        error_messages={"required": _("请至少选择一个审查部门。")},
    )
    time_limit_days = forms.IntegerField(
        label=_("审查期限（工作日）"), min_value=MIN_DAYS, max_value=MAX_DAYS, initial=DEFAULT_DAYS
    )

    def __init__(self, *args, groups: list[DepartmentGroup], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.groups = groups
        self._units = {unit.pk: unit for group in groups for unit in group.departments}
        self.fields["departments"].choices = [
            (group.area.name, [(unit.pk, unit.name) for unit in group.departments]) for group in groups
        ]

    def clean_departments(self) -> list[Unit]:
        return [self._units[pk] for pk in self.cleaned_data["departments"]]

    def department_groups(self) -> list[tuple[str, list]]:
        """The checkboxes grouped by level (the city's departments, the county's), for the template."""
        boxes = {box.data["value"]: box for box in self["departments"]}
        return [(group.area.name, [boxes[unit.pk] for unit in group.departments]) for group in self.groups]


class OpinionForm(StyledFormMixin, forms.Form):
    verdict = forms.ChoiceField(
        label=_("审查意见"),
        choices=[(v.value, v.label) for v in Verdict if v != Verdict.PENDING],
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    conditions = forms.CharField(
        label=_("同意的条件"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("有条件同意时必填，每条一行；签约后将转为手续清单事项。"),
    )
    reason = forms.CharField(
        label=_("不同意的理由"), required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text=_("不同意时必填。")
    )
    legal_basis = forms.CharField(
        label=_("法律政策依据"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("不同意时必填，写明法律法规、规划或政策的名称和条款。"),
    )
    change_reason = forms.CharField(
        label=_("变更理由"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("修改已反馈的意见须留痕；由同意改为有条件同意或不同意时必填。"),
    )

    def __init__(self, *args, opinion: ReviewOpinion, **kwargs) -> None:
        if opinion.verdict != Verdict.PENDING:
            kwargs.setdefault(
                "initial",
                {name: getattr(opinion, name) for name in ("verdict", "conditions", "reason", "legal_basis")},
            )
        super().__init__(*args, **kwargs)
        self.opinion = opinion
        if opinion.verdict == Verdict.PENDING:
            del self.fields["change_reason"]


class ReviewFilterForm(StyledFormMixin, forms.Form):
    q = forms.CharField(
        label=_("搜索"), required=False, max_length=100, widget=forms.TextInput(attrs={"placeholder": _("项目名称")})
    )
    status = forms.ChoiceField(label=_("状态"), required=False)
    department = forms.ModelChoiceField(label=_("审查部门"), queryset=None, required=False, empty_label=_("全部"))
    overdue = forms.BooleanField(label=_("只看逾期"), required=False)

    def __init__(self, *args, departments, answers: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("全部")), *JointReview.Status.choices]
        if answers:
            choices.insert(1, ("awaiting", _("待本单位反馈")))
        self.fields["status"].choices = choices
        self.fields["department"].queryset = departments
