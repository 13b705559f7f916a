from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChainsConfig(AppConfig):
    name = "apps.chains"
    label = "chains"
    verbose_name = _("产业链招商")

    def ready(self) -> None:
        from apps.chains import audit, menu

        audit.register_models()
        menu.register()

        from apps.chains.links import placement_section
        from apps.enterprises import links

        links.register(placement_section)
