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
    auditlog.register(models.Article)
    auditlog.register(models.IndicatorSet)
    auditlog.register(models.RatingRules)
    auditlog.register(models.ServiceRating, mask_fields=["rater_phone"])
    auditlog.register(models.RatingAppeal)
    auditlog.register(models.RatingPush)
    # 企业评议部门: the campaign and its enterprise side; the response side (UsedToken, EvaluationResponse,
    # EvaluationAnswer, EvaluationComment) is never registered: its entries would carry the request's address
    # and time (services/evaluations.py writes one anonymous entry per submission instead)
    auditlog.register(models.Campaign, m2m_fields={"departments"})
    auditlog.register(models.Dimension)
    auditlog.register(models.Question)
    auditlog.register(models.Invitation)
