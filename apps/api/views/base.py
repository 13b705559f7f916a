"""The base of every API resource: the scope comes first and every list is recorded as a bulk read.

A resource says how a user's records are found (``scope``) and how one is fetched (``get_for_user``, the
app's own function where it has one, so a record out of scope is the same 404 as on the pages); the base
applies both, so that a resource cannot forget the scope. Lists are ordered by id, so pages stay stable.
"""

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import mixins, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from apps.api.models import IntegrationToken
from apps.core.audit import record_access


class ScopedViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    read_operation: str | None = None
    write_operation: str | None = None
    read_permission: str | None = None
    write_permission: str | None = None

    def scope(self, user) -> QuerySet:
        """The records the user may read (the app's visible_… function)."""
        raise NotImplementedError

    def get_for_user(self, user, pk: int):
        """One record of the user's scope, 404 otherwise."""
        obj = self.get_queryset().filter(pk=pk).first()
        if obj is None:
            raise Http404
        return obj

    def get_queryset(self) -> QuerySet:
        return self.scope(self.request.user).order_by("pk")

    def get_object(self):
        obj = self.get_for_user(self.request.user, int(self.kwargs["pk"]))
        self.check_object_permissions(self.request, obj)
        return obj

    def list(self, request: Request, *args, **kwargs) -> Response:
        response = super().list(request, *args, **kwargs)
        record_bulk_read(request, rows=len(response.data["results"]))
        return response


def record_bulk_read(request: Request, *, rows: int) -> None:
    """An access entry in the audit log (on the token, or on the person for the docs page): what was read."""
    token = request.auth if isinstance(request.auth, IntegrationToken) else None
    record_access(
        token or request.user,
        by=request.user,
        what=_("接口批量读取 %(path)s") % {"path": request.path},
        rows=rows,
        query=request.META.get("QUERY_STRING", ""),
    )


def valid_data(serializer) -> dict:
    """The input's shape checked by the serializer (a 400 otherwise), for a service to check the rules."""
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)
