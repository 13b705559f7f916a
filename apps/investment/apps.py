from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InvestmentConfig(AppConfig):
    name = "apps.investment"
    label = "investment"
    verbose_name = _("招商项目")

    def ready(self) -> None:
        from apps.core import pending as core_pending
        from apps.core import scans
        from apps.investment import audit, menu, pending
        from apps.investment.selectors.rewards import reward_items

        audit.register_models()
        menu.register()
        core_pending.register(pending.pipeline_items)
        core_pending.register(reward_items)
        scans.register("investment", scan_summary)


def scan_summary() -> str:
    """The daily pipeline scan as the task worker runs it, in one line."""
    from apps.investment.services.escalation import scan_pipeline

    result = scan_pipeline()
    return f"升级超时线索 {result.escalated} 条，释放过期首报 {result.expired_claims} 条"
