"""Enterprises of the registry (identity is city-wide) and, on one enterprise, the contacts of the user's scope."""

from rest_framework import serializers

from apps.core.masking import mask_phone
from apps.enterprises.models import Contact, Enterprise
from apps.enterprises.services import IDENTITY_FIELDS

WRITABLE = ("name", "uscc", *IDENTITY_FIELDS)


class EnterpriseSerializer(serializers.ModelSerializer):
    class Meta:
        model = Enterprise
        fields = ("id", *WRITABLE, "status", "group_role", "parent", "created_at", "updated_at")
        read_only_fields = fields


class ContactSerializer(serializers.ModelSerializer):
    """A contact; the phone masked unless the serializer's context says the user may see it whole."""

    phone = serializers.SerializerMethodField()

    class Meta:
        model = Contact
        fields = ("id", "name", "title", "phone", "unit")
        read_only_fields = fields

    def get_phone(self, contact: Contact) -> str:
        return contact.phone if self.context.get("unmasked") else mask_phone(contact.phone)


class EnterpriseDetailSerializer(EnterpriseSerializer):
    contacts = ContactSerializer(many=True, read_only=True, source="scoped_contacts")

    class Meta(EnterpriseSerializer.Meta):
        fields = (*EnterpriseSerializer.Meta.fields, "contacts")
        read_only_fields = fields


class EnterpriseWriteSerializer(serializers.ModelSerializer):
    """What the registry's form takes about an enterprise's identity; the service checks the name and the code."""

    uscc = serializers.CharField(
        label=Enterprise._meta.get_field("uscc").verbose_name, max_length=18, required=False, allow_blank=True
    )

    class Meta:
        model = Enterprise
        fields = WRITABLE
