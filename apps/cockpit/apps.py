from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CockpitConfig(AppConfig):
    name = "apps.cockpit"
    label = "cockpit"
    verbose_name = _("领导驾驶舱")

    def ready(self) -> None:
        from apps.cockpit import audit, menu

        audit.register_models()
        menu.register()
