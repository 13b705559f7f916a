from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.forms import StyledFormMixin
from apps.investment.forms.projects import MAX_UPLOAD
from apps.investment.models import Project, ProjectDocument
from apps.landing.models import ChecklistStep, ChecklistTemplate, StepStatus, TemplateStep
from apps.org.models import Unit

DATE = {"widget": forms.DateInput(attrs={"type": "date"})}
REASON = {"widget": forms.Textarea(attrs={"rows": 3})}


class StepFilterForm(StyledFormMixin, forms.Form):
    q = forms.CharField(
        label=_("搜索"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("项目、企业或手续名称")}),
    )
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部")), ("open", _("未办结")), *StepStatus.choices]
    )
    department = forms.ModelChoiceField(label=_("责任部门"), queryset=None, required=False, empty_label=_("全部"))
    unit = forms.ModelChoiceField(label=_("项目单位"), queryset=None, required=False, empty_label=_("全部"))
    overdue = forms.BooleanField(label=_("仅看逾期"), required=False)
    mine = forms.BooleanField(label=_("本单位办理"), required=False)

    def __init__(self, *args, departments, units, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments
        self.fields["unit"].queryset = units


class StartForm(StyledFormMixin, forms.Form):
    started_on = forms.DateField(label=_("受理日期"), **DATE)

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("initial", {"started_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class FinishForm(StyledFormMixin, forms.Form):
    done_on = forms.DateField(label=_("办结日期"), **DATE)
    approval_number = forms.CharField(
        label=_("批准文号"), max_length=100, required=False, help_text=_("批复、许可证或证书的编号；施工许可证必填")
    )
    note = forms.CharField(label=_("办理情况"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    upload = forms.FileField(label=_("批文扫描件"), required=False, help_text=_("上传后归档到项目材料"))

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("initial", {"done_on": timezone.localdate()})
        super().__init__(*args, **kwargs)

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if upload and upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("文件不能超过 20 MB。"))
        return upload


class ReasonForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("理由"), **REASON)


class DepartmentForm(StyledFormMixin, forms.Form):
    department = forms.ModelChoiceField(label=_("责任部门"), queryset=None)

    def __init__(self, *args, departments, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments


class ManualStepForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("手续名称"), max_length=100)
    department = forms.ModelChoiceField(label=_("责任部门"), queryset=None)
    time_limit_days = forms.IntegerField(label=_("办理时限（工作日）"), min_value=1, max_value=365)
    prerequisites = forms.ModelMultipleChoiceField(
        label=_("前置手续"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    description = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, departments, checklist, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments
        self.fields["prerequisites"].queryset = ChecklistStep.objects.filter(checklist=checklist)


class ChooseTemplateForm(StyledFormMixin, forms.Form):
    template = forms.ModelChoiceField(label=_("手续清单模板"), queryset=ChecklistTemplate.objects.none())
    started_on = forms.DateField(
        label=_("起算日期"), help_text=_("承诺时限从这一天起算，一般为签约日期"), required=False, **DATE
    )

    def __init__(self, *args, templates, with_start: bool = True, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = templates
        if not with_start:
            del self.fields["started_on"]


class TemplateForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("模板名称"), max_length=100)
    description = forms.CharField(label=_("适用情形"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    project_kind = forms.ChoiceField(
        label=_("默认用于项目类型"),
        required=False,
        choices=[("", _("不自动使用")), *Project.Kind.choices],
        help_text=_("该类型的项目签约时自动按本模板建立手续清单"),
    )
    commitment_days = forms.IntegerField(
        label=_("承诺施工许可办理时限（工作日）"), required=False, min_value=1, max_value=365
    )
    commitment_note = forms.CharField(label=_("承诺依据"), max_length=200, required=False)
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)

    @classmethod
    def initial_for(cls, template: ChecklistTemplate) -> dict:
        return {name: getattr(template, name) for name in cls.base_fields}


class TemplateStepForm(StyledFormMixin, forms.Form):
    order = forms.IntegerField(label=_("序号"), min_value=1, max_value=999, required=False)
    name = forms.CharField(label=_("手续名称"), max_length=100)
    department = forms.ModelChoiceField(
        label=_("责任部门"),
        queryset=None,
        required=False,
        help_text=_("指定市级部门；不指定时按下面的关键词在项目所在地查找部门"),
    )
    department_hint = forms.CharField(
        label=_("责任部门（名称关键词）"), max_length=50, required=False, help_text=_("如“自然资源”“生态环境”")
    )
    time_limit_days = forms.IntegerField(label=_("法定时限（工作日）"), min_value=1, max_value=365)
    prerequisites = forms.ModelMultipleChoiceField(
        label=_("前置手续"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    materials = forms.CharField(label=_("申请材料"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    document_kind = forms.ChoiceField(
        label=_("批文归档类别"), required=False, choices=[("", _("其他材料")), *ProjectDocument.Kind.choices]
    )
    is_permit = forms.BooleanField(label=_("施工许可节点"), required=False)

    def __init__(self, *args, template: ChecklistTemplate, step: TemplateStep | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Unit.objects.filter(
            kind=Unit.Kind.DEPARTMENT, is_active=True, depth=2
        ).order_by("path")
        others = template.steps.all()
        self.fields["prerequisites"].queryset = others.exclude(pk=step.pk) if step is not None else others

    @classmethod
    def initial_for(cls, step: TemplateStep) -> dict:
        initial = {name: getattr(step, name) for name in cls.base_fields if name not in ("department", "prerequisites")}
        return {**initial, "department": step.department_id, "prerequisites": list(step.prerequisites.all())}
