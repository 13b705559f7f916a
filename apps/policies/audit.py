from auditlog.registry import auditlog


def register_models() -> None:
    """Record every change to the policy items: a changed eligibility rule must be traceable to who and when."""
    from apps.policies.models import PolicyItem

    auditlog.register(PolicyItem)
