from auditlog.registry import auditlog


def register_models() -> None:
    """Record every change to units, people and roles (passwords and login times excluded)."""
    from apps.org.models import Role, Unit, User

    auditlog.register(Unit, exclude_fields=["path", "depth", "numchild", "people"])
    auditlog.register(
        User,
        exclude_fields=["password", "last_login"],
        mask_fields=["phone"],
        m2m_fields={"roles"},
    )
    auditlog.register(Role, m2m_fields={"permissions"})
