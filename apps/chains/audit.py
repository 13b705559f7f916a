from auditlog.registry import auditlog


def register_models() -> None:
    """Record every change to the chain maps and the placements: a link's coverage (and so the gaps a team works
    on) moves when a placement is confirmed or a chain is edited, and who did it must be traceable."""
    from apps.chains import models

    auditlog.register(models.Chain)
    auditlog.register(models.Link)
    auditlog.register(models.Placement)
    auditlog.register(models.LinkLead)
