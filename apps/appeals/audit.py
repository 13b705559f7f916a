from auditlog.registry import auditlog


def register_models() -> None:
    """Record every change to tickets and their rules (the event table is the ticket's own timeline)."""
    from apps.appeals import models

    auditlog.register(models.Category)
    auditlog.register(models.DispatchRule, m2m_fields={"co_units"})
    auditlog.register(models.TimeLimitPolicy)
    auditlog.register(models.Appeal, mask_fields=["phone", "id_number"])
    auditlog.register(models.Assignment)
    auditlog.register(models.ReturnRequest)
    auditlog.register(models.ExtensionRequest)
    auditlog.register(models.Pause)
    auditlog.register(models.KpiScheme)
    auditlog.register(models.KpiWeight)
    auditlog.register(models.MonthlySnapshot)
    auditlog.register(models.Callback)
    auditlog.register(models.IndicatorSet)
    auditlog.register(models.RatingRules)
    auditlog.register(models.ServiceRating, mask_fields=["rater_phone"])
    auditlog.register(models.RatingAppeal)
