from auditlog.registry import auditlog


def register_models() -> None:
    """Record every change to the registry; contacts' phone numbers are masked in the trail."""
    from apps.enterprises.models import Contact, DuplicateSuggestion, Enterprise, EnterpriseName, Merge, Tag

    auditlog.register(Enterprise, exclude_fields=["name_clean", "name_core", "updated_at"], m2m_fields={"tags"})
    auditlog.register(EnterpriseName, exclude_fields=["name_clean", "pinyin_initials"])
    auditlog.register(Contact, mask_fields=["phone"])
    auditlog.register(Tag)
    auditlog.register(DuplicateSuggestion)
    auditlog.register(Merge)
