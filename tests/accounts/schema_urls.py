"""Only the auth and users routes, for checking their part of the OpenAPI schema alone."""

from django.urls import include, path

urlpatterns = [path("api/v1/", include("accounts.api.urls"))]
