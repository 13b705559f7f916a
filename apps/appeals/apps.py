from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppealsConfig(AppConfig):
    name = "apps.appeals"
    label = "appeals"
    verbose_name = _("诉求办理")

    def ready(self) -> None:
        from apps.appeals import audit, menu
        from apps.appeals.services.escalation import scan_escalations_summary
        from apps.appeals.services.rating_defaults import record_defaulted_ratings_summary
        from apps.core import scans

        audit.register_models()
        menu.register()
        scans.register("appeals_escalation", scan_escalations_summary)
        scans.register("appeals_rating_defaults", record_defaulted_ratings_summary)
