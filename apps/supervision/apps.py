from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "apps.supervision"
    label = "supervision"
    verbose_name = _("督查督办")

    def ready(self) -> None:
        from apps.core import scans
        from apps.supervision import audit, menu
        from apps.supervision.services.scans import scan_supervision_summary

        audit.register_models()
        menu.register()
        scans.register("supervision", scan_supervision_summary)
