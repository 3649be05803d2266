"""The request an authenticated API route receives, for type checking."""

from rest_framework.request import Request

from accounts.models import Token, User


class AuthenticatedRequest(Request):
    """A request that `BearerTokenAuthentication` and `IsAuthenticated` let through: a signed-in
    `User` and their access `Token`. An annotation only (as django-stubs advises for
    `HttpRequest`); at run time the view gets DRF's own `Request`."""

    user: User
    auth: Token
