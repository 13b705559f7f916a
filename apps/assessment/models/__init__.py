from apps.assessment.models.admonitions import Admonition
from apps.assessment.models.bulletins import Bulletin, BulletinKind, BulletinTemplate
from apps.assessment.models.schemes import (
    Deduction,
    ManualValue,
    Metric,
    PlanPoint,
    Scheme,
    SchemeItem,
    Target,
)
from apps.assessment.models.snapshots import Correction, PeriodKind, Snapshot, SnapshotRow

__all__ = [
    "Admonition",
    "Bulletin",
    "BulletinKind",
    "BulletinTemplate",
    "Correction",
    "Deduction",
    "ManualValue",
    "Metric",
    "PeriodKind",
    "PlanPoint",
    "Scheme",
    "SchemeItem",
    "Snapshot",
    "SnapshotRow",
    "Target",
]
