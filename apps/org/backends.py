from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission


class RoleBackend(ModelBackend):
    """Permissions come from the roles a person holds (in place of Django's groups)."""

    def _get_group_permissions(self, user_obj):
        return Permission.objects.filter(role__people=user_obj)
