from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.forms import StyledFormMixin
from apps.investment.forms.projects import ProjectFilterForm
from apps.landing.models import TaskForceMember
from apps.landing.selectors.status import LEVELS


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"})


class TaskForceForm(StyledFormMixin, forms.Form):
    leader = forms.ModelChoiceField(label=_("包抓领导"), queryset=None)
    lead_unit = forms.ModelChoiceField(label=_("牵头单位"), queryset=None)
    established_on = forms.DateField(label=_("成立日期"), widget=_date_input())
    plan = forms.CharField(
        label=_("工作方案"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("目标、节点安排、责任分工和推进措施（一套方案、一抓到底）"),
    )

    def __init__(self, *args, people, units, task_force=None, **kwargs) -> None:
        if task_force is not None:
            kwargs.setdefault("initial", self.initial_for(task_force))
        else:
            kwargs.setdefault("initial", {"established_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = people
        self.fields["lead_unit"].queryset = units

    @staticmethod
    def initial_for(task_force) -> dict:
        return {
            "leader": task_force.leader_id,
            "lead_unit": task_force.lead_unit_id,
            "established_on": task_force.established_on,
            "plan": task_force.plan,
        }


class MemberForm(StyledFormMixin, forms.Form):
    person = forms.ModelChoiceField(label=_("成员"), queryset=None)
    role = forms.ChoiceField(label=_("职责"), choices=TaskForceMember.Role.choices, initial=TaskForceMember.Role.MEMBER)
    duty = forms.CharField(label=_("分工"), max_length=200, required=False, help_text=_("如：负责用地报批协调"))

    def __init__(self, *args, people, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people


class MemberChangeForm(StyledFormMixin, forms.Form):
    member = forms.IntegerField(widget=forms.HiddenInput)
    role = forms.ChoiceField(label=_("职责"), choices=TaskForceMember.Role.choices)
    duty = forms.CharField(label=_("分工"), max_length=200, required=False)


class MemberRemoveForm(forms.Form):
    member = forms.IntegerField(widget=forms.HiddenInput)


class TaskForceFilterForm(StyledFormMixin, forms.Form):
    q = forms.CharField(
        label=_("搜索"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("项目名称或编号")}),
    )
    unit = forms.ModelChoiceField(label=_("单位"), queryset=None, required=False, empty_label=_("全部"))
    leader = forms.ModelChoiceField(label=_("包抓领导"), queryset=None, required=False, empty_label=_("全部"))
    missing = forms.BooleanField(label=_("重大项目未建专班"), required=False)

    def __init__(self, *args, units, leaders, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["leader"].queryset = leaders


class LeaderPickForm(StyledFormMixin, forms.Form):
    leader = forms.ModelChoiceField(label=_("包抓领导"), queryset=None, required=False, empty_label=_("我本人"))

    def __init__(self, *args, leaders, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = leaders


class LandingProjectFilterForm(ProjectFilterForm):
    """The pipeline's filters without its lead-only one, plus the status light, task force and leader."""

    level = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部")), *LEVELS.items()])
    task_force = forms.ChoiceField(
        label=_("专班"), required=False, choices=[("", _("全部")), ("yes", _("已建专班")), ("no", _("未建专班"))]
    )
    leader = forms.ModelChoiceField(label=_("包抓领导"), queryset=None, required=False, empty_label=_("全部"))

    def __init__(self, *args, leaders, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["overdue"]
        self.fields["status"].label = _("推进状态")
        self.fields["leader"].queryset = leaders
