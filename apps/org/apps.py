from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "apps.org"
    label = "org"
    verbose_name = _("组织机构")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from apps.core import pending as core_pending
        from apps.org import audit, menu, pending, services

        audit.register_models()
        menu.register()
        core_pending.register(pending.security_items)
        # Built-in roles are code; after every app's migrate (which creates its permissions) keep them in step.
        post_migrate.connect(services.sync_builtin_roles_after_migrate, dispatch_uid="org.sync_builtin_roles")
