from auditlog.registry import auditlog


def register_models() -> None:
    """Record every change to the pipeline's business records; introducers' personal data masked."""
    from apps.investment import models

    for model in (
        models.Project,
        models.ProjectParticipant,
        models.StageChange,
        models.ProjectDocument,
        models.NegotiationRound,
        models.FundRecord,
        models.Claim,
        models.ClaimConflict,
        models.TeamMember,
        models.Event,
        models.RewardRule,
        models.RewardClaim,
        models.PipelineSettings,
        models.StageGate,
        models.ScreeningRule,
    ):
        auditlog.register(model)
    auditlog.register(models.Team, m2m_fields={"target_industries"})
    auditlog.register(models.Trip, m2m_fields={"visited"})
    auditlog.register(models.Introducer, mask_fields=["phone", "id_number"])
