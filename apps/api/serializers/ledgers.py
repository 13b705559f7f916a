"""The supervision ledgers, read only: rectification problems, commitments to investors, credit lists."""

from rest_framework import serializers

from apps.supervision.models import CreditEntry, InvestorCommitment, Problem


class ProblemSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = Problem
        fields = (
            "id", "code", "title", "description", "source", "kind", "unit", "unit_name", "supervising_unit",
            "measures", "due_on", "status", "reported_at", "signed_off_at", "created_at", "updated_at",
        )  # fmt: skip
        read_only_fields = fields


class CommitmentSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = InvestorCommitment
        fields = (
            "id", "project", "enterprise", "kind", "content", "unit", "unit_name", "supervising_unit", "legal_basis",
            "committed_on", "due_on", "status", "fulfilled_on", "created_at", "updated_at",
        )  # fmt: skip
        read_only_fields = fields


class CreditEntrySerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    uscc = serializers.CharField(source="enterprise.uscc", read_only=True, allow_null=True)
    state = serializers.SerializerMethodField()

    class Meta:
        model = CreditEntry
        fields = (
            "id", "enterprise", "enterprise_name", "uscc", "kind", "source", "reason", "legal_basis",
            "document_number", "decided_on", "effective_from", "expires_on", "state", "recording_unit",
            "repaired_at", "updated_at",
        )  # fmt: skip
        read_only_fields = fields

    def get_state(self, entry: CreditEntry) -> str:
        return entry.state_on(self.context["today"])
