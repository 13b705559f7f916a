from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PoliciesConfig(AppConfig):
    name = "apps.policies"
    label = "policies"
    verbose_name = _("惠企政策兑现")

    def ready(self) -> None:
        from apps.core import pending, scans
        from apps.enterprises import links
        from apps.policies import audit, menu
        from apps.policies.links import eligible_section
        from apps.policies.pending_fulfilment import fulfilment_items
        from apps.policies.services.fulfilment_scan import scan_fulfilments_summary

        audit.register_models()
        menu.register()
        links.register(eligible_section)
        pending.register(fulfilment_items)
        scans.register("policies_fulfilment", scan_fulfilments_summary)
