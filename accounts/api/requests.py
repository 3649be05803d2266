"""`AuthenticatedRequest`: how views annotate a request that passed the bearer authentication,
so that `request.user` is typed as a `User`. Every API route but login and refresh requires one;
at run time it is DRF's own `Request`."""

from typing import TYPE_CHECKING

from rest_framework.request import Request

if TYPE_CHECKING:
    from accounts.models import User

    class AuthenticatedRequest(Request):
        @property
        def user(self) -> User: ...

        @user.setter
        def user(self, value: User) -> None: ...

else:
    AuthenticatedRequest = Request
