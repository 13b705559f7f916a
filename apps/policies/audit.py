from auditlog.registry import auditlog


def register_models() -> None:
    """Record every change to the policy items: a changed eligibility rule must be traceable to who and when."""
    from apps.policies.models import PolicyItem

    auditlog.register(PolicyItem)
    """Record every change to a fulfilment case: who approved or paid which amount, and when."""
    from apps.policies import models

    auditlog.register(models.Fulfilment)
    auditlog.register(models.FulfilmentEvent)
    auditlog.register(models.FulfilmentMaterial)
