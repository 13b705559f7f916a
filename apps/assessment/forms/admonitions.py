"""Forms of the admonition pages: the list's filter, the talk and its follow-up."""

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.assessment.models import Admonition
from apps.core.forms import StyledFormMixin


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"})


class AdmonitionFilterForm(StyledFormMixin, forms.Form):
    scheme = forms.ModelChoiceField(label=_("考核方案"), queryset=None, required=False, empty_label=_("全部"))
    unit = forms.ModelChoiceField(label=_("被约谈单位"), queryset=None, required=False, empty_label=_("全部"))
    status = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部")), *Admonition.Status.choices])

    def __init__(self, *args, schemes, units, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scheme"].queryset = schemes
        self.fields["unit"].queryset = units


class TalkForm(StyledFormMixin, forms.Form):
    held_on = forms.DateField(label=_("约谈日期"), widget=_date_input())
    leader = forms.CharField(label=_("约谈领导"), max_length=50, required=False)
    attendees = forms.CharField(label=_("被约谈人"), max_length=100, required=False)
    issues = forms.CharField(label=_("指出问题"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    commitments = forms.CharField(label=_("整改承诺"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class FollowUpForm(StyledFormMixin, forms.Form):
    follow_up = forms.CharField(label=_("整改情况"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    followed_on = forms.DateField(
        label=_("整改完成日期"), required=False, widget=_date_input(), help_text=_("填写后约谈记为已整改")
    )
