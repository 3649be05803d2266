"""The project's URLs plus two plain Django views under /api/ (outside DRF) that read the body
and the query string, so that Django's own request checks fire where no API view handles them."""

from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from lms_project import urls as project_urls

handler400 = project_urls.handler400
handler403 = project_urls.handler403
handler404 = project_urls.handler404
handler500 = project_urls.handler500


@csrf_exempt
def read_body(request: HttpRequest) -> HttpResponse:
    return HttpResponse(f"{len(request.body)} bytes")


def read_query(request: HttpRequest) -> HttpResponse:
    return HttpResponse(f"{len(request.GET)} parameters")


urlpatterns = [
    path("api/v1/raw/body", read_body),
    path("api/v1/raw/query", read_query),
    *project_urls.urlpatterns,
]
