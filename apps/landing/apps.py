from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LandingConfig(AppConfig):
    name = "apps.landing"
    label = "landing"
    verbose_name = _("项目落地")

    def ready(self) -> None:
        from apps.core import pending as core_pending
        from apps.core import scans
        from apps.investment.services.workflow import on_stage_reached
        from apps.landing import audit, menu, pending
        from apps.landing.services import checklists
        from apps.landing.services.scans import scan_landing_summary

        audit.register_models()
        menu.register()
        core_pending.register(pending.landing_items)
        scans.register("landing", scan_landing_summary)
        on_stage_reached(checklists.on_signed)
