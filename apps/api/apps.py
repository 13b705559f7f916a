from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "apps.api"
    label = "api"
    verbose_name = _("数据共享接口")

    def ready(self) -> None:
        from apps.api import audit, menu, schema  # noqa: F401 - schema registers the token security scheme

        audit.register_models()
        menu.register()
