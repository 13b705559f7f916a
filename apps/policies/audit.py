from auditlog.registry import auditlog


def register_models() -> None:
    """Record every change to the registry and the cases: a published policy stays editable for corrections and a
    changed eligibility rule, an approved amount or a payment must be traceable to who made it and when."""
    from apps.policies import models

    auditlog.register(models.Policy)
    auditlog.register(models.PolicyItem)
    auditlog.register(models.Fulfilment)
    auditlog.register(models.FulfilmentEvent)
    auditlog.register(models.FulfilmentMaterial)
