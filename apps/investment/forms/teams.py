from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.forms import StyledFormMixin
from apps.enterprises.models import Enterprise, Industry
from apps.investment.models import Team

#: how many years back the year pickers go
YEARS_BACK = 6


def year_choices(*, blank: bool = False) -> list[tuple]:
    """This year and the years before it, newest first; "全部" first when the filter may be blank."""
    this_year = timezone.localdate().year
    years = [(year, _("%(year)s年") % {"year": year}) for year in range(this_year, this_year - YEARS_BACK, -1)]
    return [("", _("全部")), *years] if blank else years


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"})


class IndustriesField(forms.TypedMultipleChoiceField):
    """Target industries: sections (门类) or divisions (大类) of GB/T 4754, several at once."""

    def __init__(self, **kwargs) -> None:
        help_text = _("可多选：按住 Ctrl 键（Mac 为 Command 键）点选")
        super().__init__(label=_("目标行业"), required=False, coerce=int, help_text=help_text, **kwargs)
        self.widget.attrs["size"] = 8

    def clean(self, value):
        return list(Industry.objects.filter(pk__in=super().clean(value)))


def _industry_options() -> list:
    """Each section selectable on its own, followed by its divisions (one query)."""
    groups: dict[int, list] = {}
    labels: dict[int, str] = {}
    levels = (Industry.Level.SECTION, Industry.Level.DIVISION)
    for node in Industry.objects.filter(level__in=levels).order_by("-level", "code"):
        if node.level == Industry.Level.SECTION:
            labels[node.pk] = str(node)
            groups[node.pk] = [(node.pk, _("%(section)s（整个门类）") % {"section": node})]
        elif node.parent_id in groups:
            groups[node.parent_id].append((node.pk, str(node)))
    return [(labels[pk], options) for pk, options in groups.items()]


class TeamForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100, help_text=_("如：新能源汽车产业招商小分队"))
    unit = forms.ModelChoiceField(label=_("所属单位"), queryset=None)
    leader = forms.ModelChoiceField(label=_("队长"), queryset=None)
    target_regions = forms.CharField(
        label=_("目标区域"), max_length=200, required=False, help_text=_("如：长三角、珠三角")
    )
    target_industries = IndustriesField()
    is_active = forms.BooleanField(label=_("在用"), required=False, initial=True)

    def __init__(self, *args, units, people, team: Team | None = None, **kwargs) -> None:
        if team is not None:
            kwargs.setdefault("initial", self.initial_for(team))
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["leader"].queryset = people
        self.fields["target_industries"].choices = _industry_options()
        if team is None:
            del self.fields["is_active"]

    @staticmethod
    def initial_for(team: Team) -> dict:
        return {
            "name": team.name,
            "unit": team.unit_id,
            "leader": team.leader_id,
            "target_regions": team.target_regions,
            "target_industries": [industry.pk for industry in team.target_industries.all()],
            "is_active": team.is_active,
        }


class MemberForm(StyledFormMixin, forms.Form):
    person = forms.ModelChoiceField(label=_("队员"), queryset=None)
    role = forms.CharField(label=_("分工"), max_length=50, required=False, help_text=_("如：联络员、产业研究"))
    joined_on = forms.DateField(label=_("加入日期"), widget=_date_input())

    def __init__(self, *args, people, **kwargs) -> None:
        kwargs.setdefault("initial", {"joined_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people


class LeaveForm(StyledFormMixin, forms.Form):
    left_on = forms.DateField(label=_("退出日期"), widget=_date_input())

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("initial", {"left_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class TripForm(StyledFormMixin, forms.Form):
    starts_on = forms.DateField(label=_("出发日期"), widget=_date_input())
    ends_on = forms.DateField(label=_("返回日期"), widget=_date_input())
    destination = forms.CharField(label=_("目的地"), max_length=100, help_text=_("如：深圳市、苏州工业园区"))
    visited = forms.ModelMultipleChoiceField(
        label=_("拜访企业"),
        queryset=Enterprise.objects.active(),
        required=False,
        widget=forms.MultipleHiddenInput,
        error_messages={"invalid_choice": _("所选企业不在企业库中或已被合并，请重新选择。")},
    )
    results = forms.CharField(
        label=_("成果"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("对接情况、获取的线索、下一步安排"),
    )

    def clean(self):
        data = super().clean()
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("返回日期不能早于出发日期。"))
        return data

    def chosen_enterprises(self) -> list[Enterprise]:
        """The enterprises ticked on the form, to show again after a failed submission."""
        pks = [str(pk) for pk in (self["visited"].value() or []) if str(pk).isdigit()]
        return list(Enterprise.objects.active().filter(pk__in=pks).order_by("name"))


class TeamFilterForm(StyledFormMixin, forms.Form):
    q = forms.CharField(
        label=_("搜索"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("名称或目标区域")}),
    )
    unit = forms.ModelChoiceField(label=_("单位"), queryset=None, required=False, empty_label=_("全部"))
    active = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部")), ("1", _("在用")), ("0", _("已停用"))]
    )

    def __init__(self, *args, units, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class TripFilterForm(StyledFormMixin, forms.Form):
    q = forms.CharField(
        label=_("搜索"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("目的地、成果或小分队")}),
    )
    team = forms.ModelChoiceField(label=_("小分队"), queryset=None, required=False, empty_label=_("全部"))
    year = forms.TypedChoiceField(label=_("年度"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, teams, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        self.fields["year"].choices = year_choices(blank=True)


class ScorecardForm(StyledFormMixin, forms.Form):
    year = forms.TypedChoiceField(label=_("年度"), required=False, coerce=int, empty_value=None)
    unit = forms.ModelChoiceField(label=_("单位"), queryset=None, required=False, empty_label=_("全部"))

    def __init__(self, *args, units=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = year_choices()
        if units is None:
            del self.fields["unit"]
        else:
            self.fields["unit"].queryset = units

    def chosen_year(self) -> int:
        """The chosen year, this year when none (or a bad one) was asked for."""
        chosen = self.cleaned_data.get("year") if self.is_valid() else None
        return chosen or timezone.localdate().year
