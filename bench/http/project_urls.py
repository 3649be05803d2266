from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.urls import path

from bench.http.bare_urls import bare
from lms_project.urls import handler400, handler403, handler404, handler500, urlpatterns

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]


def one_query(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return JsonResponse({"data": {"ok": True}, "meta": None, "error": None})


urlpatterns = [path("bench/bare", bare), path("bench/one-query", one_query), *urlpatterns]
