"""/api/v1/… (the REST API), /api/v1/schema/ (OpenAPI 3), /api/docs/ (Swagger UI, served locally), /api/tokens/…"""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from apps.api.models import IntegrationToken
from apps.api.views import tokens
from apps.api.views.appeals import AppealViewSet
from apps.api.views.enterprises import EnterpriseViewSet
from apps.api.views.ledgers import CommitmentViewSet, CreditEntryViewSet, ProblemViewSet
from apps.api.views.projects import ProjectViewSet
from apps.appeals.models import Appeal
from apps.core.scope import global_path, scoped_path
from apps.enterprises.models import Enterprise
from apps.investment.models import Project
from apps.supervision.models import CreditEntry, InvestorCommitment, Problem

app_name = "api"

LIST = {"get": "list"}
LIST_CREATE = {"get": "list", "post": "create"}
DETAIL = {"get": "retrieve"}
DETAIL_UPDATE = {"get": "retrieve", "patch": "partial_update"}

urlpatterns = [
    path("v1/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("v1/projects/", ProjectViewSet.as_view(LIST_CREATE), name="project_list"),
    scoped_path("v1/projects/<int:pk>/", ProjectViewSet.as_view(DETAIL_UPDATE), name="project_detail", model=Project),
    path("v1/enterprises/", EnterpriseViewSet.as_view(LIST_CREATE), name="enterprise_list"),
    global_path(
        "v1/enterprises/<int:pk>/", EnterpriseViewSet.as_view(DETAIL_UPDATE), name="enterprise_detail", model=Enterprise
    ),
    path("v1/appeals/", AppealViewSet.as_view(LIST_CREATE), name="appeal_list"),
    scoped_path("v1/appeals/<int:pk>/", AppealViewSet.as_view(DETAIL), name="appeal_detail", model=Appeal),
    path("v1/ledgers/problems/", ProblemViewSet.as_view(LIST), name="problem_list"),
    scoped_path("v1/ledgers/problems/<int:pk>/", ProblemViewSet.as_view(DETAIL), name="problem_detail", model=Problem),
    path("v1/ledgers/commitments/", CommitmentViewSet.as_view(LIST), name="commitment_list"),
    scoped_path(
        "v1/ledgers/commitments/<int:pk>/",
        CommitmentViewSet.as_view(DETAIL),
        name="commitment_detail",
        model=InvestorCommitment,
    ),
    path("v1/ledgers/credit/", CreditEntryViewSet.as_view(LIST), name="credit_list"),
    global_path(
        "v1/ledgers/credit/<int:pk>/", CreditEntryViewSet.as_view(DETAIL), name="credit_detail", model=CreditEntry
    ),
    path("tokens/", tokens.token_list, name="token_list"),
    path("tokens/new/", tokens.token_create, name="token_create"),
    scoped_path("tokens/<int:pk>/revoke/", tokens.token_revoke, name="token_revoke", model=IntegrationToken),
]
