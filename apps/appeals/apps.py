from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppealsConfig(AppConfig):
    name = "apps.appeals"
    label = "appeals"
    verbose_name = _("诉求办理")

    def ready(self) -> None:
        from apps.appeals import audit, menu, pending
        from apps.appeals.services.escalation import scan_escalations_summary
        from apps.appeals.services.follow_ups import scan_expired_summary, scan_rechecks_summary
        from apps.appeals.services.rating_defaults import record_defaulted_ratings_summary
        from apps.appeals.services.rating_push import push_ratings_summary
        from apps.appeals.services.statistics import scan_snapshots
        from apps.core import pending as core_pending
        from apps.core import scans

        audit.register_models()
        menu.register()
        core_pending.register(pending.appeal_items)
        scans.register("appeals_escalation", scan_escalations_summary)
        scans.register("appeals_monthly_snapshot", scan_snapshots)
        scans.register("appeals_expiry_follow_up", scan_expired_summary)
        scans.register("appeals_recheck", scan_rechecks_summary)
        scans.register("appeals_rating_defaults", record_defaulted_ratings_summary)
        scans.register("appeals_rating_push", push_ratings_summary)
