"""Projects (招商项目) as the API shows and takes them; the services check the business rules."""

from rest_framework import serializers

from apps.enterprises.models import Enterprise
from apps.investment.models import Project

#: what a client may set: the services' DETAIL_FIELDS without the links to a unit's own records
#: (introducer, team, event), which the pages pick from the user's scope
WRITABLE = (
    "name", "industry", "channel", "kind", "description", "planned_investment", "contracted_investment",
    "counted_before", "fixed_asset_investment", "investor_out_of_province", "investor_foreign", "expected_tax",
    "expected_jobs", "energy_use", "land_area",
)  # fmt: skip


class ProjectSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)

    class Meta:
        model = Project
        fields = (
            "id", "code", "unit", "unit_name", "enterprise", "enterprise_name", *WRITABLE, "stage", "counted_stage",
            "status", "signed_on", "started_on", "completed_on", "producing_on", "at_capacity_on", "created_at",
            "updated_at",
        )  # fmt: skip
        read_only_fields = fields


class ProjectUpdateSerializer(serializers.ModelSerializer):
    """The basic fields of a project's record (the stage moves only through the workflow pages)."""

    class Meta:
        model = Project
        fields = WRITABLE


class ProjectCreateSerializer(ProjectUpdateSerializer):
    """A lead (线索) of an enterprise in the registry, owned by the token's unit."""

    enterprise = serializers.PrimaryKeyRelatedField(queryset=Enterprise.objects.active())

    class Meta(ProjectUpdateSerializer.Meta):
        fields = ("enterprise", *WRITABLE)
