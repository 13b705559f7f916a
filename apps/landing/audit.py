from auditlog.registry import auditlog


def register_models() -> None:
    """Record every change to landing's business records."""
    from apps.landing import models

    for model in (
        models.JointReview,
        models.ReviewOpinion,
        models.OpinionChange,
        models.ChecklistTemplate,
        models.TemplateStep,
        models.Checklist,
        models.ChecklistStep,
        models.TaskForce,
        models.TaskForceMember,
        models.Milestone,
        models.ProjectProblem,
        models.ProgressReport,
        models.ProgressPhoto,
        models.BatchStart,
    ):
        auditlog.register(model)
