from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnterprisesConfig(AppConfig):
    name = "apps.enterprises"
    label = "enterprises"
    verbose_name = _("企业库")

    def ready(self) -> None:
        from apps.enterprises import audit, menu
        from apps.enterprises.matching.regions import add_local_source
        from apps.enterprises.regions import local_regions

        audit.register_models()
        menu.register()
        add_local_source(local_regions)
