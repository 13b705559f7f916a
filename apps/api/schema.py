"""The API's OpenAPI schema: the token's security scheme and the error answers every operation may give
(drf-spectacular finds the extension by its class path; settings name ApiAutoSchema)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers


class IntegrationTokenScheme(OpenApiAuthenticationExtension):
    target_class = "apps.api.authentication.IntegrationTokenAuthentication"
    name = "integrationToken"

    def get_security_definition(self, auto_schema) -> dict:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "Authorization: Bearer <接口令牌>（也可写作 Token <接口令牌>）",
        }


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


class ValidationErrorSerializer(ErrorSerializer):
    #: field name → its messages; ``non_field_errors`` for the request as a whole (absent when the body could not
    #: be read at all)
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()), required=False)


class ApiAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction="response") -> dict:
        bodies = super()._get_response_bodies(direction)
        if not self.path.startswith("/api/v1/"):
            return bodies
        errors = {"401": ErrorSerializer, "403": ErrorSerializer, "404": ErrorSerializer, "429": ErrorSerializer}
        if self.method in ("POST", "PATCH") or self._is_list_view():
            errors["400"] = ValidationErrorSerializer
        for code, serializer in errors.items():
            bodies.setdefault(code, self._get_response_for_code(serializer, code, direction=direction))
        return bodies
