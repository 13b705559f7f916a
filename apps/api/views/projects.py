"""/api/v1/projects/: the pipeline's projects of the token's scope; a lead registered and basic fields kept
through the same services (screening, claims, audit) as the lead form and the project's edit page."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from apps.api.filters import ProjectFilter
from apps.api.models import Operation
from apps.api.serializers.projects import ProjectCreateSerializer, ProjectSerializer, ProjectUpdateSerializer
from apps.api.views.base import ScopedViewSet, valid_data
from apps.investment import permissions
from apps.investment.models import Project
from apps.investment.services import projects as services


class ProjectViewSet(ScopedViewSet):
    read_operation, write_operation = Operation.PROJECTS_READ, Operation.PROJECTS_WRITE
    read_permission, write_permission = permissions.VIEW, permissions.ADD
    filterset_class = ProjectFilter
    serializer_class = ProjectSerializer

    def scope(self, user):
        return permissions.visible_projects(user).select_related("unit", "enterprise")

    def get_for_user(self, user, pk: int) -> Project:
        action = permissions.CHANGE if self.action == "partial_update" else permissions.VIEW
        return permissions.get_project_for_user(user, pk, action=action)

    @extend_schema(request=ProjectCreateSerializer, responses={201: ProjectSerializer})
    def create(self, request, *args, **kwargs) -> Response:
        data = valid_data(ProjectCreateSerializer(data=request.data))
        enterprise = data.pop("enterprise")
        user = request.user
        responded = user.has_perm(permissions.CHANGE)
        registration = services.register_lead(
            enterprise=enterprise, unit=user.unit, by=user, responded=responded, **data
        )
        return Response(ProjectSerializer(registration.project).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ProjectUpdateSerializer, responses={200: ProjectSerializer})
    def partial_update(self, request, *args, **kwargs) -> Response:
        project = self.get_object()
        data = valid_data(ProjectUpdateSerializer(data=request.data, partial=True))
        project = services.update_project(project=Project.objects.get(pk=project.pk), by=request.user, **data)
        return Response(ProjectSerializer(project).data)
