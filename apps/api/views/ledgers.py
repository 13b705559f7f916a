"""/api/v1/ledgers/…: the supervision ledgers, read only, in the same scope as their pages (the rectification
problems and the commitments of the user's scope; the credit lists city-wide)."""

from django.utils import timezone

from apps.api.filters import CommitmentFilter, CreditEntryFilter, ProblemFilter
from apps.api.models import Operation
from apps.api.serializers.ledgers import CommitmentSerializer, CreditEntrySerializer, ProblemSerializer
from apps.api.views.base import ScopedViewSet
from apps.supervision import permissions
from apps.supervision.models import CreditEntry


class LedgerViewSet(ScopedViewSet):
    read_operation = Operation.LEDGERS_READ


class ProblemViewSet(LedgerViewSet):
    read_permission = permissions.VIEW_PROBLEM
    filterset_class = ProblemFilter
    serializer_class = ProblemSerializer

    def scope(self, user):
        return permissions.visible_problems(user).select_related("unit")

    def get_for_user(self, user, pk: int):
        return permissions.get_problem_for_user(user, pk, queryset=self.get_queryset())


class CommitmentViewSet(LedgerViewSet):
    read_permission = permissions.VIEW_PROBLEM
    filterset_class = CommitmentFilter
    serializer_class = CommitmentSerializer

    def scope(self, user):
        return permissions.visible_commitments(user).select_related("unit")

    def get_for_user(self, user, pk: int):
        return permissions.get_commitment_for_user(user, pk, queryset=self.get_queryset())


class CreditEntryViewSet(LedgerViewSet):
    read_permission = permissions.VIEW_CREDIT
    filterset_class = CreditEntryFilter
    serializer_class = CreditEntrySerializer

    def scope(self, user):
        return CreditEntry.objects.select_related("enterprise")

    def get_for_user(self, user, pk: int):
        return permissions.get_credit_entry_for_user(user, pk, queryset=self.get_queryset())

    def get_serializer_context(self) -> dict:
        return {**super().get_serializer_context(), "today": timezone.localdate()}
