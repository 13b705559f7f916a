from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "apps.supervision"
    label = "supervision"
    verbose_name = _("督查督办")

    def ready(self) -> None:
        from apps.core import scans
        from apps.enterprises import links, marks
        from apps.supervision import audit, menu
        from apps.supervision.credit_selectors import credit_section, effect_section
        from apps.supervision.services.credit import marks_for
        from apps.supervision.services.scans import scan_supervision_summary

        audit.register_models()
        menu.register()
        scans.register("supervision", scan_supervision_summary)
        marks.register(marks_for)
        links.register(credit_section)
        links.register(effect_section)
