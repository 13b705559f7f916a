"""Tickets (诉求工单): what the API shows (phone and ID masked unless the user may see them) and the intake."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from apps.appeals.models import Appeal, Category
from apps.enterprises.models import Enterprise
from apps.org.models import Unit

INTAKE_FIELDS = (
    "channel", "appeal_type", "category", "urgency", "title", "content", "enterprise", "citizen_name", "phone",
    "id_number", "area", "confidential",
)  # fmt: skip


class AppealSerializer(serializers.ModelSerializer):
    """A ticket; ``context["unmasked"]`` says whether the user may read the phone and ID numbers whole."""

    category_name = serializers.CharField(source="category.name", read_only=True)
    phone = serializers.SerializerMethodField()
    id_number = serializers.SerializerMethodField()

    class Meta:
        model = Appeal
        fields = (
            "id", "number", "channel", "appeal_type", "category", "category_name", "urgency", "title", "content",
            "enterprise", "citizen_name", "phone", "id_number", "confidential", "area", "unit", "state",
            "created_at", "sign_for_due", "reply_due", "closed_at",
        )  # fmt: skip
        read_only_fields = fields

    def get_phone(self, appeal: Appeal) -> str:
        return appeal.phone if self.context.get("unmasked") else appeal.masked_phone

    def get_id_number(self, appeal: Appeal) -> str:
        return appeal.id_number if self.context.get("unmasked") else appeal.masked_id_number


class RecordedAppealSerializer(AppealSerializer):
    """The new ticket with its query code (查询码), which the appellant uses to follow it."""

    class Meta(AppealSerializer.Meta):
        fields = (*AppealSerializer.Meta.fields, "query_code")
        read_only_fields = fields


class AppealIntakeSerializer(serializers.ModelSerializer):
    """登记诉求 as the intake form takes it (a hotline call or an online submission)."""

    category = serializers.PrimaryKeyRelatedField(queryset=Category.objects.filter(is_active=True))
    enterprise = serializers.PrimaryKeyRelatedField(
        queryset=Enterprise.objects.active(), required=False, allow_null=True, default=None
    )
    area = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.filter(kind__in=(Unit.Kind.COUNTY, Unit.Kind.ZONE, Unit.Kind.TOWN), is_active=True),
        required=False,
        allow_null=True,
        default=None,
    )
    phone = serializers.RegexField(
        r"^[0-9-]{5,20}$", required=False, allow_blank=True, error_messages={"invalid": _("请输入正确的电话号码。")}
    )
    id_number = serializers.RegexField(
        r"^[0-9]{17}[0-9Xx]$",
        required=False,
        allow_blank=True,
        error_messages={"invalid": _("请输入18位居民身份证号码。")},
    )

    class Meta:
        model = Appeal
        fields = INTAKE_FIELDS

    def validate(self, data: dict) -> dict:
        if not data.get("enterprise") and not (data.get("citizen_name") or data.get("phone")):
            raise serializers.ValidationError(_("请选择企业，或填写诉求人的姓名、联系电话。"))
        if data.get("id_number"):
            data["id_number"] = data["id_number"].upper()
        return data
