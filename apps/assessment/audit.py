from auditlog.registry import auditlog


def register_models() -> None:
    """Record every change to the assessment's records (snapshots and their rows are never changed)."""
    from apps.assessment import models

    for model in (
        models.Metric,
        models.Scheme,
        models.SchemeItem,
        models.Target,
        models.PlanPoint,
        models.ManualValue,
        models.Deduction,
        models.Correction,
        models.Admonition,
        models.BulletinTemplate,
        models.Bulletin,
    ):
        auditlog.register(model)
    auditlog.register(models.Snapshot, exclude_fields=["inputs"])  # the inputs are the snapshot itself, kept whole
