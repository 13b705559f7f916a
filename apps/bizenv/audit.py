from auditlog.registry import auditlog


def register_models() -> None:
    """Record every change to the indicator system: a published score must be traceable to its rules."""
    from apps.bizenv import models

    auditlog.register(models.Methodology)
    auditlog.register(models.Indicator, m2m_fields={"co_units"})
    auditlog.register(models.Round, m2m_fields={"units"})
    auditlog.register(models.Entry)
    auditlog.register(models.Reference)
