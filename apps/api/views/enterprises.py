"""/api/v1/enterprises/: the registry (an enterprise's identity is city-wide, as on the pages); one enterprise
with the contacts its user's scope recorded; registration and changes through the registry's services."""

from dataclasses import fields

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from apps.api.filters import EnterpriseFilter
from apps.api.models import Operation
from apps.api.serializers.enterprises import EnterpriseDetailSerializer, EnterpriseSerializer, EnterpriseWriteSerializer
from apps.api.views.base import ScopedViewSet, valid_data
from apps.core.audit import record_access
from apps.enterprises import permissions
from apps.enterprises.models import Enterprise
from apps.enterprises.services import EnterpriseData, register_enterprise, update_enterprise


class EnterpriseViewSet(ScopedViewSet):
    read_operation, write_operation = Operation.ENTERPRISES_READ, Operation.ENTERPRISES_WRITE
    read_permission, write_permission = permissions.VIEW, permissions.ADD
    filterset_class = EnterpriseFilter

    def get_serializer_class(self):
        return EnterpriseDetailSerializer if self.action == "retrieve" else EnterpriseSerializer

    def scope(self, user):
        return Enterprise.objects.all()

    def get_for_user(self, user, pk: int) -> Enterprise:
        action = permissions.CHANGE if self.action == "partial_update" else permissions.VIEW
        enterprise = permissions.get_enterprise_for_user(user, pk, action=action)
        enterprise.scoped_contacts = list(permissions.visible_contacts(user).filter(enterprise=enterprise))
        return enterprise

    def get_serializer_context(self) -> dict:
        unmasked = self.request.user.has_perm(permissions.REVEAL_PERSONAL_DATA)
        return {**super().get_serializer_context(), "unmasked": unmasked}

    def retrieve(self, request, *args, **kwargs) -> Response:
        enterprise = self.get_object()
        context = self.get_serializer_context()
        if context["unmasked"] and enterprise.scoped_contacts:
            record_access(enterprise, by=request.user, what="contact_phones")
        return Response(EnterpriseDetailSerializer(enterprise, context=context).data)

    @extend_schema(request=EnterpriseWriteSerializer, responses={201: EnterpriseSerializer})
    def create(self, request, *args, **kwargs) -> Response:
        data = EnterpriseData(**valid_data(EnterpriseWriteSerializer(data=request.data)))
        enterprise = register_enterprise(data=data, by=request.user)
        return Response(EnterpriseSerializer(enterprise).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=EnterpriseWriteSerializer, responses={200: EnterpriseSerializer})
    def partial_update(self, request, *args, **kwargs) -> Response:
        enterprise = self.get_object()
        changes = valid_data(EnterpriseWriteSerializer(data=request.data, partial=True))
        data = _current(enterprise)
        for name, value in changes.items():
            setattr(data, name, value)
        enterprise = update_enterprise(enterprise=enterprise, data=data, by=request.user)
        return Response(EnterpriseSerializer(enterprise).data)


def _current(enterprise: Enterprise) -> EnterpriseData:
    """What the enterprise's record says now, for a change of some of its fields (the rest kept as they are)."""
    kept = {f.name for f in fields(EnterpriseData)} - {"tags", "short_names", "former_names", "extra"}
    data = EnterpriseData(**{name: getattr(enterprise, name) for name in kept})
    data.uscc = enterprise.uscc or ""
    data.tags = list(enterprise.tags.all())
    return data
