from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path, re_path

from accounts.views import admin_login
from common.api.schema_views import SchemaView, SwaggerDocsView
from common.views import api_route_not_found, healthz

api_v1: list[URLPattern | URLResolver] = [
    path("", include("accounts.api.urls")),
    path("", include("courses.api.urls")),
    path("", include("enrollments.api.urls")),
    path("", include("assessments.api.urls")),
    path("", include("assessments.api.taking_urls")),
    path("schema/", SchemaView.as_view(), name="api-schema"),
    path("docs/", SwaggerDocsView.as_view(url_name="api-schema"), name="api-docs"),
]

urlpatterns = [
    # Learners who sign in at the admin are sent to their dashboard (accounts.views).
    path("admin/login/", admin_login),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("api/v1/", include(api_v1)),
    # Any other /api/ path: a JSON 404 in the envelope, in development as in production.
    re_path(r"^api/", api_route_not_found),
    # The learner pages.
    path("", include("accounts.urls")),
    path("", include("enrollments.urls")),
    path("", include("assessments.urls")),
]

handler400 = "common.views.bad_request"
handler403 = "common.views.permission_denied"
handler404 = "common.views.page_not_found"
handler500 = "common.views.server_error"
