from django.http import HttpRequest, JsonResponse
from django.urls import path


def bare(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"data": {"ok": True}, "meta": None, "error": None})


urlpatterns = [path("bench/bare", bare)]
