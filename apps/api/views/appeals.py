"""/api/v1/appeals/: tickets of the token's scope; a new ticket recorded through the intake service, as the
hotline's intake form does, owned by the token's unit. Phone and ID numbers are masked unless the user holds
view_appellant_data (an integration account never does); every unmasked read is recorded."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from apps.api.filters import AppealFilter
from apps.api.models import Operation
from apps.api.serializers.appeals import AppealIntakeSerializer, AppealSerializer, RecordedAppealSerializer
from apps.api.views.base import ScopedViewSet, valid_data
from apps.appeals import permissions
from apps.appeals.services.intake import AppealFields, record_appeal
from apps.core.audit import record_access


class AppealViewSet(ScopedViewSet):
    read_operation, write_operation = Operation.APPEALS_READ, Operation.APPEALS_WRITE
    read_permission, write_permission = "appeals.view_appeal", permissions.RECORD_APPEAL
    filterset_class = AppealFilter
    serializer_class = AppealSerializer

    def scope(self, user):
        return permissions.visible_appeals(user).select_related("category")

    def get_for_user(self, user, pk: int):
        return permissions.get_appeal_for_user(user, pk)

    def get_serializer_context(self) -> dict:
        unmasked = self.request.user.has_perm(permissions.VIEW_PERSONAL_DATA)
        return {**super().get_serializer_context(), "unmasked": unmasked}

    def retrieve(self, request, *args, **kwargs) -> Response:
        appeal = self.get_object()
        context = self.get_serializer_context()
        if context["unmasked"]:
            record_access(appeal, by=request.user, what="appellant_contact")
        return Response(AppealSerializer(appeal, context=context).data)

    @extend_schema(request=AppealIntakeSerializer, responses={201: RecordedAppealSerializer})
    def create(self, request, *args, **kwargs) -> Response:
        fields = AppealFields(**valid_data(AppealIntakeSerializer(data=request.data)))
        appeal = record_appeal(fields=fields, unit=request.user.unit, by=request.user, now=timezone.now())
        data = RecordedAppealSerializer(appeal, context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_201_CREATED)
