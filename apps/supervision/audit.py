from auditlog.registry import auditlog


def register_models() -> None:
    """Record every change to the ledger: a sign-off must be traceable to who made it and when."""
    from apps.supervision import models

    auditlog.register(models.Problem, m2m_fields={"co_units"})
    auditlog.register(models.Milestone)
    auditlog.register(models.Evidence)
    auditlog.register(models.InvestorCommitment)
    auditlog.register(models.GovernmentDefault)
    auditlog.register(models.Clearance)
    auditlog.register(models.CreditEntry)
    auditlog.register(models.CreditRepair)
    auditlog.register(models.CreditEffectRule)
    auditlog.register(models.SupervisionTask, m2m_fields={"co_units"})
    auditlog.register(models.ProgressReport)
    auditlog.register(models.TypicalCase)
    auditlog.register(models.CaseSource)
