"""What every learner page needs: the signed-in user, typed, and the domain's errors shown as
pages. A page for something the user may not see is a 404; one they see but may not use, a 403
(the same answers as the API, through the same `permissions.py` helpers)."""

from collections.abc import Callable
from typing import Concatenate, ParamSpec

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.models import User
from common.errors import ApplicationError

P = ParamSpec("P")

PageView = Callable[Concatenate[HttpRequest, User, P], HttpResponse]


def signed_in_user(request: HttpRequest) -> User:
    """The user of a page behind `login_required`."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user


def page(view: PageView[P]) -> Callable[Concatenate[HttpRequest, P], HttpResponse]:
    """A page for signed-in users (others are sent to the sign-in page). The view receives the
    user; an `ApplicationError` it lets through becomes the site's 404 or 403 page, or an error
    page with the error's message and status."""

    def wrapped(request: HttpRequest, /, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        user = signed_in_user(request)
        try:
            return view(request, user, *args, **kwargs)
        except ApplicationError as error:
            if error.status == 404:
                raise Http404(error.message) from None
            if error.status == 403:
                raise PermissionDenied(error.message) from None
            return render(request, "error.html", {"error": error}, status=error.status)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return login_required(wrapped)
