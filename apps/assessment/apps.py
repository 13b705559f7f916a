from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "apps.assessment"
    label = "assessment"
    verbose_name = _("考核通报")

    def ready(self) -> None:
        from apps.assessment import audit, menu
        from apps.assessment.services.scans import scan_assessment_summary
        from apps.core import scans

        audit.register_models()
        menu.register()
        scans.register("assessment", scan_assessment_summary)
