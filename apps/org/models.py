from django.contrib.auth.models import AbstractBaseUser, Permission, PermissionsMixin, UserManager
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from apps.core.masking import mask_phone
from apps.core.scope import ScopedQuerySet


class UnitQuerySet(MP_NodeQuerySet, ScopedQuerySet):
    scope_owner = ""

    def active(self) -> "UnitQuerySet":
        """Units in service (not merged or abolished)."""
        return self.filter(is_active=True)

    def search(self, text: str) -> "UnitQuerySet":
        """Units whose name, short name or code contains the text."""
        if not text:
            return self
        return self.filter(
            models.Q(name__icontains=text) | models.Q(short_name__icontains=text) | models.Q(code__icontains=text)
        )


class UnitManager(MP_NodeManager.from_queryset(UnitQuerySet)):
    def get_queryset(self) -> UnitQuerySet:
        return UnitQuerySet(self.model, using=self._db).order_by("path")


class Unit(MP_Node):
    """A government unit: the city, a county or development zone, a town, or a department."""

    class Kind(models.TextChoices):
        CITY = "city", _("市")
        COUNTY = "county", _("区县")
        ZONE = "zone", _("开发区")
        TOWN = "town", _("乡镇街道")
        DEPARTMENT = "department", _("部门")

    #: which kinds of unit may sit under which (the city is the only root)
    ALLOWED_CHILDREN = {
        Kind.CITY: {Kind.COUNTY, Kind.ZONE, Kind.DEPARTMENT},
        Kind.COUNTY: {Kind.TOWN, Kind.DEPARTMENT},
        Kind.ZONE: {Kind.TOWN, Kind.DEPARTMENT},
        Kind.TOWN: set(),
        Kind.DEPARTMENT: {Kind.DEPARTMENT},
    }

    name = models.CharField(_("名称"), max_length=100)
    short_name = models.CharField(_("简称"), max_length=50, blank=True)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    code = models.CharField(
        _("代码"),
        max_length=20,
        unique=True,
        help_text=_("区域填行政区划代码（市、区县 6 位，乡镇街道 9 位）；部门填机构代码。"),
    )
    phone = models.CharField(_("办公电话"), max_length=30, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    is_active = models.BooleanField(_("在用"), default=True)

    node_order_by = ["kind", "code"]
    objects = UnitManager()

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        permissions = [("manage_unit", _("管理单位"))]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    @cached_property
    def is_city_level(self) -> bool:
        """The city itself or a city department: the unit sits in no county, zone or town."""
        step = self.steplen
        ancestors = [self.path[:end] for end in range(step, len(self.path) + 1, step)]
        areas = (self.Kind.COUNTY, self.Kind.ZONE, self.Kind.TOWN)
        return not Unit.objects.filter(path__in=ancestors, kind__in=areas).exists()


class Role(models.Model):
    """A named set of permissions a person holds; built-in roles are defined in org/roles.py."""

    code = models.SlugField(_("代码"), max_length=50, unique=True)
    name = models.CharField(_("名称"), max_length=50, unique=True)
    description = models.CharField(_("说明"), max_length=200, blank=True)
    is_builtin = models.BooleanField(_("内置"), default=False, editable=False)
    is_administrator = models.BooleanField(_("三员管理角色"), default=False, editable=False)
    permissions = models.ManyToManyField(Permission, verbose_name=_("权限"), blank=True)

    class Meta:
        verbose_name = _("角色")
        verbose_name_plural = _("角色")
        ordering = ["-is_builtin", "id"]
        permissions = [("manage_role", _("管理角色")), ("assign_role", _("为人员分配角色"))]

    def __str__(self) -> str:
        return self.name


class PersonQuerySet(ScopedQuerySet):
    def active(self) -> "PersonQuerySet":
        """People whose account is enabled."""
        return self.filter(is_active=True)

    def search(self, text: str) -> "PersonQuerySet":
        """People whose name, account or job title contains the text."""
        if not text:
            return self
        return self.filter(
            models.Q(name__icontains=text) | models.Q(username__icontains=text) | models.Q(title__icontains=text)
        )


class PersonManager(UserManager.from_queryset(PersonQuerySet)):
    def create_user(self, username, password=None, **extra_fields):
        extra_fields.setdefault("name", username)
        user = self.model(username=username, **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, username, password=None, **extra_fields):
        raise NotImplementedError("三员分立：本系统不设超级用户，请用 manage.py create_admin 创建三员管理员")


class User(AbstractBaseUser, PermissionsMixin):
    """A person with an account: government staff belong to a unit; enterprise users to none."""

    username = models.CharField(
        _("账号"),
        max_length=50,
        unique=True,
        help_text=_("字母、数字和 @/./+/-/_，不超过 50 个字符。"),
        validators=[UnicodeUsernameValidator()],
    )
    name = models.CharField(_("姓名"), max_length=50)
    unit = models.ForeignKey(
        Unit, verbose_name=_("所属单位"), on_delete=models.PROTECT, null=True, blank=True, related_name="people"
    )
    title = models.CharField(_("职务"), max_length=50, blank=True)
    phone = models.CharField(_("手机号码"), max_length=20, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    roles = models.ManyToManyField(Role, verbose_name=_("角色"), blank=True, related_name="people")
    is_active = models.BooleanField(_("启用"), default=True)
    must_change_password = models.BooleanField(_("下次登录须修改密码"), default=True)
    password_changed_at = models.DateTimeField(_("密码修改时间"), null=True, blank=True)
    date_joined = models.DateTimeField(_("创建时间"), default=timezone.now)
    #: the account an integration token acts through (apps/api): no password, no role, kept by its token
    is_integration = models.BooleanField(_("接口账号"), default=False, editable=False)

    objects = PersonManager()

    USERNAME_FIELD = "username"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        ordering = ["unit__path", "id"]
        permissions = [
            ("manage_user", _("管理人员账号")),
            ("unlock_user", _("解除登录锁定")),
            ("view_personal_data", _("查看完整个人信息")),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.username}）"

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    def role_codes(self) -> set[str]:
        return {role.code for role in self.roles.all()}
