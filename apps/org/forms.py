from django import forms
from django.contrib.auth.models import Permission
from django.utils.translation import gettext_lazy as _

from apps.core.forms import StyledFormMixin
from apps.org.models import Role, Unit, User


class UnitForm(StyledFormMixin, forms.ModelForm):
    parent = forms.ModelChoiceField(queryset=Unit.objects.none(), label=_("上级单位"), required=False)

    class Meta:
        model = Unit
        fields = ["parent", "name", "short_name", "kind", "code", "phone", "address", "is_active"]

    def __init__(self, *args, parent_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = parent_choices if parent_choices is not None else Unit.objects.none()
        self.fields["parent"].label_from_instance = lambda unit: "　" * (unit.depth - 1) + unit.name


class UnitFilterForm(StyledFormMixin, forms.Form):
    q = forms.CharField(label=_("名称或代码"), required=False)
    kind = forms.ChoiceField(label=_("类型"), choices=[("", _("全部类型")), *Unit.Kind.choices], required=False)
    status = forms.ChoiceField(
        label=_("状态"), choices=[("", _("全部")), ("active", _("在用")), ("inactive", _("已停用"))], required=False
    )


class PersonForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = User
        fields = ["username", "name", "unit", "title", "phone", "email"]

    def __init__(self, *args, unit_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = unit_choices if unit_choices is not None else Unit.objects.none()
        self.fields["unit"].required = True
        self.fields["unit"].label_from_instance = lambda unit: "　" * (unit.depth - 1) + unit.name
        self.fields["phone"].widget.attrs["inputmode"] = "tel"
        if self.instance.pk:
            self.fields["username"].disabled = True

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        if phone and not (phone.isdigit() and len(phone) == 11 and phone.startswith("1")):
            raise forms.ValidationError(_("请输入 11 位手机号码。"))
        return phone


class NewPersonForm(PersonForm):
    password = forms.CharField(
        label=_("初始密码"),
        widget=forms.PasswordInput(render_value=False),
        help_text=_("首次登录时须修改。"),
    )


class PersonFilterForm(StyledFormMixin, forms.Form):
    q = forms.CharField(label=_("姓名、账号或职务"), required=False)
    unit = forms.ModelChoiceField(queryset=Unit.objects.none(), label=_("单位（含下级）"), required=False)
    role = forms.ModelChoiceField(queryset=Role.objects.all(), label=_("角色"), required=False)
    status = forms.ChoiceField(
        label=_("状态"),
        choices=[
            ("", _("全部")),
            ("active", _("启用")),
            ("inactive", _("已停用")),
            ("locked", _("已锁定")),
            ("no_role", _("未分配角色")),
        ],
        required=False,
    )

    def __init__(self, *args, unit_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = unit_choices if unit_choices is not None else Unit.objects.none()
        self.fields["unit"].label_from_instance = lambda unit: "　" * (unit.depth - 1) + unit.name


class PasswordResetForm(StyledFormMixin, forms.Form):
    password = forms.CharField(label=_("临时密码"), widget=forms.PasswordInput, help_text=_("该人员下次登录时须修改。"))


class OwnPasswordForm(StyledFormMixin, forms.Form):
    old_password = forms.CharField(label=_("原密码"), widget=forms.PasswordInput)
    new_password1 = forms.CharField(label=_("新密码"), widget=forms.PasswordInput)
    new_password2 = forms.CharField(label=_("确认新密码"), widget=forms.PasswordInput)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("new_password1") != cleaned.get("new_password2"):
            self.add_error("new_password2", _("两次输入的新密码不一致。"))
        return cleaned


class RoleAssignForm(StyledFormMixin, forms.Form):
    roles = forms.ModelMultipleChoiceField(
        queryset=Role.objects.all(), label=_("角色"), required=False, widget=forms.CheckboxSelectMultiple
    )


class RoleForm(StyledFormMixin, forms.ModelForm):
    permissions = forms.ModelMultipleChoiceField(
        queryset=Permission.objects.none(), label=_("权限"), required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Role
        fields = ["code", "name", "description", "permissions"]

    def __init__(self, *args, permission_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["permissions"].queryset = (
            permission_choices if permission_choices is not None else Permission.objects.none()
        )
        self.fields["permissions"].label_from_instance = permission_label


def permission_label(permission: Permission) -> str:
    """ "单位：管理单位" — the model's name, then the permission's."""
    model = permission.content_type.model_class()
    owner = model._meta.verbose_name if model else permission.content_type.app_label
    return f"{owner}：{permission.name}"
