"""The OpenAPI description of the bearer authentication (`accounts.api.authentication`).

drf-spectacular finds an extension by its class being defined, so `AccountsConfig.ready()`
imports this module. It is kept apart from the authentication class: DRF imports that one while
`rest_framework.views` is still loading, too early to import drf-spectacular's schema classes.
"""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema


# drf-spectacular registers extensions in an untyped `__init_subclass__`.
class BearerTokenScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    target_class = "accounts.api.authentication.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema: AutoSchema) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An access token from POST /api/v1/auth/login.",
        }
