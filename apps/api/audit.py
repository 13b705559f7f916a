from auditlog.registry import auditlog


def register_models() -> None:
    """Record who issued and who revoked every token (the secret's hash and the last use are left out)."""
    from apps.api import models

    auditlog.register(models.IntegrationToken, exclude_fields=["secret_hash", "last_used_at"])
