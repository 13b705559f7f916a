"""The token's security scheme in the OpenAPI schema (drf-spectacular finds the extension by its class path)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class IntegrationTokenScheme(OpenApiAuthenticationExtension):
    target_class = "apps.api.authentication.IntegrationTokenAuthentication"
    name = "integrationToken"

    def get_security_definition(self, auto_schema) -> dict:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "Authorization: Bearer <接口令牌>（也可写作 Token <接口令牌>）",
        }
