"""Writes to units, people and roles. Changes are recorded by django-auditlog (org/audit.py)."""

from collections.abc import Iterable

from auditlog.models import LogEntry
from axes.utils import reset as axes_reset
from django.contrib.auth.models import Permission
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import records_actor
from apps.core.errors import BusinessRuleError
from apps.org.models import Role, Unit, User
from apps.org.roles import ADMINISTRATOR_CODES, BUILTIN_ROLES

UNIT_FIELDS = ("name", "short_name", "kind", "code", "phone", "address", "is_active")
PERSON_FIELDS = ("name", "unit", "title", "phone", "email")


def _check_parent(kind: str, parent: Unit | None) -> None:
    if parent is None:
        if kind != Unit.Kind.CITY or Unit.objects.filter(depth=1).exists():
            raise BusinessRuleError(_("只有一个根单位，且必须是市。"), field="parent")
        return
    if kind not in Unit.ALLOWED_CHILDREN[parent.kind]:
        raise BusinessRuleError(
            _("%(parent)s 下不能设立%(kind)s。") % {"parent": parent.get_kind_display(), "kind": Unit.Kind(kind).label},
            field="kind",
        )


@records_actor
@transaction.atomic
def create_unit(*, parent: Unit | None, by: User | None, **fields: object) -> Unit:
    """Add a unit under ``parent`` (None for the city itself)."""
    _check_parent(fields["kind"], parent)
    unit = Unit(**{name: fields[name] for name in UNIT_FIELDS if name in fields})
    unit.full_clean(exclude=["path", "depth", "numchild"])
    if parent is None:
        return Unit.objects.add_root(instance=unit)
    return Unit.objects.add_child(parent, instance=unit)


@records_actor
@transaction.atomic
def update_unit(*, unit: Unit, parent: Unit | None, by: User, **fields: object) -> Unit:
    """Change a unit's details and, if ``parent`` differs, move it with its whole subtree."""
    for name in UNIT_FIELDS:
        if name in fields:
            setattr(unit, name, fields[name])
    current_parent = Unit.objects.get_parent(unit)
    if not unit.is_root():
        _check_parent(unit.kind, parent)
    unit.full_clean(exclude=["path", "depth", "numchild"])
    if not fields.get("is_active", True) and Unit.objects.get_descendants(unit).filter(is_active=True).exists():
        raise BusinessRuleError(_("请先停用下级单位，再停用本单位。"), field="is_active")
    unit.save()
    if parent is not None and parent != current_parent:
        if parent.path.startswith(unit.path):
            raise BusinessRuleError(_("不能把单位移到它自己的下级单位之下。"), field="parent")
        Unit.objects.move(unit, parent, "sorted-child")
        unit.refresh_from_db()
    return unit


@records_actor
@transaction.atomic
def create_person(*, username: str, password: str, by: User | None, **fields: object) -> User:
    """Open an account; the person must choose their own password at first login."""
    person = User(username=username, must_change_password=True, **{k: fields[k] for k in PERSON_FIELDS if k in fields})
    person.full_clean(exclude=["password"])
    _validate_password(password, person)
    person.set_password(password)
    person.save()
    return person


@records_actor
@transaction.atomic
def update_person(*, person: User, by: User, **fields: object) -> User:
    """Change a person's details (not their roles or password)."""
    _refuse_integration(person)
    for name in PERSON_FIELDS:
        if name in fields:
            setattr(person, name, fields[name])
    person.full_clean(exclude=["password"])
    person.save()
    return person


@records_actor
@transaction.atomic
def set_person_active(*, person: User, active: bool, by: User) -> User:
    """Enable or disable an account; disabling ends the person's open sessions."""
    _refuse_integration(person)
    if person == by and not active:
        raise BusinessRuleError(_("不能停用自己的账号。"))
    person.is_active = active
    person.save(update_fields=["is_active"])
    if not active:
        end_sessions(person)
    return person


@records_actor
@transaction.atomic
def reset_password(*, person: User, password: str, by: User) -> User:
    """Give a person a temporary password that they must change at their next login."""
    _refuse_integration(person)
    _validate_password(password, person)
    person.set_password(password)
    person.must_change_password = True
    person.save(update_fields=["password", "must_change_password"])
    end_sessions(person)
    return person


@records_actor
@transaction.atomic
def change_own_password(*, user: User, old_password: str, new_password: str) -> User:
    """The person sets their own password (first login, expiry or by choice)."""
    if not user.check_password(old_password):
        raise BusinessRuleError(_("原密码不正确。"), field="old_password")
    if old_password == new_password:
        raise BusinessRuleError(_("新密码不能与原密码相同。"), field="new_password1")
    _validate_password(new_password, user)
    user.set_password(new_password)
    user.must_change_password = False
    user.password_changed_at = timezone.now()
    user.save(update_fields=["password", "must_change_password", "password_changed_at"])
    return user


def _refuse_integration(person: User) -> None:
    """An integration token's account is kept by its token: a password or a role would let it do more."""
    if person.is_integration:
        raise BusinessRuleError(_("这是接口令牌使用的账号，由“接口令牌”管理：请在那里吊销或新建令牌。"))


def _validate_password(password: str, person: User) -> None:
    from django.core.exceptions import ValidationError

    try:
        validate_password(password, person)
    except ValidationError as exc:
        raise BusinessRuleError(" ".join(exc.messages), field="password") from exc


def end_sessions(person: User) -> int:
    """Delete every open session of the person; returns how many were ended."""
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == str(person.pk):
            session.delete()
            ended += 1
    return ended


@records_actor
@transaction.atomic
def assign_roles(*, person: User, roles: Iterable[Role], by: User | None) -> User:
    """Set the roles a person holds, keeping the three administrator roles apart from all others."""
    _refuse_integration(person)
    roles = list(roles)
    codes = {role.code for role in roles}
    if codes & ADMINISTRATOR_CODES and len(codes) > 1:
        raise BusinessRuleError(
            _("三员分立：系统管理员、安全管理员、审计管理员只能单独授予，不能与其他角色兼任。"), field="roles"
        )
    if codes & ADMINISTRATOR_CODES and (person.unit is None or not person.unit.is_root()):
        raise BusinessRuleError(
            _("三员管理角色只能授予市本级（根单位）人员，以便其管理全市账号、权限和审计。"), field="roles"
        )
    if person == by and person.roles.filter(code__in=ADMINISTRATOR_CODES).exists():
        raise BusinessRuleError(_("不能修改自己的角色。"), field="roles")
    person.roles.set(roles)
    return person


def assignable_permissions():
    """Permissions a custom role may hold: any except the three administrators' own."""
    admin_perms = {perm for role in BUILTIN_ROLES if role.is_administrator for perm in role.permissions}
    shared = {"org.view_unit", "org.view_user"}
    excluded = admin_perms - shared
    queryset = Permission.objects.select_related("content_type").exclude(content_type__app_label__in=_internal_apps())
    for perm in excluded:
        app_label, codename = perm.split(".")
        queryset = queryset.exclude(content_type__app_label=app_label, codename=codename)
    return queryset.order_by("content_type__app_label", "codename")


def _internal_apps() -> list[str]:
    return ["admin", "auth", "contenttypes", "sessions", "auditlog", "axes", "django_tasks_database"]


@records_actor
@transaction.atomic
def save_role(
    *, role: Role | None, by: User, code: str, name: str, description: str, permissions: Iterable[Permission]
) -> Role:
    """Create or change a custom role; built-in roles are defined in code and cannot be edited."""
    if role is not None and role.is_builtin:
        raise BusinessRuleError(_("内置角色由系统定义，不能修改。"))
    permissions = list(permissions)
    allowed = set(assignable_permissions().values_list("pk", flat=True))
    if any(perm.pk not in allowed for perm in permissions):
        raise BusinessRuleError(_("自定义角色不能包含三员管理权限。"), field="permissions")
    role = role or Role()
    role.code, role.name, role.description = code, name, description
    role.full_clean()
    role.save()
    role.permissions.set(permissions)
    return role


@records_actor
@transaction.atomic
def delete_role(*, role: Role, by: User) -> None:
    """Remove a custom role that nobody holds."""
    if role.is_builtin:
        raise BusinessRuleError(_("内置角色不能删除。"))
    if role.people.exists():
        raise BusinessRuleError(_("仍有人员持有该角色，请先取消分配。"))
    role.delete()


def unlock_person(*, person: User, by: User) -> int:
    """Lift a login lockout early (recorded in the audit log); returns how many lockout records were cleared."""
    cleared = axes_reset(username=person.username)
    if cleared:
        LogEntry.objects.log_create(
            person, force_log=True, action=LogEntry.Action.UPDATE, actor=by, changes={"登录锁定": ["已锁定", "已解除"]}
        )
    return cleared


def sync_builtin_roles() -> None:
    """Create or update the built-in roles so their permissions match org/roles.py."""
    for spec in BUILTIN_ROLES:
        role, _created = Role.objects.update_or_create(
            code=spec.code,
            defaults={
                "name": str(spec.name),
                "description": str(spec.description),
                "is_builtin": True,
                "is_administrator": spec.is_administrator,
            },
        )
        role.permissions.set(_permissions(spec.permissions))


def _permissions(names: Iterable[str]) -> list[Permission]:
    found = []
    for name in names:
        app_label, codename = name.split(".")
        perm = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
        if perm is not None:  # an app not installed yet contributes nothing
            found.append(perm)
    return found


def sync_builtin_roles_after_migrate(**kwargs) -> None:
    sync_builtin_roles()
