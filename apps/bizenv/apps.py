from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BizenvConfig(AppConfig):
    name = "apps.bizenv"
    label = "bizenv"
    verbose_name = _("营商环境评价")

    def ready(self) -> None:
        from apps.bizenv import audit, menu

        audit.register_models()
        menu.register()
