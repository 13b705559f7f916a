from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PoliciesConfig(AppConfig):
    name = "apps.policies"
    label = "policies"
    verbose_name = _("惠企政策兑现")

    def ready(self) -> None:
        from apps.policies import audit

        audit.register_models()
