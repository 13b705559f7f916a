from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InvestmentConfig(AppConfig):
    name = "apps.investment"
    label = "investment"
    verbose_name = _("招商项目")

    def ready(self) -> None:
        from apps.investment import audit, menu

        audit.register_models()
        menu.register()
