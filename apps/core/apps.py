from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "apps.core"
    label = "core"
    verbose_name = _("公共")

    def ready(self) -> None:
        from apps.core import audit_setup, calendar_setup, notice_setup

        audit_setup.register()
        calendar_setup.setup()
        notice_setup.setup()
