from auditlog.registry import auditlog


def register_models() -> None:
    """Record every change to the registry: a published policy stays editable for corrections, so each change
    must be traceable to who made it and when."""
    from apps.policies import models

    auditlog.register(models.Policy)
    auditlog.register(models.PolicyItem)
